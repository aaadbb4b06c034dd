"""Report documents in Vietnamese official format: Word, Excel and PDF.

- Party documents (Hướng dẫn 36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM" top right, the issuing
  body top left with "*" below, "Số 12-BC/ĐCT" without a colon.
- State documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): Quốc hiệu and Tiêu ngữ top right,
  "Số: 12/BC-ĐCT".
Both: A4, margins 20/20/30/15 mm, Times New Roman (Liberation Serif renders it in PDF),
body 14 pt with a 1,27 cm first-line indent, place and date in italics.
"""

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from gandan.core.exporters import Exporter, Sheet, Style, Styled, number_format
from gandan.core.numbers import format_qualified
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import ancestors_on
from gandan.reports.models import DocumentStyle, Report
from gandan.reports.selectors import Result, live_results, report_indicators

FONT = "Times New Roman"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
ISSUER = "ĐỘI CÔNG TÁC PHÁT ĐỘNG QUẦN CHÚNG CHUYÊN TRÁCH"


def vn_long_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2019": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass
class FigureRow:
    name: str
    unit: str
    value: str  # as the documents print it: "trên 12.000"
    number: Decimal = Decimal(0)  # the figure itself, for spreadsheets
    qualifier: str = "exact"


@dataclass
class Document:
    style: str
    superior: str
    issuer: str
    number: str
    place_date: str
    kind: str
    title: str
    sections: list[tuple[str, str]]
    figures: list[FigureRow] = field(default_factory=list)
    draft: bool = False
    # "Nguồn số liệu": for each figure with data, one line per source and what became of it
    provenance: list[tuple[str, list[str]]] = field(default_factory=list)


def _province_name(unit: AdminUnit, on: datetime.date) -> str:
    chain = ancestors_on(unit, on)
    province = chain[-1] if chain else None
    return province.name if province is not None else unit.name


PARTY_COMMITTEES = {
    "tinh": "TỈNH ỦY",
    "thanh_pho_tw": "THÀNH ỦY",
    "huyen": "HUYỆN ỦY",
    "thi_xa": "THỊ ỦY",
    "thanh_pho": "THÀNH ỦY",
}


def _superior(unit: AdminUnit, on: datetime.date, style: str) -> str:
    """The body above the issuer: the Party committee (Party style) or the People's
    Committee (State style) of the report's unit on the period's last day."""
    chain = ancestors_on(unit, on)
    name, kind = (chain[0].name, chain[0].kind) if chain else (unit.name, unit.kind)
    if style == DocumentStyle.PARTY:
        committee = PARTY_COMMITTEES.get(kind)
        return (
            f"{committee} {name.upper()}"
            if committee
            else f"ĐẢNG ỦY {chain[0].full_name.upper() if chain else name.upper()}"
        )
    return f"UBND {(chain[0].full_name if chain else str(unit)).upper()}"


def build_document(report: Report) -> Document:
    """Everything a renderer needs, from the report and the aggregation service."""
    regime = report.regime
    day = report.issued_on or timezone.localdate()
    if report.status == Report.Status.APPROVED and report.snapshot:
        results = {
            code: Result(Decimal(v["value"]), v["qualifier"], tuple(v.get("sources", ())))
            for code, v in report.snapshot.items()
        }
    else:
        results = live_results(report)
    rows, provenance = [], []
    for indicator in report_indicators(report):
        result = results.get(indicator.code, Result(Decimal(0), "exact"))
        text = _qualified(result.value, result.qualifier)
        rows.append(FigureRow(indicator.name_vi, indicator.unit, text, result.value, result.qualifier))  # fmt: skip
        if result.sources:
            lines = [_source_line(note, indicator.unit) for note in result.sources]
            provenance.append((indicator.name_vi, lines))
    number = report.number_text or (
        f"Số\u00a0\u00a0\u00a0\u00a0\u00a0-{regime.document_type}/ĐCT"
        if regime.style == DocumentStyle.PARTY
        else f"Số:\u00a0\u00a0\u00a0\u00a0\u00a0/{regime.document_type}-ĐCT"
    )
    sections = [(title, report.sections.get(key, "")) for key, title in regime.sections]
    return Document(
        style=regime.style,
        superior=_superior(report.unit, report.period_end, regime.style),
        issuer=ISSUER,
        number=number,
        place_date=f"{_province_name(report.unit, report.period_end)}, {vn_long_date(day)}",
        kind="BÁO CÁO",
        title=f"{regime.title} {report.period_label}",
        sections=sections,
        figures=rows,
        draft=report.status != Report.Status.APPROVED,
        provenance=provenance,
    )


def _qualified(value: Decimal, qualifier: str) -> str:
    return format_qualified(value, qualifier, decimals=3)


# What became of a source (``analytics.figures``: used, covered, aside), as the appendix says it.
SOURCE_FATES = {
    "used": "tính vào số liệu",
    "covered": "đã có trong nguồn khác, không cộng lại",
    "aside": "để riêng, không cộng",
}


def _source_line(note: dict[str, Any], unit: str) -> str:
    """ "Tổng số liệu báo cáo giấy …: trên 5.700 ngày công — để riêng, không cộng (lý do)"."""
    value = _qualified(Decimal(str(note["value"])), str(note["qualifier"]))
    fate = SOURCE_FATES.get(str(note["status"]), str(note["status"]))
    reason = f" ({note['reason']})" if note.get("reason") else ""
    return f"{note['label']}: {value} {unit} — {fate}{reason}"


def render_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    doc = Docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)

    def paragraph(
        container: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: int = 14,
        align: Any = None,
        underline: bool = False,
    ) -> Any:
        p = container.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.name, run.font.size = FONT, Pt(size)
        p.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        return p

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    paragraph(left, document.superior, size=14)
    paragraph(left, document.issuer, bold=True, size=13)
    paragraph(left, "*" if document.style == DocumentStyle.PARTY else "", size=13)
    paragraph(left, document.number, size=13)
    if document.style == DocumentStyle.PARTY:
        paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=15, underline=True)
    else:
        paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
        paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14, underline=True)
    paragraph(right, "")
    paragraph(right, document.place_date, italic=True, size=14)
    paragraph(doc, "")
    paragraph(doc, document.kind, bold=True, size=16)
    paragraph(doc, document.title, bold=True, size=14)
    if document.draft:
        paragraph(doc, "(Dự thảo)", italic=True, size=13)
    for title, text in document.sections:
        paragraph(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in [t for t in text.splitlines() if t.strip()] or ["…"]:
            body = paragraph(doc, line.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            body.paragraph_format.first_line_indent = Cm(1.27)
    if document.figures:
        paragraph(doc, "Phụ lục: Số liệu kết quả", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        table.autofit = False
        for cell, text in zip(
            table.rows[0].cells, ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"), strict=True
        ):
            cell.text = ""
            paragraph(cell, text, bold=True, size=12)
        for n, row in enumerate(document.figures, start=1):
            cells = table.add_row().cells
            for cell, text in zip(cells, (str(n), row.name, row.unit, row.value), strict=True):
                cell.text = ""
                paragraph(cell, text, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
        # Word reads the cells' widths, LibreOffice the table grid's: set both.
        widths = [Cm(w) for w in (1.2, 8.3, 3.5, 3.5)]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for index, row_cells in enumerate(table.rows):
            for cell, width in zip(row_cells.cells, widths, strict=True):
                cell.width = width
                first = cell.paragraphs[0]  # the empty paragraph every new cell starts with
                if len(cell.paragraphs) > 1 and not first.text:
                    first._element.getparent().remove(first._element)
            if index:  # numbers: the row number centred, the figure flush right
                row_cells.cells[0].paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                row_cells.cells[3].paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if document.provenance:
        paragraph(doc, "")
        paragraph(doc, "Phụ lục: Nguồn số liệu", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for name, lines in document.provenance:
            paragraph(doc, name, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
            for line in lines:
                paragraph(doc, f"- {line}", size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/document.html", {"doc": document, "margins": MARGINS_MM})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


class FiguresExporter(Exporter):
    """The report's figure table as a spreadsheet: the heading lines, then one row per
    indicator with its figure as a number (SUM works) shown the Vietnamese way."""

    filename = "so-lieu"

    def __init__(self, document: Document) -> None:
        self.document = document

    def sheets(self) -> Iterator[Sheet]:
        yield Sheet(
            "Số liệu",
            self._rows(),
            widths={1: 6, 2: 55, 3: 22, 4: 20},
            landscape=True,
        )
        if self.document.provenance:
            yield Sheet("Nguồn số liệu", self._sources(), widths={1: 45, 2: 100})

    def _sources(self) -> Iterator[list[object]]:
        yield [Styled(text, Style(bold=True, font=FONT)) for text in ("Chỉ tiêu", "Nguồn")]
        for name, lines in self.document.provenance:
            for line in lines:
                yield [name, line]

    def _rows(self) -> Iterator[list[object]]:
        doc = self.document
        yield [Styled(doc.issuer, Style(bold=True, font=FONT))]
        yield [Styled(doc.title, Style(bold=True, font=FONT))]
        yield [Styled(doc.place_date, Style(italic=True, font=FONT))]
        yield []
        yield [
            Styled(text, Style(bold=True, font=FONT))
            for text in ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả")
        ]
        for n, row in enumerate(doc.figures, start=1):
            style = Style(
                number_format=number_format(row.number, row.qualifier), horizontal="right"
            )
            yield [n, row.name, row.unit, Styled(row.number, style)]


def render_xlsx(document: Document) -> bytes:
    return FiguresExporter(document).xlsx()


RENDERERS = {"docx": render_docx, "pdf": render_pdf, "xlsx": render_xlsx}

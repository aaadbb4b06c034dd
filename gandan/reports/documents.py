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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from gandan.core.numbers import QUALIFIER_WORDS, format_number
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import ancestors_on
from gandan.reports.models import DocumentStyle, Report
from gandan.reports.selectors import live_figures, report_indicators

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
    value: str


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
        values = {
            code: (Decimal(v["value"]), v["qualifier"]) for code, v in report.snapshot.items()
        }
    else:
        values = live_figures(report)
    rows = []
    for indicator in report_indicators(report):
        value, qualifier = values.get(indicator.code, (Decimal(0), "exact"))
        word = QUALIFIER_WORDS.get(qualifier, "")
        rows.append(
            FigureRow(
                indicator.name_vi, indicator.unit, f"{word} {format_number(value, 3)}".strip()
            )
        )
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
    )


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
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/document.html", {"doc": document, "margins": MARGINS_MM})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def render_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Số liệu"
    sheet.append([document.issuer])
    sheet.append([document.title])
    sheet.append([document.place_date])
    sheet.append([])
    sheet.append(["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"])
    for n, row in enumerate(document.figures, start=1):
        sheet.append([n, row.name, row.unit, row.value])
    for cell in sheet[5]:
        cell.font = Font(bold=True, name=FONT)
    sheet["A1"].font = Font(bold=True, name=FONT)
    sheet["A2"].font = Font(bold=True, name=FONT)
    sheet["A3"].font = Font(italic=True, name=FONT)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for column, width in zip("ABCD", (6, 55, 22, 20), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=6):
        cells[3].alignment = Alignment(horizontal="right")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RENDERERS = {"docx": render_docx, "pdf": render_pdf, "xlsx": render_xlsx}

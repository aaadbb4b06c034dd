"""The pivot as an Excel workbook: numbers stay numbers, shown the Vietnamese way.

Number formats are written in Excel's format language, where "," is the thousands
separator and "." the decimal point; Excel and LibreOffice display them with the reader's
separators, so a Vietnamese machine shows "1.200" and "1,27". A qualifier from a paper
report is part of the format (``"trên "#,##0``): the cell still holds 5740 and reads
"trên 5.740".
"""

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gandan.core.dates import vn_date
from gandan.core.numbers import QUALIFIER_WORDS
from gandan.indicators.aggregation import Figure
from gandan.indicators.selectors import DIMENSIONS, GRANULARITIES, REGIMES, Heading, PivotView

HEAD_FILL = PatternFill("solid", fgColor="EEF1F5")
TOTAL_FILL = PatternFill("solid", fgColor="F6F7F9")


def number_format(figure: Figure) -> str:
    whole = figure.value == figure.value.to_integral_value()
    digits = "#,##0" if whole else "#,##0.00"
    word = QUALIFIER_WORDS.get(figure.qualifier, "")
    return f'"{word} "{digits}' if word else digits


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _label(heading: Heading) -> str:
    return f"{heading.label} ({heading.note})" if heading.note else heading.label


def pivot_workbook(view: PivotView) -> bytes:
    """One sheet: what was asked (unit, period, boundaries, split rule), then one table per
    value of the third dimension."""
    params, scope = view.params, view.scope
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "Tổng hợp"
    bold = Font(bold=True)
    sheet.append(["Bảng tổng hợp chỉ tiêu"])
    sheet["A1"].font = Font(bold=True, size=14)
    period = f"từ ngày {vn_date(params.start)} đến ngày {vn_date(params.end)}"
    for line in (
        f"Đơn vị: {scope.unit}",
        f"Thời gian: {period} · chia kỳ: {GRANULARITIES[params.by].lower()} · {REGIMES[params.regime].lower()}",
        f"Địa giới: {view.boundary_rule}",
        f"Chia tách: {view.split_rule}.",
        f"Số liệu lấy trực tiếp từ hồ sơ lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}.",
        "Số viết kiểu Việt Nam (1.200; 1,27). «trên», «hơn», «gần»: số liệu theo báo cáo "
        "giấy có kèm từ ước lượng; tổng có phần «trên» cũng là «trên».",
    ):
        sheet.append([line])
    for table in view.tables:
        sheet.append([])
        sheet.append([f"{DIMENSIONS[params.layer]}: {_label(table.layer)}"])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append([str(DIMENSIONS[params.rows]), *(_label(c) for c in table.cols)])
        header = sheet.max_row
        for column in range(1, len(table.cols) + 2):
            head = sheet.cell(header, column)
            head.font, head.fill = bold, HEAD_FILL
            head.alignment = Alignment(wrap_text=True, vertical="top")
        for heading, cells in table.rows:
            sheet.append([_label(heading), *(_number(c.figure.value) for c in cells)])
            at = sheet.max_row
            for column, data in enumerate(cells, start=2):
                target = sheet.cell(at, column)
                target.number_format = number_format(data.figure)
                if heading.is_total or table.cols[column - 2].is_total:
                    target.font, target.fill = bold, TOTAL_FILL
            if heading.is_total:
                sheet.cell(at, 1).font = bold
    sheet.column_dimensions["A"].width = 42
    widest = max((len(t.cols) for t in view.tables), default=0)
    for column in range(2, widest + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

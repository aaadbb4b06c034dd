"""The pivot as an Excel workbook (an exporter of ``core.exporters``): numbers stay numbers,
shown the Vietnamese way.

Number formats are written in Excel's format language, where "," is the thousands
separator and "." the decimal point; Excel and LibreOffice display them with the reader's
separators, so a Vietnamese machine shows "1.200" and "1,27". A qualifier from a paper
report is part of the format (``"trên "#,##0``): the cell still holds 5740 and reads
"trên 5.740".
"""

from collections.abc import Iterator, Sequence
from itertools import chain

from django.utils import timezone

from gandan.analytics.engine import Figure
from gandan.analytics.grid import Heading
from gandan.analytics.selectors import GRANULARITIES, REGIMES, PivotView
from gandan.core import exporters
from gandan.core.dates import vn_date
from gandan.core.exporters import Exporter, Sheet, Style, Styled
from gandan.core.numbers import format_number

HEAD_FILL = "EEF1F5"
TOTAL_FILL = "F6F7F9"
GROUP_FILL = "E4E8EE"
BOLD = Style(bold=True)
HEAD = Style(bold=True, fill=HEAD_FILL, wrap=True, vertical="top")


def number_format(figure: Figure) -> str:
    return exporters.number_format(figure.value, figure.qualifier)


def _label(heading: Heading) -> str:
    return f"{heading.label} ({heading.note})" if heading.note else heading.label


class PivotExporter(Exporter):
    """One sheet: what was asked (unit, period, boundaries, split rule), then the one table
    of the page: a header row, each group headed by its own row and closed by its subtotal,
    the total group last."""

    filename = "tong-hop"

    def __init__(self, view: PivotView) -> None:
        self.view = view
        self.grid = view.grid

    def sheets(self) -> Iterator[Sheet]:
        widths = {1: 42.0} | dict.fromkeys(range(2, len(self.grid.cols) + 2), 20.0)
        preamble = list(self._preamble())
        header = len(preamble) + 2 + bool(self.grid.bands)  # a blank row, then the header
        rows = chain(preamble, [[]], self._table())
        yield Sheet("Tổng hợp", rows, widths=widths, freeze=f"B{header + 1}")

    def _preamble(self) -> Iterator[Sequence[object]]:
        view, grid = self.view, self.grid
        params, scope = view.params, view.scope
        yield [Styled("Bảng tổng hợp chỉ tiêu", Style(bold=True, size=14))]
        period = f"từ ngày {vn_date(params.start)} đến ngày {vn_date(params.end)}"
        granularity = GRANULARITIES[params.by].lower()
        yield [f"Đơn vị: {scope.unit}"]
        yield [f"Thời gian: {period} · chia kỳ: {granularity} · {REGIMES[params.regime].lower()}"]
        yield [f"Địa giới: {view.boundary_rule}"]
        yield [f"Chia tách: {view.split_rule}."]
        yield [f"Số liệu lấy trực tiếp từ hồ sơ lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}."]
        yield [
            "Số viết kiểu Việt Nam (1.200; 1,27). «trên», «hơn», «gần»: số liệu theo báo cáo "
            "giấy có kèm từ ước lượng; tổng có phần «trên» cũng là «trên». Dòng, cột tổng là "
            "số của cả đơn vị, cả kỳ: số địa bàn không trùng, số thành viên ngày cuối kỳ."
        ]
        if grid.hidden:
            parts = [f"{format_number(grid.hidden_rows)} dòng"] if grid.hidden_rows else []
            parts += [f"{format_number(grid.hidden_cols)} cột"] if grid.hidden_cols else []
            shown = "chọn «Hiện cả dòng, cột trống» để hiện"
            yield [f"Đã ẩn {' và '.join(parts)} không có số liệu ({shown})."]
        if grid.is_empty:
            yield [Styled("Không có số liệu nào cho câu hỏi này.", BOLD)]

    def _table(self) -> Iterator[Sequence[object]]:
        grid = self.grid
        if grid.is_empty:
            return
        if bands := grid.bands:
            over: list[object] = [Styled("", HEAD)]
            for band in bands:
                over += [Styled(band.label, HEAD)] + [Styled("", HEAD)] * (band.span - 1)
            yield over
        yield [Styled(text, HEAD) for text in [grid.rows_label, *map(_label, grid.cols)]]
        group_style = Style(bold=True, fill=GROUP_FILL)
        for group in grid.groups:
            if grid.grouped:
                yield [Styled(_label(group.heading), group_style)]
            for row in group.rows:
                strong = row.total or row.subtotal
                label = _label(row.heading)
                cells: list[object] = [Styled(label, BOLD) if strong else label]
                for column, data in zip(grid.cols, row.cells, strict=True):
                    total = strong or column.is_total or data.total
                    style = Style(
                        number_format=number_format(data.figure),
                        bold=total,
                        fill=TOTAL_FILL if total else None,
                    )
                    cells.append(Styled(data.figure.value, style))
                yield cells


def pivot_workbook(view: PivotView) -> bytes:
    return PivotExporter(view).xlsx()

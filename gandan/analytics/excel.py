"""The pivot as an Excel workbook (an exporter of ``core.exporters``): numbers stay numbers,
shown the Vietnamese way.

Number formats are written in Excel's format language, where "," is the thousands
separator and "." the decimal point; Excel and LibreOffice display them with the reader's
separators, so a Vietnamese machine shows "1.200" and "1,27". A qualifier from a paper
report is part of the format (``"trên "#,##0``): the cell still holds 5740 and reads
"trên 5.740".
"""

from collections.abc import Iterator, Sequence

from django.utils import timezone

from gandan.analytics.engine import Figure
from gandan.analytics.selectors import DIMENSIONS, GRANULARITIES, REGIMES, Heading, PivotView
from gandan.core import exporters
from gandan.core.dates import vn_date
from gandan.core.exporters import Exporter, Sheet, Style, Styled

HEAD_FILL = "EEF1F5"
TOTAL_FILL = "F6F7F9"
BOLD = Style(bold=True)
HEAD = Style(bold=True, fill=HEAD_FILL, wrap=True, vertical="top")


def number_format(figure: Figure) -> str:
    return exporters.number_format(figure.value, figure.qualifier)


def _label(heading: Heading) -> str:
    return f"{heading.label} ({heading.note})" if heading.note else heading.label


class PivotExporter(Exporter):
    """One sheet: what was asked (unit, period, boundaries, split rule), then one table per
    value of the third dimension."""

    filename = "tong-hop"

    def __init__(self, view: PivotView) -> None:
        self.view = view

    def sheets(self) -> Iterator[Sheet]:
        widest = max((len(t.cols) for t in self.view.tables), default=0)
        widths = {1: 42.0} | dict.fromkeys(range(2, widest + 2), 20.0)
        yield Sheet("Tổng hợp", self._rows(), widths=widths)

    def _rows(self) -> Iterator[Sequence[object]]:
        view = self.view
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
            "giấy có kèm từ ước lượng; tổng có phần «trên» cũng là «trên»."
        ]
        for table in view.tables:
            yield []
            yield [Styled(f"{DIMENSIONS[params.layer]}: {_label(table.layer)}", BOLD)]
            header = [str(DIMENSIONS[params.rows]), *(_label(c) for c in table.cols)]
            yield [Styled(text, HEAD) for text in header]
            for heading, cells in table.rows:
                row: list[object] = [
                    Styled(_label(heading), BOLD) if heading.is_total else _label(heading)
                ]
                for column, data in zip(table.cols, cells, strict=True):
                    total = heading.is_total or column.is_total
                    style = Style(
                        number_format=number_format(data.figure),
                        bold=total,
                        fill=TOTAL_FILL if total else None,
                    )
                    row.append(Styled(data.figure.value, style))
                yield row


def pivot_workbook(view: PivotView) -> bytes:
    return PivotExporter(view).xlsx()

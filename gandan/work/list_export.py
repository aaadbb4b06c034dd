"""The activity list as the page filters it, in Excel ("Xuất Excel" on the list).

Not the import layout (that is :mod:`gandan.work.excel_export`, by unit and period): one
row per record as the list shows it, for reading, sorting and printing. Every cell goes
through :mod:`gandan.core.exporters` (formula-like text is written inert)."""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from gandan.core.downloads import count, day, header
from gandan.core.exporters import Exporter, Sheet
from gandan.core.numbers import format_number
from gandan.work.models import Activity

COLUMNS = (
    "Từ ngày",
    "Đến ngày",
    "Loại hoạt động",
    "Tên hoạt động",
    "Địa bàn",
    "Thôn, buôn",
    "Đội",
    "Phong trào",
    "Lượt người",
    "Kết quả",
    "Trạng thái",
    "Nguồn",
)


class ActivityListExporter(Exporter):
    filename = "hoat-dong.xlsx"

    def __init__(self, activities: QuerySet[Activity]) -> None:
        self.activities = activities  # scoped and filtered, with what the list prefetches

    def _rows(self) -> Iterator[list[object]]:
        yield header(*COLUMNS)
        for a in self.activities.iterator(chunk_size=1000):
            yield [
                day(a.start),
                day(a.end),
                str(a.type),
                a.title,
                str(a.unit),
                ", ".join(str(v) for v in a.villages.all()),
                ", ".join(str(t) for t in a.teams.all()),
                "; ".join(str(m) for m in a.movements.all()),
                count(a.participants),
                "; ".join(
                    f"{format_number(v.value)} {v.indicator.unit} {v.indicator.name}".strip()
                    for v in a.values.all()
                ),
                a.get_status_display(),
                a.get_origin_display(),
            ]

    def sheets(self) -> Iterable[Sheet]:
        widths = {1: 12, 2: 12, 3: 28, 4: 36, 5: 28, 6: 24, 7: 24, 8: 24, 9: 11, 10: 48}
        yield Sheet("Hoạt động", self._rows(), widths=widths, freeze="A2", landscape=True)

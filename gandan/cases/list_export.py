"""The case queue as the page filters it, in Excel ("Xuất Excel" on the queue).

The columns the queue shows, never the description or the contacts (personal data stays
behind ``cases.privacy``). Every cell goes through :mod:`gandan.core.exporters`."""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from gandan.cases.models import Case
from gandan.cases.selectors import OPEN
from gandan.core.dates import today
from gandan.core.downloads import count, day, header
from gandan.core.exporters import Exporter, Sheet

COLUMNS = (
    "Mã số",
    "Ngày tiếp nhận",
    "Loại vụ việc",
    "Số hộ liên quan",
    "Xã, phường",
    "Thôn, buôn",
    "Đơn vị đang xử lý",
    "Nguồn",
    "Trạng thái",
    "Hạn xử lý",
    "Quá hạn",
)


class CaseListExporter(Exporter):
    filename = "vu-viec.xlsx"

    def __init__(self, cases: QuerySet[Case]) -> None:
        self.cases = cases  # scoped to the user and filtered

    def _rows(self) -> Iterator[list[object]]:
        yield header(*COLUMNS)
        now = today()
        for case in self.cases.iterator(chunk_size=1000):
            late = case.status in OPEN and case.deadline < now
            yield [
                case.pk,
                day(case.received_on),
                str(case.kind),
                count(case.households),
                str(case.unit),
                str(case.village) if case.village_id else "",
                str(case.handler),
                case.get_source_display(),
                case.get_status_display(),
                day(case.deadline),
                "Quá hạn" if late else "",
            ]

    def sheets(self) -> Iterable[Sheet]:
        widths = {1: 8, 2: 13, 3: 36, 4: 10, 5: 28, 6: 22, 7: 28, 8: 22, 9: 22, 10: 12, 11: 10}
        yield Sheet("Vụ việc", self._rows(), widths=widths, freeze="A2", landscape=True)

"""The team list's members and the headcount page, in Excel ("Xuất Excel" on each page).

The members are personal data: their export is audited like the roster's
(:func:`gandan.org.excel.roster_export`), and carries no ethnicity (the pages show it only
as totals). For a file to import back, the roster export is the one. Every cell goes
through :mod:`gandan.core.exporters` (formula-like text is written inert)."""

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from gandan.accounts.models import User
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.downloads import count, day, header
from gandan.core.exporters import Exporter, Sheet
from gandan.org.models import Membership, Team
from gandan.org.selectors import Headcount, roster_on

MEMBER_COLUMNS = (
    "Họ và tên",
    "Giới tính",
    "Năm sinh",
    "Điện thoại",
    "Đội, tổ",
    "Cấp",
    "Đơn vị",
    "Chức vụ",
    "Từ ngày",
)


class MemberListExporter(Exporter):
    def __init__(self, memberships: list[Membership], on: datetime.date) -> None:
        self.memberships, self.on = memberships, on
        self.filename = f"thanh-vien-doi-cong-tac-{on:%Y-%m-%d}.xlsx"

    def _rows(self) -> Iterator[list[object]]:
        yield header(*MEMBER_COLUMNS)
        for membership in self.memberships:
            member, team = membership.member, membership.team
            yield [
                member.full_name,
                member.get_gender_display(),
                member.birth_year,
                member.phone,
                team.name,
                team.get_level_display(),
                str(team.unit),
                membership.get_position_display(),
                day(membership.start),
            ]

    def sheets(self) -> Iterable[Sheet]:
        widths = {1: 28, 2: 10, 3: 10, 4: 14, 5: 36, 6: 10, 7: 28, 8: 18, 9: 12}
        # The phone column is text: leading zeros stay.
        yield Sheet("Thành viên", self._rows(), widths=widths, text_columns=[4], freeze="A2")


def members_export(
    *, actor: User, teams: QuerySet[Team], on: datetime.date, described: str
) -> MemberListExporter:
    """The members on ``on`` of ``teams`` (already scoped to ``actor`` and filtered as the
    page shows them), audited: who exported how many people, of what, on which date."""
    memberships = list(roster_on(on, teams=teams))
    audit_log(
        actor=actor,
        action="org.members_export",
        target=None,
        message=f"Xuất danh sách {len(memberships)} thành viên Đội công tác ({described}) "
        f"ngày {vn_date(on)} ra Excel",
        data={"on": on.isoformat(), "rows": len(memberships), "filter": described},
    )
    return MemberListExporter(memberships, on)


class HeadcountExporter(Exporter):
    def __init__(self, result: Headcount, breakdown: str) -> None:
        self.result, self.breakdown = result, breakdown
        self.filename = f"quan-so-{result.on:%Y-%m-%d}.xlsx"

    def _rows(self) -> Iterator[list[object]]:
        result = self.result
        yield header(f"Quân số Đội công tác: {result.unit}, ngày {vn_date(result.on)}")
        yield []
        yield header(self.breakdown, "Số người")
        for _key, label, n in result.rows:
            yield [label, count(n)]
        yield [*header("Tổng số"), count(result.total)]
        yield []
        yield ["Đội, tổ hoạt động", count(result.teams)]
        yield ["Thôn, buôn được phân công", count(result.villages_covered)]
        yield ["Dân tộc thiểu số", count(result.minority)]

    def sheets(self) -> Iterable[Sheet]:
        yield Sheet("Quân số", self._rows(), widths={1: 40, 2: 12})

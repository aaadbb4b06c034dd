"""The day's work of a user, for the home page: reports owed by their unit and their
deadlines, reports waiting for their approval, their unit's reports returned to it, the
cases their unit handles (escalated to it, overdue), and their last entries. Every list is
scoped by the same access rules as the pages it links to."""

import datetime
from dataclasses import dataclass, field

from gandan.accounts.models import User
from gandan.cases.access import own_unit_ids
from gandan.cases.models import Case
from gandan.cases.selectors import OPEN
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import default_successor_on
from gandan.reports.access import reviewable, visible_reports
from gandan.reports.deadlines import Due, units_dues
from gandan.reports.models import Report
from gandan.work.models import Activity

SHOWN = 10  # rows per list; each list links to its full page
DUE_BEHIND = datetime.timedelta(days=62)  # unsent reports whose deadline passed this recently
DUE_AHEAD = datetime.timedelta(days=45)
DISTRICTS_ENDED = datetime.date(2025, 7, 1)


@dataclass(frozen=True)
class DueRow:
    due: Due
    left: int  # days to the deadline; negative once passed

    @property
    def late_by(self) -> int:
        return -self.left


@dataclass
class Today:
    on: datetime.date
    unit: AdminUnit | None
    ended_on: datetime.date | None = None  # the last day of the user's unit, if it ended
    successor: AdminUnit | None = None  # where an ended unit's territory went
    dues: list[DueRow] = field(default_factory=list)
    to_approve: list[Report] = field(default_factory=list)
    returned: list[Report] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    entries: list[Activity] = field(default_factory=list)

    @property
    def district_abolished(self) -> bool:
        """A district that ended on 1-7-2025, when districts were abolished."""
        return (
            self.unit is not None
            and self.unit.level == Level.DISTRICT
            and self.ended_on == DISTRICTS_ENDED - datetime.timedelta(days=1)
        )

    @property
    def escalated(self) -> list[Case]:
        return [c for c in self.cases if c.status == Case.Status.ESCALATED]

    @property
    def overdue(self) -> list[Case]:
        return [c for c in self.cases if c.deadline < self.on]


def _to_approve(user: User) -> list[Report]:
    submitted = visible_reports(user).filter(status=Report.Status.SUBMITTED)
    candidates = submitted.exclude(unit_id=user.unit_id).order_by("submitted_at", "id")
    return reviewable(user, candidates[: SHOWN * 3])[:SHOWN]


def today_for(user: User, on: datetime.date) -> Today:
    unit = user.unit
    result = Today(on=on, unit=unit)
    if unit is not None and unit.valid_to is not None and unit.valid_to <= on:
        result.ended_on = unit.valid_to - datetime.timedelta(days=1)
        result.successor = default_successor_on(unit, on)
    own = own_unit_ids(user) or set()
    if unit is not None and result.ended_on is None:
        dues = units_dues([unit], first=on - DUE_BEHIND, last=on + DUE_AHEAD)
        result.dues = [DueRow(d, d.days_left(on)) for d in dues if not d.sent][:SHOWN]
    if user.can_write:
        result.to_approve = _to_approve(user)
    result.returned = list(
        visible_reports(user)
        .filter(status=Report.Status.RETURNED, unit_id__in=own)
        .order_by("-updated_at")[:SHOWN]
    )
    result.cases = list(
        Case.objects.filter(handler_id__in=own, status__in=OPEN)
        .select_related("kind", "unit", "handler")
        .order_by("deadline", "id")[: SHOWN * 2]
    )
    result.entries = list(
        Activity.objects.filter(created_by=user)
        .select_related("type", "unit")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    return result

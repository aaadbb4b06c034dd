"""Who may see and act on a report. The only way views and the API reach a report.

A report belongs to its unit on the period's last day (``period_end``):

- it is visible to users whose jurisdiction covers the unit on that day; elsewhere it does
  not exist (404);
- the writers (clerks, admins) who see it may edit, adjust and submit it;
- reviewers are writers whose jurisdiction covers a *strict ancestor* of the unit on that
  day: the district and the province for a commune before 1-7-2025, the province for a
  district, and after 1-7-2025 (no districts) the province for a commune. Only they may
  return, approve or un-approve it;
- the province has no level above it in the system: its own report is approved by an
  administrator (role «Quản trị») of the province, who signs for the team, while clerks
  prepare and submit it;
- a leader is read-only (403 on any action); a superuser may do everything.

Ancestors are taken through jurisdiction, not by comparing unit ids, so the 2025 province
(a new unit after the merger) reviews the reports of the legacy province's districts.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from gandan.accounts.access import require_write
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import Role, User
from gandan.geo.models import AdminUnit, UnitVersion
from gandan.geo.selectors import ancestors_on, ancestors_on_many
from gandan.reports.models import Report
from gandan.reports.workflow import EDITABLE, REVIEW, WORKFLOW

Status = Report.Status
REVIEW_ACTIONS = frozenset({"return", "approve", "unapprove"})


def visible_reports(user: User) -> QuerySet[Report]:
    """Reports whose unit is in the user's jurisdiction on the period's last day."""
    reports = Report.objects.select_related("regime", "unit")
    return reports.filter(jurisdiction_for(user).filter_dated("unit_id", "period_end"))


def _reviews(user: User, report: Report, above: list[UnitVersion]) -> bool:
    jurisdiction = jurisdiction_for(user)
    if not above:  # the top of the tree: approved at its own level, by an administrator
        return user.role == Role.ADMIN and jurisdiction.covers(report.unit_id, report.period_end)
    return any(jurisdiction.covers(version.unit_id, report.period_end) for version in above)


def is_reviewer(user: User, report: Report) -> bool:
    """A writer whose jurisdiction holds a unit above the report's unit on ``period_end``."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "can_write", False):
        return False
    return _reviews(user, report, ancestors_on(report.unit, report.period_end)[1:])


def reviewable(user: User, reports: Iterable[Report]) -> list[Report]:
    """The reports of ``reports`` that :func:`is_reviewer` lets the user review, with one
    query per level and period end instead of per report (the home page's list)."""
    reports = list(reports)
    if getattr(user, "is_superuser", False):
        return reports
    if not getattr(user, "can_write", False):
        return []
    by_day: dict[datetime.date, list[Report]] = defaultdict(list)
    for report in reports:
        by_day[report.period_end].append(report)
    chains: dict[int, list[UnitVersion]] = {}
    for day, same_day in by_day.items():
        found = ancestors_on_many([r.unit for r in same_day], day)
        chains |= {r.pk: found[r.unit_id] for r in same_day}
    return [r for r in reports if _reviews(user, r, chains[r.pk][1:])]


def allowed_actions(user: User, report: Report) -> set[str]:
    """The transitions (and edits) this user may make on a report they can see, now."""
    if not getattr(user, "can_write", False):
        return set()
    actions = {"edit", "adjust"} if report.status in EDITABLE else set()
    steps = set(WORKFLOW.allowed(report.status))
    if not is_reviewer(user, report):
        steps -= REVIEW
    return actions | steps


def access_report(
    user: User, report_id: int | str, *, write: bool = False, review: bool = False
) -> Report:
    """A report the user may see; 404 otherwise. ``write`` needs a writer (403 for a
    leader); ``review`` (return, approve, un-approve) needs a higher level (403 for the
    report's own level, which must not approve itself)."""
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy báo cáo.") from None
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404("Không tìm thấy báo cáo.")
    if write or review:
        require_write(user)
    if review and not is_reviewer(user, report):
        raise PermissionDenied(
            f"Chỉ cấp trên của {report.unit} mới được trả lại, duyệt hoặc hủy duyệt báo cáo này."
        )
    return report


def access_report_unit(user: User, unit_id: int | str, on: datetime.date) -> AdminUnit:
    """The unit a new report is for: it must be in the user's jurisdiction on the period's
    last day (404 otherwise); a leader gets 403. A unit of theirs that did not exist on
    that day is left to the service, which names its validity."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy đơn vị.") from None
    jurisdiction = jurisdiction_for(user)
    unit = AdminUnit.objects.filter(pk=pk).first()
    if unit is None or not jurisdiction.covers(pk):
        raise Http404("Không tìm thấy đơn vị.")
    # A date outside the unit's life is left to the service, which names the unit's validity.
    if unit.is_valid_on(on) and not jurisdiction.covers(pk, on):
        raise Http404("Không tìm thấy đơn vị.")
    require_write(user)
    return unit

"""The only way views and the API reach cases, aspirations, inspections and follow-ups.

Visibility follows ``accounts.jurisdiction`` like every other record:

- a **case** is visible when its commune was the user's on the day it was received, or when
  the unit now handling it is (an escalated case is visible to the level it went up to);
- an **aspiration** when its village was the user's at the start of its period;
- an **inspection** when the inspected team's unit is the user's (as on the team pages).

Outside, an object does not exist (404). Inside, a leader writing gets 403. Acting on a
case needs a **handler**: a writer whose jurisdiction holds the unit now handling the case
on that unit's latest day (today, or its last day if a merger ended it). A commune that
escalated a case sees it but may no longer act on it (403): it is in the higher level's
queue. Contacts follow the same handler rule (``privacy.may_see_contacts``).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from gandan.accounts.access import access_unit, require_write, visible_unit_ids
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import Role, User
from gandan.cases.models import Aspiration, Case, FollowUp, Inspection
from gandan.cases.workflow import WORKFLOW
from gandan.core.dates import today
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import predecessor_ids
from gandan.org.access import access_team
from gandan.org.models import Team

_OWN_ATTR = "_gandan_case_own_units"


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None


def latest_day(unit: AdminUnit) -> datetime.date:
    """Today for a unit still in force, else its last day (periods end exclusive)."""
    now = today()
    if unit.valid_to is None or unit.valid_to > now:
        return now
    return unit.valid_to - datetime.timedelta(days=1)


# Cases. -----------------------------------------------------------------------------------------


def own_unit_ids(user: User) -> set[int] | None:
    """The units whose queue is the user's own: their unit and those merged into it (a 2025
    commune inherits the open cases of the legacy communes). None: every unit (superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    cached = getattr(user, _OWN_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    unit_id = getattr(user, "unit_id", None)
    own = set() if unit_id is None else {unit_id, *predecessor_ids([unit_id])}
    setattr(user, _OWN_ATTR, own)
    return own


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases received in the user's jurisdiction (on that day), or handled by a unit of it."""
    jurisdiction = jurisdiction_for(user)
    if jurisdiction.everything:
        return Case.objects.all()
    received_here = jurisdiction.filter_dated("unit_id", "received_on")
    return Case.objects.filter(received_here | Q(handler_id__in=jurisdiction.unit_ids() or []))


def holds_handler_unit(user: User, case: Case) -> bool:
    """The user's jurisdiction holds the unit handling the case, on that unit's latest day."""
    if not getattr(user, "is_authenticated", False):
        return False
    return jurisdiction_for(user).covers(case.handler_id, latest_day(case.handler))


def is_handler(user: User, case: Case) -> bool:
    """A writer whose jurisdiction holds the unit handling the case (a superuser always)."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "can_write", False)) and holds_handler_unit(user, case)


def allowed_actions(user: User, case: Case) -> list[str]:
    """The workflow steps this user may take on the case now, in workflow order."""
    if not is_handler(user, case):
        return []
    return WORKFLOW.allowed(case.status)


def access_case(user: User, case_id: int | str, *, write: bool = False) -> Case:
    """A case the user may see (404 otherwise). ``write``: a leader gets 403, and so does a
    writer who is not the case's handler (it was escalated, or belongs to another level)."""
    case = (
        visible_cases(user)
        .select_related("kind", "unit", "village", "handler")
        .filter(pk=_pk(case_id))
        .first()
    )
    if case is None:
        raise Http404("Không tìm thấy vụ việc.")
    if write:
        require_write(user)
        if not is_handler(user, case):
            raise PermissionDenied(
                f"Vụ việc đang do {case.handler} xử lý; bạn chỉ được xem, không được xử lý."
            )
    return case


def access_case_commune(user: User, unit_id: int | str, on: datetime.date) -> AdminUnit:
    """The commune a case is received in: the user's on the date received (404 otherwise,
    403 for a leader). Whether it was in force that day is the service's rule."""
    commune = access_unit(user, unit_id)
    if commune.level != Level.COMMUNE:
        raise Http404("Không tìm thấy xã, phường, thị trấn.")
    if commune.is_valid_on(on) and not jurisdiction_for(user).covers(commune.pk, on):
        raise Http404("Không tìm thấy xã, phường, thị trấn.")
    require_write(user)
    return commune


def access_village_of(user: User, village_id: int | str) -> AdminUnit:
    """A village named in a case or an aspiration; one the user never had is 404. Whether
    it belongs to the commune on the date is the service's rule, which names it."""
    village = access_unit(user, village_id)
    if village.level != Level.VILLAGE:
        raise Http404("Không tìm thấy thôn, buôn.")
    return village


def require_admin(user: User) -> None:
    """Data-subject requests (export, erasure) are for administrators only."""
    if not (getattr(user, "is_superuser", False) or getattr(user, "role", "") == Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị viên được xử lý yêu cầu của chủ thể dữ liệu.")


# Aspirations. -----------------------------------------------------------------------------------


def visible_aspirations(user: User) -> QuerySet[Aspiration]:
    """Aspirations of villages that were the user's at the start of the period."""
    jurisdiction = jurisdiction_for(user)
    return Aspiration.objects.filter(jurisdiction.filter_dated("village_id", "period_start"))


def access_aspiration(user: User, aspiration_id: int | str) -> Aspiration:
    aspiration = (
        visible_aspirations(user).select_related("village").filter(pk=_pk(aspiration_id)).first()
    )
    if aspiration is None:
        raise Http404("Không tìm thấy tâm tư nguyện vọng.")
    return aspiration


def access_aspiration_village(user: User, village_id: int | str, on: datetime.date) -> AdminUnit:
    """The village of a new aspiration: the user's at the start of the period (404
    otherwise; 403 for a leader). A date outside the village's life is the service's."""
    village = access_village_of(user, village_id)
    if village.is_valid_on(on) and not jurisdiction_for(user).covers(village.pk, on):
        raise Http404("Không tìm thấy thôn, buôn.")
    require_write(user)
    return village


# Inspections. -----------------------------------------------------------------------------------


def visible_inspections(user: User) -> QuerySet[Inspection]:
    """Inspections of the teams the user sees (a team of a unit of their jurisdiction)."""
    ids = visible_unit_ids(user)
    inspections = Inspection.objects.all()
    return inspections if ids is None else inspections.filter(team__unit_id__in=ids)


def access_inspection(user: User, inspection_id: int | str, *, write: bool = False) -> Inspection:
    """An inspection the user may see; to record its result or follow-ups, the team must be
    theirs to write on the inspection's date (``org.access.access_team``)."""
    inspection = (
        visible_inspections(user)
        .select_related("team", "team__unit")
        .filter(pk=_pk(inspection_id))
        .first()
    )
    if inspection is None:
        raise Http404("Không tìm thấy cuộc kiểm tra.")
    if write:
        access_team(user, inspection.team_id, write=True, on=inspection.planned_on)
    return inspection


def access_inspection_team(user: User, team_id: int | str, on: datetime.date) -> Team:
    """The team a new inspection plan is for: the user's to write on the planned date."""
    return access_team(user, team_id, write=True, on=on)


def access_follow_up(
    user: User, inspection_id: int | str, follow_up_id: int | str, *, write: bool = False
) -> FollowUp:
    inspection = access_inspection(user, inspection_id, write=write)
    follow_up = inspection.follow_ups.filter(pk=_pk(follow_up_id)).first()
    if follow_up is None:
        raise Http404("Không tìm thấy việc sau kiểm tra.")
    follow_up.inspection = inspection
    return follow_up

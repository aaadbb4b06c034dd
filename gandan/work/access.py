"""The only way views and the API reach activity records, works and paper-report totals.

Records are dated, so visibility is dated too: an activity is visible when its unit is in
the user's jurisdiction **on the activity's start date**. Huyện Lắk's clerk sees Lắk's
records up to 30-6-2025 and none after; the clerk of a 2025 commune sees the records of the
legacy communes merged into it, for their whole life. Outside the jurisdiction an object is
404; a read-only leader who writes gets 403 (``accounts.access.require_write``).
"""

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from gandan.accounts.access import access_unit, require_write, visible_unit_ids
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import User
from gandan.geo.models import AdminUnit
from gandan.org.models import Team
from gandan.work.models import Activity, AggregateEntry, ImportJob, Work


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None


def visible_activities(user: User) -> QuerySet[Activity]:
    """Activities whose unit is the user's on the activity's start date."""
    return Activity.objects.filter(jurisdiction_for(user).filter_dated("unit_id", "start"))


def access_activity(user: User, activity_id: int | str, *, write: bool = False) -> Activity:
    """An activity the user may see (404 otherwise); to write, a role that may write (403)."""
    activity = (
        visible_activities(user)
        .select_related("type", "unit", "created_by")
        .filter(pk=_pk(activity_id))
        .first()
    )
    if activity is None:
        raise Http404("Không tìm thấy hoạt động.")
    if write:
        require_write(user)
    return activity


def access_activity_unit(user: User, unit_id: int | str, on: datetime.date) -> AdminUnit:
    """The unit a record is written on must be the user's on the record's start date: a
    unit that is not is 404, exactly as one that does not exist; a leader gets 403."""
    return access_unit(user, unit_id, on=on, write=True)


def access_villages(user: User, village_ids: Iterable[int | str]) -> list[AdminUnit]:
    """Villages named by id in a record. One the user never had is 404; whether it is valid
    on the record's date and inside the record's commune is the service's rule, which
    names the village."""
    wanted = [_pk(v) for v in village_ids]
    jurisdiction = jurisdiction_for(user)
    found = {u.pk: u for u in AdminUnit.objects.filter(pk__in=wanted)}
    if any(pk not in found or not jurisdiction.covers(pk) for pk in wanted):
        raise Http404("Không tìm thấy thôn, buôn.")
    return [found[pk] for pk in dict.fromkeys(wanted)]


def access_teams(user: User, team_ids: Iterable[int | str]) -> list[Team]:
    """Teams of the user's jurisdiction (as on the team pages); others are 404."""
    wanted = [_pk(t) for t in team_ids]
    ids = visible_unit_ids(user)
    found = {t.pk: t for t in Team.objects.filter(pk__in=wanted)}
    if any(pk not in found or (ids is not None and found[pk].unit_id not in ids) for pk in wanted):
        raise Http404("Không tìm thấy đội.")
    return [found[pk] for pk in dict.fromkeys(wanted)]


def visible_aggregates(user: User) -> QuerySet[AggregateEntry]:
    """Paper-report totals whose unit is the user's at the start of the period."""
    return AggregateEntry.objects.filter(
        jurisdiction_for(user).filter_dated("unit_id", "period_start")
    )


def access_aggregate(user: User, entry_id: int | str, *, write: bool = False) -> AggregateEntry:
    entry = (
        visible_aggregates(user)
        .select_related("indicator", "unit")
        .filter(pk=_pk(entry_id))
        .first()
    )
    if entry is None:
        raise Http404("Không tìm thấy số liệu tổng hợp.")
    if write:
        require_write(user)
    return entry


def visible_works(user: User) -> QuerySet[Work]:
    """Works at a place that is, or was, in the user's jurisdiction."""
    return Work.objects.filter(jurisdiction_for(user).filter_units("place_id"))


def access_work(user: User, work_id: int | str, *, write: bool = False) -> Work:
    work = visible_works(user).select_related("place").filter(pk=_pk(work_id)).first()
    if work is None:
        raise Http404("Không tìm thấy công trình.")
    if write:
        require_write(user)
    return work


def access_import_job(user: User, job_id: int | str) -> ImportJob:
    """An Excel upload is its uploader's working file: anyone else gets 404. Importing is
    writing, so a read-only role gets 403 (it cannot have uploaded anything)."""
    job = ImportJob.objects.filter(pk=_pk(job_id), user_id=user.pk).first()
    if job is None:
        raise Http404("Không tìm thấy lượt nhập.")
    require_write(user)
    return job

"""Field-work endpoints: activity records, works, paper-report totals, activity types and
movements (the indicator catalogue is ``api.catalogue``).

The same access rules and services as the pages: an object outside the user's jurisdiction
is 404 (for a record: its unit on its start date), a leader writing gets 403, a broken rule
of the domain is 422 with a Vietnamese ``detail`` naming the ``field`` (see ``api/urls.py``).
"""

import datetime

from django.db.models import Prefetch, QuerySet
from ninja import Router
from ninja.pagination import paginate

from gandan.accounts.access import access_unit
from gandan.accounts.models import User
from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.api.inputs import Text
from gandan.api.pagination import Mapped, limit_offset
from gandan.api.work_schemas import (
    ActivityIn,
    ActivityOut,
    AggregateIn,
    AggregateOut,
    CodeNameOut,
    WorkIn,
    WorkOut,
    activity_out,
    aggregate_out,
    work_out,
)
from gandan.core.errors import DomainError
from gandan.core.periods import parse_period
from gandan.indicators.models import Indicator
from gandan.work import selectors, services
from gandan.work.access import (
    access_activity,
    access_activity_unit,
    access_aggregate,
    access_teams,
    access_villages,
    access_work,
    visible_activities,
    visible_aggregates,
    visible_works,
)
from gandan.work.models import (
    Activity,
    ActivityType,
    AggregateEntry,
    Movement,
    Work,
    WorkContribution,
)

router = Router(tags=["Hoạt động"])
PAGE = limit_offset(1000)


# Activity types and movements. -----------------------------------------------------------------


@router.get("/activity-types", response=list[CodeNameOut], summary="Loại hoạt động")
def list_activity_types(request: AuthenticatedHttpRequest) -> list[CodeNameOut]:
    return [CodeNameOut(code=t.code, name=t.name) for t in ActivityType.objects.all()]


@router.get("/movements", response=list[CodeNameOut], summary="Phong trào, cuộc vận động")
def list_movements(request: AuthenticatedHttpRequest) -> list[CodeNameOut]:
    return [CodeNameOut(code=m.code, name=m.name) for m in Movement.objects.all()]


# Activities. ----------------------------------------------------------------------------------


def _activity(activity_id: int) -> Activity:
    loaded = selectors.activities_loaded(Activity.objects.filter(pk=activity_id))
    return loaded.prefetch_related("attachments").get()


def _activity_input(user: User, payload: ActivityIn) -> services.ActivityInput:
    """Ids and codes to objects: the unit must be the user's on the start date (404, or
    403 for a leader); villages and teams outside the jurisdiction are 404."""
    unit = access_activity_unit(user, payload.unit_id, payload.start)
    activity_type = ActivityType.objects.filter(code=payload.type).first()
    if activity_type is None:
        raise DomainError(f"Không có loại hoạt động mã «{payload.type}».", field="type")
    movements = list(Movement.objects.filter(code__in=payload.movements))
    if unknown := set(payload.movements) - {m.code for m in movements}:
        raise DomainError(
            f"Không có phong trào mã: {', '.join(sorted(unknown))}.", field="movements"
        )
    return services.ActivityInput(
        type=activity_type,
        unit=unit,
        start=payload.start,
        end=payload.end or payload.start,
        villages=access_villages(user, payload.village_ids),
        teams=access_teams(user, payload.team_ids),
        movements=movements,
        partners=list(payload.partners),
        participants=payload.participants,
        participants_female=payload.participants_female,
        participants_minority=payload.participants_minority,
        values={code: str(value) for code, value in payload.values.items()},
        title=payload.title,
        notes=payload.notes,
        status=payload.status,
    )


def _bounds(
    period: str | None, date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    if not period:
        return date_from, date_to
    span = parse_period(period)
    start = max(d for d in (date_from, span.start) if d is not None)
    end = min(d for d in (date_to, span.end) if d is not None)
    return start, end


@router.get("/activities", response=list[ActivityOut], summary="Hoạt động gần đây, có lọc")
@paginate(PAGE)
def list_activities(
    request: AuthenticatedHttpRequest,
    team: int | None = None,
    village: int | None = None,
    type: Text | None = None,
    movement: Text | None = None,
    unit: int | None = None,
    period: Text | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: Text | None = None,
) -> Mapped[Activity, ActivityOut]:
    """Newest first. ``period`` as on the CLI (2019, 2019-Q3, 2019-09, 2004-07-05..2019-09-10);
    ``unit`` includes everything in it through boundary changes."""
    if status is not None and status not in Activity.Status.values:
        raise DomainError(f"Trạng thái không hợp lệ: «{status}».", field="status")
    start, end = _bounds(period, date_from, date_to)
    filters = selectors.ActivityFilters(
        team=team,
        village=village,
        type=type,
        movement=movement,
        unit=access_unit(request.user, unit) if unit is not None else None,
        start=start,
        end=end,
        status=status,
    )
    activities = selectors.activities_recent(visible_activities(request.user), filters)
    return Mapped(activities.prefetch_related("attachments"), activity_out)


@router.get("/activities/{activity_id}", response=ActivityOut, summary="Một hoạt động")
def get_activity(request: AuthenticatedHttpRequest, activity_id: int) -> ActivityOut:
    activity = access_activity(request.user, activity_id)
    return activity_out(_activity(activity.pk))


@router.post("/activities", response={201: ActivityOut}, summary="Ghi hoạt động")
def create_activity(request: AuthenticatedHttpRequest, payload: ActivityIn) -> ActivityOut:
    data = _activity_input(request.user, payload)
    activity = services.activity_create(actor=request.user, data=data)
    return activity_out(_activity(activity.pk))


@router.put("/activities/{activity_id}", response=ActivityOut, summary="Sửa hoạt động")
def update_activity(
    request: AuthenticatedHttpRequest, activity_id: int, payload: ActivityIn
) -> ActivityOut:
    activity = access_activity(request.user, activity_id, write=True)
    data = _activity_input(request.user, payload)
    services.activity_update(actor=request.user, activity=activity, data=data)
    return activity_out(_activity(activity.pk))


@router.delete("/activities/{activity_id}", response={204: None}, summary="Xóa hoạt động")
def delete_activity(request: AuthenticatedHttpRequest, activity_id: int) -> None:
    activity = access_activity(request.user, activity_id, write=True)
    services.activity_delete(actor=request.user, activity=activity)


# Works. -----------------------------------------------------------------------------------------


def _works(works: QuerySet[Work]) -> QuerySet[Work]:
    contributions = WorkContribution.objects.select_related("activity_value__indicator")
    return works.select_related("place").prefetch_related(
        Prefetch("contributions", queryset=contributions)
    )


@router.get("/works", response=list[WorkOut], summary="Công trình nông thôn mới")
@paginate(PAGE)
def list_works(
    request: AuthenticatedHttpRequest, kind: Text | None = None, status: Text | None = None
) -> Mapped[Work, WorkOut]:
    works = selectors.works_listed(visible_works(request.user), kind=kind, status=status)
    return Mapped(_works(works), work_out)


@router.get("/works/{work_id}", response=WorkOut, summary="Một công trình")
def get_work(request: AuthenticatedHttpRequest, work_id: int) -> WorkOut:
    work = access_work(request.user, work_id)
    return work_out(_works(Work.objects.filter(pk=work.pk)).get())


def _work_input(user: User, payload: WorkIn) -> services.WorkInput:
    """The place must be the user's (on the start of works, when given)."""
    return services.WorkInput(
        name=payload.name,
        kind=payload.kind,
        place=access_unit(user, payload.place_id, on=payload.started_on, write=True),
        status=payload.status,
        started_on=payload.started_on,
        completed_on=payload.completed_on,
    )


@router.post("/works", response={201: WorkOut}, summary="Thêm công trình")
def create_work(request: AuthenticatedHttpRequest, payload: WorkIn) -> WorkOut:
    """The place must be the user's (on the start of works, when given)."""
    data = _work_input(request.user, payload)
    work = services.work_create(actor=request.user, **vars(data))
    return work_out(_works(Work.objects.filter(pk=work.pk)).get())


@router.put("/works/{work_id}", response=WorkOut, summary="Sửa công trình")
def update_work(request: AuthenticatedHttpRequest, work_id: int, payload: WorkIn) -> WorkOut:
    work = access_work(request.user, work_id, write=True)
    data = _work_input(request.user, payload)
    services.work_update(actor=request.user, work=work, data=data)
    return work_out(_works(Work.objects.filter(pk=work.pk)).get())


@router.delete("/works/{work_id}", response={204: None}, summary="Xóa công trình")
def delete_work(request: AuthenticatedHttpRequest, work_id: int) -> None:
    work = access_work(request.user, work_id, write=True)
    services.work_delete(actor=request.user, work=work)


# Paper-report totals. ---------------------------------------------------------------------------


@router.get("/aggregates", response=list[AggregateOut], summary="Số liệu tổng hợp")
@paginate(PAGE)
def list_aggregates(
    request: AuthenticatedHttpRequest, indicator: Text | None = None, unit: int | None = None
) -> Mapped[AggregateEntry, AggregateOut]:
    entries = selectors.aggregates_recent(visible_aggregates(request.user), indicator=indicator)
    if unit is not None:
        entries = entries.filter(unit=access_unit(request.user, unit))
    return Mapped(entries, aggregate_out)


@router.get("/aggregates/{entry_id}", response=AggregateOut, summary="Một số liệu tổng hợp")
def get_aggregate(request: AuthenticatedHttpRequest, entry_id: int) -> AggregateOut:
    return aggregate_out(access_aggregate(request.user, entry_id))


def _aggregate_input(user: User, payload: AggregateIn) -> services.AggregateInput:
    """The unit must be the user's when the period begins."""
    unit = access_unit(user, payload.unit_id, on=payload.period_start, write=True)
    indicator = Indicator.objects.filter(code=payload.indicator).first()
    if indicator is None:
        raise DomainError(f"Không có chỉ tiêu mã «{payload.indicator}».", field="indicator")
    return services.AggregateInput(
        indicator=indicator,
        unit=unit,
        period_start=payload.period_start,
        period_end=payload.period_end,
        period_label=payload.period_label,
        value=payload.value,
        qualifier=payload.qualifier,
        source_number=payload.source_number,
        source_date=payload.source_date,
        source_title=payload.source_title,
    )


@router.post("/aggregates", response={201: AggregateOut}, summary="Nhập số tổng hợp")
def create_aggregate(request: AuthenticatedHttpRequest, payload: AggregateIn) -> AggregateOut:
    """The unit must be the user's when the period begins."""
    data = _aggregate_input(request.user, payload)
    return aggregate_out(services.aggregate_entry_create(actor=request.user, **vars(data)))


@router.put("/aggregates/{entry_id}", response=AggregateOut, summary="Sửa số tổng hợp")
def update_aggregate(
    request: AuthenticatedHttpRequest, entry_id: int, payload: AggregateIn
) -> AggregateOut:
    """The same rules as entering a total, the records-versus-totals rule included."""
    entry = access_aggregate(request.user, entry_id, write=True)
    data = _aggregate_input(request.user, payload)
    return aggregate_out(
        services.aggregate_entry_update(actor=request.user, entry=entry, data=data)
    )


@router.delete("/aggregates/{entry_id}", response={204: None}, summary="Xóa số tổng hợp")
def delete_aggregate(request: AuthenticatedHttpRequest, entry_id: int) -> None:
    entry = access_aggregate(request.user, entry_id, write=True)
    services.aggregate_entry_delete(actor=request.user, entry=entry)

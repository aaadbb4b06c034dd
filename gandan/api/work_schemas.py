"""Request and response shapes of the field-work API (``gandan.api.work``)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema

from gandan.api.inputs import In
from gandan.core.numbers import format_qualified
from gandan.work.models import Activity, AggregateEntry, Work


def number(value: Decimal) -> int | float:
    """A stored amount as JSON: whole numbers (money in đồng) stay integers."""
    return int(value) if value == value.to_integral_value() else float(value)


class CodeNameOut(Schema):
    code: str
    name: str


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int


class ActivityOut(Schema):
    id: int
    type: str
    type_name: str
    status: str
    unit_id: int
    unit: str
    start: datetime.date
    end: datetime.date
    village_ids: list[int]
    team_ids: list[int]
    movements: list[str]
    partners: list[str]
    participants: int
    participants_female: int | None
    participants_minority: int | None
    values: dict[str, int | float]
    title: str
    notes: str
    attachments: list[AttachmentOut]


class ActivityIn(In):
    MULTILINE = frozenset({"notes"})
    """One activity. ``end`` defaults to ``start`` (inclusive dates); ``values`` maps
    indicator codes to numbers (money in whole đồng); movements are given by code."""

    type: str
    unit_id: int
    start: datetime.date
    end: datetime.date | None = None
    village_ids: list[int] = []
    team_ids: list[int] = []
    movements: list[str] = []
    partners: list[str] = []
    participants: int = 0
    participants_female: int | None = None
    participants_minority: int | None = None
    values: dict[str, Decimal] = {}
    title: str = ""
    notes: str = ""
    status: Literal["draft", "recorded"] = "recorded"


class WorkOut(Schema):
    id: int
    name: str
    kind: str
    place_id: int
    place: str
    status: str
    started_on: datetime.date | None
    completed_on: datetime.date | None
    contributions: dict[str, int | float]


class WorkIn(In):
    name: str
    kind: str
    place_id: int
    status: Literal["planned", "building", "done"] = "building"
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None


class AggregateOut(Schema):
    id: int
    indicator: str
    indicator_name: str
    unit_id: int
    unit: str
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    value: int | float
    qualifier: str
    display: str  # "trên 5.700", "hàng trăm": the figure as the source said it
    source_number: str
    source_date: datetime.date
    source_title: str


class AggregateIn(In):
    indicator: str
    unit_id: int
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    value: Decimal
    qualifier: str = "exact"
    source_number: str
    source_date: datetime.date
    source_title: str = ""


def activity_out(activity: Activity) -> ActivityOut:
    """Expects ``work.selectors.activities_loaded`` (and attachments) to be prefetched."""
    return ActivityOut(
        id=activity.pk,
        type=activity.type.code,
        type_name=activity.type.name,
        status=activity.status,
        unit_id=activity.unit_id,
        unit=str(activity.unit),
        start=activity.start,
        end=activity.end,
        village_ids=[v.pk for v in activity.villages.all()],
        team_ids=[t.pk for t in activity.teams.all()],
        movements=[m.code for m in activity.movements.all()],
        partners=list(activity.partners),
        participants=activity.participants,
        participants_female=activity.participants_female,
        participants_minority=activity.participants_minority,
        values={v.indicator.code: number(v.value) for v in activity.values.all()},
        title=activity.title,
        notes=activity.notes,
        attachments=[
            AttachmentOut(
                id=a.pk, kind=a.kind, name=a.original_name, content_type=a.content_type, size=a.size
            )
            for a in activity.attachments.all()
        ],
    )


def work_out(work: Work) -> WorkOut:
    """Contributions are summed by indicator code; each is counted once, through its activity."""
    totals: dict[str, Decimal] = {}
    for contribution in work.contributions.all():
        value = contribution.activity_value
        code = value.indicator.code
        totals[code] = totals.get(code, Decimal(0)) + value.value
    return WorkOut(
        id=work.pk,
        name=work.name,
        kind=work.kind,
        place_id=work.place_id,
        place=str(work.place),
        status=work.status,
        started_on=work.started_on,
        completed_on=work.completed_on,
        contributions={code: number(total) for code, total in totals.items()},
    )


def aggregate_out(entry: AggregateEntry) -> AggregateOut:
    return AggregateOut(
        id=entry.pk,
        indicator=entry.indicator.code,
        indicator_name=entry.indicator.name_vi,
        unit_id=entry.unit_id,
        unit=str(entry.unit),
        period_start=entry.period_start,
        period_end=entry.period_end,
        period_label=entry.period_label,
        value=number(entry.value),
        qualifier=entry.qualifier,
        display=format_qualified(entry.value, entry.qualifier, entry.indicator.unit),
        source_number=entry.source_number,
        source_date=entry.source_date,
        source_title=entry.source_title,
    )

"""Writes for activity records, works and aggregate entries.

The rule that keeps records and paper-report totals from being counted twice: for one
indicator, one unit and one period, either detailed records or an aggregate entry is
authoritative, never both. Both directions are checked here, inside the transaction.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gandan.core.audit import audit_log
from gandan.core.bulk_insert import insert_many, insert_returning_ids
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import descendant_ids_on
from gandan.indicators.models import Aggregation, Indicator, Source
from gandan.org.models import Team
from gandan.work.hooks import records_changed
from gandan.work.models import (
    Activity,
    ActivityType,
    ActivityValue,
    AggregateEntry,
    Movement,
    Qualifier,
    Work,
    WorkContribution,
)
from gandan.work.validation import RECORD_SOURCES, Checker, parse_value


@dataclass(frozen=True)
class ActivityInput:
    type: ActivityType
    unit: AdminUnit
    start: datetime.date
    end: datetime.date
    villages: list[AdminUnit]
    teams: list[Team]
    movements: list[Movement]
    partners: list[str]
    participants: int = 0
    participants_female: int | None = None
    participants_minority: int | None = None
    values: Mapping[str, object] | None = None
    title: str = ""
    notes: str = ""
    status: str = Activity.Status.RECORDED
    import_key: str = ""


def _validate(data: ActivityInput, checker: Checker | None = None) -> dict[Indicator, Decimal]:
    checker = checker or Checker()
    return checker.check(
        type=data.type,
        unit_id=data.unit.pk,
        start=data.start,
        end=data.end,
        village_ids=[v.pk for v in data.villages],
        team_active=[(str(t), t.is_active_on(data.start)) for t in data.teams],
        partners=list(data.partners),
        participants=data.participants,
        female=data.participants_female,
        minority=data.participants_minority,
        values=dict(data.values or {}),
        status=data.status,
    )


@transaction.atomic
def activity_create(*, actor: Any, data: ActivityInput) -> Activity:
    """Record an activity. The caller has checked the unit is in the actor's jurisdiction."""
    values = _validate(data)
    activity = Activity.objects.create(
        type=data.type,
        status=data.status,
        unit=data.unit,
        start=data.start,
        end=data.end,
        partners=sorted(set(data.partners)),
        participants=data.participants,
        participants_female=data.participants_female,
        participants_minority=data.participants_minority,
        title=clean(data.title),
        notes=data.notes.strip(),
        import_key=data.import_key,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    activity.villages.set(data.villages)
    activity.teams.set(data.teams)
    activity.movements.set(data.movements)
    ActivityValue.objects.bulk_create(
        ActivityValue(activity=activity, indicator=indicator, value=value)
        for indicator, value in values.items()
    )
    records_changed([activity.pk], +1)
    audit_log(
        actor=actor, action="work.activity_create", target=activity, message=f"Ghi {activity}"
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, data: ActivityInput) -> Activity:
    values = _validate(data)
    records_changed([activity.pk], -1)
    for field in (
        "type",
        "status",
        "unit",
        "start",
        "end",
        "participants",
        "participants_female",
        "participants_minority",
    ):
        setattr(activity, field, getattr(data, field))
    activity.partners, activity.title, activity.notes = (
        sorted(set(data.partners)),
        clean(data.title),
        data.notes.strip(),
    )
    activity.save()
    activity.villages.set(data.villages)
    activity.teams.set(data.teams)
    activity.movements.set(data.movements)
    activity.values.exclude(indicator__in=list(values)).delete()
    for indicator, value in values.items():
        ActivityValue.objects.update_or_create(
            activity=activity, indicator=indicator, defaults={"value": value}
        )
    records_changed([activity.pk], +1)
    audit_log(
        actor=actor, action="work.activity_update", target=activity, message=f"Sửa {activity}"
    )
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    label = str(activity)
    audit_log(actor=actor, action="work.activity_delete", target=activity, message=f"Xóa {label}")
    records_changed([activity.pk], -1)
    activity.delete()


@dataclass(frozen=True)
class AggregateInput:
    """A total as a paper report gives it; ``value`` is parsed by the indicator's rules."""

    indicator: Indicator
    unit: AdminUnit
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    value: object
    source_number: str
    source_date: datetime.date
    qualifier: str = Qualifier.EXACT
    source_title: str = ""


def _aggregate_checked(data: AggregateInput, *, entry_id: int | None = None) -> Decimal:
    """The value, once every rule holds; ``entry_id`` is the entry being changed, which
    does not overlap itself."""
    indicator, unit = data.indicator, data.unit
    if data.period_end < data.period_start:
        raise DomainError("Cuối kỳ phải từ đầu kỳ trở đi.", field="period_end")
    if data.qualifier not in Qualifier.values:
        raise DomainError(f"Mức độ không hợp lệ: «{data.qualifier}».", field="qualifier")
    if not clean(data.source_number):
        raise DomainError("Cần ghi số văn bản nguồn.", field="source_number")
    if not clean(data.period_label):
        raise DomainError("Cần ghi kỳ báo cáo như văn bản ghi.", field="period_label")
    if indicator.source not in (RECORD_SOURCES | {Source.VALUE}):
        raise DomainError(
            f"«{indicator.name_vi}» lấy từ hồ sơ tổ chức, không nhập số tổng hợp.",
            field="indicator",
        )
    if indicator.aggregation == Aggregation.DISTINCT_PLACES:
        raise DomainError(
            f"«{indicator.name_vi}» là số địa bàn khác nhau: không cộng được từ số tổng hợp, chỉ tính từ bản ghi.",
            field="indicator",
        )
    amount = parse_value(indicator, data.value, field="value")
    others = AggregateEntry.objects.filter(
        indicator=indicator,
        unit=unit,
        period_start__lte=data.period_end,
        period_end__gte=data.period_start,
    )
    overlapping = (others.exclude(pk=entry_id) if entry_id else others).first()
    if overlapping is not None:
        raise DomainError(
            f"Đã có số tổng hợp «{indicator.name_vi}» của {unit} kỳ «{overlapping.period_label}» trùng thời gian.",
            field="period_start",
        )
    if _records_exist(indicator, unit, data.period_start, data.period_end):
        raise DomainError(
            f"Đã có bản ghi chi tiết «{indicator.name_vi}» trong {unit} từ {vn_date(data.period_start)} đến "
            f"{vn_date(data.period_end)}; số liệu chi tiết là căn cứ, không nhập thêm số tổng hợp.",
            field="indicator",
        )
    return amount


def _aggregate_fields(data: AggregateInput, amount: Decimal) -> dict[str, Any]:
    return {
        "indicator": data.indicator,
        "unit": data.unit,
        "period_start": data.period_start,
        "period_end": data.period_end,
        "period_label": clean(data.period_label),
        "value": amount,
        "qualifier": data.qualifier,
        "source_number": clean(data.source_number),
        "source_date": data.source_date,
        "source_title": clean(data.source_title),
    }


@transaction.atomic
def aggregate_entry_create(
    *,
    actor: Any,
    indicator: Indicator,
    unit: AdminUnit,
    period_start: datetime.date,
    period_end: datetime.date,
    period_label: str,
    value: object,
    qualifier: str = Qualifier.EXACT,
    source_number: str,
    source_date: datetime.date,
    source_title: str = "",
    import_key: str = "",
) -> AggregateEntry:
    """A total from a paper report. Refused where detailed records of the same indicator
    exist in the unit and period, or another entry overlaps it."""
    data = AggregateInput(
        indicator=indicator, unit=unit, period_start=period_start, period_end=period_end,
        period_label=period_label, value=value, qualifier=qualifier, source_number=source_number,
        source_date=source_date, source_title=source_title,
    )  # fmt: skip
    amount = _aggregate_checked(data)
    entry = AggregateEntry.objects.create(**_aggregate_fields(data, amount), import_key=import_key)
    audit_log(
        actor=actor,
        action="work.aggregate_create",
        target=entry,
        message=f"Nhập số tổng hợp {entry}",
    )
    return entry


@transaction.atomic
def aggregate_entry_update(*, actor: Any, entry: AggregateEntry, data: AggregateInput) -> AggregateEntry:  # fmt: skip
    """Correct a total by the same rules as entering it (records versus totals included).
    The import key is dropped: the file it came from no longer says what is on record."""
    amount = _aggregate_checked(data, entry_id=entry.pk)
    before = str(entry)
    for name, value in _aggregate_fields(data, amount).items():
        setattr(entry, name, value)
    entry.import_key = ""
    entry.save()
    audit_log(
        actor=actor,
        action="work.aggregate_update",
        target=entry,
        message=f"Sửa số tổng hợp {before} thành {entry}",
    )
    return entry


@transaction.atomic
def aggregate_entry_delete(*, actor: Any, entry: AggregateEntry) -> None:
    audit_log(
        actor=actor,
        action="work.aggregate_delete",
        target=entry,
        message=f"Xóa số tổng hợp {entry} (văn bản {entry.source_number})",
    )
    entry.delete()


def _records_exist(
    indicator: Indicator, unit: AdminUnit, start: datetime.date, end: datetime.date
) -> bool:
    units = {unit.pk} | descendant_ids_on([unit.pk], start) | descendant_ids_on([unit.pk], end)
    records = Activity.objects.filter(
        start__gte=start, start__lte=end, status=Activity.Status.RECORDED, unit_id__in=units
    )
    if indicator.source == Source.VALUE:
        return records.filter(values__indicator=indicator).exists()
    if indicator.activity_types:
        records = records.filter(type__code__in=indicator.activity_types)
    return records.exists()


@dataclass(frozen=True)
class WorkInput:
    name: str
    kind: str
    place: AdminUnit
    status: str = Work.Status.BUILDING
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None


def _work_fields(data: WorkInput) -> dict[str, Any]:
    name = clean(data.name)
    if not name:
        raise DomainError("Tên công trình không được để trống.", field="name")
    if data.kind not in Work.Kind.values:
        raise DomainError(f"Loại công trình không hợp lệ: «{data.kind}».", field="kind")
    if data.status not in Work.Status.values:
        raise DomainError(f"Tình trạng không hợp lệ: «{data.status}».", field="status")
    if data.started_on and data.completed_on and data.completed_on < data.started_on:
        raise DomainError("Ngày hoàn thành phải sau ngày khởi công.", field="completed_on")
    return {
        "name": name,
        "kind": data.kind,
        "place": data.place,
        "status": data.status,
        "started_on": data.started_on,
        "completed_on": data.completed_on,
    }


@transaction.atomic
def work_create(
    *, actor: Any, name: str, kind: str, place: AdminUnit, status: str = Work.Status.BUILDING,
    started_on: datetime.date | None = None, completed_on: datetime.date | None = None,
) -> Work:  # fmt: skip
    data = WorkInput(name=name, kind=kind, place=place, status=status, started_on=started_on, completed_on=completed_on)  # fmt: skip
    work = Work.objects.create(**_work_fields(data))
    audit_log(
        actor=actor,
        action="work.work_create",
        target=work,
        message=f"Thêm công trình {work} ({place})",
    )
    return work


@transaction.atomic
def work_update(*, actor: Any, work: Work, data: WorkInput) -> Work:
    """Correct a work by the same rules as adding it; its contributions stay linked."""
    before = f"{work} ({work.place})"
    for name, value in _work_fields(data).items():
        setattr(work, name, value)
    work.save()
    audit_log(
        actor=actor,
        action="work.work_update",
        target=work,
        message=f"Sửa công trình {before} thành {work} ({work.place})",
    )
    return work


@transaction.atomic
def work_delete(*, actor: Any, work: Work) -> None:
    """Delete a work. The contributions were counted through their activities, which keep
    their values: only the link saying what they built goes."""
    links = work.contributions.count()
    audit_log(
        actor=actor,
        action="work.work_delete",
        target=work,
        message=f"Xóa công trình {work} ({work.place}), bỏ {links} liên kết đóng góp",
    )
    work.delete()


@transaction.atomic
def work_link_contributions(*, actor: Any, work: Work, activity: Activity) -> int:
    """Attribute an activity's new-rural values (money, land, labour-days, km) to a work.
    The values are counted once, through the activity; the link says what they built."""
    linked = 0
    for value in activity.values.filter(indicator__group="new_rural").exclude(
        contribution__isnull=False
    ):
        WorkContribution.objects.create(work=work, activity_value=value)
        linked += 1
    if linked:
        audit_log(
            actor=actor,
            action="work.contribution_link",
            target=work,
            message=f"Gắn {linked} khoản đóng góp của {activity} vào {work}",
        )
    return linked


_ACTIVITY_COLUMNS = [
    "type", "status", "unit", "start", "end", "partners", "participants", "participants_female",
    "participants_minority", "title", "notes", "import_key", "created_by", "created_at", "updated_at",
]  # fmt: skip


class BulkRejected(DomainError):
    """A batch with bad rows: nothing was written. ``errors`` is [(row index, error)]."""

    def __init__(self, errors: list[tuple[int, DomainError]]) -> None:
        super().__init__(f"{len(errors)} dòng không hợp lệ; không ghi dòng nào.")
        self.errors = errors


@transaction.atomic
def activities_bulk_create(
    *,
    actor: Any,
    rows: Sequence[ActivityInput],
    label: str,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 2000,
) -> list[int]:
    """Validate every row with the same rules as single entry, then write all of them, or
    none: any bad row raises :class:`BulkRejected` listing every bad row. Returns the new
    activities' ids, in the order of ``rows``.

    The rows are written as plain multi-row INSERTs (``core.bulk_insert``), not through
    ``bulk_create``: preparing 100.000 model instances was most of an import's time."""
    checker = Checker()
    checker.preload({r.unit.pk for r in rows} | {v.pk for r in rows for v in r.villages})
    parsed: list[dict[Indicator, Decimal]] = []
    errors: list[tuple[int, DomainError]] = []
    for index, row in enumerate(rows):
        try:
            parsed.append(_validate(row, checker))
        except DomainError as error:
            errors.append((index, error))
            parsed.append({})
        if progress and index % batch_size == 0:
            progress(index, len(rows) * 2)
    if errors:
        raise BulkRejected(errors)
    creator_id = actor.pk if getattr(actor, "pk", None) else None
    now = timezone.now()
    created: list[int] = []
    for offset in range(0, len(rows), batch_size):
        chunk = rows[offset : offset + batch_size]
        ids = insert_returning_ids(Activity, _ACTIVITY_COLUMNS, [
            (r.type.pk, r.status, r.unit.pk, r.start, r.end, sorted(set(r.partners)),
             r.participants, r.participants_female, r.participants_minority, clean(r.title),
             r.notes.strip(), r.import_key, creator_id, now, now)
            for r in chunk
        ])  # fmt: skip
        pairs = list(zip(ids, chunk, strict=True))
        insert_many(
            Activity.villages.through,
            ["activity", "adminunit"],
            ((pk, v.pk) for pk, r in pairs for v in r.villages),
        )
        insert_many(
            Activity.teams.through,
            ["activity", "team"],
            ((pk, t.pk) for pk, r in pairs for t in r.teams),
        )
        insert_many(
            Activity.movements.through,
            ["activity", "movement"],
            ((pk, m.pk) for pk, r in pairs for m in r.movements),
        )
        insert_many(
            ActivityValue,
            ["activity", "indicator", "value"],
            (
                (pk, indicator.pk, value)
                for pk, values in zip(ids, parsed[offset : offset + batch_size], strict=True)
                for indicator, value in values.items()
            ),
        )
        created.extend(ids)
        if progress:
            progress(len(rows) + offset + len(chunk), len(rows) * 2)
    records_changed(created, +1)
    audit_log(
        actor=actor,
        action="work.activity_bulk_create",
        message=f"Nhập {len(created)} hoạt động ({label})",
    )
    return created

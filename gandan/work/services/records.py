"""Writes for activity records and aggregate entries.

Records and paper-report totals may overlap in place and time: the engine never adds
overlapping sources (ADR 0007). Every write of records goes through the analytics ledger
(``work.ledger``, ADR 0008) in its own transaction.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from gandan.accounts.jurisdiction import require_within
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit
from gandan.indicators.models import Indicator
from gandan.org.models import Team
from gandan.work.ledger import ledger_added, ledger_change
from gandan.work.models import (
    Activity,
    ActivityType,
    ActivityValue,
    AggregateEntry,
    Movement,
    Qualifier,
)
from gandan.work.validation import Checker, parse_value

PERCENT = Decimal(100)


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
    origin: str = Activity.Origin.WEB


DAY = datetime.timedelta(days=1)


def activity_within(
    actor: Actor, unit: AdminUnit, start: datetime.date, end: datetime.date
) -> None:
    """A record is the actor's for all its days (``end`` inclusive), not only its first."""
    require_within(actor, unit, start, end + DAY, field="end")


def _validate(
    data: ActivityInput, checker: Checker | None = None, *, actor: Actor = None
) -> dict[Indicator, Decimal]:
    checker = checker or Checker()
    values = _checked(data, checker)
    activity_within(actor, data.unit, data.start, data.end)
    return values


def _checked(data: ActivityInput, checker: Checker) -> dict[Indicator, Decimal]:
    checker.know([data.unit, *data.villages])
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
def activity_create(*, actor: Actor, data: ActivityInput) -> Activity:
    """Record an activity, inside the actor's jurisdiction for all its days."""
    values = _validate(data, actor=actor)
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
        origin=data.origin,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    activity.villages.set(data.villages)
    activity.teams.set(data.teams)
    activity.movements.set(data.movements)
    ActivityValue.objects.bulk_create(
        ActivityValue(activity=activity, indicator=indicator, value=value)
        for indicator, value in values.items()
    )
    ledger_added([activity.pk])
    audit_log(
        actor=actor, action="work.activity_create", target=activity, message=f"Ghi {activity}"
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, data: ActivityInput) -> Activity:
    activity_within(actor, activity.unit, activity.start, activity.end)
    values = _validate(data, actor=actor)
    with ledger_change([activity.pk]):
        _activity_rewrite(activity, data, values)
    audit_log(
        actor=actor, action="work.activity_update", target=activity, message=f"Sửa {activity}"
    )
    return activity


def _activity_rewrite(
    activity: Activity, data: ActivityInput, values: dict[Indicator, Decimal]
) -> None:
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
    _values_rewrite(activity, {indicator.pk: value for indicator, value in values.items()})


def _values_rewrite(activity: Activity, wanted: dict[int, Decimal]) -> None:
    """Only the values that changed are written (the record's row lock is held)."""
    kept = {row.indicator_id: row for row in activity.values.all()}
    gone = [row.pk for indicator_id, row in kept.items() if indicator_id not in wanted]
    if gone:
        ActivityValue.objects.filter(pk__in=gone).delete()
    changed, added = [], []
    for indicator_id, value in wanted.items():
        row = kept.get(indicator_id)
        if row is None:
            added.append(ActivityValue(activity=activity, indicator_id=indicator_id, value=value))
        elif row.value != value:
            row.value = value
            changed.append(row)
    ActivityValue.objects.bulk_update(changed, ["value"])
    ActivityValue.objects.bulk_create(added)


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    activity_within(actor, activity.unit, activity.start, activity.end)
    label = str(activity)
    audit_log(actor=actor, action="work.activity_delete", target=activity, message=f"Xóa {label}")
    with ledger_change([activity.pk]):
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
    if not unit.is_valid_on(data.period_start):
        raise DomainError(f"{unit} không có hiệu lực vào ngày {vn_date(data.period_start)}.", field="period_start")  # fmt: skip
    if unit.valid_to is not None and data.period_end >= unit.valid_to:
        raise DomainError(f"{unit} chỉ có hiệu lực đến hết ngày {vn_date(unit.valid_to - DAY)}: kỳ báo cáo phải kết thúc trước đó.", field="period_end")  # fmt: skip
    if data.qualifier not in Qualifier.values:
        raise DomainError(f"Mức độ không hợp lệ: «{data.qualifier}».", field="qualifier")
    if not clean(data.source_number):
        raise DomainError("Cần ghi số văn bản nguồn.", field="source_number")
    if not clean(data.period_label):
        raise DomainError("Cần ghi kỳ báo cáo như văn bản ghi.", field="period_label")
    if not indicator.accepts_totals:
        raise DomainError(
            f"«{indicator.name_vi}» lấy từ hồ sơ tổ chức, không nhập số tổng hợp.",
            field="indicator",
        )
    if not indicator.is_open_on(data.period_end):
        raise DomainError(f"«{indicator.name_vi}» ngừng sử dụng từ ngày {vn_date(indicator.retired_on)}: chỉ nhận số tổng hợp của kỳ kết thúc trước ngày đó.", field="indicator")  # fmt: skip
    amount = parse_value(indicator, data.value, field="value")
    if indicator.is_ratio and amount > PERCENT:
        raise DomainError(f"«{indicator.name_vi}» là tỉ lệ phần trăm: ghi số từ 0 đến 100.", field="value")  # fmt: skip
    # Totals that overlap other totals or records are all kept: the engine never adds
    # overlapping sources (ADR 0007). The same total twice is a mistake, not a source.
    same = AggregateEntry.objects.filter(
        indicator=indicator,
        unit=unit,
        period_start=data.period_start,
        period_end=data.period_end,
    )
    duplicate = (same.exclude(pk=entry_id) if entry_id else same).first()
    if duplicate is not None:
        raise DomainError(
            f"Đã có số tổng hợp «{indicator.name_vi}» của {unit} kỳ «{duplicate.period_label}» trùng thời gian "
            f"(cùng từ {vn_date(data.period_start)} đến {vn_date(data.period_end)}, văn bản {duplicate.source_number}).",
            field="period_start",
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
    actor: Actor,
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
    """A total from a paper report. Totals may overlap records and other totals (a
    province's and a district's reports of the same years): the engine resolves them
    (ADR 0007). Only the same total entered twice is refused."""
    data = AggregateInput(
        indicator=indicator,
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        period_label=period_label,
        value=value,
        qualifier=qualifier,
        source_number=source_number,
        source_date=source_date,
        source_title=source_title,
    )
    amount = _aggregate_checked(data)
    require_within(actor, unit, period_start, period_end + DAY, field="period_end")
    entry = AggregateEntry.objects.create(**_aggregate_fields(data, amount), import_key=import_key)
    audit_log(
        actor=actor,
        action="work.aggregate_create",
        target=entry,
        message=f"Nhập số tổng hợp {entry}",
    )
    return entry


@transaction.atomic
def aggregate_entry_update(
    *, actor: Actor, entry: AggregateEntry, data: AggregateInput
) -> AggregateEntry:
    """Correct a total by the same rules as entering it.
    The import key is dropped: the file it came from no longer says what is on record."""
    amount = _aggregate_checked(data, entry_id=entry.pk)
    require_within(actor, entry.unit, entry.period_start, entry.period_end + DAY, field="unit")
    require_within(actor, data.unit, data.period_start, data.period_end + DAY, field="period_end")
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
def aggregate_entry_delete(*, actor: Actor, entry: AggregateEntry) -> None:
    require_within(actor, entry.unit, entry.period_start, entry.period_end + DAY, field="unit")
    audit_log(
        actor=actor,
        action="work.aggregate_delete",
        target=entry,
        message=f"Xóa số tổng hợp {entry} (văn bản {entry.source_number})",
    )
    entry.delete()

"""Writes for activity records, works and aggregate entries.

The rule that keeps records and paper-report totals from being counted twice: for one
indicator, one unit and one period, either detailed records or an aggregate entry is
authoritative, never both. Both directions are checked here, inside the transaction.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import ancestors_on, descendant_ids_on
from gandan.indicators.models import Aggregation, Indicator, Source
from gandan.org.models import Team
from gandan.work.models import (
    PARTNERS,
    Activity,
    ActivityType,
    ActivityValue,
    AggregateEntry,
    Movement,
    Qualifier,
    Work,
    WorkContribution,
)

RECORD_SOURCES = {Source.ACTIVITIES, Source.PARTICIPANTS, Source.VILLAGES, Source.COMMUNES}


def parse_value(indicator: Indicator, raw: object, *, field: str) -> Decimal:
    """A non-negative number for ``indicator``; integer where the indicator requires it
    (money is an integer number of đồng)."""
    try:
        value = Decimal(str(raw).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(f"«{raw}» không phải là số ({indicator.name_vi}).", field=field) from None
    if not value.is_finite():
        raise DomainError(f"«{raw}» không phải là số ({indicator.name_vi}).", field=field)
    if value < 0:
        raise DomainError(f"{indicator.name_vi} không được âm.", field=field)
    if indicator.integer_only and value != value.to_integral_value():
        raise DomainError(f"{indicator.name_vi} phải là số nguyên ({indicator.unit}).", field=field)
    if abs(value) >= Decimal(10) ** 17:
        raise DomainError(f"{indicator.name_vi}: số quá lớn.", field=field)
    return value


def indicators_fed_by(activity_type: ActivityType) -> list[Indicator]:
    """Record-based indicators (counts, participants, places) that an activity of this type feeds."""
    return [
        indicator
        for indicator in Indicator.objects.filter(source__in=RECORD_SOURCES)
        if not indicator.activity_types or activity_type.code in indicator.activity_types
    ]


def _covering_aggregate(
    indicator: Indicator, unit: AdminUnit, on: datetime.date
) -> AggregateEntry | None:
    """An aggregate entry of ``indicator`` whose unit contains ``unit`` on ``on`` and whose
    period contains ``on``."""
    chain = [v.unit_id for v in ancestors_on(unit, on)] or [unit.pk]
    return (
        AggregateEntry.objects.filter(
            indicator=indicator, unit_id__in=chain, period_start__lte=on, period_end__gte=on
        )
        .select_related("unit")
        .first()
    )


def _refuse_if_aggregated(
    indicators: Iterable[Indicator], unit: AdminUnit, on: datetime.date
) -> None:
    for indicator in indicators:
        entry = _covering_aggregate(indicator, unit, on)
        if entry is not None:
            raise DomainError(
                f"«{indicator.name_vi}» của {entry.unit} kỳ «{entry.period_label}» đã có số tổng hợp "
                f"theo văn bản {entry.source_number}; không ghi thêm bản ghi chi tiết cho kỳ này "
                "để tránh tính trùng.",
                field="start",
            )


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


def _validate(data: ActivityInput) -> dict[Indicator, Decimal]:
    if data.end < data.start:
        raise DomainError("Ngày kết thúc phải từ ngày bắt đầu trở đi.", field="end")
    if not data.unit.is_valid_on(data.start):
        raise DomainError(
            f"{data.unit} không có hiệu lực vào ngày {vn_date(data.start)}.", field="unit"
        )
    if data.unit.level == Level.VILLAGE:
        raise DomainError(
            "Địa bàn là xã (hoặc cấp trên); thôn, buôn chọn ở mục thôn, buôn.", field="unit"
        )
    for village in data.villages:
        if village.level != Level.VILLAGE:
            raise DomainError(f"{village} không phải thôn, buôn.", field="villages")
        chain = [v.unit_id for v in ancestors_on(village, data.start)]
        if not chain:
            raise DomainError(
                f"{village} không có hiệu lực vào ngày {vn_date(data.start)}.", field="villages"
            )
        if data.unit.pk not in chain:
            raise DomainError(
                f"{village} không thuộc {data.unit} vào ngày {vn_date(data.start)}.",
                field="villages",
            )
    for team in data.teams:
        if not team.is_active_on(data.start):
            raise DomainError(
                f"{team} không hoạt động vào ngày {vn_date(data.start)}.", field="teams"
            )
    known = dict(PARTNERS)
    if bad := [p for p in data.partners if p not in known]:
        raise DomainError(f"Đơn vị phối hợp không hợp lệ: {', '.join(bad)}.", field="partners")
    for label, part in (
        ("nữ", data.participants_female),
        ("dân tộc thiểu số", data.participants_minority),
    ):
        if part is not None and (part < 0 or part > data.participants):
            raise DomainError(
                f"Số người {label} phải từ 0 đến tổng số lượt người.", field="participants"
            )
    if data.participants < 0:
        raise DomainError("Số lượt người không được âm.", field="participants")
    values: dict[Indicator, Decimal] = {}
    for code, raw in (data.values or {}).items():
        if raw is None or str(raw).strip() == "":
            continue
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise DomainError(f"Không có chỉ tiêu mã «{code}».", field=f"values.{code}")
        if not indicator.takes_values:
            raise DomainError(
                f"«{indicator.name_vi}» được tính từ bản ghi, không nhập trực tiếp.",
                field=f"values.{code}",
            )
        values[indicator] = parse_value(indicator, raw, field=f"values.{code}")
    if data.status == Activity.Status.RECORDED:
        _refuse_if_aggregated([*indicators_fed_by(data.type), *values], data.unit, data.start)
    return values


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
    audit_log(
        actor=actor, action="work.activity_create", target=activity, message=f"Ghi {activity}"
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, data: ActivityInput) -> Activity:
    values = _validate(data)
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
    audit_log(
        actor=actor, action="work.activity_update", target=activity, message=f"Sửa {activity}"
    )
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    label = str(activity)
    audit_log(actor=actor, action="work.activity_delete", target=activity, message=f"Xóa {label}")
    activity.delete()


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
    if period_end < period_start:
        raise DomainError("Cuối kỳ phải từ đầu kỳ trở đi.", field="period_end")
    if qualifier not in Qualifier.values:
        raise DomainError(f"Mức độ không hợp lệ: «{qualifier}».", field="qualifier")
    if not clean(source_number):
        raise DomainError("Cần ghi số văn bản nguồn.", field="source_number")
    if not clean(period_label):
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
    amount = parse_value(indicator, value, field="value")
    overlapping = AggregateEntry.objects.filter(
        indicator=indicator, unit=unit, period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlapping is not None:
        raise DomainError(
            f"Đã có số tổng hợp «{indicator.name_vi}» của {unit} kỳ «{overlapping.period_label}» trùng thời gian.",
            field="period_start",
        )
    if _records_exist(indicator, unit, period_start, period_end):
        raise DomainError(
            f"Đã có bản ghi chi tiết «{indicator.name_vi}» trong {unit} từ {vn_date(period_start)} đến "
            f"{vn_date(period_end)}; số liệu chi tiết là căn cứ, không nhập thêm số tổng hợp.",
            field="indicator",
        )
    entry = AggregateEntry.objects.create(
        indicator=indicator,
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        period_label=clean(period_label),
        value=amount,
        qualifier=qualifier,
        source_number=clean(source_number),
        source_date=source_date,
        source_title=clean(source_title),
        import_key=import_key,
    )
    audit_log(
        actor=actor,
        action="work.aggregate_create",
        target=entry,
        message=f"Nhập số tổng hợp {entry}",
    )
    return entry


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


@transaction.atomic
def work_create(
    *, actor: Any, name: str, kind: str, place: AdminUnit, status: str = Work.Status.BUILDING,
    started_on: datetime.date | None = None, completed_on: datetime.date | None = None,
) -> Work:  # fmt: skip
    name = clean(name)
    if not name:
        raise DomainError("Tên công trình không được để trống.", field="name")
    if kind not in Work.Kind.values:
        raise DomainError(f"Loại công trình không hợp lệ: «{kind}».", field="kind")
    if started_on and completed_on and completed_on < started_on:
        raise DomainError("Ngày hoàn thành phải sau ngày khởi công.", field="completed_on")
    work = Work.objects.create(
        name=name,
        kind=kind,
        place=place,
        status=status,
        started_on=started_on,
        completed_on=completed_on,
    )
    audit_log(
        actor=actor,
        action="work.work_create",
        target=work,
        message=f"Thêm công trình {work} ({place})",
    )
    return work


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

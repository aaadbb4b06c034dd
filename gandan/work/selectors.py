"""Reads of field work: recent records with filters, choices for the entry form, and
plausibility warnings (which never block a record)."""

import datetime
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet

from gandan.accounts.jurisdiction import jurisdiction_of_unit
from gandan.core.dates import today, vn_date
from gandan.core.numbers import format_number
from gandan.geo.models import AdminUnit, Level, UnitVersion
from gandan.geo.selectors import ancestors_on, children_on, versions_on
from gandan.indicators.models import Group, Indicator, Source
from gandan.org.models import Team, TeamLevel
from gandan.org.selectors import teams_on
from gandan.work.models import Activity, ActivityValue, AggregateEntry, Work

PARTICIPANTS_PER_VILLAGE = 2_000
PARTICIPANTS_PER_COMMUNE = 20_000
USUAL_FACTOR = 1_000  # a value this many times the median looks like extra zeros
MEDIAN_SAMPLE = 5  # fewer recorded values than this say nothing about "usual"
USUAL_SAMPLE = 2000  # the newest recorded values the usual figure is the median of
USUAL_KEPT = 600  # seconds a usual figure stays in the cache
LONG_ACTIVITY_DAYS = 92


# Recent records. --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilters:
    team: int | None = None
    village: int | None = None
    type: str | None = None  # activity type code
    movement: str | None = None  # movement code
    unit: AdminUnit | None = None  # the unit and everything in it through time
    start: datetime.date | None = None  # inclusive bounds on the activity's start
    end: datetime.date | None = None
    status: str | None = None


def activities_loaded(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with everything a list or a detail page shows, in a fixed number of queries."""
    return activities.select_related("type", "unit", "created_by").prefetch_related(
        Prefetch("villages", queryset=AdminUnit.objects.order_by("sort_key", "id")),
        Prefetch("teams", queryset=Team.objects.order_by("sort_key", "id")),
        "movements",
        Prefetch(
            "values",
            queryset=ActivityValue.objects.select_related("indicator").order_by(
                "indicator__position", "indicator__code"
            ),
        ),
    )


def activities_recent(
    activities: QuerySet[Activity], filters: ActivityFilters
) -> QuerySet[Activity]:
    """The newest records first, filtered. ``activities`` is already scoped to the user
    (``work.access.visible_activities``). The unit filter follows boundary changes: a 2025
    commune finds the records of the legacy communes and villages that merged into it."""
    qs = activities
    if filters.team is not None:
        qs = qs.filter(teams__id=filters.team)
    if filters.village is not None:
        qs = qs.filter(villages__id=filters.village)
    if filters.type:
        qs = qs.filter(type__code=filters.type)
    if filters.movement:
        qs = qs.filter(movements__code=filters.movement)
    if filters.unit is not None:
        qs = qs.filter(jurisdiction_of_unit(filters.unit).filter_dated("unit_id", "start"))
    if filters.start is not None:
        qs = qs.filter(start__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(start__lte=filters.end)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.team is not None or filters.village is not None or filters.movement:
        qs = qs.distinct()
    return activities_loaded(qs.order_by("-start", "-id"))


def aggregates_recent(
    entries: QuerySet[AggregateEntry], *, indicator: str | None = None
) -> QuerySet[AggregateEntry]:
    if indicator:
        entries = entries.filter(indicator__code=indicator)
    return entries.select_related("indicator", "unit").order_by("-period_start", "-id")


def works_listed(
    works: QuerySet[Work], *, kind: str | None = None, status: str | None = None
) -> QuerySet[Work]:
    if kind:
        works = works.filter(kind=kind)
    if status:
        works = works.filter(status=status)
    return (
        works.select_related("place")
        .annotate(contribution_count=Count("contributions"))
        .order_by("name", "id")
    )


# Choices of the entry form. -------------------------------------------------------------------


def value_indicators(
    on: datetime.date | None = None, keep: Collection[str] = ()
) -> list[Indicator]:
    """Indicators a record carries a number for (``source=value``), including those an
    administrator added, in catalogue order within their group: those open on ``on`` (all
    when None), and those named in ``keep`` (a record's own values: an edit drops none)."""
    order = {code: i for i, code in enumerate(Group.values)}
    indicators = [
        i
        for i in Indicator.objects.filter(source=Source.VALUE)
        if on is None or i.is_open_on(on) or i.code in keep
    ]
    return sorted(indicators, key=lambda i: (order.get(i.group, 99), i.position, i.code))


def commune_options(on: datetime.date, unit_ids: set[int] | None) -> list[tuple[int, str]]:
    """Communes valid on ``on`` among the visible units, named as on that date."""
    versions = versions_on(on).filter(unit__level=Level.COMMUNE)
    if unit_ids is not None:
        versions = versions.filter(unit_id__in=unit_ids)
    out = []
    for version in versions.order_by("sort_key", "unit_id"):
        parent = version.parent
        within = f" – {parent}" if parent is not None and parent.level == Level.DISTRICT else ""
        out.append((version.unit_id, f"{version.full_name}{within}"))
    return out


def village_options(
    commune: AdminUnit | None, on: datetime.date, unit_ids: set[int] | None
) -> list[tuple[int, str]]:
    """Villages of a commune on ``on`` (only those valid that day), named as on that day;
    where a name repeats after a merger, with the former commune: "Thôn 3 (xã Yang Tao cũ)"."""
    if commune is None:
        return []
    versions = list(children_on(commune, on, level=Level.VILLAGE))
    if unit_ids is not None:
        versions = [v for v in versions if v.unit_id in unit_ids]
    seen: dict[str, int] = {}
    for v in versions:
        seen[v.full_name] = seen.get(v.full_name, 0) + 1
    repeated = [v.unit_id for v in versions if seen[v.full_name] > 1]
    former: dict[int, str] = {}
    earlier = UnitVersion.objects.filter(unit_id__in=repeated, valid_to__lte=on)
    for old in earlier.select_related("parent").order_by("unit_id", "-valid_to"):
        if old.parent is not None and old.parent_id != commune.pk:
            name = str(old.parent)
            former.setdefault(old.unit_id, name[:1].lower() + name[1:])
    return [
        (
            v.unit_id,
            f"{v.full_name} ({former[v.unit_id]} cũ)" if v.unit_id in former else v.full_name,
        )
        for v in versions
    ]


def team_options(
    commune: AdminUnit | None, on: datetime.date, unit_ids: set[int] | None
) -> list[tuple[int, str]]:
    """Teams active on ``on`` that work in the commune: its own, and those of the district
    and province above it that day. Without a commune, every visible team active then."""
    teams = teams_on(on, unit_ids=unit_ids)
    if commune is not None:
        teams = teams.filter(unit_id__in=[v.unit_id for v in ancestors_on(commune, on)])
    return _team_choices(teams)


def _team_choices(teams: QuerySet[Team]) -> list[tuple[int, str]]:
    """Province teams first, then district, then commune teams, each by name."""
    order = {level: i for i, level in enumerate(TeamLevel.values)}
    ordered = sorted(teams, key=lambda t: (order.get(t.level, 9), t.sort_key, t.pk))
    return [(t.pk, str(t)) for t in ordered]


def unit_label(unit: AdminUnit) -> str:
    """A unit's latest name with its code and, for units that ended or began late, the dates."""
    dates = []
    if unit.valid_from is not None and unit.level != Level.VILLAGE:
        dates.append(f"từ {vn_date(unit.valid_from)}")
    if unit.valid_to is not None:
        dates.append(f"đến hết {vn_date(unit.valid_to - datetime.timedelta(days=1))}")
    extra = ", ".join(([unit.code] if unit.code else []) + dates)
    return f"{unit.full_name} ({extra})" if extra else unit.full_name


def unit_options(unit_ids: set[int] | None, levels: Iterable[str]) -> list[tuple[int, str]]:
    """Units of some levels the user has or had, at any date (for filters and totals)."""
    units = AdminUnit.objects.filter(level__in=list(levels))
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    depth: dict[str, int] = {level: i for i, level in enumerate(Level.values)}
    ordered = sorted(
        units, key=lambda u: (depth.get(u.level, 9), u.valid_to is not None, u.sort_key)
    )
    return [(u.pk, unit_label(u)) for u in ordered]


def team_filter_options(unit_ids: set[int] | None) -> list[tuple[int, str]]:
    teams = Team.objects.all()
    if unit_ids is not None:
        teams = teams.filter(unit_id__in=unit_ids)
    return _team_choices(teams)


# Plausibility warnings. ------------------------------------------------------------------------


def _decimal(raw: object) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def usual_value(indicator: Indicator) -> Decimal | None:
    """The median of the latest :data:`USUAL_SAMPLE` values recorded for an indicator, when
    there are enough of them. It runs on every check as a clerk types: a bounded read (the
    newest values, by primary key) kept :data:`USUAL_KEPT` seconds in the cache, not a sort
    of every value ever recorded (see ``bench/usual_value.py``)."""
    key = f"work:usual-value:{indicator.pk}"
    if (kept := cache.get(key)) is not None:
        return kept[0]  # type: ignore[no-any-return]
    latest = sorted(
        ActivityValue.objects.filter(indicator=indicator, activity__status=Activity.Status.RECORDED)
        .order_by("-pk")
        .values_list("value", flat=True)[:USUAL_SAMPLE]
    )
    median = latest[len(latest) // 2] if len(latest) >= MEDIAN_SAMPLE else None
    cache.set(key, (median,), USUAL_KEPT)
    return median


def activity_warnings(
    *,
    type_code: str | None,
    start: datetime.date,
    end: datetime.date | None,
    village_count: int,
    participants: int,
    values: Mapping[str, object],
) -> list[str]:
    """What looks wrong but may be true: the user is warned and the record is kept."""
    warnings: list[str] = []
    if start > today():
        warnings.append(f"Ngày bắt đầu {vn_date(start)} chưa tới.")
    days = ((end or start) - start).days + 1
    if days > LONG_ACTIVITY_DAYS:
        warnings.append(f"Hoạt động kéo dài {format_number(days)} ngày: kiểm tra ngày kết thúc.")
    if village_count:
        limit, where = PARTICIPANTS_PER_VILLAGE * village_count, f"{village_count} thôn, buôn"
    else:
        limit, where = PARTICIPANTS_PER_COMMUNE, "một xã"
    if participants > limit:
        warnings.append(
            f"{format_number(participants)} lượt người ở {where} là nhiều hơn mức thường có "
            f"(khoảng {format_number(limit)}): kiểm tra số chữ số."
        )
    if participants == 0 and type_code and _counts_participants(type_code):
        warnings.append("Chưa ghi số lượt người tham gia.")
    entered = {code: _decimal(raw) for code, raw in values.items() if str(raw or "").strip()}
    for indicator in Indicator.objects.filter(code__in=[c for c, v in entered.items() if v]):
        value = entered[indicator.code]
        usual = usual_value(indicator)
        if value is not None and usual and value >= usual * USUAL_FACTOR:
            warnings.append(
                f"{indicator.name_vi}: {format_number(value)} {indicator.unit} gấp hơn "
                f"{format_number(USUAL_FACTOR)} lần mức thường ghi ({format_number(usual)} "
                f"{indicator.unit}): kiểm tra số chữ số 0."
            )
    return warnings


def _counts_participants(type_code: str) -> bool:
    """Whether some participants indicator counts this activity type."""
    return any(
        not types or type_code in types
        for types in Indicator.objects.filter(source=Source.PARTICIPANTS).values_list(
            "activity_types", flat=True
        )
    )

"""The aggregation engine: indicators × units × periods, live from the records.

One code path answers every question (pages, exports, the API, reports):
:func:`pivot` reads the records of the whole window once and buckets them in memory by
target unit and period; :func:`aggregate` is the one-unit, one-period case.

Sources, by ``Indicator.source``:
- records: activity counts, participants, distinct villages or communes, recorded values;
- aggregate entries from paper reports, with their qualifiers (ADR 0005);
- the organisation: members, teams, villages assigned (stock on the period's last day) and
  awards.

Boundaries: ``boundaries=None`` counts "as recorded": a record counts under the units that
contained its place on the record's date. ``boundaries=D`` counts under the tree of D: a
record on a legacy commune counts under that commune's successor on D (the default
successor of a split), villages under the commune they belong to on D.

Distinct counts are unions, never sums: totals over units or periods are computed from
the sets. Qualifiers propagate: a total with a lower-bound part is a lower bound.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q

from gandan.core.periods import Period
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import default_successor_on, descendant_ids_on
from gandan.indicators.models import (
    Aggregation,
    Indicator,
    RollupActivity,
    RollupPlace,
    RollupValue,
    Source,
)
from gandan.indicators.rollup import NONE, Tree, rollup_state, tree
from gandan.org.models import Award, Membership, Team
from gandan.org.selectors import held_on, team_active_on
from gandan.work.models import Activity, ActivityType, ActivityValue, AggregateEntry, Qualifier
from gandan.work.validation import Checker

_LOWER_BOUNDS = {Qualifier.OVER, Qualifier.MORE_THAN, Qualifier.HUNDREDS}
TOTAL = "__total__"
RECORD_SOURCES = {
    Source.ACTIVITIES,
    Source.PARTICIPANTS,
    Source.VILLAGES,
    Source.COMMUNES,
    Source.VALUE,
}
STOCK_SOURCES = {Source.MEMBERS, Source.TEAMS, Source.VILLAGES_ASSIGNED}


def combine_qualifiers(qualifiers: Iterable[str]) -> str:
    """The qualifier of a sum of parts: exact only if every part is exact; a lower bound if
    any part is; "gần" (nearly) if the inexact parts are all "gần"."""
    seen = set(qualifiers) - {Qualifier.EXACT}
    if not seen:
        return Qualifier.EXACT
    if seen & _LOWER_BOUNDS:
        return (
            Qualifier.OVER
            if Qualifier.OVER in seen or Qualifier.HUNDREDS in seen
            else Qualifier.MORE_THAN
        )
    return Qualifier.NEARLY


@dataclass
class Figure:
    indicator: Indicator
    value: Decimal
    qualifier: str = Qualifier.EXACT
    from_records: bool = False
    from_aggregates: bool = False
    breakdown: dict[str, Decimal] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return self.from_records or self.from_aggregates or self.value != 0


@dataclass
class _Cell:
    """What one (unit, period) bucket has seen, before it becomes a Figure."""

    total: Decimal = Decimal(0)
    places: set[int] = field(default_factory=set)
    qualifiers: list[str] = field(default_factory=list)
    records: bool = False
    aggregates: bool = False
    breakdown: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def merge(self, other: "_Cell") -> None:
        self.total += other.total
        self.places |= other.places
        self.qualifiers += other.qualifiers
        self.records |= other.records
        self.aggregates |= other.aggregates
        for key, value in other.breakdown.items():
            self.breakdown[key] += value


@dataclass
class PivotResult:
    """cells[(unit_id or TOTAL, period code or TOTAL, indicator code)] → Figure."""

    units: list[AdminUnit]
    periods: list[Period]
    indicators: list[Indicator]
    boundaries: datetime.date | None
    split_rule: str = "default_successor"
    cells: dict[tuple[object, str, str], Figure] = field(default_factory=dict)

    def figure(self, unit: AdminUnit | str, period: Period | str, code: str) -> Figure:
        unit_key = unit if isinstance(unit, str) else unit.pk
        period_key = period if isinstance(period, str) else period.code
        return self.cells[(unit_key, period_key, code)]


class _Mapper:
    """Which target unit a place (a commune or any recording unit) counts under."""

    def __init__(self, targets: Sequence[AdminUnit], boundaries: datetime.date | None) -> None:
        self.targets = {t.pk for t in targets}
        self.boundaries = boundaries
        self.checker = Checker()
        self.tree: Tree | None = None  # the same answers without queries, when the rollup is on
        self._by_place: dict[tuple[int, datetime.date | None], int | None] = {}
        self.counted: dict[int, int] = {}  # place → the commune it counts as, on the boundary date

    def target(self, place_id: int, on: datetime.date) -> int | None:
        key = (place_id, None if self.boundaries is not None else on)
        if key not in self._by_place:
            self._by_place[key] = self._resolve(place_id, on)
        return self._by_place[key]

    def _resolve(self, place_id: int, on: datetime.date) -> int | None:
        if self.tree is not None and place_id in self.tree.spans:
            if self.boundaries is None:
                chain = self.tree.chain(place_id, on)
            else:
                mapped = self.tree.target_map(frozenset(self.targets), self.boundaries)
                target = mapped.get(place_id, NONE)
                return None if target == NONE else target
            return next((u for u in chain if u in self.targets), None)
        if self.boundaries is None:
            chain = self.checker.chain(place_id, on)
        else:
            place = self.checker.unit(place_id)
            if not place.is_valid_on(self.boundaries):
                successor = default_successor_on(place, self.boundaries)
                if successor is None:
                    return None
                place_id = successor.pk
            chain = self.checker.chain(place_id, self.boundaries)
        for unit_id in chain:
            if unit_id in self.targets:
                return unit_id
        return None


# Readers that other apps register for their own sources (cases registers the grassroots
# issues), so that the engine stays below them in the import order.
Reader = Callable[[Indicator, datetime.date, datetime.date], Iterable[tuple[int, datetime.date]]]
EXTRA_READERS: dict[str, Reader] = {}


def register_reader(source: str, reader: Reader) -> None:
    """``reader(indicator, start, end)`` yields (unit id, date) per counted item."""
    EXTRA_READERS[source] = reader


def _read_extra(
    indicator: Indicator,
    bucket: dict[tuple[int, str], "_Cell"],
    mapper: "_Mapper",
    periods: Sequence[Period],
    start: datetime.date,
    end: datetime.date,
) -> None:
    for unit_id, day in EXTRA_READERS[indicator.source](indicator, start, end):
        target, period = mapper.target(unit_id, day), _bucket(periods, day)
        if target is not None and period is not None:
            cell = bucket[(target, period)]
            cell.total += 1
            cell.records = True


def _bucket(periods: Sequence[Period], day: datetime.date) -> str | None:
    for period in periods:
        if period.start <= day <= period.end:
            return period.code
    return None


def pivot(
    *,
    units: Sequence[AdminUnit],
    periods: Sequence[Period],
    indicators: Iterable[Indicator] | None = None,
    boundaries: datetime.date | None = None,
    engine: str = "auto",
) -> PivotResult:
    """Every indicator for every (unit, period), with totals per unit, per period and overall.

    ``units`` must not nest (siblings, e.g. the districts of a province); ``periods`` must
    not overlap. ``engine``: "auto" reads the rollup for whole calendar years when it is
    complete (ADR 0006) and the records for the rest; "records" always reads the records.
    """
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    result = PivotResult(list(units), list(periods), chosen, boundaries)
    if not units or not periods:
        return result
    mapper = _Mapper(units, boundaries)
    window_start, window_end = min(p.start for p in periods), max(p.end for p in periods)
    cells: dict[str, dict[tuple[int, str], _Cell]] = {i.code: defaultdict(_Cell) for i in chosen}
    record_based = [i for i in chosen if i.source in RECORD_SOURCES]
    distinct_counts: dict[str, dict[tuple[object, str], int]] = {}
    if record_based:
        plan = _rollup_plan(record_based, units, periods, boundaries) if engine == "auto" else None
        if plan is None:
            _read_records(record_based, cells, mapper, periods, window_start, window_end)
        else:
            mapper.tree = plan.tree
            distinct_counts = _read_rollup(record_based, cells, plan, result)
            if plan.raw_ranges:
                _read_records(
                    record_based,
                    cells,
                    mapper,
                    periods,
                    window_start,
                    window_end,
                    ranges=plan.raw_ranges,
                    places=plan.places,
                )
        _read_paper_totals(record_based, cells, mapper, periods, window_start, window_end)
    for indicator in chosen:
        if indicator.source in STOCK_SOURCES:
            for unit in units:
                for period in periods:
                    cell = cells[indicator.code][(unit.pk, period.code)]
                    cell.total = Decimal(_stock(indicator, unit, period.end))
                    cell.records = cell.total > 0
        elif indicator.source in {Source.AWARDS_COLLECTIVE, Source.AWARDS_INDIVIDUAL}:
            _read_awards(
                indicator, cells[indicator.code], mapper, periods, window_start, window_end
            )
        elif indicator.source in EXTRA_READERS:
            _read_extra(indicator, cells[indicator.code], mapper, periods, window_start, window_end)
    _assemble(result, cells)
    for code, counts in distinct_counts.items():
        for (unit_key, period_key), count in counts.items():
            result.cells[(unit_key, period_key, code)].value = Decimal(count)
    return result


def _read_records(
    indicators: list[Indicator],
    cells: dict[str, dict[tuple[int, str], _Cell]],
    mapper: _Mapper,
    periods: Sequence[Period],
    start: datetime.date,
    end: datetime.date,
    *,
    ranges: Sequence[tuple[datetime.date, datetime.date]] | None = None,
    places: set[int] | None = None,
) -> None:
    window = _window_q("", start, end, ranges, places)
    rows = list(
        Activity.objects.filter(window, status=Activity.Status.RECORDED).values_list(
            "id",
            "unit_id",
            "start",
            "type__code",
            "participants",
            "participants_female",
            "participants_minority",
        )
    )
    mapper.checker.preload({row[1] for row in rows})
    placed: dict[int, tuple[int, str, str, int, int | None, int | None, int]] = {}
    for activity_id, unit_id, day, type_code, people, female, minority in rows:
        target = mapper.target(unit_id, day)
        period = _bucket(periods, day)
        if target is not None and period is not None:
            placed[activity_id] = (target, period, type_code, people, female, minority, unit_id)
    if not placed:
        return
    needs_villages = any(i.source == Source.VILLAGES for i in indicators)
    villages: dict[int, list[int]] = defaultdict(list)
    if needs_villages:
        through = Activity.villages.through.objects.filter(
            _window_q("activity__", start, end, ranges, places)
        )
        for activity_id, village_id in through.values_list("activity_id", "adminunit_id"):
            if activity_id in placed:
                villages[activity_id].append(village_id)
    value_codes = {i.code for i in indicators if i.source == Source.VALUE}
    values: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    if value_codes:
        for activity_id, code, amount in ActivityValue.objects.filter(
            _window_q("activity__", start, end, ranges, places), indicator__code__in=value_codes
        ).values_list("activity_id", "indicator__code", "value"):
            if activity_id in placed:
                values[activity_id].append((code, amount))
    for indicator in indicators:
        kinds = set(indicator.activity_types)
        bucket = cells[indicator.code]
        for activity_id, (
            target,
            period,
            type_code,
            people,
            female,
            minority,
            unit_id,
        ) in placed.items():
            if kinds and type_code not in kinds:
                continue
            cell = bucket[(target, period)]
            if indicator.source == Source.ACTIVITIES:
                cell.total += 1
            elif indicator.source == Source.PARTICIPANTS:
                cell.total += people
                if female is not None:
                    cell.breakdown["female"] += female
                if minority is not None:
                    cell.breakdown["minority"] += minority
            elif indicator.source == Source.VILLAGES:
                cell.places.update(villages.get(activity_id, ()))
            elif indicator.source == Source.COMMUNES:
                cell.places.add(_commune_as_counted(mapper, unit_id))
            elif indicator.source == Source.VALUE:
                amounts = [
                    amount for code, amount in values.get(activity_id, ()) if code == indicator.code
                ]
                if not amounts:
                    continue
                cell.total += sum(amounts, Decimal(0))
            cell.records = True


def _window_q(
    prefix: str,
    start: datetime.date,
    end: datetime.date,
    ranges: Sequence[tuple[datetime.date, datetime.date]] | None,
    places: set[int] | None,
) -> Q:
    """Records of the window, or only of some date ranges and places (the rollup's rest)."""
    if ranges is None:
        window = Q(**{f"{prefix}start__gte": start, f"{prefix}start__lte": end})
    else:
        window = reduce(
            or_,
            (Q(**{f"{prefix}start__gte": a, f"{prefix}start__lte": b}) for a, b in ranges),
        )
    if places is not None:
        window &= Q(**{f"{prefix}unit_id__in": sorted(places)})
    return window


# -- the rollup (ADR 0006): whole calendar years from the rollup tables ------------------------


@dataclass
class _Plan:
    tree: Tree
    boundaries: datetime.date | None
    cover: list[tuple[int, bool, int]]  # (rollup unit, own rows only, target)
    years: dict[int, str]  # a whole calendar year → the period that holds it
    raw_ranges: list[tuple[datetime.date, datetime.date]]  # the rest, read from the records
    places: set[int] | None  # the units whose records may count (None: too many to list)


def _rollup_plan(
    indicators: list[Indicator],
    units: Sequence[AdminUnit],
    periods: Sequence[Period],
    boundaries: datetime.date | None,
) -> _Plan | None:
    """Whole calendar years come from the rollup; None when it cannot answer (not complete
    for the current tree, no whole year, or a value indicator limited to activity types)."""
    if any(i.source == Source.VALUE and i.activity_types for i in indicators):
        return None
    years: dict[int, str] = {}
    raw: list[tuple[datetime.date, datetime.date]] = []
    for period in periods:
        first = period.start.year + (period.start != datetime.date(period.start.year, 1, 1))
        last = period.end.year - (period.end != datetime.date(period.end.year, 12, 31))
        if first > last:
            raw.append((period.start, period.end))
            continue
        years.update(dict.fromkeys(range(first, last + 1), period.code))
        if period.start.year < first:
            raw.append((period.start, datetime.date(first - 1, 12, 31)))
        if period.end.year > last:
            raw.append((datetime.date(last + 1, 1, 1), period.end))
    fingerprint = rollup_state()
    if fingerprint is None:
        return None
    merged: list[tuple[datetime.date, datetime.date]] = []
    for first_day, last_day in sorted(raw):
        if merged and merged[-1][1] + datetime.timedelta(days=1) >= first_day:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last_day))
        else:
            merged.append((first_day, last_day))
    raw = merged
    index = tree(fingerprint)
    targets = [u.pk for u in units]
    places = None
    if raw:
        found = index.places_under(targets, boundaries)
        places = found if len(found) <= 5000 else None

    def owners(above: set[int], aside: set[int]) -> tuple[set[int], set[int]]:
        """Units with records of their own, and units with any records, in the years."""
        found: list[set[int]] = []
        for units_asked, own in ((above, " AND own"), (aside, "")):
            if not years or not units_asked:
                found.append(set())
                continue
            ids = ", ".join(str(int(u)) for u in sorted(units_asked))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT DISTINCT unit_id FROM {RollupActivity._meta.db_table} "  # noqa: S608
                    f"WHERE unit_id IN ({ids}){own} AND year BETWEEN {min(years)} AND {max(years)}"
                )
                found.append({row[0] for row in cursor.fetchall()})
        return found[0], found[1]

    cover = index.cover(targets, boundaries, owners)
    return _Plan(index, boundaries, cover, years, raw, places)


def _number(value: object) -> Decimal:
    if isinstance(value, float):  # SQLite sums decimals as floats
        return Decimal(repr(value)).quantize(Decimal("0.001"))
    return Decimal(str(value)) if value is not None else Decimal(0)


def _read_rollup(
    indicators: list[Indicator],
    cells: dict[str, dict[tuple[int, str], _Cell]],
    plan: _Plan,
    result: PivotResult,
) -> dict[str, dict[tuple[object, str], int]]:
    """Add the whole years from the rollup to the cells. Distinct counts over whole years
    come back as numbers per cell and total (unions counted in SQL); when part of the
    question is read from the records, the places themselves are added to the cells."""
    if not plan.cover or not plan.years:
        return {}
    codes = list(dict.fromkeys(plan.years.values()))
    position = {code: i for i, code in enumerate(codes)}
    cover = ", ".join(f"({int(u)}, {int(own)}, {int(t)})" for u, own, t in plan.cover)
    years = ", ".join(f"({int(y)}, {position[c]})" for y, c in sorted(plan.years.items()))
    unit_ids = ", ".join(str(int(u)) for u in sorted({u for u, _own, _t in plan.cover}))
    head = (
        f"WITH m(unit_id, own_only, target) AS (VALUES {cover}), y(year, idx) AS (VALUES {years})"
    )
    join = (
        "JOIN m ON r.unit_id = m.unit_id JOIN y ON r.year = y.year "
        f"WHERE (m.own_only = 0 OR r.own) AND r.unit_id IN ({unit_ids}) "
        f"AND r.year BETWEEN {min(plan.years)} AND {max(plan.years)}"
    )
    type_codes = dict(ActivityType.objects.values_list("id", "code"))
    activity_based = [i for i in indicators if i.source != Source.VALUE]
    only_types = ""  # when every indicator is limited to some activity types, only those
    if activity_based and all(i.activity_types for i in activity_based):
        wanted = {code for i in activity_based for code in i.activity_types}
        kept = [str(int(pk)) for pk, code in type_codes.items() if code in wanted]
        only_types = f" AND r.type_id IN ({', '.join(kept) or 'NULL'})"
    with connection.cursor() as cursor:
        if activity_based:
            cursor.execute(
                f"{head} SELECT m.target, y.idx, r.type_id, SUM(r.n), SUM(r.participants), "  # noqa: S608
                "SUM(r.female), SUM(r.female_n), SUM(r.minority), SUM(r.minority_n) "
                f"FROM {RollupActivity._meta.db_table} r {join}{only_types} "
                "GROUP BY m.target, y.idx, r.type_id"
            )
            rows = cursor.fetchall()
            for indicator in activity_based:
                kinds = set(indicator.activity_types)
                bucket = cells[indicator.code]
                for target, idx, type_id, n, people, female, female_n, minority, minority_n in rows:
                    if kinds and type_codes.get(type_id) not in kinds:
                        continue
                    cell = bucket[(target, codes[idx])]
                    if indicator.source == Source.ACTIVITIES:
                        cell.total += _number(n)
                    elif indicator.source == Source.PARTICIPANTS:
                        cell.total += _number(people)
                        if female_n:
                            cell.breakdown["female"] += _number(female)
                        if minority_n:
                            cell.breakdown["minority"] += _number(minority)
                    cell.records = True
        valued = {i.pk: i for i in indicators if i.source == Source.VALUE}
        if valued:
            ids = ", ".join(str(int(pk)) for pk in sorted(valued))
            cursor.execute(
                f"{head} SELECT m.target, y.idx, r.indicator_id, SUM(r.total), SUM(r.n) "  # noqa: S608
                f"FROM {RollupValue._meta.db_table} r {join} AND r.indicator_id IN ({ids}) "
                "GROUP BY m.target, y.idx, r.indicator_id"
            )
            for target, idx, indicator_id, total, n in cursor.fetchall():
                if n:
                    cell = cells[valued[indicator_id].code][(target, codes[idx])]
                    cell.total += _number(total)
                    cell.records = True
        counts: dict[str, dict[tuple[object, str], int]] = {}
        for indicator in indicators:
            if indicator.source not in {Source.VILLAGES, Source.COMMUNES}:
                continue
            kind = "v" if indicator.source == Source.VILLAGES else "p"
            kinds = set(indicator.activity_types)
            type_ids = [pk for pk, code in type_codes.items() if code in kinds]
            where = f"{join} AND r.kind = '{kind}'"
            if kinds:
                where += f" AND r.type_id IN ({', '.join(str(int(t)) for t in type_ids) or 'NULL'})"
            counted = ""
            place = "r.place_id"
            mapped = (
                plan.tree.counted_map(plan.boundaries)
                if kind == "p" and plan.boundaries is not None
                else {}
            )
            # Sets in Python where part of the question comes from the records, and on
            # SQLite, whose DISTINCT over a CTE is slower than Python's set unions.
            if plan.raw_ranges or connection.vendor != "postgresql":
                cursor.execute(
                    f"{head} SELECT m.target, y.idx, r.place_id "  # noqa: S608
                    f"FROM {RollupPlace._meta.db_table} r {where}"
                )
                bucket = cells[indicator.code]
                for target, idx, place_id in cursor.fetchall():
                    bucket[(target, codes[idx])].places.add(mapped.get(place_id, place_id))
                continue
            if mapped:
                pairs = ", ".join(f"({int(a)}, {int(b)})" for a, b in mapped.items())
                counted = f", cm(place, counted) AS (VALUES {pairs})"
                place = "COALESCE(cm.counted, r.place_id)"
                where = where.replace("WHERE", "LEFT JOIN cm ON cm.place = r.place_id WHERE", 1)
            # Unions per cell, per unit, per period and overall; with one period (or one
            # unit) the totals over periods (units) are the cells themselves.
            many_periods, many_units = len(result.periods) > 1, len(result.units) > 1
            groups = ["SELECT target, idx, COUNT(*) FROM f GROUP BY target, idx"]
            if many_periods:
                groups.append("SELECT target, -1, COUNT(DISTINCT place) FROM f GROUP BY target")
            if many_units:
                groups.append("SELECT -1, idx, COUNT(DISTINCT place) FROM f GROUP BY idx")
            if many_periods and many_units:
                groups.append("SELECT -1, -1, COUNT(DISTINCT place) FROM f")
            cursor.execute(
                f"{head}{counted}, f AS (SELECT DISTINCT m.target, y.idx, {place} AS place "  # noqa: S608
                f"FROM {RollupPlace._meta.db_table} r {where}) " + " UNION ALL ".join(groups)
            )
            units_keys = [unit.pk for unit in result.units]
            period_keys = [period.code for period in result.periods]
            found: dict[tuple[object, str], int] = {
                (u, p): 0 for u in [*units_keys, TOTAL] for p in [*period_keys, TOTAL]
            }
            for target, idx, count in cursor.fetchall():
                found[(TOTAL if target == -1 else target, TOTAL if idx == -1 else codes[idx])] = (
                    int(count)
                )
            if not many_periods:
                for u in units_keys:
                    found[(u, TOTAL)] = found[(u, period_keys[0])]
            if not many_units:
                for p in [*period_keys, TOTAL]:
                    found[(TOTAL, p)] = found[(units_keys[0], p)]
            elif not many_periods:
                found[(TOTAL, TOTAL)] = found[(TOTAL, period_keys[0])]
            counts[indicator.code] = found
    return counts


def _commune_as_counted(mapper: _Mapper, unit_id: int) -> int:
    """The commune a record counts as reaching: as recorded, or its successor on the date."""
    if mapper.boundaries is None:
        return unit_id
    if mapper.tree is not None and unit_id in mapper.tree.spans:
        return mapper.tree.counted_as(unit_id, mapper.boundaries)
    if unit_id not in mapper.counted:
        place = mapper.checker.unit(unit_id)
        successor = (
            None
            if place.is_valid_on(mapper.boundaries)
            else default_successor_on(place, mapper.boundaries)
        )
        mapper.counted[unit_id] = successor.pk if successor is not None else unit_id
    return mapper.counted[unit_id]


def _read_paper_totals(
    indicators: list[Indicator],
    cells: dict[str, dict[tuple[int, str], _Cell]],
    mapper: _Mapper,
    periods: Sequence[Period],
    start: datetime.date,
    end: datetime.date,
) -> None:
    """Paper totals count in a bucket that holds their whole published period."""
    additive = {i.pk: i for i in indicators if i.aggregation != Aggregation.DISTINCT_PLACES}
    entries = AggregateEntry.objects.filter(
        indicator_id__in=additive, period_start__gte=start, period_end__lte=end
    ).values_list("indicator_id", "unit_id", "period_start", "period_end", "value", "qualifier")
    for indicator_id, unit_id, period_start, period_end, amount, qualifier in entries:
        period = _bucket(periods, period_start)
        if period is None or period != _bucket(periods, period_end):
            continue
        target = mapper.target(unit_id, period_start)
        if target is None:
            continue
        cell = cells[additive[indicator_id].code][(target, period)]
        cell.total += amount
        cell.qualifiers.append(qualifier)
        cell.aggregates = True


def _read_awards(
    indicator: Indicator,
    bucket: dict[tuple[int, str], _Cell],
    mapper: _Mapper,
    periods: Sequence[Period],
    start: datetime.date,
    end: datetime.date,
) -> None:
    awards = Award.objects.filter(decision_date__gte=start, decision_date__lte=end)
    awards = awards.filter(member__isnull=indicator.source == Source.AWARDS_COLLECTIVE)
    for unit_id, day in awards.values_list("unit_id", "decision_date"):
        target, period = mapper.target(unit_id, day), _bucket(periods, day)
        if target is not None and period is not None:
            cell = bucket[(target, period)]
            cell.total += 1
            cell.records = True


def _stock(indicator: Indicator, unit: AdminUnit, on: datetime.date) -> int:
    """Stock on a day, within the unit's subtree on that day."""
    ids = {unit.pk} | descendant_ids_on([unit.pk], on)
    teams = Team.objects.filter(team_active_on(on), unit_id__in=ids)
    if indicator.source == Source.TEAMS:
        return teams.count()
    memberships = Membership.objects.filter(held_on(on), team__in=teams)
    if indicator.source == Source.MEMBERS:
        return memberships.count()
    assigned = memberships.filter(
        Q(assignments__start__lte=on)
        & (Q(assignments__end__isnull=True) | Q(assignments__end__gt=on))
    )
    return assigned.values("assignments__villages").distinct().count()


def _figure(indicator: Indicator, cell: _Cell) -> Figure:
    distinct = indicator.aggregation == Aggregation.DISTINCT_PLACES
    value = Decimal(len(cell.places)) if distinct else cell.total
    return Figure(
        indicator,
        value,
        combine_qualifiers(cell.qualifiers),
        from_records=cell.records,
        from_aggregates=cell.aggregates,
        breakdown=dict(cell.breakdown),
    )


def _assemble(result: PivotResult, cells: dict[str, dict[tuple[int, str], _Cell]]) -> None:
    for indicator in result.indicators:
        bucket = cells[indicator.code]
        stock = indicator.source in STOCK_SOURCES
        grand = _Cell()
        by_unit: dict[int, _Cell] = defaultdict(_Cell)
        by_period: dict[str, _Cell] = defaultdict(_Cell)
        last = result.periods[-1].code
        for unit in result.units:
            for period in result.periods:
                cell = bucket.get((unit.pk, period.code), _Cell())
                result.cells[(unit.pk, period.code, indicator.code)] = _figure(indicator, cell)
                by_period[period.code].merge(cell)
                # A stock's total over periods is its value at the end of the last one.
                if not stock or period.code == last:
                    by_unit[unit.pk].merge(cell)
        for unit in result.units:
            result.cells[(unit.pk, TOTAL, indicator.code)] = _figure(indicator, by_unit[unit.pk])
        for period in result.periods:
            result.cells[(TOTAL, period.code, indicator.code)] = _figure(
                indicator, by_period[period.code]
            )
            if not stock or period.code == last:
                grand.merge(by_period[period.code])
        result.cells[(TOTAL, TOTAL, indicator.code)] = _figure(indicator, grand)


def aggregate(
    *,
    unit: AdminUnit,
    start: datetime.date,
    end: datetime.date,
    boundaries: datetime.date | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> dict[str, Figure]:
    """Every requested indicator for ``unit`` over [start, end] (inclusive dates)."""
    period = Period(start, end, "range", f"{start:%d/%m/%Y} – {end:%d/%m/%Y}", "range")
    result = pivot(units=[unit], periods=[period], indicators=indicators, boundaries=boundaries)
    return {i.code: result.figure(unit, period, i.code) for i in result.indicators}

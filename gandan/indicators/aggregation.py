"""The aggregation engine: indicators × units × periods, live from the records.

One code path answers every question (pages, exports, the API, reports):
:func:`pivot` reads whole calendar years from the analytics rollup when it is built for the
current boundaries (``rollup_read``, ADR 0006) and the records of the rest of the window,
and buckets them by target unit and period; :func:`aggregate` is the one-unit, one-period
case. ``figures`` holds the types it fills.

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
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q

from gandan.core.periods import Period
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import descendant_ids_on
from gandan.indicators.figures import (
    RECORD_SOURCES,
    STOCK_SOURCES,
    TOTAL,
    Cell,
    Figure,
    Mapper,
    PivotResult,
    combine_qualifiers,
)
from gandan.indicators.models import (
    Aggregation,
    Indicator,
    Source,
)
from gandan.indicators.rollup_read import commune_as_counted, read_rollup, rollup_plan
from gandan.org.models import Award, Membership, Team
from gandan.org.selectors import held_on, team_active_on
from gandan.work.models import Activity, ActivityValue, AggregateEntry

__all__ = [
    "TOTAL",
    "Figure",
    "PivotResult",
    "aggregate",
    "combine_qualifiers",
    "pivot",
    "register_reader",
]

# Readers that other apps register for their own sources (cases registers the grassroots
# issues), so that the engine stays below them in the import order.
Reader = Callable[[Indicator, datetime.date, datetime.date], Iterable[tuple[int, datetime.date]]]
EXTRA_READERS: dict[str, Reader] = {}


def register_reader(source: str, reader: Reader) -> None:
    """``reader(indicator, start, end)`` yields (unit id, date) per counted item."""
    EXTRA_READERS[source] = reader


def _read_extra(
    indicator: Indicator,
    bucket: dict[tuple[int, str], "Cell"],
    mapper: "Mapper",
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
    mapper = Mapper(units, boundaries)
    window_start, window_end = min(p.start for p in periods), max(p.end for p in periods)
    cells: dict[str, dict[tuple[int, str], Cell]] = {i.code: defaultdict(Cell) for i in chosen}
    record_based = [i for i in chosen if i.source in RECORD_SOURCES]
    distinct_counts: dict[str, dict[tuple[object, str], int]] = {}
    if record_based:
        plan = rollup_plan(record_based, units, periods, boundaries) if engine == "auto" else None
        if plan is None:
            _read_records(record_based, cells, mapper, periods, window_start, window_end)
        else:
            mapper.tree = plan.tree
            distinct_counts = read_rollup(record_based, cells, plan, result)
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
    cells: dict[str, dict[tuple[int, str], Cell]],
    mapper: Mapper,
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
                cell.places.add(commune_as_counted(mapper, unit_id))
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


def _read_paper_totals(
    indicators: list[Indicator],
    cells: dict[str, dict[tuple[int, str], Cell]],
    mapper: Mapper,
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
    bucket: dict[tuple[int, str], Cell],
    mapper: Mapper,
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


def _figure(indicator: Indicator, cell: Cell) -> Figure:
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


def _assemble(result: PivotResult, cells: dict[str, dict[tuple[int, str], Cell]]) -> None:
    for indicator in result.indicators:
        bucket = cells[indicator.code]
        stock = indicator.source in STOCK_SOURCES
        grand = Cell()
        by_unit: dict[int, Cell] = defaultdict(Cell)
        by_period: dict[str, Cell] = defaultdict(Cell)
        last = result.periods[-1].code
        for unit in result.units:
            for period in result.periods:
                cell = bucket.get((unit.pk, period.code), Cell())
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

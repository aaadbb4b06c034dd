"""Reading the records into cells: activities (counts, participants, values, places
reached), awards and grassroots cases, bucketed by target unit and period.

Whole years and half-months of activity records come from the facts (``facts_read``, ADR
0008); the days at the periods' edges, and everything before the facts are first built, are
read from the record tables.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q

from gandan.analytics.facts import Status
from gandan.analytics.facts_read import fact_plan, read_facts
from gandan.analytics.figures import Cell, Mapper
from gandan.cases.selectors import cases_received_between, cases_resolved_between
from gandan.core.periods import Period
from gandan.indicators.models import Indicator, Source
from gandan.org.models import Award
from gandan.work.models import Activity, ActivityValue

Cells = dict[str, dict[tuple[int, str], Cell]]
DistinctCounts = dict[str, dict[tuple[object, str], int]]


def bucket(periods: Sequence[Period], day: datetime.date) -> str | None:
    for period in periods:
        if period.start <= day <= period.end:
            return period.code
    return None


def read_record_cells(
    indicators: list[Indicator],
    cells: Cells,
    mapper: Mapper,
    periods: Sequence[Period],
    *,
    units: Sequence[int],
    engine: str,
    need_sets: bool,
    status: Status | None = None,
) -> DistinctCounts:
    """Fill ``cells`` for record-based indicators; distinct counts the facts answered in
    SQL come back apart (unions per cell and per total), unless ``need_sets`` asks for the
    places themselves."""
    if not indicators:
        return {}
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    plan = None
    if engine == "auto" and status is not None:
        plan = fact_plan(units, periods, mapper.boundaries, status=status, index=mapper.tree)
    if plan is None:
        read_activities(indicators, cells, mapper, periods, start, end)
        return {}
    counts = read_facts(indicators, cells, plan, units, periods, need_sets=need_sets)
    if plan.raw_ranges:
        read_activities(
            indicators,
            cells,
            mapper,
            periods,
            start,
            end,
            ranges=plan.raw_ranges,
            places=plan.places,
        )
    return counts


def read_activities(
    indicators: list[Indicator],
    cells: Cells,
    mapper: Mapper,
    periods: Sequence[Period],
    start: datetime.date,
    end: datetime.date,
    *,
    ranges: Sequence[tuple[datetime.date, datetime.date]] | None = None,
    places: set[int] | None = None,
) -> None:
    """The records path: every recorded activity of the window (or of ``ranges`` and
    ``places``, the part the facts do not hold) read and bucketed in Python."""
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
    placed: dict[int, tuple[int, str, str, int, int | None, int | None, int]] = {}
    for activity_id, unit_id, day, type_code, people, female, minority in rows:
        target = mapper.target(unit_id, day)
        period = bucket(periods, day)
        if target is not None and period is not None:
            placed[activity_id] = (target, period, type_code, people, female, minority, unit_id)
    if not placed:
        return
    villages: dict[int, list[int]] = defaultdict(list)
    if any(i.source == Source.VILLAGES for i in indicators):
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
        cells_of = cells[indicator.code]
        for activity_id, (
            target,
            period,
            kind,
            people,
            female,
            minority,
            unit_id,
        ) in placed.items():
            if kinds and kind not in kinds:
                continue
            cell = cells_of[(target, period)]
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
                cell.places.add(mapper.counted_as(unit_id))
            elif indicator.source == Source.VALUE:
                amounts = [a for code, a in values.get(activity_id, ()) if code == indicator.code]
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
    """Records of the window, or only of some date ranges and places (the facts' rest)."""
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


def _awards(
    indicator: Indicator, start: datetime.date, end: datetime.date
) -> Iterator[tuple[int, datetime.date]]:
    awards = Award.objects.filter(decision_date__gte=start, decision_date__lte=end)
    awards = awards.filter(member__isnull=indicator.source == Source.AWARDS_COLLECTIVE)
    yield from awards.values_list("unit_id", "decision_date")


def _received(
    _indicator: Indicator, start: datetime.date, end: datetime.date
) -> Iterator[tuple[int, datetime.date]]:
    return cases_received_between(start, end)


def _resolved(
    _indicator: Indicator, start: datetime.date, end: datetime.date
) -> Iterator[tuple[int, datetime.date]]:
    return cases_resolved_between(start, end)


Reader = Callable[[Indicator, datetime.date, datetime.date], Iterator[tuple[int, datetime.date]]]
COUNTED_READERS: dict[str, Reader] = {
    Source.AWARDS_COLLECTIVE: _awards,
    Source.AWARDS_INDIVIDUAL: _awards,
    Source.CASES_RECEIVED: _received,
    Source.CASES_RESOLVED: _resolved,
}


def read_counted(
    indicator: Indicator, cells: Cells, mapper: Mapper, periods: Sequence[Period]
) -> None:
    """Awards and grassroots cases: one per (unit, day) row their reader yields."""
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    items: Iterable[tuple[int, datetime.date]] = COUNTED_READERS[indicator.source](
        indicator, start, end
    )
    cells_of = cells[indicator.code]
    for unit_id, day in items:
        target, period = mapper.target(unit_id, day), bucket(periods, day)
        if target is not None and period is not None:
            cell = cells_of[(target, period)]
            cell.total += 1
            cell.records = True

"""The aggregation engine: indicators × units × periods, live from the records and the
paper totals.

One code path answers every question (pages, exports, the API, ``gandan summary``,
reports): :func:`pivot`; :func:`aggregate` is the one-unit, one-period case.

Sources, by ``Indicator.source``:
- records (``records``): activity counts, participants, distinct villages or communes,
  recorded values; whole calendar years from the rollup when it is built (ADR 0006);
- awards and grassroots cases, counted per item;
- the roster (``stocks``): members, teams, villages assigned on a period's last day;
- paper totals (``papers``), which cover their unit's whole territory and period.

Boundaries: ``boundaries=None`` counts "as recorded": a record counts under the units that
contained its place on the record's date. ``boundaries=D`` counts under the tree of D: a
record on a legacy commune counts under that commune's successor on D (the default
successor of a split). A paper total counts under the unit that holds all of its territory
(``papers``).

Overlapping sources are never added (ADR 0007, ``resolve``): a figure is the largest lower
bound its sources support, and every figure lists its sources and what became of them.
Distinct counts are unions, never sums. Qualifiers ("trên", "gần", "hàng trăm") propagate
through ``quantity``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from gandan.analytics.facts import Status, analytics_status, facts_rekey
from gandan.analytics.figures import (
    RECORD_SOURCES,
    TOTAL,
    UNALLOCATED,
    Cell,
    Figure,
    Mapper,
    PivotResult,
)
from gandan.analytics.papers import Paper, footprints, papers_for
from gandan.analytics.ratios import fill_ratio
from gandan.analytics.records import (
    COUNTED_READERS,
    Cells,
    read_counted,
    read_record_cells,
)
from gandan.analytics.scopes import Inputs, assemble
from gandan.analytics.stocks import STOCK, read_stocks
from gandan.core.periods import Period
from gandan.geo.models import AdminUnit
from gandan.geo.tree import Tree, tree
from gandan.indicators.models import Aggregation, Indicator, Source

__all__ = ["TOTAL", "UNALLOCATED", "Figure", "PivotResult", "aggregate", "pivot"]


def _parent_id(indicator: Indicator) -> int | None:
    return getattr(indicator, "parent_id", None)


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
    status = analytics_status()
    if status.rekey_needed:  # a boundary change since the ledger's tree: follow it first
        facts_rekey()
    geo = tree(status.live_tree)
    mapper = Mapper(units, boundaries, geo)
    wanted = _with_terms(_with_parts(chosen))
    papers = papers_for(wanted, targets=units, periods=periods, boundaries=boundaries, tree=geo)
    distinct_papers = {p.indicator.code for p in papers if _distinct(p.indicator)}
    cells: Cells = {i.code: defaultdict(Cell) for i in wanted}
    record_based = [i for i in wanted if i.source in RECORD_SOURCES]
    counts = read_record_cells(
        record_based,
        cells,
        mapper,
        periods,
        units=[u.pk for u in units],
        engine=engine,
        need_sets=bool(distinct_papers),
        status=status,
    )
    for indicator in wanted:
        if indicator.source in STOCK:
            read_stocks(indicator, cells[indicator.code], mapper, periods)
        elif indicator.source in COUNTED_READERS:
            read_counted(indicator, cells, mapper, periods)
    if papers:
        _fill_insides(papers, engine=engine, tree=geo, boundaries=boundaries, status=status)
    by_parent: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in wanted:
        if (parent := _parent_id(indicator)) is not None:
            by_parent[parent].append(indicator)
    for indicator in wanted:
        if indicator.aggregation == Aggregation.RATIO:
            continue
        parts = by_parent.get(indicator.pk, [])
        merged = _merged(cells, indicator, parts)
        assemble(
            result,
            Inputs(
                indicator=indicator,
                cells=merged,
                counts=counts.get(indicator.code) if not parts else None,
                papers=[p for p in papers if p.indicator in (indicator, *parts)],
                stock=indicator.source in STOCK,
            ),
        )
    by_id = {i.pk: i for i in wanted}
    for indicator in chosen:
        if indicator.aggregation == Aggregation.RATIO:
            top, bottom = by_id[indicator.numerator_id], by_id[indicator.denominator_id]  # type: ignore[index]
            fill_ratio(
                result, indicator, top, bottom, [p for p in papers if p.indicator == indicator]
            )
    keep = {i.code for i in chosen}
    result.cells = {key: figure for key, figure in result.cells.items() if key[2] in keep}
    return result


def _distinct(indicator: Indicator) -> bool:
    return indicator.aggregation == Aggregation.DISTINCT_PLACES


def _with_terms(chosen: list[Indicator]) -> list[Indicator]:
    """The chosen indicators and the terms of any ratio among them."""
    have = {i.pk for i in chosen}
    wanted = {
        pk
        for i in chosen
        if i.aggregation == Aggregation.RATIO
        for pk in (i.numerator_id, i.denominator_id)
        if pk is not None and pk not in have
    }
    return [*chosen, *Indicator.objects.filter(pk__in=wanted)] if wanted else chosen


def _with_parts(chosen: list[Indicator]) -> list[Indicator]:
    """The chosen indicators and the parts of any whole among them (chuồng trại = làm mới
    + di dời), whose records and totals the whole is made of."""
    ids = {i.pk for i in chosen if i.source == Source.PARTS}
    if not ids:
        return chosen
    parts = [
        i
        for i in Indicator.objects.exclude(pk__in=ids)
        if _parent_id(i) is not None and _parent_id(i) in ids
    ]
    return [*chosen, *parts]


def _merged(
    cells: Cells, indicator: Indicator, parts: list[Indicator]
) -> dict[tuple[int, str], Cell]:
    if not parts:
        return cells[indicator.code]
    merged: dict[tuple[int, str], Cell] = defaultdict(Cell)
    for source in (indicator, *parts):
        for key, cell in cells[source.code].items():
            merged[key].merge(cell)
    return merged


def _fill_insides(
    papers: list[Paper],
    *,
    engine: str,
    tree: Tree,
    boundaries: datetime.date | None,
    status: Status,
) -> None:
    """What the records already hold inside each paper total (its unit's territory, as
    recorded, in its period); for distinct places, what each total may have counted.

    The totals are read in batches, not one by one: a batch holds totals of units of one
    level (which never nest) over periods that are the same or apart, so one read of each
    source answers all of them, however many units and periods the totals cover."""
    footprints([p for p in papers if _distinct(p.indicator)], tree=tree, boundaries=boundaries)
    additive = [p for p in papers if not _distinct(p.indicator)]
    if not additive:
        return
    catalogue = list(Indicator.objects.all())
    for batch in _batches(additive):
        _fill_batch(batch, catalogue, engine=engine, tree=tree, status=status)


def _batches(papers: list[Paper]) -> list[list[Paper]]:
    """Papers in groups whose units do not nest (one level) and whose periods are the same
    or do not overlap, so that one question with all their units and periods holds each."""
    batches: list[tuple[str, set[tuple[datetime.date, datetime.date]], list[Paper]]] = []
    for paper in papers:
        window = (paper.start, paper.end)
        for level, windows, batch in batches:
            if level == paper.level and all(
                w == window or w[1] < window[0] or window[1] < w[0] for w in windows
            ):
                windows.add(window)
                batch.append(paper)
                break
        else:
            batches.append((paper.level, {window}, [paper]))
    return [batch for _, _, batch in batches]


def _fill_batch(
    papers: list[Paper],
    catalogue: list[Indicator],
    *,
    engine: str,
    tree: Tree,
    status: Status,
) -> None:
    windows = sorted({(p.start, p.end) for p in papers})
    periods = [Period(a, b, "range", "", f"inside {a}..{b}") for a, b in windows]
    units = sorted({p.unit_id for p in papers})
    indicators = {p.indicator.pk: p.indicator for p in papers}
    parts = [i for i in catalogue if _parent_id(i) in indicators and i.pk not in indicators]
    sources = [*indicators.values(), *parts]
    cells: Cells = {i.code: defaultdict(Cell) for i in sources}
    mapper = Mapper([AdminUnit(pk=u) for u in units], None, tree)
    read_record_cells(
        [i for i in sources if i.source in RECORD_SOURCES],
        cells,
        mapper,
        periods,
        units=units,
        engine=engine,
        need_sets=False,
        status=status,
    )
    for indicator in sources:
        if indicator.source in COUNTED_READERS:
            read_counted(indicator, cells, mapper, periods)
        elif indicator.source in STOCK:
            read_stocks(indicator, cells[indicator.code], mapper, periods)
    for paper in papers:
        code = f"inside {paper.start}..{paper.end}"
        family = [paper.indicator, *(i for i in parts if _parent_id(i) == paper.indicator.pk)]
        paper.inside = sum(
            (cells[i.code][(paper.unit_id, code)].total for i in family), start=paper.inside
        )


def aggregate(
    *,
    unit: AdminUnit,
    start: datetime.date,
    end: datetime.date,
    boundaries: datetime.date | None = None,
    indicators: Iterable[Indicator] | None = None,
    engine: str = "auto",
) -> dict[str, Figure]:
    """Every requested indicator for ``unit`` over [start, end] (inclusive dates)."""
    period = Period(start, end, "range", f"{start:%d/%m/%Y} – {end:%d/%m/%Y}", "range")
    result = pivot(
        units=[unit], periods=[period], indicators=indicators, boundaries=boundaries, engine=engine
    )
    return {i.code: result.figure(unit, period, i.code) for i in result.indicators}

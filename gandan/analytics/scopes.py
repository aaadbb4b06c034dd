"""From cells to figures: the records of every scope of a pivot (each unit and period, and
the totals), resolved against the paper totals that land there (ADR 0007), with a note for
every source saying what became of it."""

import datetime
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gandan.analytics.figures import (
    ASIDE,
    COVERED,
    SPREAD_KEY,
    TOTAL,
    UNALLOCATED,
    USED,
    Cell,
    Figure,
    PivotResult,
    SourceNote,
    figure_of,
    records_figure,
)
from gandan.analytics.papers import PARTIAL, PARTLY, SPANS, Paper, contains, overlap
from gandan.analytics.quantity import EXACT, Quantity
from gandan.analytics.resolve import Claim, resolve
from gandan.core.numbers import format_number
from gandan.indicators.models import Aggregation, Indicator

Scope = tuple[object, str]
RECORDS_LABEL = "Bản ghi hoạt động chi tiết"


@dataclass
class Inputs:
    """What one indicator's figures are made of."""

    indicator: Indicator
    cells: dict[tuple[int, str], Cell]  # the records (and the parts' records, for a whole)
    counts: dict[Scope, int] | None  # distinct counts answered in SQL, when no sets were read
    papers: list[Paper]
    stock: bool


def assemble(result: PivotResult, inputs: Inputs) -> None:
    """Fill ``result.cells`` for one indicator."""
    indicator = inputs.indicator
    distinct = indicator.aggregation == Aggregation.DISTINCT_PLACES
    units = [u.pk for u in result.units]
    periods = [p.code for p in result.periods]
    last = periods[-1]
    scopes: dict[Scope, Cell] = {}
    by_unit: dict[object, Cell] = defaultdict(Cell)
    by_period: dict[str, Cell] = defaultdict(Cell)
    grand = Cell()
    empty = Cell()  # every scope without records: read, never changed
    for unit in units:
        for period in periods:
            cell = inputs.cells.get((unit, period), empty)
            scopes[(unit, period)] = cell
            if cell is empty:
                continue
            by_period[period].merge(cell)
            if not inputs.stock or period == last:  # a stock's total is its last value
                by_unit[unit].merge(cell)
    spread: dict[str, Cell] = {p: inputs.cells.get((SPREAD_KEY, p), Cell()) for p in periods}
    spread_total = Cell()
    for period in periods:
        by_period[period].merge(spread[period])
        if not inputs.stock or period == last:
            grand.merge(by_period[period])
            spread_total.merge(spread[period])
    scopes |= {(u, TOTAL): by_unit[u] for u in units}
    scopes |= {(TOTAL, p): by_period[p] for p in periods}
    scopes[(TOTAL, TOTAL)] = grand
    unallocated = any(p.place == UNALLOCATED for p in inputs.papers) or any(
        c.records for c in spread.values()
    )
    if unallocated:
        scopes |= {(UNALLOCATED, p): spread[p] for p in periods}
        scopes[(UNALLOCATED, TOTAL)] = spread_total
    if not inputs.papers:  # the common case: the records alone
        _records_only(result, inputs, scopes, distinct, periods)
    else:
        _with_papers(result, inputs, scopes, distinct, units, periods)
    if unallocated and not distinct:
        above = {p.id for p in inputs.papers if p.place == UNALLOCATED}
        for period in [*periods, TOTAL]:
            _unallocated_row(result, indicator, units, period, above)


def _records_only(
    result: PivotResult,
    inputs: Inputs,
    scopes: dict[Scope, Cell],
    distinct: bool,
    periods: list[str],
) -> None:
    """Each scope's figure from its records, which are its one source (what ``_resolved``
    gives with no paper total, without its general steps: a pivot has thousands)."""
    code = inputs.indicator.code
    for scope, cell in scopes.items():
        counted = _counted(inputs.counts, scope, periods)
        if counted is not None:
            value = Decimal(counted)
        else:
            value = Decimal(len(cell.places)) if distinct else cell.total
        notes = [SourceNote("records", RECORDS_LABEL, value, EXACT, USED)] if cell.records else []
        result.cells[(*scope, code)] = Figure(
            inputs.indicator,
            value,
            from_records=cell.records,
            breakdown=dict(cell.breakdown),
            sources=notes,
        )


def _with_papers(
    result: PivotResult,
    inputs: Inputs,
    scopes: dict[Scope, Cell],
    distinct: bool,
    units: list[int],
    periods: list[str],
) -> None:
    indicator = inputs.indicator
    levels = _levels(result)
    spans = _spans(result)
    for scope, cell in scopes.items():
        figure = records_figure(indicator, cell, distinct)
        counted = _counted(inputs.counts, scope, periods)
        if counted is not None:
            figure.value = Decimal(counted)
        span = (scope[0], *spans[scope[1]])
        level = levels.get(scope[0], "")
        landed = [p for p in inputs.papers if _lands(p, scope, units, periods, inputs.stock)]
        aside = [p for p in inputs.papers if p not in landed and _touches(p, scope, result)]
        if inputs.stock and landed:
            landed, later = _same_day(landed, scope, result, figure.value)
            aside += later
        result.cells[(*scope, indicator.code)] = _resolved(
            figure, cell, landed, aside, distinct, level, span
        )


def _counted(counts: dict[Scope, int] | None, scope: Scope, periods: list[str]) -> int | None:
    """The distinct count SQL answered for a scope. The places of no single unit (spread
    over several, or above the pivot's units) come back under ``SPREAD_KEY``; their total
    over one period is that period's."""
    if counts is None:
        return None
    unit, period = scope
    if unit != UNALLOCATED:
        return counts.get(scope)
    if period == TOTAL and len(periods) == 1:
        period = periods[0]
    return counts.get((SPREAD_KEY, period), 0)


def _lands(paper: Paper, scope: Scope, units: list[int], periods: list[str], stock: bool) -> bool:
    unit, period = scope
    if paper.place == PARTLY or paper.period == PARTIAL:
        return False
    if unit == TOTAL:
        unit_ok = paper.place in units or paper.place == UNALLOCATED
    else:
        unit_ok = paper.place == unit
    if period == TOTAL:
        period_ok = paper.period == SPANS or paper.period in periods
        if stock:
            period_ok = paper.period == periods[-1]
    else:
        period_ok = paper.period == period
    return unit_ok and period_ok


def _same_day(
    landed: list[Paper], scope: Scope, result: PivotResult, roster: Decimal
) -> tuple[list[Paper], list[Paper]]:
    """A stock is a count on one day: paper totals of the period's last day meet the roster
    of that day; an earlier one stands in only where the roster has nothing."""
    period = scope[1] if scope[1] != TOTAL else result.periods[-1].code
    day = next(p.end for p in result.periods if p.code == period)
    same = [p for p in landed if p.end == day]
    if same or roster:
        return same, [p for p in landed if p not in same]
    latest = max(p.end for p in landed)
    return [p for p in landed if p.end == latest], [p for p in landed if p.end != latest]


def _touches(paper: Paper, scope: Scope, result: PivotResult) -> bool:
    """Whether a paper that does not land in ``scope`` still reaches it (said, not added)."""
    unit, period = scope
    if unit == UNALLOCATED or (unit != TOTAL and unit not in paper.touched):
        return False
    if period == TOTAL:
        return True  # every paper loaded meets the question's window
    span = next(p for p in result.periods if p.code == period)
    return paper.start <= span.end and span.start <= paper.end


def _records_note(figure: Figure, used: Decimal, replaced: Decimal) -> SourceNote:
    reason = ""
    if replaced:
        reason = (
            f"{format_number(replaced, 3)} trong số này nằm trong phạm vi báo cáo giấy được "
            "tính, không cộng thêm"
        )
    return SourceNote("records", RECORDS_LABEL, used, EXACT, USED, reason)


def _levels(result: PivotResult) -> dict[object, str]:
    """Each unit's level (the first unit of a pk, as listed); none for the total rows."""
    levels: dict[object, str] = {}
    for unit in result.units:
        levels.setdefault(unit.pk, unit.level)
    return levels


def _spans(result: PivotResult) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Each period's first and last day, and the whole pivot's under TOTAL."""
    spans: dict[str, tuple[datetime.date, datetime.date]] = {}
    for p in result.periods:
        first, last = spans.get(p.code, (p.start, p.end))
        spans[p.code] = (min(first, p.start), max(last, p.end))
    spans[TOTAL] = (min(p.start for p in result.periods), max(p.end for p in result.periods))
    return spans


def _resolved(
    figure: Figure,
    cell: Cell,
    landed: list[Paper],
    aside: list[Paper],
    distinct: bool,
    level: str,
    span: tuple[object, datetime.date, datetime.date],
) -> Figure:
    """The figure of one scope; a paper total that reaches it but cannot be counted in it is
    said, and makes the figure a lower bound unless a total of the scope's own unit and
    whole period is counted (it then says all there is)."""
    notes: list[SourceNote] = []
    placed_aside = [_placement_note(p, level) for p in aside]
    if not landed:
        if figure.from_records:
            notes.append(_records_note(figure, figure.value, Decimal(0)))
        figure.sources = notes + placed_aside
        if placed_aside:
            quantity = Quantity.exact(figure.value).at_least()
            figure.qualifier, figure.value = quantity.wording()
            figure.low, figure.high = quantity.lo, quantity.hi
        return figure
    records = figure.value
    claims = []
    for paper in landed:
        inside = Decimal(len(cell.places & paper.footprint)) if distinct else paper.inside
        claims.append(Claim(paper.key, paper.quantity, inside))
    papers: dict[Hashable, Paper] = {p.key: p for p in landed}
    resolution = resolve(
        records,
        claims,
        overlaps=lambda a, b: overlap(papers[a], papers[b]),
        contains=lambda a, b: contains(papers[a], papers[b]),
    )
    insides = {c.key: c.inside for c in claims}
    replaced = sum((insides[k] for k in resolution.chosen), Decimal(0))
    if figure.from_records:
        notes.append(_records_note(figure, records, replaced))
    for paper in landed:
        qualifier, value = paper.quantity.wording()
        if paper.key in resolution.chosen:
            notes.append(
                SourceNote("paper", paper.label, value, qualifier, USED, entry_id=paper.id)
            )
        elif paper.key in resolution.covered:
            by = resolution.covered[paper.key]
            reason = (
                f"đã gồm trong {papers[by].label}"
                if by is not None
                else f"bản ghi chi tiết đã có đủ ({format_number(insides[paper.key], 3)})"
            )
            notes.append(
                SourceNote("paper", paper.label, value, qualifier, COVERED, reason, paper.id)
            )
        else:
            others = [papers[k].label for k in resolution.chosen if overlap(papers[k], paper)]
            reason = "trùng một phần địa bàn và thời gian với " + (
                "; ".join(others) if others else "bản ghi chi tiết"
            )
            reason += "; không cộng, số liệu là cận dưới"
            notes.append(
                SourceNote("paper", paper.label, value, qualifier, ASIDE, reason, paper.id)
            )
    notes += placed_aside
    unit, first, last = span
    whole = any(
        papers[k].unit_id == unit and papers[k].start <= first and last <= papers[k].end
        for k in resolution.chosen
    )
    quantity = resolution.quantity.at_least() if placed_aside and not whole else resolution.quantity
    resolved = figure_of(
        figure.indicator,
        quantity,
        from_records=figure.from_records,
        from_aggregates=bool(resolution.chosen),
        breakdown=figure.breakdown,
        sources=notes,
    )
    return resolved


LEVEL_WORDS = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


def _placement_note(paper: Paper, level: str) -> SourceNote:
    """Why a paper total that reaches a scope is not counted in it."""
    qualifier, value = paper.quantity.wording()
    own, asked = LEVEL_WORDS.get(paper.level, ""), LEVEL_WORDS.get(level, "")
    if paper.period == PARTIAL:
        reason = "kỳ báo cáo không nằm trọn trong kỳ hỏi, không tách được theo thời gian"
    elif paper.place in (UNALLOCATED, PARTLY) and own and asked and own != asked:
        reason = f"số liệu {own}, không phân bổ được xuống {asked}"
    elif paper.place in (UNALLOCATED, PARTLY):
        reason = "địa bàn của báo cáo không nằm trọn trong đơn vị hỏi, không phân bổ được"
    else:
        reason = "kỳ báo cáo gồm nhiều kỳ hỏi; chỉ tính ở cột tổng"
    return SourceNote("paper", paper.label, value, qualifier, ASIDE, reason, paper.id)


def _unallocated_row(
    result: PivotResult,
    indicator: Indicator,
    units: Sequence[int],
    period: str,
    above: set[int],
) -> None:
    """What the total holds beyond its units' cells: the part only the whole can carry (the
    records and paper totals of a unit above them), so that the rows add up to the total."""
    total = result.cells[(TOTAL, period, indicator.code)]
    parts = sum((result.cells[(u, period, indicator.code)].value for u in units), Decimal(0))
    row = result.cells[(UNALLOCATED, period, indicator.code)]
    records = [s for s in row.sources if s.kind == "records"]
    row.value = max(Decimal(0), total.value - parts)
    row.qualifier = total.qualifier if row.value else EXACT
    row.from_aggregates = any(s.entry_id in above for s in total.sources if s.status == USED)
    row.unallocated = row.value
    row.sources = records + [s for s in total.sources if s.status == USED and s.entry_id in above]
    total.unallocated = row.value

"""Ratio indicators: a numerator and a denominator, shown as a percentage ("gần 80% là
người dân tộc thiểu số"), never summed (ADR 0007, ADR 0018).

Where both terms have data in a scope, the ratio is computed from them, with their
qualifiers carried through interval division. Where they do not, a paper report's own
percentage for exactly that unit and period stands in; a percentage of another unit or a
longer period is said, never added or averaged.
"""

from decimal import ROUND_HALF_UP, Decimal

from gandan.analytics.figures import (
    ASIDE,
    TOTAL,
    USED,
    Figure,
    PivotResult,
    SourceNote,
    figure_of,
)
from gandan.analytics.papers import Paper
from gandan.analytics.quantity import Quantity
from gandan.indicators.models import Indicator

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def _quantity(figure: Figure) -> Quantity:
    low, high = figure.bounds
    return Quantity(low, high, figure.value, frozenset({figure.qualifier}))


def ratio_quantity(numerator: Figure, denominator: Figure) -> Quantity | None:
    """numerator / denominator × 100, as an interval; None when the denominator is 0."""
    top, bottom = _quantity(numerator), _quantity(denominator)
    if bottom.said <= 0:
        return None
    said = (top.said * HUNDRED / bottom.said).quantize(TENTH, ROUND_HALF_UP)
    if top.is_exact and bottom.is_exact:
        return Quantity.exact(said)
    low = top.lo * HUNDRED / bottom.hi if bottom.hi else Decimal(0)
    high = None if top.hi is None or bottom.lo <= 0 else top.hi * HUNDRED / bottom.lo
    low = min(low.quantize(TENTH, ROUND_HALF_UP), said)
    high = None if high is None else max(high.quantize(TENTH, ROUND_HALF_UP), said)
    return Quantity(low, high, said, frozenset({"khoang" if high is not None else "tren"}))


def fill_ratio(
    result: PivotResult,
    indicator: Indicator,
    numerator: Indicator,
    denominator: Indicator,
    papers: list[Paper],
) -> None:
    """Fill ``result.cells`` for one ratio indicator from its terms' cells."""
    for unit, period, code in list(result.cells):
        if code != numerator.code:
            continue
        top = result.cells[(unit, period, numerator.code)]
        bottom = result.cells.get((unit, period, denominator.code))
        quantity = None if bottom is None or not top.has_data else ratio_quantity(top, bottom)
        if quantity is not None and bottom is not None:
            notes = [
                SourceNote("records", term.indicator.name_vi, term.value, term.qualifier, USED)
                for term in (top, bottom)
            ]
            result.cells[(unit, period, indicator.code)] = figure_of(
                indicator, quantity, from_records=True, from_aggregates=False, sources=notes
            )
            continue
        result.cells[(unit, period, indicator.code)] = _from_paper(indicator, unit, period, papers)


def _from_paper(indicator: Indicator, unit: object, period: str, papers: list[Paper]) -> Figure:
    """A report's own percentage for exactly this unit; the latest one when there are
    several (percentages are never added or averaged)."""
    own = [
        p
        for p in papers
        if p.unit_id == unit and p.place == unit and (period == TOTAL or p.period == period)
    ]
    if not own:
        return Figure(indicator, Decimal(0))
    latest = max(own, key=lambda p: (p.end, p.id))
    notes = []
    for paper in own:
        qualifier, value = paper.quantity.wording()
        used = paper is latest
        reason = "" if used else "tỉ lệ không cộng được; lấy báo cáo có kỳ gần nhất"
        notes.append(
            SourceNote(
                "paper", paper.label, value, qualifier, USED if used else ASIDE, reason, paper.id
            )
        )
    return figure_of(
        indicator, latest.quantity, from_records=False, from_aggregates=True, sources=notes
    )

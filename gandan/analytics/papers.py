"""Paper totals in the engine: where each one may count in a question (ADR 0007).

A paper total covers its unit's whole territory for its whole period. In a question with
target units, periods and boundaries it lands

- in a **unit** when every place it covered counts under that unit on the question's terms
  (as recorded: the unit that held the place on each day; under a date's boundaries: every
  unit that holds part of the place then); in the **UNALLOCATED** row when its places count
  under several of the question's units (a district's total asked by 2025 communes: "số liệu
  cấp huyện, không phân bổ được xuống cấp xã"), which the total row still carries; and
  nowhere, but **said**, when only part of its territory lies in the question;
- in a **period** that holds its whole period; in the totals over periods when it spans
  several of them; and nowhere, but said, when it runs past the question's window.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gandan.analytics.figures import UNALLOCATED
from gandan.analytics.quantity import Quantity
from gandan.analytics.stocks import STOCK
from gandan.core.dates import vn_date
from gandan.core.numbers import format_qualified
from gandan.core.periods import Period
from gandan.geo.models import KIND_PREFIX, AdminUnit, Level, UnitVersion
from gandan.geo.tree import NONE, Tree, Window
from gandan.indicators.models import Aggregation, Indicator
from gandan.work.models import AggregateEntry

SPANS, PARTIAL = "__spans__", "__partial__"
PARTLY, OUTSIDE = "__partly__", "__outside__"


@dataclass
class Paper:
    """A paper total as one question sees it."""

    id: int
    indicator: Indicator
    unit_id: int
    start: datetime.date
    end: datetime.date  # inclusive, as published
    quantity: Quantity
    label: str
    territory: dict[int, list[Window]]
    level: str = ""  # the level of the paper's unit (district, commune …)
    place: int | str = OUTSIDE  # a target id, UNALLOCATED, PARTLY or OUTSIDE
    touched: set[int] = field(default_factory=set)  # the targets its territory reaches
    period: str = PARTIAL  # a period code, SPANS or PARTIAL
    inside: Decimal = Decimal(0)  # what the records hold inside it (additive indicators)
    footprint: frozenset[int] = frozenset()  # the places it may have counted (distinct)

    @property
    def key(self) -> int:
        return self.id

    def window(self) -> Window:
        return (self.start, self.end + datetime.timedelta(days=1))


def papers_for(
    indicators: Sequence[Indicator],
    *,
    targets: Sequence[AdminUnit],
    periods: Sequence[Period],
    boundaries: datetime.date | None,
    tree: Tree,
) -> list[Paper]:
    """The paper totals of ``indicators`` that reach the question in place and time."""
    if not indicators or not periods:
        return []
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    by_pk = {i.pk: i for i in indicators}
    rows = (
        AggregateEntry.objects.filter(
            indicator_id__in=by_pk, period_start__lte=end, period_end__gte=start
        )
        .select_related("unit")
        .order_by("period_start", "id")
    )
    target_ids = frozenset(t.pk for t in targets)
    found: list[Paper] = []
    for entry in rows:
        paper = Paper(
            id=entry.pk,
            indicator=by_pk[entry.indicator_id],
            unit_id=entry.unit_id,
            start=entry.period_start,
            end=entry.period_end,
            quantity=Quantity.qualified(entry.value, entry.qualifier),
            label=_label(entry),
            territory=tree.territory(entry.unit_id, entry.period_start, entry.period_end)
            or {entry.unit_id: [(entry.period_start, entry.period_end + datetime.timedelta(1))]},
            level=entry.unit.level,
        )
        paper.place, paper.touched = _place(paper, target_ids, boundaries, tree)
        if paper.place == OUTSIDE:
            continue
        paper.period = _period(paper, periods, stock=paper.indicator.source in STOCK)
        found.append(paper)
    return found


def _label(entry: AggregateEntry) -> str:
    unit = entry.unit
    where = f"{KIND_PREFIX.get(unit.kind, '')} {unit.name}".strip()
    number = f" số {entry.source_number}" if entry.source_number else ""
    return f"Báo cáo{number} ngày {vn_date(entry.source_date)} của {where} ({entry.period_label})"


def _place(
    paper: Paper, targets: frozenset[int], boundaries: datetime.date | None, tree: Tree
) -> tuple[int | str, set[int]]:
    reached: set[int] = set()
    for leaf, windows in tree.leaves(paper.territory).items():
        if boundaries is None:
            for window in windows:
                for day in tree.breakpoints(leaf, window):
                    chain = tree.chain(leaf, day)
                    reached.add(next((u for u in chain if u in targets), NONE))
        else:
            holders = tree.holders_on(leaf, boundaries)
            reached |= {tree.target_of(h, boundaries, targets) for h in holders} or {NONE}
    inside = reached - {NONE}
    if not inside:
        return OUTSIDE, set()
    if NONE in reached:
        return PARTLY, inside
    if len(inside) == 1:
        return next(iter(inside)), inside
    return UNALLOCATED, inside


def _period(paper: Paper, periods: Sequence[Period], *, stock: bool) -> str:
    if stock:  # a stock is said as of a day: the last day of the paper's period
        return next((p.code for p in periods if p.start <= paper.end <= p.end), PARTIAL)
    for period in periods:
        if period.start <= paper.start and paper.end <= period.end:
            return period.code
    day = paper.start
    for period in sorted(periods, key=lambda p: p.start):
        if period.end < day:
            continue
        if period.start > day:
            return PARTIAL
        day = period.end + datetime.timedelta(days=1)
        if day > paper.end:
            return SPANS
    return PARTIAL


# -- how two totals relate -------------------------------------------------------------------


def _meet(a: list[Window], b: list[Window]) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _within(inner: list[Window], outer: list[Window]) -> bool:
    """Whether every day of ``inner`` lies in ``outer`` (outer's windows do not overlap)."""
    for start, end in inner:
        day = start
        for o_start, o_end in sorted(outer):
            if o_start <= day < o_end:
                day = o_end
            if day >= end:
                break
        if day < end:
            return False
    return True


def overlap(a: Paper, b: Paper) -> bool:
    """Whether two totals can count the same thing: for sums, a place in both territories
    at the same time; for distinct places, a place both may have counted, at any time."""
    if not _related(a, b):
        return False
    if a.indicator.aggregation == Aggregation.DISTINCT_PLACES:
        return bool(a.footprint & b.footprint)
    return any(_meet(w, b.territory[u]) for u, w in a.territory.items() if u in b.territory)


def contains(outer: Paper, inner: Paper) -> bool:
    """Whether ``outer`` covers everything ``inner`` covers."""
    if not _related(outer, inner) or _is_part(outer, inner):
        return False
    if outer.indicator.aggregation == Aggregation.DISTINCT_PLACES:
        return inner.footprint <= outer.footprint
    return all(
        u in outer.territory and _within(w, outer.territory[u]) for u, w in inner.territory.items()
    )


def _parent_id(indicator: Indicator) -> int | None:
    return getattr(indicator, "parent_id", None)


def _is_part(a: Paper, b: Paper) -> bool:
    """``a`` is a total of a part (chuồng làm mới) and ``b`` of the whole (chuồng trại)."""
    return _parent_id(a.indicator) == b.indicator.pk


def _related(a: Paper, b: Paper) -> bool:
    """Totals of the same indicator, or of a part and its whole, can overlap; totals of two
    parts (new pens, moved pens) never do."""
    if a.indicator.pk == b.indicator.pk:
        return True
    return _is_part(a, b) or _is_part(b, a)


# -- distinct places: what a total may have counted -------------------------------------------


def footprints(papers: Iterable[Paper], *, tree: Tree, boundaries: datetime.date | None) -> None:
    """Fill ``footprint``: the villages (for villages reached) or communes (for communes
    reached, as the question counts them) that were in the total's territory."""
    villages = [p for p in papers if p.indicator.source == "villages"]
    communes = [p for p in papers if p.indicator.source == "communes"]
    for paper in communes:
        places = {u for u in paper.territory if tree.level.get(u) == Level.COMMUNE}
        if boundaries is not None:
            places = {tree.counted_as(u, boundaries) for u in places}
        paper.footprint = frozenset(places)
    if not villages:
        return
    parents = {u for p in villages for u in p.territory}
    found: dict[int, list[tuple[int, datetime.date | None, datetime.date | None]]] = defaultdict(
        list
    )
    for village, parent, start, end in UnitVersion.objects.filter(
        unit__level=Level.VILLAGE, parent_id__in=parents
    ).values_list("unit_id", "parent_id", "valid_from", "valid_to"):
        found[parent].append((village, start, end))
    for paper in villages:
        reached: set[int] = set()
        for unit_id, windows in paper.territory.items():
            for village, start, end in found.get(unit_id, ()):
                if any(
                    (start is None or start < b) and (end is None or a < end) for a, b in windows
                ):
                    reached.add(village)
        paper.footprint = frozenset(reached)


def describe(paper: Paper) -> str:
    qualifier, value = paper.quantity.wording()
    return f"{paper.label}: {format_qualified(value, qualifier, decimals=3)}"

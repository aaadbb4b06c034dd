"""What the aggregation engine works with: the cells it fills from the records, the figures
it answers with (each with where it came from), the result of a pivot, and the mapping of a
place to the target unit it counts under."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gandan.analytics.quantity import EXACT, Quantity
from gandan.core.periods import Period
from gandan.geo.models import AdminUnit
from gandan.geo.tree import NONE, SPREAD, Tree
from gandan.indicators.models import Indicator, Source
from gandan.work.validation import Checker

TOTAL = "__total__"
UNALLOCATED = "__unallocated__"  # above the pivot's units: counted in its totals only
# The cells' key for what spreads over several of the pivot's units (a district's own records
# or paper total asked by commune); it becomes the UNALLOCATED row.
SPREAD_KEY = SPREAD
RECORD_SOURCES = {
    Source.ACTIVITIES,
    Source.PARTICIPANTS,
    Source.VILLAGES,
    Source.COMMUNES,
    Source.VALUE,
}
STOCK_SOURCES = {Source.MEMBERS, Source.TEAMS, Source.VILLAGES_ASSIGNED}

# How a source took part in a figure (``SourceNote.status``).
USED, COVERED, ASIDE = "used", "covered", "aside"


@dataclass(frozen=True)
class SourceNote:
    """One source of a figure and what became of it: used, covered by another source
    (already counted there), or set aside (and why)."""

    kind: str  # "records" or "paper"
    label: str  # what it is, in Vietnamese
    value: Decimal
    qualifier: str
    status: str
    reason: str = ""
    entry_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "label": self.label,
            "value": int(self.value) if self.value == int(self.value) else float(self.value),
            "qualifier": self.qualifier,
            "status": self.status,
            "reason": self.reason,
            "entry": self.entry_id,
        }


@dataclass
class Figure:
    indicator: Indicator
    value: Decimal
    qualifier: str = EXACT
    from_records: bool = False
    from_aggregates: bool = False
    breakdown: dict[str, Decimal] = field(default_factory=dict)
    sources: list[SourceNote] = field(default_factory=list)
    # A part of the figure that no lower unit can carry (a district's paper total asked
    # under 2025 boundaries, by commune): said in words wherever the figure is.
    unallocated: Decimal = Decimal(0)
    # The interval the true value lies in, as far as the sources say (None: no upper bound).
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def bounds(self) -> tuple[Decimal, Decimal | None]:
        if self.low is None:
            return self.value, self.value
        return self.low, self.high

    @property
    def has_data(self) -> bool:
        return self.from_records or self.from_aggregates or self.value != 0

    @property
    def set_aside(self) -> list[SourceNote]:
        return [s for s in self.sources if s.status == ASIDE]


@dataclass
class Cell:
    """What the records of one (unit, period) bucket add up to, before it becomes a Figure."""

    total: Decimal = Decimal(0)
    places: set[int] = field(default_factory=set)
    records: bool = False
    breakdown: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def merge(self, other: "Cell") -> None:
        self.total += other.total
        self.places |= other.places
        self.records |= other.records
        for key, value in other.breakdown.items():
            self.breakdown[key] += value


def records_figure(indicator: Indicator, cell: Cell, distinct: bool) -> Figure:
    value = Decimal(len(cell.places)) if distinct else cell.total
    return Figure(indicator, value, from_records=cell.records, breakdown=dict(cell.breakdown))


def figure_of(
    indicator: Indicator,
    quantity: Quantity,
    *,
    from_records: bool,
    from_aggregates: bool,
    breakdown: dict[str, Decimal] | None = None,
    sources: list[SourceNote] | None = None,
) -> Figure:
    qualifier, value = quantity.wording()
    return Figure(
        indicator,
        value,
        qualifier,
        from_records=from_records,
        from_aggregates=from_aggregates,
        breakdown=breakdown or {},
        sources=sources or [],
        low=quantity.lo,
        high=quantity.hi,
    )


@dataclass
class PivotResult:
    """cells[(unit_id or TOTAL or UNALLOCATED, period code or TOTAL, indicator code)] → Figure.

    The UNALLOCATED row holds what only the pivot's units together can carry (a paper total
    of a unit above them); it is part of the TOTAL row and shown apart, never dropped."""

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

    def unallocated(self, period: Period | str, code: str) -> Figure | None:
        period_key = period if isinstance(period, str) else period.code
        return self.cells.get((UNALLOCATED, period_key, code))

    @property
    def has_unallocated(self) -> bool:
        return any(key[0] == UNALLOCATED and f.has_data for key, f in self.cells.items())


class Mapper:
    """Which target unit a place (a commune or any recording unit) counts under."""

    def __init__(
        self, targets: Sequence[AdminUnit], boundaries: datetime.date | None, tree: Tree
    ) -> None:
        self.targets = {t.pk for t in targets}
        self.boundaries = boundaries
        self.tree = tree
        self.checker = Checker(tree)  # for places the tree does not hold (villages)
        self._by_place: dict[tuple[int, datetime.date | None], int | None] = {}

    def target(self, place_id: int, on: datetime.date) -> int | None:
        key = (place_id, None if self.boundaries is not None else on)
        if key not in self._by_place:
            self._by_place[key] = self._resolve(place_id, on)
        return self._by_place[key]

    def _resolve(self, place_id: int, on: datetime.date) -> int | None:
        if place_id in self.tree.spans:
            targets = frozenset(self.targets)
            if self.boundaries is None:
                chain = self.tree.chain(place_id, on)
                found = next((u for u in chain if u in targets), None)
                if found is None and chain:
                    found = self.tree.spread_as_recorded(place_id, on, targets)
            else:
                found = self.tree.target_map(targets, self.boundaries).get(place_id, NONE)
            return None if found in (None, NONE) else found
        # A village (awards, cases): its commune on the day, then as above.
        parent = self.checker.parent_on(place_id, on)
        return self._resolve(parent, on) if parent is not None and parent > 0 else None

    def counted_as(self, place_id: int) -> int:
        """The commune a record on ``place_id`` counts as reaching: as recorded, or its
        successor on the boundary date."""
        if self.boundaries is None or place_id not in self.tree.spans:
            return place_id
        return self.tree.counted_as(place_id, self.boundaries)

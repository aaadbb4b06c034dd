"""What the aggregation engine works with: figures and their qualifiers, the cells it fills,
the result of a pivot, and the mapping of a place to the target unit it counts under."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gandan.core.periods import Period
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import default_successor_on
from gandan.indicators.models import (
    Indicator,
    Source,
)
from gandan.indicators.tree import NONE, Tree
from gandan.work.models import Qualifier
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
class Cell:
    """What one (unit, period) bucket has seen, before it becomes a Figure."""

    total: Decimal = Decimal(0)
    places: set[int] = field(default_factory=set)
    qualifiers: list[str] = field(default_factory=list)
    records: bool = False
    aggregates: bool = False
    breakdown: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def merge(self, other: "Cell") -> None:
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


class Mapper:
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

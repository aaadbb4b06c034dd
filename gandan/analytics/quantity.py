"""Qualified numbers: what "trên 5.700", "gần 80", "hàng trăm" mean, and how they add up
and compare (ADR 0007).

A figure from a paper report is rarely exact. Each qualifier stands for an interval of
possible true values, and the engine works with those intervals:

============  =================  ==========================  ====================
qualifier     written            possible true values        figure said
============  =================  ==========================  ====================
exact         5.700              [v, v]                      v
tren / hon    trên / hơn 5.700   [v, ∞)                      v
gan           gần 80             [v·(1 − δ), v]              v
khoang        khoảng 300         [v·(1 − δ), v·(1 + δ)]      v
hang_chuc     hàng chục          [10, 99]                    "hàng chục"
hang_tram     hàng trăm          [100, 999]                  "hàng trăm"
hang_nghin    hàng nghìn         [1.000, 9.999]              "hàng nghìn"
============  =================  ==========================  ====================

with δ = 10 %. ("Trên 5.700" is strictly more than 5.700 in words; the engine keeps 5.700 as
the guaranteed lower bound, which is what it may promise.)

**Sums** add the intervals. A sum is worded from its interval: exact when it is a point;
"trên" (or "hơn" when every open part said "hơn") and its lower bound when it has no upper
bound; "gần" and its upper end when every inexact part was "gần"; "khoảng" and the sum of the
figures said when the parts were "gần" or "khoảng"; otherwise "trên" and the lower bound. A
single source keeps its own words: "hàng trăm" stays "hàng trăm", never "trên 100".

**Comparisons** are by the guaranteed lower bound: the engine's "largest lower bound" of
overlapping sources maximises it (``analytics.resolve``).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

EXACT, OVER, MORE_THAN, NEARLY, ABOUT = "exact", "tren", "hon", "gan", "khoang"
TENS, HUNDREDS, THOUSANDS = "hang_chuc", "hang_tram", "hang_nghin"
ORDERS = {TENS: Decimal(10), HUNDREDS: Decimal(100), THOUSANDS: Decimal(1000)}
OPEN = {OVER, MORE_THAN}
QUALIFIERS = (EXACT, OVER, MORE_THAN, NEARLY, ABOUT, TENS, HUNDREDS, THOUSANDS)
SLACK = Decimal("0.1")  # δ: how far "gần" and "khoảng" may be from the figure said
ZERO = Decimal(0)


@dataclass(frozen=True)
class Quantity:
    """An interval of possible true values, the figure a person would say, and how the
    parts it was added from were qualified. ``hi`` None means no upper bound."""

    lo: Decimal
    hi: Decimal | None
    said: Decimal
    parts: frozenset[str] = field(default_factory=frozenset)
    own: str | None = None  # the single source's own qualifier, kept for wording

    @classmethod
    def exact(cls, value: Decimal | int) -> "Quantity":
        amount = Decimal(value)
        return cls(amount, amount, amount, frozenset({EXACT}), EXACT)

    @classmethod
    def qualified(cls, value: Decimal | int, qualifier: str) -> "Quantity":
        """A figure as a source wrote it. Unknown qualifiers are refused loudly: a figure
        must never silently lose its qualifier."""
        amount = Decimal(value)
        if qualifier == EXACT:
            return cls.exact(amount)
        if qualifier in OPEN:
            return cls(amount, None, amount, frozenset({qualifier}), qualifier)
        if qualifier == NEARLY:
            return cls(amount * (1 - SLACK), amount, amount, frozenset({qualifier}), qualifier)
        if qualifier == ABOUT:
            low, high = amount * (1 - SLACK), amount * (1 + SLACK)
            return cls(low, high, amount, frozenset({qualifier}), qualifier)
        if qualifier in ORDERS:
            order = ORDERS[qualifier]
            low = max(order, amount) if amount < order * 10 else order
            return cls(low, order * 10 - 1, low, frozenset({qualifier}), qualifier)
        raise ValueError(f"unknown qualifier {qualifier!r}")

    @property
    def is_zero(self) -> bool:
        return self.hi == ZERO and self.lo == ZERO

    @property
    def is_exact(self) -> bool:
        return self.hi is not None and self.lo == self.hi

    def __add__(self, other: "Quantity") -> "Quantity":
        if other.is_zero:
            return self
        if self.is_zero:
            return other
        high = None if self.hi is None or other.hi is None else self.hi + other.hi
        return Quantity(self.lo + other.lo, high, self.said + other.said, self.parts | other.parts)

    def at_least(self) -> "Quantity":
        """The same lower bound with no upper bound: what is left when a source that could
        not be added says there may be more."""
        if self.hi is None:
            return self
        return Quantity(self.lo, None, self.lo, self.parts | {OVER})

    def wording(self) -> tuple[str, Decimal]:
        """(qualifier, figure) as a report says it."""
        if self.own is not None:
            return self.own, self.said
        if self.is_exact:
            return EXACT, self.lo
        inexact = self.parts - {EXACT}
        if self.hi is None:
            return (MORE_THAN if inexact <= {MORE_THAN} else OVER), self.lo
        if inexact <= {NEARLY}:
            return NEARLY, self.hi
        if inexact <= {NEARLY, ABOUT}:
            return ABOUT, self.said
        return OVER, self.lo


def total(quantities: Iterable[Quantity]) -> Quantity:
    """The sum of several quantities; zero (exact) for none."""
    result: Quantity | None = None
    for quantity in quantities:
        result = quantity if result is None else result + quantity
    return result if result is not None else Quantity.exact(ZERO)

"""Overlapping sources: the largest lower bound they support, never their sum (ADR 0007).

Within one question's scope (a unit and a period) the sources of a figure are the detailed
records and the totals of paper reports ("claims"). A claim covers its unit's whole
territory for its whole period, so it overlaps the records inside that territory and period,
and any other claim whose territory and period meet its own. Overlapping sources are never
added. The figure is

    records − (records inside the chosen claims) + (the chosen claims)

for the set of pairwise non-overlapping claims that makes its guaranteed lower bound largest:
a maximum-weight independent set, each claim weighing its lower bound minus the records it
replaces. Claims left out are *covered* (inside a chosen claim, or fully accounted for by the
records inside them) or *set aside*; a figure with a claim set aside is a lower bound.

The search is exact for up to ``LIMIT`` claims that overlap one another (a component of the
overlap graph); paper reports seldom overlap more than three deep. Beyond that it is greedy,
still a lower bound, and says so.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gandan.analytics.quantity import Quantity, total

LIMIT = 18


@dataclass(frozen=True)
class Claim:
    key: Hashable
    quantity: Quantity
    inside: Decimal  # what the records already hold inside the claim's scope

    @property
    def weight(self) -> Decimal:
        return self.quantity.lo - self.inside


@dataclass
class Resolution:
    quantity: Quantity
    chosen: list[Hashable] = field(default_factory=list)
    covered: dict[Hashable, Hashable | None] = field(default_factory=dict)  # None: by records
    aside: list[Hashable] = field(default_factory=list)
    approximate: bool = False


def resolve(
    records: Decimal,
    claims: Sequence[Claim],
    *,
    overlaps: Callable[[Hashable, Hashable], bool],
    contains: Callable[[Hashable, Hashable], bool],
) -> Resolution:
    """The figure of ``records`` (what the detailed records add up to in the scope) and
    ``claims``; ``overlaps(a, b)`` and ``contains(a, b)`` relate two claims by key."""
    by_key = {claim.key: claim for claim in claims}
    candidates = [c for c in claims if c.weight > 0]
    chosen: list[Hashable] = []
    approximate = False
    for component in _components(candidates, overlaps):
        picked, exact = _best(component, overlaps)
        chosen += picked
        approximate |= not exact
    result = Quantity.exact(records - sum((by_key[k].inside for k in chosen), Decimal(0)))
    result = total([result, *(by_key[k].quantity for k in chosen)])
    resolution = Resolution(result, chosen, approximate=approximate)
    for claim in claims:
        if claim.key in chosen:
            continue
        container = next((k for k in chosen if contains(k, claim.key)), None)
        if container is not None:
            resolution.covered[claim.key] = container
        elif claim.quantity.hi is not None and claim.inside >= claim.quantity.hi:
            resolution.covered[claim.key] = None
        else:
            resolution.aside.append(claim.key)
    if resolution.aside or approximate:
        resolution.quantity = resolution.quantity.at_least()
    return resolution


def _components(
    claims: Sequence[Claim], overlaps: Callable[[Hashable, Hashable], bool]
) -> list[list[Claim]]:
    remaining = list(claims)
    found: list[list[Claim]] = []
    while remaining:
        group = [remaining.pop(0)]
        grown = True
        while grown:
            grown = False
            for claim in list(remaining):
                if any(overlaps(claim.key, member.key) for member in group):
                    group.append(claim)
                    remaining.remove(claim)
                    grown = True
        found.append(group)
    return found


def _best(
    claims: list[Claim], overlaps: Callable[[Hashable, Hashable], bool]
) -> tuple[list[Hashable], bool]:
    """The heaviest set of pairwise non-overlapping claims, and whether it is exact."""
    ordered = sorted(claims, key=lambda c: (-c.weight, str(c.key)))
    if len(ordered) > LIMIT:
        picked: list[Claim] = []
        for claim in ordered:
            if not any(overlaps(claim.key, p.key) for p in picked):
                picked.append(claim)
        return [p.key for p in picked], False
    n = len(ordered)
    clash = [
        sum(1 << j for j in range(n) if j != i and overlaps(ordered[i].key, ordered[j].key))
        for i in range(n)
    ]
    weights = [c.weight for c in ordered]
    best: list[object] = [Decimal(-1), 0]

    def search(i: int, taken: int, blocked: int, weight: Decimal, rest: Decimal) -> None:
        if weight + rest <= best[0]:  # type: ignore[operator]
            return
        if i == n:
            best[0], best[1] = weight, taken
            return
        remaining = rest - weights[i]
        if not blocked >> i & 1:
            search(i + 1, taken | 1 << i, blocked | clash[i], weight + weights[i], remaining)
        search(i + 1, taken, blocked, weight, remaining)

    search(0, 0, 0, Decimal(0), sum(weights, Decimal(0)))
    mask = int(best[1])  # type: ignore[call-overload]
    return [ordered[i].key for i in range(n) if mask >> i & 1], True

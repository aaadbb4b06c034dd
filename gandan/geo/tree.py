"""The tree of provinces, districts and communes through time, in memory, with the
successions (ADR 0006, ADR 0007).

:class:`Tree` answers, without queries, which unit a place belongs to on a date, what it
counts as under a later date's boundaries, what territory a unit covered during a period
(:meth:`Tree.territory`) and which units hold it on a later date; :meth:`Tree.cover` says which
fact rows make up each target unit. :func:`tree` loads it once per process and tree
fingerprint (:func:`geo_fingerprint`, which changes with any non-village unit or change).
Its per-question caches are bounded (LRU).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cachetools import LRUCache
from django.db import connection

from gandan.geo.models import AdminUnit, Level, Succession, TreeRevision, UnitVersion

NONE = -1  # a place that counts under no target
MIXED = -2  # a unit whose places count under different targets
EMPTY = -3  # a unit with no records of its own (and none below it)
# A place whose territory lies within the targets but under several of them (a district's
# own records asked by commune): it counts in the targets' total only, never in one of them.
SPREAD = -4

_Version = tuple[datetime.date | None, datetime.date | None, int | None]
# Half-open stretches of days: [start, end).
Window = tuple[datetime.date, datetime.date]
DAY = datetime.timedelta(days=1)


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def geo_fingerprint() -> str:
    """Changes whenever a province, district or commune, a version, a change or a succession
    of one is written (never for villages): database triggers raise ``TreeRevision``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT epoch, revision FROM {_table(TreeRevision)} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else "empty"


def places_fingerprint() -> str:
    """Changes whenever any unit, villages included, or its versions, changes or successions
    is written (row 2 of ``TreeRevision``, migration 0004)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT epoch, revision FROM {_table(TreeRevision)} WHERE id = 2")  # noqa: S608
        row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else "empty"


# -- the tree in memory -------------------------------------------------------------------------


@dataclass
class Tree:
    fingerprint: str
    spans: dict[int, tuple[datetime.date | None, datetime.date | None]]
    sort_keys: dict[int, str]
    level: dict[int, str]
    versions: dict[int, list[_Version]]
    children: dict[int, set[int]]
    parents: dict[int, set[int | None]]
    outgoing: dict[int, list[tuple[datetime.date, int, bool]]]
    incoming: dict[int, list[tuple[int, datetime.date]]]
    _targets: LRUCache[tuple[datetime.date, frozenset[int]], dict[int, int]] = field(
        default_factory=lambda: LRUCache(maxsize=32)
    )
    _covers: LRUCache[object, list[tuple[int, bool, int]]] = field(
        default_factory=lambda: LRUCache(maxsize=64)
    )

    def valid(self, unit_id: int, on: datetime.date) -> bool:
        start, end = self.spans.get(unit_id, (None, None))
        return (start is None or start <= on) and (end is None or on < end)

    def chain(self, unit_id: int, on: datetime.date) -> list[int]:
        """As ``work.validation.Checker.chain``: the unit and its ancestors on ``on``."""
        out: list[int] = []
        current: int | None = unit_id
        while current is not None and len(out) < 6:
            for start, end, parent in self.versions.get(current, ()):
                if (start is None or start <= on) and (end is None or on < end):
                    out.append(current)
                    current = parent
                    break
            else:
                return out
        return out

    def default_successor(self, unit_id: int, on: datetime.date) -> int | None:
        """As ``geo.selectors.default_successor_on``, without queries."""
        found: dict[int, bool] = {}
        stack: list[tuple[int, bool]] = [(unit_id, True)]
        while stack:
            current, is_default = stack.pop()
            end = self.spans.get(current, (None, None))[1]
            if end is None or end > on:
                found[current] = found.get(current, False) or is_default
                continue
            for effective, successor, link_default in self.outgoing.get(current, ()):
                if effective == end:
                    stack.append((successor, is_default and link_default))
        defaults = [u for u, is_default in found.items() if is_default]
        return min(defaults, key=lambda u: self.sort_keys.get(u, "")) if defaults else None

    def successors(self, unit_id: int, on: datetime.date) -> set[int]:
        """Every unit that holds part of ``unit_id``'s territory on ``on`` (itself if valid)."""
        found: set[int] = set()
        stack, seen = [unit_id], {unit_id}
        while stack:
            current = stack.pop()
            end = self.spans.get(current, (None, None))[1]
            if end is None or end > on:
                found.add(current)
                continue
            for effective, successor, _default in self.outgoing.get(current, ()):
                if effective == end and successor not in seen:
                    seen.add(successor)
                    stack.append(successor)
        return found

    def holders_on(self, unit_id: int, on: datetime.date) -> set[int]:
        """The units valid on ``on`` that hold ``unit_id``'s territory, whether ``on`` is
        before, during or after its life."""
        start = self.spans.get(unit_id, (None, None))[0]
        if start is not None and on < start:
            return self.forerunners(unit_id, on)
        return self.holders(unit_id, on)

    def forerunners(self, unit_id: int, on: datetime.date) -> set[int]:
        """The units that held a later unit's territory on the earlier day ``on``: its
        predecessors (through every succession that made it), or its parent's, for a unit
        made from nothing the tree records."""
        found: set[int] = set()
        stack, seen = [unit_id], {unit_id}
        while stack:
            current = stack.pop()
            start = self.spans.get(current, (None, None))[0]
            if start is None or start <= on:
                if self.valid(current, on):
                    found.add(current)
                continue
            before = [p for p, effective in self.incoming.get(current, ()) if effective == start]
            if not before:
                chain = self.chain(current, start)
                before = chain[1:2]
            for predecessor in before:
                if predecessor not in seen:
                    seen.add(predecessor)
                    stack.append(predecessor)
        return found

    def holders(
        self, unit_id: int, on: datetime.date, seen: frozenset[int] = frozenset()
    ) -> set[int]:
        """The units that hold ``unit_id``'s territory on ``on``: its successors; for a
        unit abolished without one (a district in 2025), the holders of its parts on its
        last day; for one with neither, the holders of its parent, which its territory
        never left. Never empty while the tree has a unit valid on ``on`` above it."""
        found = self.successors(unit_id, on)
        if found:
            return found
        end = self.spans.get(unit_id, (None, None))[1]
        if end is None:
            return set()
        last, seen = end - DAY, seen | {unit_id}
        for child in self.children.get(unit_id, ()):
            if child not in seen and any(
                parent == unit_id
                and (start is None or start <= last)
                and (stop is None or last < stop)
                for start, stop, parent in self.versions.get(child, ())
            ):
                found |= self.holders(child, on, seen)
        if not found:
            chain = self.chain(unit_id, last)
            if len(chain) > 1 and chain[1] not in seen:
                found = self.holders(chain[1], on, seen)
        return found

    def territory(
        self, unit_id: int, start: datetime.date, end: datetime.date
    ) -> dict[int, list[Window]]:
        """The units ``unit_id`` covered during [start, end] (inclusive), itself included,
        each with the half-open windows when it was part of it."""
        life_start, life_end = self.spans.get(unit_id, (None, None))
        first = max(start, life_start) if life_start else start
        last = min(end + DAY, life_end) if life_end else end + DAY
        found: dict[int, list[Window]] = defaultdict(list)
        if first >= last:
            return found
        stack: list[tuple[int, Window]] = [(unit_id, (first, last))]
        while stack:
            current, (a, b) = stack.pop()
            found[current].append((a, b))
            for child in self.children.get(current, ()):
                for v_start, v_end, parent in self.versions.get(child, ()):
                    if parent != current:
                        continue
                    lo = max(a, v_start) if v_start else a
                    hi = min(b, v_end) if v_end else b
                    if lo < hi:
                        stack.append((child, (lo, hi)))
        return found

    def leaves(self, territory: dict[int, list[Window]]) -> dict[int, list[Window]]:
        """The units of a territory that have nothing below them in it at those times."""
        inner = {
            parent
            for unit_id, windows in territory.items()
            for a, b in windows
            for start, end, parent in self.versions.get(unit_id, ())
            if parent in territory and (start is None or start < b) and (end is None or a < end)
        }
        return {u: w for u, w in territory.items() if u not in inner}

    def breakpoints(self, unit_id: int, window: Window) -> list[datetime.date]:
        """Days in ``window`` from which the unit's chain of ancestors may change."""
        days = {window[0]}
        stack, seen = [unit_id], {unit_id}
        while stack:
            current = stack.pop()
            for start, end, parent in self.versions.get(current, ()):
                for day in (start, end):
                    if day is not None and window[0] < day < window[1]:
                        days.add(day)
                if parent is not None and parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return sorted(days)

    def counted_as(self, unit_id: int, boundaries: datetime.date) -> int:
        """The commune a record on ``unit_id`` counts as reaching under ``boundaries``."""
        if self.valid(unit_id, boundaries):
            return unit_id
        start = self.spans.get(unit_id, (None, None))[0]
        if start is not None and boundaries < start:
            earlier = self.forerunners(unit_id, boundaries)
            return next(iter(earlier)) if len(earlier) == 1 else unit_id
        successor = self.default_successor(unit_id, boundaries)
        return successor if successor is not None else unit_id

    def counted_map(self, boundaries: datetime.date) -> dict[int, int]:
        """The units that count as another commune under ``boundaries``: unit → commune."""
        key = (boundaries, frozenset({NONE}))
        if key not in self._targets:
            self._targets[key] = {
                u: c for u in self.spans if (c := self.counted_as(u, boundaries)) != u
            }
        return self._targets[key]

    def target_map(self, targets: frozenset[int], boundaries: datetime.date) -> dict[int, int]:
        """Every unit → the target its records count under on ``boundaries`` (or NONE)."""
        key = (boundaries, targets)
        if key not in self._targets:
            mapped: dict[int, int] = {}
            for unit_id in self.spans:
                place = unit_id
                start = self.spans[unit_id][0]
                if start is not None and boundaries < start:  # born later: its forerunners
                    found = {
                        self.target_of(h, boundaries, targets)
                        for h in self.holders_on(unit_id, boundaries)
                    }
                    mapped[unit_id] = spread(found)
                    continue
                if not self.valid(place, boundaries):
                    successor = self.default_successor(place, boundaries)
                    if successor is None:  # abolished: its territory went on through its parts
                        found = {
                            self.target_of(h, boundaries, targets)
                            for h in self.holders(unit_id, boundaries)
                        }
                        mapped[unit_id] = spread(found)
                        continue
                    place = successor
                mapped[unit_id] = next(
                    (u for u in self.chain(place, boundaries) if u in targets), NONE
                )
            self._targets[key] = mapped
        return self._targets[key]

    def cover(
        self,
        targets: Sequence[int],
        boundaries: datetime.date | None,
        owners: Callable[[set[int], set[int]], tuple[set[int], set[int]]] | None = None,
    ) -> list[tuple[int, bool, int]]:
        """Rollup rows that make up each target: (unit, own rows only, target).

        As recorded, a target is its own rows. Under a date's boundaries, a unit's whole
        rows count for a target when every place ever below it that has records counts
        there and no unit below it ever had another parent (so no record is counted twice);
        otherwise its own records count for its own target and its children are looked at
        in turn. ``owners(above, aside)`` says which units above places of the targets have
        records of their own, and which of their other children have any records below
        them, in the question's years; the others do not break a subtree's purity.
        """
        if boundaries is None:
            wanted = set(targets)
            # A unit whose every child is a target: its own records spread over them.
            above = {
                p
                for t in wanted
                for p in self.parents.get(t, ())
                if p is not None and self.children.get(p, set()) <= wanted
            }
            return [(t, False, t) for t in targets] + [(p, True, SPREAD) for p in sorted(above)]
        mapped = self.target_map(frozenset(targets), boundaries)
        # Only what could break the purity of a unit above places of the targets matters:
        # the own records of such units, and any record below their other children.
        relevant: set[int] = set()
        frontier = {u for u, t in mapped.items() if t != NONE}
        while frontier:
            relevant |= frontier
            frontier = {
                p for u in frontier for p in self.parents.get(u, ()) if p is not None
            } - relevant
        above = {u for u in relevant if u in self.children}
        aside = {c for u in above for c in self.children[u] if c not in relevant}
        own_records, any_records = owners(above, aside) if owners is not None else (above, aside)
        key = (boundaries, frozenset(targets), frozenset(own_records), frozenset(any_records))
        if key in self._covers:
            return self._covers[key]
        pure: dict[int, int] = {}
        closed: dict[int, bool] = {}

        def purity(unit_id: int) -> int:
            if unit_id not in pure:
                if unit_id not in relevant:  # counts nowhere, nor does anything below it
                    pure[unit_id] = NONE if unit_id in any_records else EMPTY
                    return pure[unit_id]
                own = unit_id not in above or unit_id in own_records
                value = mapped.get(unit_id, NONE) if own else EMPTY
                for child in self.children.get(unit_id, ()):
                    below = purity(child)
                    if value == EMPTY:
                        value = below
                    elif below not in (EMPTY, value):
                        value = MIXED
                pure[unit_id] = value
            return pure[unit_id]

        def is_closed(unit_id: int) -> bool:
            if unit_id not in closed:
                closed[unit_id] = all(
                    len(self.parents.get(child, ())) == 1 and is_closed(child)
                    for child in self.children.get(unit_id, ())
                )
            return closed[unit_id]

        chosen: list[tuple[int, bool, int]] = []
        seen: set[int] = set()

        def visit(unit_id: int, *, single_parent: bool) -> None:
            if unit_id in seen:
                return
            seen.add(unit_id)
            target = purity(unit_id)
            if target != MIXED and single_parent and is_closed(unit_id):
                if target not in (NONE, EMPTY):
                    chosen.append((unit_id, False, target))
                return
            own = mapped.get(unit_id, NONE)
            if own != NONE:
                chosen.append((unit_id, True, own))
            for child in self.children.get(unit_id, ()):
                visit(child, single_parent=len(self.parents.get(child, ())) == 1)

        for root in self.roots():
            visit(root, single_parent=True)
        self._covers[key] = chosen
        return chosen

    def roots(self) -> list[int]:
        return sorted(u for u, parents in self.parents.items() if None in parents or not parents)

    def places_under(self, targets: Iterable[int], boundaries: datetime.date | None) -> set[int]:
        """Every unit whose records may count under one of ``targets``."""
        wanted = set(targets)
        if boundaries is not None:
            mapped = self.target_map(frozenset(wanted), boundaries)
            return {u for u, t in mapped.items() if t != NONE}
        found, frontier = set(wanted), set(wanted)
        while frontier:
            frontier = {c for u in frontier for c in self.children.get(u, ())} - found
            found |= frontier
        above = {p for t in wanted for p in self.parents.get(t, ()) if p is not None}
        return found | above

    def target_of(self, unit_id: int, on: datetime.date, targets: frozenset[int]) -> int:
        """The target a unit valid on ``on`` counts under: the first in its chain; SPREAD
        or NONE for a unit above the targets (by where its territory lies)."""
        found = next((u for u in self.chain(unit_id, on) if u in targets), None)
        return found if found is not None else self.spread_as_recorded(unit_id, on, targets)

    def spread_as_recorded(self, unit_id: int, on: datetime.date, targets: frozenset[int]) -> int:
        """Where a record of a unit above the targets counts, as recorded: SPREAD when its
        territory that day lies within the targets, NONE otherwise."""
        leaves = self.leaves(self.territory(unit_id, on, on))
        if set(leaves) == {unit_id}:
            return NONE
        found = {next((u for u in self.chain(leaf, on) if u in targets), NONE) for leaf in leaves}
        return spread(found)


def spread(found: set[int]) -> int:
    """One target; SPREAD when the territory lies within several targets; NONE when any of
    it lies outside them (or there is none)."""
    if not found or NONE in found:
        return NONE
    return next(iter(found)) if len(found) == 1 else SPREAD


_TREE: list[Tree] = []


UnitRow = tuple[int, datetime.date | None, datetime.date | None, str, str]
VersionRow = tuple[int, datetime.date | None, datetime.date | None, int | None]
SuccessionRow = tuple[int, datetime.date, int, bool]


def tree(fingerprint: str | None = None) -> Tree:
    """The tree of non-village units, loaded once per process and tree fingerprint."""
    fingerprint = fingerprint or geo_fingerprint()
    if _TREE and _TREE[0].fingerprint == fingerprint:
        return _TREE[0]
    units: list[UnitRow] = list(
        AdminUnit.objects.exclude(level=Level.VILLAGE)
        .order_by()
        .values_list("id", "valid_from", "valid_to", "sort_key", "level")
    )
    versions: list[VersionRow] = list(
        UnitVersion.objects.exclude(unit__level=Level.VILLAGE)
        .order_by()
        .values_list("unit_id", "valid_from", "valid_to", "parent_id")
    )
    successions: list[SuccessionRow] = list(
        Succession.objects.exclude(predecessor__level=Level.VILLAGE)
        .order_by("id")
        .values_list("predecessor_id", "change__effective_on", "successor_id", "is_default")
    )
    loaded = build_tree(fingerprint, units, versions, successions)
    _TREE[:] = [loaded]
    return loaded


def build_tree(
    fingerprint: str,
    units: Iterable[UnitRow],
    version_rows: Iterable[VersionRow],
    successions: Iterable[SuccessionRow],
) -> Tree:
    spans: dict[int, tuple[datetime.date | None, datetime.date | None]] = {}
    sort_keys: dict[int, str] = {}
    levels: dict[int, str] = {}
    for unit_id, start, end, key, level in units:
        spans[unit_id], sort_keys[unit_id], levels[unit_id] = (start, end), key, level
    versions: dict[int, list[_Version]] = defaultdict(list)
    children: dict[int, set[int]] = defaultdict(set)
    parents: dict[int, set[int | None]] = defaultdict(set)
    for unit_id, start, end, parent in version_rows:
        versions[unit_id].append((start, end, parent))
        parents[unit_id].add(parent)
        if parent is not None:
            children[parent].add(unit_id)
    outgoing: dict[int, list[tuple[datetime.date, int, bool]]] = defaultdict(list)
    incoming: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    for predecessor, effective, successor, is_default in successions:
        outgoing[predecessor].append((effective, successor, is_default))
        incoming[successor].append((predecessor, effective))
    return Tree(
        fingerprint,
        spans,
        sort_keys,
        levels,
        dict(versions),
        dict(children),
        dict(parents),
        outgoing,
        incoming,
    )

"""The tree of provinces, districts and communes through time, in memory, with the
successions (ADR 0006).

:class:`Tree` answers, without queries, which unit a place belongs to on a date and what it
counts as under a later date's boundaries; :meth:`Tree.cover` says which rollup rows make up
each target unit. :func:`tree` loads it once per process and tree fingerprint
(:func:`geo_fingerprint`, which changes with any non-village unit or change).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection

from gandan.geo.models import AdminUnit, Level, Succession, UnitChange, UnitVersion

NONE = -1  # a place that counts under no target
MIXED = -2  # a unit whose places count under different targets
EMPTY = -3  # a unit with no records of its own (and none below it)

_Version = tuple[datetime.date | None, datetime.date | None, int | None]


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def geo_fingerprint() -> str:
    """Changes when a province, district or commune is added or changes (never for villages)."""
    units, changes = _table(AdminUnit), _table(UnitChange)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {changes} c JOIN {units} u ON u.id = c.subject_id "  # noqa: S608
            f"WHERE u.level <> %s), (SELECT COALESCE(MAX(id), 0) FROM {changes}), "
            f"(SELECT COUNT(*) FROM {units} WHERE level <> %s), "
            f"(SELECT COALESCE(MAX(id), 0) FROM {units} WHERE level <> %s)",
            [Level.VILLAGE, Level.VILLAGE, Level.VILLAGE],
        )
        row = cursor.fetchone()
    return ":".join(str(n) for n in row)


# -- the tree in memory -------------------------------------------------------------------------


@dataclass
class Tree:
    fingerprint: str
    spans: dict[int, tuple[datetime.date | None, datetime.date | None]]
    sort_keys: dict[int, str]
    versions: dict[int, list[_Version]]
    children: dict[int, set[int]]
    parents: dict[int, set[int | None]]
    outgoing: dict[int, list[tuple[datetime.date, int, bool]]]
    _targets: dict[tuple[datetime.date, frozenset[int]], dict[int, int]] = field(
        default_factory=dict
    )
    _covers: dict[object, list[tuple[int, bool, int]]] = field(default_factory=dict)

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

    def counted_as(self, unit_id: int, boundaries: datetime.date) -> int:
        """The commune a record on ``unit_id`` counts as reaching under ``boundaries``."""
        if self.valid(unit_id, boundaries):
            return unit_id
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
                if not self.valid(place, boundaries):
                    successor = self.default_successor(place, boundaries)
                    if successor is None:
                        mapped[unit_id] = NONE
                        continue
                    place = successor
                mapped[unit_id] = next(
                    (u for u in self.chain(place, boundaries) if u in targets), NONE
                )
            if len(self._targets) > 32:
                self._targets.clear()
            self._targets[key] = mapped
        return self._targets[key]

    def cover(
        self,
        targets: Sequence[int],
        boundaries: datetime.date | None,
        owners: Callable[[set[int], set[int]], tuple[set[int], set[int]]] | None = None,
    ) -> list[tuple[int, bool, int]]:
        """Rollup rows that make up each target: (unit, own rows only, target).

        As recorded, a target is its own rollup. Under a date's boundaries, a unit's whole
        rollup counts for a target when every place ever below it that has records counts
        there and no unit below it ever had another parent (so no record is counted twice);
        otherwise its own records count for its own target and its children are looked at
        in turn. ``owners(above, aside)`` says which units above places of the targets have
        records of their own, and which of their other children have any records below
        them, in the question's years; the others do not break a subtree's purity.
        """
        if boundaries is None:
            return [(t, False, t) for t in targets]
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
        if len(self._covers) > 64:
            self._covers.clear()
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
        return found


_TREE: list[Tree] = []


def tree(fingerprint: str | None = None) -> Tree:
    """The tree of non-village units, loaded once per process and tree fingerprint."""
    fingerprint = fingerprint or geo_fingerprint()
    if _TREE and _TREE[0].fingerprint == fingerprint:
        return _TREE[0]
    spans: dict[int, tuple[datetime.date | None, datetime.date | None]] = {}
    sort_keys: dict[int, str] = {}
    for unit_id, start, end, key in (
        AdminUnit.objects.exclude(level=Level.VILLAGE)
        .order_by()
        .values_list("id", "valid_from", "valid_to", "sort_key")
    ):
        spans[unit_id], sort_keys[unit_id] = (start, end), key
    versions: dict[int, list[_Version]] = defaultdict(list)
    children: dict[int, set[int]] = defaultdict(set)
    parents: dict[int, set[int | None]] = defaultdict(set)
    for unit_id, start, end, parent in (
        UnitVersion.objects.exclude(unit__level=Level.VILLAGE)
        .order_by()
        .values_list("unit_id", "valid_from", "valid_to", "parent_id")
    ):
        versions[unit_id].append((start, end, parent))
        parents[unit_id].add(parent)
        if parent is not None:
            children[parent].add(unit_id)
    outgoing: dict[int, list[tuple[datetime.date, int, bool]]] = defaultdict(list)
    for predecessor, effective, successor, is_default in (
        Succession.objects.exclude(predecessor__level=Level.VILLAGE)
        .order_by("id")
        .values_list("predecessor_id", "change__effective_on", "successor_id", "is_default")
    ):
        outgoing[predecessor].append((effective, successor, is_default))
    loaded = Tree(
        fingerprint, spans, sort_keys, dict(versions), dict(children), dict(parents), outgoing
    )
    _TREE[:] = [loaded]
    return loaded

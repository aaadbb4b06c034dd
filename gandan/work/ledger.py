"""The analytics ledger: what each write of activity records changes in the figures
(ADR 0008).

Every service that writes activity records wraps the write in :func:`ledger_change`, which
reads what the records contributed before and after, and inserts the difference, one row per
unit of each record's chain on its day. Writers only ever INSERT here: no row is shared, so
writers never wait for one another or deadlock, and an edit that moves a record costs the
rows of its old and new places, nothing more. ``analytics.facts`` folds the rows into facts.

The chains follow the tree stored in ``LedgerState`` (the one the facts were built with),
not the live one: after a boundary change, ``analytics.facts.facts_rekey`` moves facts and
ledger to the new tree in one transaction. On PostgreSQL a writer holds a shared advisory
lock until it commits and the rekey an exclusive one, so no write can slip between them.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from cachetools import LRUCache
from django.db import connection, transaction

from gandan.core.bulk_insert import insert_many_together
from gandan.geo.tree import Tree, geo_fingerprint, tree
from gandan.geo.tree_store import tree_dump, tree_load
from gandan.work.models import (
    Activity,
    ActivityValue,
    LedgerActivity,
    LedgerPlace,
    LedgerState,
    LedgerValue,
)

LOCK = 2_530_008  # the advisory lock shared by writers, taken alone by the rekey
STATE = "main"
CHUNK = 2_000

ActivityKey = tuple[int, bool, datetime.date, int]  # unit, own, day, type
ValueKey = tuple[int, bool, datetime.date, int, int]  # …, indicator
PlaceKey = tuple[int, bool, datetime.date, int, str, int]  # …, kind, place
ACTIVITY_SUMS = ("n", "participants", "female", "female_n", "minority", "minority_n")


@dataclass
class Contribution:
    """What some records add to the figures, under every unit of their chains."""

    activities: dict[ActivityKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * 6)
    )
    values: dict[ValueKey, list[Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
    )
    places: dict[PlaceKey, int] = field(default_factory=lambda: defaultdict(int))

    def minus(self, other: "Contribution") -> "Contribution":
        """This contribution less ``other``: the net change of an edit."""
        net = Contribution()
        for a_key, sums in self.activities.items():
            net.activities[a_key] = list(sums)
        for a_key, sums in other.activities.items():
            net.activities[a_key] = [
                a - b for a, b in zip(net.activities[a_key], sums, strict=True)
            ]
        for v_key, pair in self.values.items():
            net.values[v_key] = list(pair)
        for v_key, pair in other.values.items():
            net.values[v_key] = [a - b for a, b in zip(net.values[v_key], pair, strict=True)]
        for p_key, count in self.places.items():
            net.places[p_key] += count
        for p_key, count in other.places.items():
            net.places[p_key] -= count
        return net


_TREES: LRUCache[str, Tree] = LRUCache(maxsize=2)
_SUSPENDED: list[bool] = []


@contextmanager
def suspended() -> Iterator[None]:
    """Write records without the ledger: only to measure what the ledger costs
    (``bench/``), or for bulk work followed by ``analytics.facts.facts_rebuild``."""
    _SUSPENDED.append(True)
    try:
        yield
    finally:
        _SUSPENDED.pop()


def ledger_tree() -> Tree:
    """The tree the ledger's chains follow; the live one, stored, the first time."""
    state = LedgerState.objects.filter(key=STATE)
    fingerprint = state.values_list("fingerprint", flat=True).first()
    if fingerprint is None:
        live = tree(geo_fingerprint())
        LedgerState.objects.get_or_create(
            key=STATE, defaults={"fingerprint": live.fingerprint, "tree": tree_dump(live)}
        )
        return live
    if fingerprint not in _TREES:
        live = tree()
        if live.fingerprint == fingerprint:
            _TREES[fingerprint] = live
        else:  # the stored tree, read only when this process does not hold it yet
            fingerprint, blob = state.values_list("fingerprint", "tree").get()
            _TREES[fingerprint] = tree_load(bytes(blob))
    return _TREES[fingerprint]


# One recorded activity as the ledger needs it: id, unit, day, type, participants (all,
# women, minorities), its villages, its values (indicator, amount).
_Row = tuple[
    int, int, datetime.date, int, int, int | None, int | None, list[int], list[tuple[int, Decimal]]
]
_FEW = 20  # records read in one statement on PostgreSQL (one saved record's "before" and "after")


def _rows_few(ids: list[int]) -> Iterator[_Row]:
    """PostgreSQL, a few records: one statement, villages and values as arrays."""
    villages, values = Activity.villages.through._meta.db_table, ActivityValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, a.unit_id, a.start, a.type_id, a.participants, "  # noqa: S608
            "a.participants_female, a.participants_minority, "
            f"ARRAY(SELECT v.adminunit_id FROM {villages} v WHERE v.activity_id = a.id), "
            f"ARRAY(SELECT x.indicator_id FROM {values} x WHERE x.activity_id = a.id ORDER BY x.id), "
            f"ARRAY(SELECT x.value FROM {values} x WHERE x.activity_id = a.id ORDER BY x.id) "
            f"FROM {Activity._meta.db_table} a WHERE a.id = ANY(%s) AND a.status = %s",
            [ids, Activity.Status.RECORDED],
        )
        for *head, village_ids, indicator_ids, amounts in cursor.fetchall():
            yield (*head, village_ids, list(zip(indicator_ids, amounts, strict=True)))


def _rows_many(ids: list[int]) -> Iterator[_Row]:
    """Any number of records: three statements per chunk of ``CHUNK``."""
    through = Activity.villages.through
    for offset in range(0, len(ids), CHUNK):
        chunk = ids[offset : offset + CHUNK]
        villages: dict[int, list[int]] = defaultdict(list)
        values: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        rows = list(
            Activity.objects.filter(pk__in=chunk, status=Activity.Status.RECORDED)
            .order_by()
            .values_list(
                "id",
                "unit_id",
                "start",
                "type_id",
                "participants",
                "participants_female",
                "participants_minority",
            )
        )
        kept = [row[0] for row in rows]
        for activity_id, village_id in (
            through.objects.filter(activity_id__in=kept)
            .order_by()
            .values_list("activity_id", "adminunit_id")
        ):
            villages[activity_id].append(village_id)
        for activity_id, indicator_id, amount in (
            ActivityValue.objects.filter(activity_id__in=kept)
            .order_by()
            .values_list("activity_id", "indicator_id", "value")
        ):
            values[activity_id].append((indicator_id, amount))
        for row in rows:
            yield (*row, villages.get(row[0], []), values.get(row[0], []))


def contribution(activity_ids: Iterable[int], chains: Tree) -> Contribution:
    """What the recorded activities among ``activity_ids`` add, as they are now."""
    ids = sorted(set(activity_ids))
    few = connection.vendor == "postgresql" and len(ids) <= _FEW
    found = Contribution()
    for row in (_rows_few if few else _rows_many)(ids):
        _activity_id, unit_id, day, type_id, people, female, minority, villages, values = row
        chain = chains.chain(unit_id, day)
        if not chain:  # a place not valid on its day counts nowhere (the checker refuses it)
            continue
        sums = (1, people, female or 0, female is not None, minority or 0, minority is not None)
        for depth, unit in enumerate(chain):
            own = depth == 0
            key = (unit, own, day, type_id)
            found.activities[key] = [
                a + int(b) for a, b in zip(found.activities[key], sums, strict=True)
            ]
            found.places[(unit, own, day, type_id, "p", chain[0])] += 1
            for village_id in villages:
                found.places[(unit, own, day, type_id, "v", village_id)] += 1
            for indicator_id, amount in values:
                pair = found.values[(unit, own, day, type_id, indicator_id)]
                pair[0] += amount
                pair[1] += 1
    return found


def _lock_shared() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [LOCK])


@contextmanager
def ledger_change(activity_ids: Sequence[int]) -> Iterator[None]:
    """Wrap a write of these activities (create, update, delete): the ledger gets the net
    change, in the caller's transaction. Ids of records created inside the block are
    passed with :func:`ledger_added` instead."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_change must run inside the write's transaction")
    if _SUSPENDED:
        yield
        return
    _lock_shared()
    # Lock the records first: a concurrent edit of the same record then waits, and this
    # one's "before" is what the other committed, never what both read.
    list(
        Activity.objects.select_for_update()
        .filter(pk__in=sorted(set(activity_ids)))
        .values_list("pk")
    )
    chains = ledger_tree()
    before = contribution(activity_ids, chains)
    yield
    ledger_write(contribution(activity_ids, chains).minus(before))


def ledger_added(activity_ids: Sequence[int]) -> None:
    """Records just created (one or a hundred thousand): all they add goes to the ledger."""
    if _SUSPENDED:
        return
    _lock_shared()
    ledger_write(contribution(activity_ids, ledger_tree()))


def ledger_write(change: Contribution) -> None:
    """Insert the non-zero rows of a change, in no particular order: writers only insert
    here, so no order of rows can make two of them wait for each other."""
    insert_many_together(
        [
            (
                LedgerActivity,
                ("unit_id", "own", "day", "type_id", *ACTIVITY_SUMS),
                [(*key, *sums) for key, sums in change.activities.items() if any(sums)],
            ),
            (
                LedgerValue,
                ("unit_id", "own", "day", "type_id", "indicator_id", "total", "n"),
                [(*key, total, int(n)) for key, (total, n) in change.values.items() if total or n],
            ),
            (
                LedgerPlace,
                ("unit_id", "own", "day", "type_id", "kind", "place_id", "n"),
                [(*key, n) for key, n in change.places.items() if n],
            ),
        ]
    )

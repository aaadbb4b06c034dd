"""Keeping the facts (ADR 0008): folding the ledger in, rebuilding, following a new tree.

- :func:`facts_merge` folds the ledger's rows into the facts of the copy in use, per year,
  quarter, month and half-month, and deletes them, in one statement on PostgreSQL (rows that commit while it
  runs wait for the next merge). One merger at a time (an advisory lock); writers never wait.
- :func:`facts_rebuild` fills the other copy from the records and switches to it in one
  transaction; on PostgreSQL it reads one snapshot (repeatable read) and keeps the ledger rows
  that commit after it, so writers and readers go on meanwhile.
- :func:`facts_rekey` moves facts and ledger from the tree they were built with to the live
  one after a boundary change: the records of the places whose chain changed leave their old
  chains and join their new ones, through the ledger.

The engine reads facts and ledger together (``analytics.facts_read``); all three keep that
sum equal to what the records say.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from gandan.analytics.models import (
    GRAIN_CODES,
    ActivityFactA,
    ActivityFactB,
    FactState,
    PlaceFactA,
    PlaceFactB,
    ValueFactA,
    ValueFactB,
)
from gandan.geo.models import TreeRevision, UnitVersion
from gandan.geo.tree import Tree, geo_fingerprint, tree
from gandan.geo.tree_store import tree_dump, tree_load
from gandan.work.ledger import LOCK, contribution, ledger_write
from gandan.work.models import (
    Activity,
    ActivityValue,
    LedgerActivity,
    LedgerPlace,
    LedgerState,
    LedgerValue,
)

STATE = "main"
MERGE_LOCK = 2_530_009
COPIES: dict[str, dict[str, Any]] = {
    "a": {"activity": ActivityFactA, "value": ValueFactA, "place": PlaceFactA},
    "b": {"activity": ActivityFactB, "value": ValueFactB, "place": PlaceFactB},
}
LEDGER: dict[str, Any] = {"activity": LedgerActivity, "value": LedgerValue, "place": LedgerPlace}
# kind → (key columns besides unit, own, bucket; summed columns)
COLUMNS = {
    "activity": (
        ["type_id"],
        ["n", "participants", "female", "female_n", "minority", "minority_n"],
    ),
    "value": (["type_id", "indicator_id"], ["total", "n"]),
    "place": (["type_id", "kind", "place_id"], ["n"]),
}


def table(model: type[Model]) -> str:
    return str(model._meta.db_table)


def fact_state() -> FactState:
    """The state row; created "built" on a database without records (a new one)."""
    state = FactState.objects.filter(key=STATE).first()
    if state is None:
        state, _ = FactState.objects.get_or_create(
            key=STATE, defaults={"built": not Activity.objects.exists()}
        )
    return state


@dataclass(frozen=True)
class Status:
    """Where the facts stand, read in one query on every question."""

    built: bool
    current: str
    ledger_tree: str | None  # the fingerprint of the tree the ledger follows
    live_tree: str

    @property
    def rekey_needed(self) -> bool:
        return self.ledger_tree is not None and self.ledger_tree != self.live_tree


def analytics_status() -> Status:
    facts, ledger, revision = table(FactState), table(LedgerState), table(TreeRevision)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT built FROM {facts} WHERE key = %s), "  # noqa: S608
            f"(SELECT current FROM {facts} WHERE key = %s), "
            f"(SELECT fingerprint FROM {ledger} WHERE key = %s), "
            f"(SELECT epoch FROM {revision} WHERE id = 1), "
            f"(SELECT revision FROM {revision} WHERE id = 1)",
            [STATE, STATE, STATE],
        )
        built, current, ledger_tree, epoch, number = cursor.fetchone()
    if built is None:  # no state row yet (a flushed database)
        state = fact_state()
        built, current = state.built, state.current
    live = f"{epoch}:{number}" if epoch is not None else "empty"
    return Status(bool(built), current, ledger_tree, live)


def fact_tables(current: str | None = None) -> dict[str, str]:
    """The table names of the copy in use (or of ``current``)."""
    copy = current or fact_state().current
    return {kind: table(model) for kind, model in COPIES[copy].items()}


def buckets_sql(column: str) -> dict[str, str]:
    """SQL for the bucket of every grain that holds a day (or a finer bucket): its first day."""
    if connection.vendor == "postgresql":
        return {
            "Y": f"CAST(date_trunc('year', {column}) AS date)",
            "Q": f"CAST(date_trunc('quarter', {column}) AS date)",
            "M": f"CAST(date_trunc('month', {column}) AS date)",
            "H": (
                f"CAST(date_trunc('month', {column}) + CASE WHEN EXTRACT(DAY FROM {column}) >= 15 "
                "THEN INTERVAL '14 days' ELSE INTERVAL '0 days' END AS date)"
            ),
        }
    return {
        "Y": f"date({column}, 'start of year')",
        "Q": (
            f"date({column}, 'start of month', '-' || "
            f"((CAST(strftime('%m', {column}) AS INTEGER) - 1) % 3) || ' months')"
        ),
        "M": f"date({column}, 'start of month')",
        "H": (
            f"date({column}, 'start of month', CASE WHEN CAST(strftime('%d', {column}) AS INTEGER) "
            ">= 15 THEN '+14 days' ELSE '+0 days' END)"
        ),
    }


def _fold(
    kind: str,
    source: str,
    target: str,
    day: str = "day",
    *,
    empty: bool = False,
    grains: tuple[str, ...] = GRAIN_CODES,
) -> str:
    """INSERT … SELECT of ``source`` (ledger or records rows with a day) into ``target``,
    per bucket of each of ``grains``, adding to what is there (``empty``: nothing is there,
    and the rows, one per key, are inserted as they are, in the order of the key: the rows
    a question reads then lie on a few pages, 1/100 scale, 34 provinces × 20 years of values:
    65 → 52 ms)."""
    keys, sums = COLUMNS[kind]
    buckets = buckets_sql(day)
    key_list = ", ".join(keys)
    summed = ", ".join(f"SUM({c})" for c in sums)
    select = " UNION ALL ".join(
        f"SELECT unit_id, own, '{grain}', {buckets[grain]}, {key_list}, {summed} FROM {source} src "  # noqa: S608
        f"GROUP BY unit_id, own, {buckets[grain]}, {key_list}"
        for grain in grains
    )
    updates = ", ".join(f"{c} = {target}.{c} + excluded.{c}" for c in sums)
    conflict = ", ".join(["unit_id", "grain", "bucket", *keys, "own"])
    insert = (
        f"INSERT INTO {target} (unit_id, own, grain, bucket, {key_list}, {', '.join(sums)}) "  # noqa: S608
        f"SELECT * FROM ({select}) folded WHERE TRUE"
    )
    if empty:  # in the order of the key, so that a unit's rows lie together on disk
        return f"{insert} ORDER BY 1, 3, 4"
    return f"{insert} ON CONFLICT ({conflict}) DO UPDATE SET {updates}"


def _coarser(kind: str, target: str, grain: str, finer: str) -> str:
    """INSERT … SELECT of the ``finer`` rows of ``target`` summed into ``grain`` buckets,
    which they make up exactly (a month is two half-months, a quarter three months, a year
    four quarters); for a copy being rebuilt, where no ``grain`` row is yet."""
    keys, sums = COLUMNS[kind]
    bucket = buckets_sql("bucket")[grain]
    key_list = ", ".join(keys)
    return (
        f"INSERT INTO {target} (unit_id, own, grain, bucket, {key_list}, {', '.join(sums)}) "  # noqa: S608
        f"SELECT unit_id, own, '{grain}', {bucket}, {key_list}, "
        f"{', '.join(f'SUM({c})' for c in sums)} FROM {target} WHERE grain = '{finer}' "
        f"GROUP BY unit_id, own, {bucket}, {key_list} ORDER BY 1, 4"
    )


@dataclass
class Merged:
    activity: int = 0
    value: int = 0
    place: int = 0

    @property
    def rows(self) -> int:
        return self.activity + self.value + self.place


def facts_merge() -> Merged:
    """Fold the ledger into the facts. A no-op while another merge or a rebuild runs."""
    merged = Merged()
    with transaction.atomic():
        if not _try_lock(MERGE_LOCK):
            return merged
        tables = fact_tables()
        with connection.cursor() as cursor:
            for kind, model in LEDGER.items():
                ledger = table(model)
                keys, sums = COLUMNS[kind]
                # Units where rows may fall to zero: their empty rows go after the fold.
                cursor.execute(f"SELECT DISTINCT unit_id FROM {ledger} WHERE n < 0")  # noqa: S608
                emptied = [row[0] for row in cursor.fetchall()]
                columns = ", ".join(["unit_id", "own", "day", *keys, *sums])
                if connection.vendor == "postgresql":
                    # One statement: exactly the rows it deletes are the rows it folds in.
                    fold = _fold(kind, "moved", tables[kind])
                    cursor.execute(
                        f"WITH moved AS (DELETE FROM {ledger} RETURNING {columns}) {fold}"  # noqa: S608
                    )
                    setattr(merged, kind, cursor.rowcount)
                    _drop_empty(cursor, tables[kind], emptied)
                    continue
                # SQLite has one writer at a time: nothing can commit between the two.
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ledger}")  # noqa: S608
                top = cursor.fetchone()[0]
                cursor.execute(
                    _fold(kind, f"(SELECT * FROM {ledger} WHERE id <= {int(top)})", tables[kind])  # noqa: S608
                )
                setattr(merged, kind, cursor.rowcount)
                cursor.execute(f"DELETE FROM {ledger} WHERE id <= %s", [top])  # noqa: S608
                _drop_empty(cursor, tables[kind], emptied)
        FactState.objects.filter(key=STATE).update(merged_at=timezone.now())
    if merged.rows:
        _ledger_vacuum()
    return merged


def _ledger_vacuum() -> None:
    """The ledger is a queue: every merge (and rebuild) deletes what writers inserted. Its dead rows slow
    the day-range scans of every question until they are vacuumed, and a server may run
    without autovacuum (this project's CI does), so the merge vacuums the three ledger
    tables itself (PostgreSQL, outside a transaction; a table another vacuum holds is
    skipped). For a queue of a few thousand rows this takes milliseconds."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    names = ", ".join(table(model) for model in LEDGER.values())
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE, SKIP_LOCKED) {names}")


def _drop_empty(cursor: Any, name: str, units: list[int]) -> None:
    for offset in range(0, len(units), 500):
        chunk = ", ".join(str(int(u)) for u in units[offset : offset + 500])
        cursor.execute(f"DELETE FROM {name} WHERE n = 0 AND unit_id IN ({chunk})")  # noqa: S608


def _try_lock(key: int) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def _lock(key: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


# -- following a new tree ------------------------------------------------------------------------


def rekey_needed() -> bool:
    state = LedgerState.objects.filter(key=STATE).values_list("fingerprint", flat=True).first()
    return state is not None and state != geo_fingerprint()


def facts_rekey() -> int:
    """Move the ledger (and so the facts) to the live tree; return how many records moved.

    Writers wait for it (they hold the shared side of the ledger's lock); readers do not."""
    with transaction.atomic():
        _lock(LOCK)
        state = LedgerState.objects.select_for_update().filter(key=STATE).first()
        live = tree(geo_fingerprint())
        if state is None or state.fingerprint == live.fingerprint:
            return 0
        old = tree_load(bytes(state.tree))
        places = changed_places(old, live)
        ids = list(
            Activity.objects.filter(unit_id__in=places, status=Activity.Status.RECORDED)
            .order_by()
            .values_list("id", flat=True)
        )
        if ids:
            ledger_write(contribution(ids, live).minus(contribution(ids, old)))
        state.fingerprint, state.tree = live.fingerprint, tree_dump(live)
        state.save(update_fields=["fingerprint", "tree", "updated_at"])
        return len(ids)


def changed_places(old: Tree, new: Tree) -> set[int]:
    """Every unit whose chain of ancestors may differ between two trees: those whose own
    versions differ, and everything ever below them in either tree."""
    units = set(old.versions) | set(new.versions)
    changed = {
        u
        for u in units
        if sorted(old.versions.get(u, []), key=str) != sorted(new.versions.get(u, []), key=str)
    }
    found, frontier = set(changed), set(changed)
    while frontier:
        frontier = {
            child
            for u in frontier
            for children in (old.children.get(u, set()), new.children.get(u, set()))
            for child in children
        } - found
        found |= frontier
    return found


# -- rebuilding from the records --------------------------------------------------------------


def facts_rebuild() -> dict[str, int]:
    """Fill the copy not in use from the records and switch to it; return row counts."""
    if rekey_needed():
        facts_rekey()
    outermost = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # one snapshot of records and ledger
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        _lock(MERGE_LOCK)
        state = FactState.objects.select_for_update().filter(key=STATE).first() or fact_state()
        other = "b" if state.current == "a" else "a"
        tables = fact_tables(other)
        with connection.cursor() as cursor:
            for name in tables.values():
                cursor.execute(
                    f"{'TRUNCATE' if connection.vendor == 'postgresql' else 'DELETE FROM'} {name}"
                )
            with _unique_keys_after(cursor, list(tables.values())):
                for statement in _rebuild_statements(tables):
                    cursor.execute(statement)
            if connection.vendor == "postgresql":
                # The planner's figures for the refilled copy: without them the first
                # questions after a switch nest loops over rows it thinks are a handful
                # (1/100 scale, provinces × years: 55 → 28 ms for the values; 0,3 s here).
                cursor.execute(f"ANALYZE {', '.join(tables.values())}")
            # What the records already hold: the ledger rows this snapshot sees.
            for model in LEDGER.values():
                cursor.execute(f"DELETE FROM {table(model)}")  # noqa: S608
        state.current, state.built, state.rebuilt_at = other, True, timezone.now()
        state.save(update_fields=["current", "built", "rebuilt_at"])
        counts = {kind: COPIES[other][kind].objects.count() for kind in COPIES[other]}
    with connection.cursor() as cursor:  # the old copy, emptied after the switch
        for name in fact_tables("b" if other == "a" else "a").values():
            cursor.execute(
                f"{'TRUNCATE' if connection.vendor == 'postgresql' else 'DELETE FROM'} {name}"
            )
    _ledger_vacuum()  # the ledger rows it deleted
    return counts


@contextmanager
def _unique_keys_after(cursor: Any, names: list[str]) -> Iterator[None]:
    """On PostgreSQL, fill the emptied copy without its unique keys and build them after, in
    one pass each: keeping them up to date row by row was half of a rebuild (1/100 scale:
    25,7 s → 13,1 s), and nobody reads or writes the copy not in use. The memory a
    maintenance job may take is raised for this transaction only."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'u' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [names],
    )
    keys = cursor.fetchall()
    quote = connection.ops.quote_name
    for name, key, _definition in keys:
        cursor.execute(f"ALTER TABLE {quote(name)} DROP CONSTRAINT {quote(key)}")
    yield
    for name, key, definition in keys:
        cursor.execute(f"ALTER TABLE {quote(name)} ADD CONSTRAINT {quote(key)} {definition}")


def _rebuild_statements(tables: dict[str, str]) -> list[str]:
    """The records, each spread to the units of its chain on its day (the live versions, up
    to four levels), folded per half-month; then months, quarters and years from those."""
    activity, value = table(Activity), table(ActivityValue)
    villages, versions = table(Activity.villages.through), table(UnitVersion)

    def valid(alias: str) -> str:
        return (
            f"({alias}.valid_from IS NULL OR {alias}.valid_from <= a.start) AND "
            f"({alias}.valid_to IS NULL OR {alias}.valid_to > a.start)"
        )

    chain = (
        "SELECT a.id AS activity_id, a.type_id, a.start AS day, a.unit_id AS u0, "  # noqa: S608
        "v1.unit_id AS u1, v2.unit_id AS u2, v3.unit_id AS u3, a.participants, "
        "a.participants_female AS female, a.participants_minority AS minority "
        f"FROM {activity} a JOIN {versions} v0 ON v0.unit_id = a.unit_id AND {valid('v0')} "
        f"LEFT JOIN {versions} v1 ON v1.unit_id = v0.parent_id AND {valid('v1')} "
        f"LEFT JOIN {versions} v2 ON v2.unit_id = v1.parent_id AND {valid('v2')} "
        f"LEFT JOIN {versions} v3 ON v3.unit_id = v2.parent_id AND {valid('v3')} "
        "WHERE a.status = 'recorded'"
    )

    def spread(columns: str, source: str, alias: str = "") -> str:
        """Rows of ``source`` (with u0..u3) once per unit of their chain."""
        return " UNION ALL ".join(
            f"SELECT {alias}u{depth} AS unit_id, {'TRUE' if depth == 0 else 'FALSE'} AS own, "  # noqa: S608
            f"{columns} FROM {source}" + (f" WHERE {alias}u{depth} IS NOT NULL" if depth else "")
            for depth in range(4)
        )

    activities = spread(
        "day, type_id, participants, COALESCE(female, 0) AS female, "
        "CASE WHEN female IS NULL THEN 0 ELSE 1 END AS female_n, "
        "COALESCE(minority, 0) AS minority, "
        "CASE WHEN minority IS NULL THEN 0 ELSE 1 END AS minority_n, 1 AS n",
        "rebuild_chain",
    )
    values = spread(
        "c.day, c.type_id, v.indicator_id, v.value AS total, 1 AS n",
        f"rebuild_chain c JOIN {value} v ON v.activity_id = c.activity_id",
        "c.",
    )
    places = spread(
        "c.day, c.type_id, 'v' AS kind, t.adminunit_id AS place_id, 1 AS n",
        f"rebuild_chain c JOIN {villages} t ON t.activity_id = c.activity_id",
        "c.",
    )
    own_places = spread("day, type_id, 'p' AS kind, u0 AS place_id, 1 AS n", "rebuild_chain")
    return [
        "DROP TABLE IF EXISTS rebuild_chain",
        f"CREATE TEMPORARY TABLE rebuild_chain AS {chain}",
        _fold("activity", f"({activities})", tables["activity"], empty=True, grains=("H",)),
        _fold("value", f"({values})", tables["value"], empty=True, grains=("H",)),
        _fold(
            "place",
            f"({places} UNION ALL {own_places})",
            tables["place"],
            empty=True,
            grains=("H",),
        ),
        "DROP TABLE rebuild_chain",
        # The coarser grains from the half-months, each from the one below it.
        *(
            _coarser(kind, name, grain, finer)
            for kind, name in tables.items()
            for grain, finer in (("M", "H"), ("Q", "M"), ("Y", "Q"))
        ),
    ]


def facts_status() -> dict[str, object]:
    state = fact_state()
    tables = fact_tables(state.current)
    return {
        "current": state.current,
        "built": state.built,
        "rekey_needed": rekey_needed(),
        "ledger": {kind: model.objects.count() for kind, model in LEDGER.items()},
        "facts": {kind: COPIES[state.current][kind].objects.count() for kind in tables},
        "rebuilt_at": state.rebuilt_at,
        "merged_at": state.merged_at,
        "today": datetime.date.today(),  # noqa: DTZ011 - a status line, not a rule
    }

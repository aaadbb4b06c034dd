"""The analytics rollup: per-year sums and places reached, kept fresh on the write path.

See ``docs/decisions/0006-analytics-rollup.md``. Three tables hold, per calendar year, what
the recorded activities add up to under each unit of their as-recorded chain (the place
itself, ``own``, and every unit above it on the activity's date):

- ``RollupActivity``: activities, participants, women and ethnic minorities, by type;
- ``RollupValue``: recorded indicator values;
- ``RollupPlace``: the villages (kind "v") and recording units (kind "p") reached, by type.

:func:`rollup_apply` adds (``sign=1``) or removes (``sign=-1``) activities in the caller's
transaction, so a saved record is in the next pivot. :func:`rollup_rebuild` refills
everything in SQL. ``RollupState`` is the fill-state bookmark: the engine reads the rollup
only while the bookmark matches the current tree (:func:`rollup_ready`); a boundary change
makes it fall back to the records until the next rebuild.

The tree the rollup is read through lives in ``indicators.tree``.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from gandan.geo.models import UnitVersion
from gandan.indicators.models import RollupActivity, RollupPlace, RollupState, RollupValue
from gandan.indicators.tree import geo_fingerprint
from gandan.work.models import Activity, ActivityValue
from gandan.work.validation import Checker

STATE_KEY = "main"


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def rollup_state() -> str | None:
    """The tree fingerprint when the rollup is complete for the current tree, else None."""
    stored = RollupState.objects.filter(key=STATE_KEY).values_list("fingerprint", flat=True).first()
    if stored is None:
        return None
    current = geo_fingerprint()
    return current if stored == current else None


def rollup_ready() -> bool:
    """Whether the rollup is complete for the current tree."""
    return rollup_state() is not None


# -- writing ------------------------------------------------------------------------------------

_ACTIVITY_COLUMNS = ("n", "participants", "female", "female_n", "minority", "minority_n")


def _upsert(
    table: str, key: Sequence[str], columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    names = [*key, *columns]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        # In key order, so that concurrent writers lock shared rows in the same order.
        ordered: list[tuple[Any, ...]] = sorted(rows, key=lambda row: row[: len(key)])
        cursor.executemany(sql, ordered)


def rollup_hook(activity_ids: Sequence[int], sign: int) -> None:
    """The write hook the work services call (registered in ``IndicatorsConfig.ready``)."""
    rollup_apply(activity_ids=activity_ids, sign=sign)


def rollup_apply(*, activity_ids: Iterable[int], sign: int = 1) -> None:
    """Add (``sign=1``) or remove (``sign=-1``) activities from the rollup, in the caller's
    transaction. Call with ``sign=1`` after an activity, its villages and its values are
    written, and with ``sign=-1`` before they change or are deleted. Drafts are ignored.

    A no-op until :func:`rollup_rebuild` has filled the rollup once.
    """
    ids = sorted(set(activity_ids))
    if not ids or not RollupState.objects.filter(key=STATE_KEY).exists():
        return
    checker = Checker()
    activities: dict[int, tuple[list[int], int, int]] = {}
    sums: dict[tuple[int, bool, int, int], list[int]] = defaultdict(lambda: [0] * 6)
    places: dict[tuple[int, bool, int, int, str, int], int] = defaultdict(int)
    for offset in range(0, len(ids), 2000):
        chunk = ids[offset : offset + 2000]
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
        checker.preload({row[1] for row in rows})
        for activity_id, unit_id, start, type_id, people, female, minority in rows:
            chain = checker.chain(unit_id, start)
            if not chain:
                continue
            activities[activity_id] = (chain, start.year, type_id)
            for depth, unit in enumerate(chain):
                key = (unit, depth == 0, start.year, type_id)
                delta = (
                    1,
                    people,
                    female or 0,
                    female is not None,
                    minority or 0,
                    minority is not None,
                )
                sums[key] = [a + sign * int(b) for a, b in zip(sums[key], delta, strict=True)]
                places[(unit, depth == 0, start.year, type_id, "p", chain[0])] += sign
    values: dict[tuple[int, bool, int, int], list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0)]
    )
    through = Activity.villages.through
    for offset in range(0, len(ids), 2000):
        chunk = [i for i in ids[offset : offset + 2000] if i in activities]
        for activity_id, village_id in (
            through.objects.filter(activity_id__in=chunk)
            .order_by()
            .values_list("activity_id", "adminunit_id")
        ):
            chain, year, type_id = activities[activity_id]
            for depth, unit in enumerate(chain):
                places[(unit, depth == 0, year, type_id, "v", village_id)] += sign
        for activity_id, indicator_id, amount in (
            ActivityValue.objects.filter(activity_id__in=chunk)
            .order_by()
            .values_list("activity_id", "indicator_id", "value")
        ):
            chain, year, _type = activities[activity_id]
            for depth, unit in enumerate(chain):
                cell = values[(unit, depth == 0, year, indicator_id)]
                cell[0] += sign * amount
                cell[1] += sign
    columns = ("unit_id", "own", "year", "type_id")
    _upsert(
        _table(RollupActivity),
        columns,
        _ACTIVITY_COLUMNS,
        [(*k, *v) for k, v in sums.items()],
    )
    _upsert(
        _table(RollupValue),
        ("unit_id", "own", "year", "indicator_id"),
        ("total", "n"),
        [(*k, v[0], int(v[1])) for k, v in values.items()],
    )
    _upsert(
        _table(RollupPlace),
        (*columns, "kind", "place_id"),
        ("n",),
        [(*k, v) for k, v in places.items() if v],
    )
    if sign < 0:
        touched = sorted({k[0] for k in sums})
        for model in (RollupActivity, RollupValue, RollupPlace):
            for offset in range(0, len(touched), 500):
                model.objects.filter(unit_id__in=touched[offset : offset + 500], n__lte=0).delete()


def _year(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _levels(source: str, columns: str, sums: str, extra_key: str = "") -> str:
    """Rows of ``source`` (with u0..u3) spread to each unit of their chain, then summed."""
    parts = [
        f"SELECT u{depth} AS unit_id, {'TRUE' if depth == 0 else 'FALSE'} AS own, {columns} "  # noqa: S608
        f"FROM {source}" + (f" WHERE u{depth} IS NOT NULL" if depth else "")
        for depth in range(4)
    ]
    return (
        f"SELECT unit_id, own, year{extra_key}, {sums} FROM ("  # noqa: S608
        + " UNION ALL ".join(parts)
        + f") x GROUP BY unit_id, own, year{extra_key}"
    )


@transaction.atomic
def rollup_rebuild() -> dict[str, int]:
    """Refill the rollup from the records, in SQL, and set the bookmark. Run it once to
    turn the rollup on, and again after boundary changes (``gandan rollup``)."""
    activity, value = _table(Activity), _table(ActivityValue)
    villages, versions = _table(Activity.villages.through), _table(UnitVersion)
    tables = {m: _table(m) for m in (RollupActivity, RollupValue, RollupPlace)}

    def valid(alias: str) -> str:
        return (
            f"({alias}.valid_from IS NULL OR {alias}.valid_from <= a.start) AND "
            f"({alias}.valid_to IS NULL OR {alias}.valid_to > a.start)"
        )

    statements = [
        "DROP TABLE IF EXISTS rollup_chain",
        "DROP TABLE IF EXISTS rollup_sig",
        f"CREATE TEMPORARY TABLE rollup_chain AS SELECT a.id AS activity_id, a.type_id, "  # noqa: S608
        f"{_year('a.start')} AS year, a.unit_id AS u0, v1.unit_id AS u1, v2.unit_id AS u2, "
        f"v3.unit_id AS u3, a.participants, a.participants_female AS female, "
        f"a.participants_minority AS minority FROM {activity} a "
        f"JOIN {versions} v0 ON v0.unit_id = a.unit_id AND {valid('v0')} "
        f"LEFT JOIN {versions} v1 ON v1.unit_id = v0.parent_id AND {valid('v1')} "
        f"LEFT JOIN {versions} v2 ON v2.unit_id = v1.parent_id AND {valid('v2')} "
        f"LEFT JOIN {versions} v3 ON v3.unit_id = v2.parent_id AND {valid('v3')} "
        f"WHERE a.status = 'recorded'",
        "CREATE TEMPORARY TABLE rollup_sig AS SELECT u0, u1, u2, u3, year, type_id, "
        "COUNT(*) AS n, SUM(participants) AS participants, "
        "COALESCE(SUM(female), 0) AS female, COUNT(female) AS female_n, "
        "COALESCE(SUM(minority), 0) AS minority, COUNT(minority) AS minority_n "
        "FROM rollup_chain GROUP BY u0, u1, u2, u3, year, type_id",
        # TRUNCATE on PostgreSQL: DELETE would leave the old rows' space behind.
        *(
            f"{'TRUNCATE' if connection.vendor == 'postgresql' else 'DELETE FROM'} {t}"
            for t in tables.values()
        ),
        f"INSERT INTO {tables[RollupActivity]} (unit_id, own, year, type_id, "
        + ", ".join(_ACTIVITY_COLUMNS)
        + ") "
        + _levels(
            "rollup_sig",
            "year, type_id, " + ", ".join(_ACTIVITY_COLUMNS),
            ", ".join(f"SUM({c})" for c in _ACTIVITY_COLUMNS),
            ", type_id",
        ),
        "DROP TABLE IF EXISTS rollup_vsig",
        f"CREATE TEMPORARY TABLE rollup_vsig AS SELECT c.u0, c.u1, c.u2, c.u3, c.year, "  # noqa: S608
        f"v.indicator_id, SUM(v.value) AS total, COUNT(*) AS n FROM {value} v "
        f"JOIN rollup_chain c ON c.activity_id = v.activity_id "
        f"GROUP BY c.u0, c.u1, c.u2, c.u3, c.year, v.indicator_id",
        f"INSERT INTO {tables[RollupValue]} (unit_id, own, year, indicator_id, total, n) "
        + _levels(
            "rollup_vsig", "year, indicator_id, total, n", "SUM(total), SUM(n)", ", indicator_id"
        ),
        "DROP TABLE rollup_vsig",
        "DROP TABLE IF EXISTS rollup_psig",
        f"CREATE TEMPORARY TABLE rollup_psig AS SELECT c.u0, c.u1, c.u2, c.u3, c.year, "  # noqa: S608
        f"c.type_id, 'v' AS kind, t.adminunit_id AS place_id, COUNT(*) AS n FROM {villages} t "
        f"JOIN rollup_chain c ON c.activity_id = t.activity_id "
        f"GROUP BY c.u0, c.u1, c.u2, c.u3, c.year, c.type_id, t.adminunit_id",
        "INSERT INTO rollup_psig SELECT u0, u1, u2, u3, year, type_id, 'p', u0, n FROM rollup_sig",
        f"INSERT INTO {tables[RollupPlace]} (unit_id, own, year, type_id, kind, place_id, n) "
        + _levels(
            "rollup_psig",
            "year, type_id, kind, place_id, n",
            "SUM(n)",
            ", type_id, kind, place_id",
        ),
        "DROP TABLE rollup_psig",
        "DROP TABLE rollup_chain",
        "DROP TABLE rollup_sig",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    RollupState.objects.update_or_create(key=STATE_KEY, defaults={"fingerprint": geo_fingerprint()})
    return {
        "activity": RollupActivity.objects.count(),
        "value": RollupValue.objects.count(),
        "place": RollupPlace.objects.count(),
    }


def rollup_disable() -> None:
    """Forget the bookmark: the engine reads the records until the next rebuild."""
    RollupState.objects.filter(key=STATE_KEY).delete()

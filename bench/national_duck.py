"""(c) the fair DuckDB reference of the national benchmark (issue 11).

Set-up, once per run and not timed: the recorded activities, their village links and their
values are copied out of PostgreSQL (``COPY … TO STDOUT``) into DuckDB in-memory tables,
denormalised: each record's parent chain as recorded (the unit versions valid on its day,
up to four levels) is resolved once, in PostgreSQL, and stored as a chain id; values and
village links carry the chain id, day and type of their record; every table is sorted by
day. Per question, also before the warm-up and not timed, two small maps: chain → (target,
counted commune) from the boundary tree (as the engine maps places) and day → period.
Timed: the query (one per kind of indicator: records, villages, values) and its fetch.
"""

import tempfile
import time
from pathlib import Path
from typing import Any

from national_questions import Question, periods_for, say, units_for
from national_sql import record_columns, type_filter

CHAIN_SQL = """
SELECT a.id, a.start, a.type_id, a.participants, a.unit_id,
       v1.unit_id, v2.unit_id, v3.unit_id
FROM work_activity a
JOIN geo_unitversion v0 ON v0.unit_id = a.unit_id AND {v0}
LEFT JOIN geo_unitversion v1 ON v1.unit_id = v0.parent_id AND {v1}
LEFT JOIN geo_unitversion v2 ON v2.unit_id = v1.parent_id AND {v2}
LEFT JOIN geo_unitversion v3 ON v3.unit_id = v2.parent_id AND {v3}
WHERE a.status = 'recorded'
"""


def _valid(alias: str) -> str:
    return (
        f"({alias}.valid_from IS NULL OR {alias}.valid_from <= a.start) AND "
        f"({alias}.valid_to IS NULL OR {alias}.valid_to > a.start)"
    )


def _copy_out(query: str, path: Path) -> None:
    from django.db import connection

    with (
        connection.cursor() as cursor,
        path.open("wb") as out,
        cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy,  # type: ignore[attr-defined]
    ):
        for block in copy:
            out.write(block)


def duck_load() -> tuple[Any, dict[str, float]]:
    """An in-memory DuckDB with the denormalised tables; (connection, set-up seconds)."""
    import duckdb

    db = duckdb.connect()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="gandan-duck-") as folder:
        tmp = Path(folder)
        began = time.perf_counter()
        _copy_out(CHAIN_SQL.format(**{f"v{i}": _valid(f"v{i}") for i in range(4)}), tmp / "act.csv")
        _copy_out(
            "SELECT activity_id, indicator_id, value FROM work_activityvalue", tmp / "val.csv"
        )
        _copy_out("SELECT activity_id, adminunit_id FROM work_activity_villages", tmp / "vil.csv")
        timings["copy out of PostgreSQL"] = time.perf_counter() - began
        began = time.perf_counter()
        db.execute(
            f"CREATE TABLE raw_act AS SELECT * FROM read_csv('{tmp / 'act.csv'}', header=false, "  # noqa: S608
            "columns={'id': 'BIGINT', 'day': 'DATE', 'type_id': 'INTEGER', "
            "'participants': 'BIGINT', 'unit_id': 'INTEGER', 'c1': 'INTEGER', 'c2': 'INTEGER', "
            "'c3': 'INTEGER'})"
        )
        db.execute(
            "CREATE TABLE chain AS SELECT row_number() OVER () AS chain_id, * FROM "
            "(SELECT DISTINCT unit_id, c1, c2, c3 FROM raw_act)"
        )
        db.execute(
            "CREATE TABLE act AS SELECT r.id, r.day, r.type_id, r.participants, c.chain_id "
            "FROM raw_act r JOIN chain c ON c.unit_id = r.unit_id "
            "AND c.c1 IS NOT DISTINCT FROM r.c1 AND c.c2 IS NOT DISTINCT FROM r.c2 "
            "AND c.c3 IS NOT DISTINCT FROM r.c3 ORDER BY r.day"
        )
        db.execute("DROP TABLE raw_act")
        db.execute(
            f"CREATE TABLE val AS SELECT a.chain_id, a.day, v.indicator_id, v.value "  # noqa: S608
            f"FROM read_csv('{tmp / 'val.csv'}', header=false, columns={{'activity_id': "
            "'BIGINT', 'indicator_id': 'INTEGER', 'value': 'DECIMAL(20,3)'}) v "
            "JOIN act a ON a.id = v.activity_id ORDER BY a.day"
        )
        db.execute(
            f"CREATE TABLE vil AS SELECT a.chain_id, a.day, a.type_id, t.village "  # noqa: S608
            f"FROM read_csv('{tmp / 'vil.csv'}', header=false, columns={{'activity_id': "
            "'BIGINT', 'village': 'INTEGER'}) t JOIN act a ON a.id = t.activity_id ORDER BY a.day"
        )
        timings["load and denormalise in DuckDB"] = time.perf_counter() - began
    sizes = {
        name: db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]  # noqa: S608
        for name in ("chain", "act", "val", "vil")
    }
    say(f"DuckDB: {sizes}, {timings}")
    return db, timings | {f"rows {k}": float(v) for k, v in sizes.items()}


class DuckQuestion:
    """One question prepared for DuckDB: its two maps loaded, its statements written."""

    def __init__(
        self, db: Any, number: int, question: Question, chains: list[tuple[int, ...]]
    ) -> None:
        from gandan.geo.tree import NONE, tree
        from gandan.indicators.models import Indicator, Source
        from gandan.work.models import ActivityType

        self.db = db
        targets = [u.pk for u in units_for(question.units)]
        wanted = set(targets)
        periods = periods_for(question)
        rows: list[tuple[int, int, int]] = []
        if question.boundaries is None:  # as recorded: the record's own chain
            for chain_id, *chain in chains:
                hit = next((u for u in chain if u in wanted), None)
                if hit is not None:
                    rows.append((chain_id, hit, chain[0]))
        else:
            index = tree()
            mapped = index.target_map(frozenset(targets), question.boundaries)
            counted = index.counted_map(question.boundaries)
            for chain_id, unit, *_rest in chains:
                target = mapped.get(unit, NONE)
                if target != NONE:
                    rows.append((chain_id, target, counted.get(unit, unit)))
        db.execute(
            f"CREATE OR REPLACE TEMP TABLE qmap_{number} (chain_id BIGINT, target INTEGER, counted INTEGER)"
        )
        if rows:
            db.executemany(f"INSERT INTO qmap_{number} VALUES (?, ?, ?)", rows)  # noqa: S608
        db.execute(f"CREATE OR REPLACE TEMP TABLE qperiod_{number} (idx INTEGER, s DATE, e DATE)")
        db.executemany(
            f"INSERT INTO qperiod_{number} VALUES (?, ?, ?)",  # noqa: S608
            [(i, p.start, p.end) for i, p in enumerate(periods)],
        )
        db.execute(
            f"CREATE OR REPLACE TEMP TABLE qday_{number} AS SELECT CAST(unnest(generate_series(s, e, "  # noqa: S608
            f"INTERVAL 1 DAY)) AS DATE) AS day, idx FROM qperiod_{number}"
        )
        indicators = list(Indicator.objects.filter(code__in=question.indicators))
        type_ids = dict(ActivityType.objects.values_list("code", "id"))

        def types(indicator: Any) -> str:
            return type_filter(indicator, type_ids, "a.type_id")

        sets = "GROUP BY GROUPING SETS ((m.target, d.idx), (m.target), (d.idx), ())"
        joins = (
            f"JOIN qmap_{number} m ON m.chain_id = a.chain_id JOIN qday_{number} d ON d.day = a.day"
        )
        self.statements: list[tuple[str, list[str]]] = []
        records = [
            i
            for i in indicators
            if i.source in {Source.ACTIVITIES, Source.PARTICIPANTS, Source.COMMUNES}
        ]
        if records:
            columns = record_columns(
                records, type_ids, participants="a.participants", place="m.counted",
                column="a.type_id",
            )  # fmt: skip
            self.statements.append(
                (
                    f"SELECT m.target, d.idx, {', '.join(columns)} FROM act a {joins} {sets}",  # noqa: S608
                    [i.code for i in records],
                )
            )
        villages = [i for i in indicators if i.source == Source.VILLAGES]
        if villages:
            columns = [f"COUNT(DISTINCT a.village) FILTER (WHERE {types(i)})" for i in villages]
            self.statements.append(
                (
                    f"SELECT m.target, d.idx, {', '.join(columns)} FROM vil a {joins} {sets}",  # noqa: S608
                    [i.code for i in villages],
                )
            )
        valued = [i for i in indicators if i.source == Source.VALUE]
        if valued:
            columns = [
                f"COALESCE(SUM(a.value) FILTER (WHERE a.indicator_id = {i.pk}), 0)" for i in valued
            ]
            ids = ", ".join(str(i.pk) for i in valued)
            self.statements.append(
                (
                    f"SELECT m.target, d.idx, {', '.join(columns)} FROM val a {joins} "  # noqa: S608
                    f"WHERE a.indicator_id IN ({ids}) {sets}",
                    [i.code for i in valued],
                )
            )

    def run(self) -> tuple[float, list[tuple[list[tuple[Any, ...]], list[str]]]]:
        """One timed run: (seconds, [(rows, codes)] per statement)."""
        out = []
        began = time.perf_counter()
        for sql, codes in self.statements:
            out.append((self.db.execute(sql).fetchall(), codes))
        return time.perf_counter() - began, out


def chains_of(db: Any) -> list[tuple[int, ...]]:
    return [
        tuple(row)
        for row in db.execute("SELECT chain_id, unit_id, c1, c2, c3 FROM chain").fetchall()
    ]

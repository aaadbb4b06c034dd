"""(b) and (c) of the national benchmark: the same questions as plain SQL ``GROUP BY`` over
the record tables on PostgreSQL, and in DuckDB over the same facts exported to Parquet.
Every answer is compared with the engine's, cell by cell."""

import time
from decimal import Decimal
from typing import Any

from national_questions import PARQUET_DIR, Question, periods_for, say, units_for

# -- (b), (c) the same questions in plain SQL -------------------------------------------------


def plain_sql(question: Question) -> list[tuple[str, str, list[str]]]:
    """(indicator kind, SQL, indicator codes) — GROUP BY over the record tables, with the
    place → target mapping done in SQL (as recorded: the unit versions on the record's
    day) or by a mapping table (under a date's boundaries)."""
    from gandan.indicators.models import Indicator, Source
    from gandan.indicators.tree import NONE, tree
    from gandan.work.models import ActivityType

    targets = [u.pk for u in units_for(question.units)]
    periods = periods_for(question)
    indicators = list(Indicator.objects.filter(code__in=question.indicators))
    type_ids = dict(ActivityType.objects.values_list("code", "id"))
    period_rows = ", ".join(
        f"({i}, DATE '{p.start}', DATE '{p.end}')" for i, p in enumerate(periods)
    )
    ids = ", ".join(map(str, targets))
    lo, hi = periods[0].start, periods[-1].end

    def valid(alias: str) -> str:
        return (
            f"({alias}.valid_from IS NULL OR {alias}.valid_from <= a.start) AND "
            f"({alias}.valid_to IS NULL OR {alias}.valid_to > a.start)"
        )

    if question.boundaries is None:
        mapping = (
            f"JOIN geo_unitversion v0 ON v0.unit_id = a.unit_id AND {valid('v0')} "
            f"LEFT JOIN geo_unitversion v1 ON v1.unit_id = v0.parent_id AND {valid('v1')} "
            f"LEFT JOIN geo_unitversion v2 ON v2.unit_id = v1.parent_id AND {valid('v2')} "
            f"LEFT JOIN geo_unitversion v3 ON v3.unit_id = v2.parent_id AND {valid('v3')}"
        )
        target = (
            f"CASE WHEN a.unit_id IN ({ids}) THEN a.unit_id WHEN v1.unit_id IN ({ids}) "
            f"THEN v1.unit_id WHEN v2.unit_id IN ({ids}) THEN v2.unit_id "
            f"WHEN v3.unit_id IN ({ids}) THEN v3.unit_id END"
        )
        place = "a.unit_id"
        head = f"WITH q_period(idx, s, e) AS (VALUES {period_rows})"
    else:
        index = tree()
        mapped = index.target_map(frozenset(targets), question.boundaries)
        pairs = ", ".join(f"({u}, {t})" for u, t in mapped.items() if t != NONE) or "(0, 0)"
        counted = index.counted_map(question.boundaries)
        cm = ", ".join(f"({u}, {c})" for u, c in counted.items()) or "(0, 0)"
        head = (
            f"WITH q_period(idx, s, e) AS (VALUES {period_rows}), "
            f"q_map(place, target) AS (VALUES {pairs}), q_counted(place, counted) AS (VALUES {cm})"
        )
        mapping = (
            "JOIN q_map m ON m.place = a.unit_id LEFT JOIN q_counted qc ON qc.place = a.unit_id"
        )
        target = "m.target"
        place = "COALESCE(qc.counted, a.unit_id)"
    facts = (
        f"{head}, facts AS (SELECT a.id, a.type_id, a.participants, "  # noqa: S608
        f"a.participants_female AS female, a.participants_minority AS minority, "
        f"{place} AS place, p.idx, {target} AS target FROM work_activity a "
        f"JOIN q_period p ON a.start BETWEEN p.s AND p.e {mapping} "
        f"WHERE a.status = 'recorded' AND a.start BETWEEN DATE '{lo}' AND DATE '{hi}')"
    )
    sets = "GROUPING SETS ((target, idx), (target), (idx), ())"

    def types(indicator: Any) -> str:
        if not indicator.activity_types:
            return "TRUE"
        found = [str(type_ids[c]) for c in indicator.activity_types if c in type_ids]
        return f"type_id IN ({', '.join(found) or 'NULL'})"

    out: list[tuple[str, str, list[str]]] = []
    records = [
        i
        for i in indicators
        if i.source in {Source.ACTIVITIES, Source.PARTICIPANTS, Source.COMMUNES}
    ]
    if records:
        columns = []
        for i in records:
            if i.source == Source.ACTIVITIES:
                columns.append(f"COUNT(*) FILTER (WHERE {types(i)})")
            elif i.source == Source.PARTICIPANTS:
                columns.append(f"COALESCE(SUM(participants) FILTER (WHERE {types(i)}), 0)")
            else:
                columns.append(f"COUNT(DISTINCT place) FILTER (WHERE {types(i)})")
        out.append(
            (
                "records",
                f"{facts} SELECT target, idx, {', '.join(columns)} FROM facts "  # noqa: S608
                f"WHERE target IS NOT NULL GROUP BY {sets}",
                [i.code for i in records],
            )
        )
    villages = [i for i in indicators if i.source == Source.VILLAGES]
    if villages:
        columns = [f"COUNT(DISTINCT t.adminunit_id) FILTER (WHERE {types(i)})" for i in villages]
        out.append(
            (
                "villages",
                f"{facts} SELECT target, idx, {', '.join(columns)} FROM facts f "  # noqa: S608
                "JOIN work_activity_villages t ON t.activity_id = f.id "
                f"WHERE target IS NOT NULL GROUP BY {sets}",
                [i.code for i in villages],
            )
        )
    valued = [i for i in indicators if i.source == Source.VALUE]
    if valued:
        columns = [
            f"COALESCE(SUM(v.value) FILTER (WHERE v.indicator_id = {i.pk}), 0)" for i in valued
        ]
        out.append(
            (
                "values",
                f"{facts} SELECT target, idx, {', '.join(columns)} FROM facts f "  # noqa: S608
                f"JOIN work_activityvalue v ON v.activity_id = f.id "
                f"WHERE target IS NOT NULL AND v.indicator_id IN ({', '.join(str(i.pk) for i in valued)}) "
                f"GROUP BY {sets}",
                [i.code for i in valued],
            )
        )
    return out


def compare(question: Question, result: Any, rows: list[tuple[Any, ...]], codes: list[str]) -> int:
    """Cells where the SQL answer differs from the engine's (0 expected)."""
    from gandan.indicators.aggregation import TOTAL

    periods = [p.code for p in result.periods]
    bad = 0
    seen = set()
    for row in rows:
        target, idx = row[0], row[1]
        unit_key = TOTAL if target is None else target
        period_key = TOTAL if idx is None else periods[idx]
        if unit_key == TOTAL and len(result.units) == 1 and target is None:
            unit_key = result.units[0].pk
        for code, value in zip(codes, row[2:], strict=True):
            key = (unit_key, period_key, code)
            if key not in result.cells or key in seen:
                continue
            seen.add(key)
            if Decimal(str(value or 0)) != result.cells[key].value:
                bad += 1
    return bad


def run_pg_sql(question: Question, result: Any) -> tuple[float, int]:
    from django.db import connection

    total, bad = 0.0, 0
    with connection.cursor() as cursor:
        for _kind, sql, codes in plain_sql(question):
            began = time.perf_counter()
            cursor.execute(sql)
            rows = cursor.fetchall()
            total += time.perf_counter() - began
            bad += compare(question, result, rows, codes)
    return total, bad


# -- (c) DuckDB over Parquet ------------------------------------------------------------------

EXPORTS = {
    "work_activity": "SELECT id, unit_id, start, type_id, status, participants, "
    "participants_female, participants_minority FROM work_activity",
    "work_activity_villages": "SELECT activity_id, adminunit_id FROM work_activity_villages",
    "work_activityvalue": "SELECT activity_id, indicator_id, value FROM work_activityvalue",
    "geo_unitversion": "SELECT unit_id, parent_id, valid_from, valid_to FROM geo_unitversion",
}


def export_parquet() -> dict[str, float]:
    import duckdb
    from django.db import connection

    PARQUET_DIR.mkdir(parents=True, exist_ok=True)
    timings = {}
    db = duckdb.connect()
    for table, query in EXPORTS.items():
        csv_path = PARQUET_DIR / f"{table}.csv"
        began = time.perf_counter()
        with connection.cursor() as cursor, csv_path.open("wb") as out:
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
                for block in copy:
                    out.write(block)
        timings[f"{table} csv"] = time.perf_counter() - began
        began = time.perf_counter()
        db.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}', header = true)) "  # noqa: S608
            f"TO '{PARQUET_DIR / table}.parquet' (FORMAT parquet)"
        )
        csv_path.unlink()
        timings[f"{table} parquet"] = time.perf_counter() - began
        say(f"xuất {table}: {sum(v for k, v in timings.items() if k.startswith(table)):.1f} s")
    db.close()
    return timings


def duckdb_connection() -> Any:
    import duckdb

    db = duckdb.connect()
    for table in EXPORTS:
        db.execute(f"CREATE VIEW {table} AS SELECT * FROM '{PARQUET_DIR / table}.parquet'")  # noqa: S608
    return db


def run_duckdb(db: Any, question: Question, result: Any) -> tuple[float, int]:
    total, bad = 0.0, 0
    for _kind, sql, codes in plain_sql(question):
        began = time.perf_counter()
        rows = db.execute(sql).fetchall()
        total += time.perf_counter() - began
        bad += compare(question, result, rows, codes)
    return total, bad

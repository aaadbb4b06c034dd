"""(b) plain SQL: the benchmark's questions as ``GROUP BY`` over the record tables on
PostgreSQL, with the place → target mapping done in SQL (as recorded) or by a mapping table
(under a date's boundaries). The fair DuckDB reference is ``national_duck.py``; both are
compared with the engine cell by cell, both ways (``compare``)."""

import time
from decimal import Decimal
from typing import Any

from national_questions import Question, periods_for, units_for

# -- (b) the same questions in plain SQL ------------------------------------------------------


def plain_sql(question: Question) -> list[tuple[str, str, list[str]]]:
    """(indicator kind, SQL, indicator codes) — GROUP BY over the record tables, with the
    place → target mapping done in SQL (as recorded: the unit versions on the record's
    day) or by a mapping table (under a date's boundaries)."""
    from gandan.geo.tree import NONE, tree
    from gandan.indicators.models import Indicator, Source
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
        return type_filter(indicator, type_ids)

    out: list[tuple[str, str, list[str]]] = []
    records = [
        i
        for i in indicators
        if i.source in {Source.ACTIVITIES, Source.PARTICIPANTS, Source.COMMUNES}
    ]
    if records:
        columns = record_columns(records, type_ids, participants="participants", place="place")
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


def type_filter(indicator: Any, type_ids: dict[str, int], column: str = "type_id") -> str:
    """The SQL condition for the activity types an indicator counts."""
    if not indicator.activity_types:
        return "TRUE"
    found = [str(type_ids[c]) for c in indicator.activity_types if c in type_ids]
    return f"{column} IN ({', '.join(found) or 'NULL'})"


def record_columns(
    records: list[Any],
    type_ids: dict[str, int],
    *,
    participants: str,
    place: str,
    column: str = "type_id",
) -> list[str]:
    """The aggregate of each record-based indicator: activities, participants, communes."""
    from gandan.indicators.models import Source

    columns = []
    for i in records:
        where = type_filter(i, type_ids, column)
        if i.source == Source.ACTIVITIES:
            columns.append(f"COUNT(*) FILTER (WHERE {where})")
        elif i.source == Source.PARTICIPANTS:
            columns.append(f"COALESCE(SUM({participants}) FILTER (WHERE {where}), 0)")
        else:
            columns.append(f"COUNT(DISTINCT {place}) FILTER (WHERE {where})")
    return columns


def engine_cells(result: Any) -> dict[tuple[Any, Any, str], Decimal]:
    from gandan.analytics.figures import UNALLOCATED

    return {
        key: Decimal(figure.value) for key, figure in result.cells.items() if key[0] != UNALLOCATED
    }


def reference_cells(
    result: Any, rows: list[tuple[Any, ...]], codes: list[str]
) -> dict[tuple[Any, Any, str], Decimal]:
    """A reference's ``GROUPING SETS`` rows as the engine's cell keys. A target of
    ``geo.tree.SPREAD`` (territory within several targets) counts in the totals only, as
    the engine's UNALLOCATED row: its per-period rows are dropped."""
    from gandan.analytics.figures import TOTAL, UNALLOCATED
    from gandan.geo.tree import SPREAD

    periods = [p.code for p in result.periods]
    out: dict[tuple[Any, Any, str], Decimal] = {}
    for row in rows:
        target, idx = row[0], row[1]
        unit_key = TOTAL if target is None else UNALLOCATED if target == SPREAD else target
        period_key = TOTAL if idx is None else periods[idx]
        if unit_key == UNALLOCATED:
            continue
        for code, value in zip(codes, row[2:], strict=True):
            out[(unit_key, period_key, code)] = Decimal(str(value or 0))
    return out


def compare(result: Any, rows: list[tuple[Any, ...]], codes: list[str]) -> tuple[int, int]:
    """Wrong cells both ways: (every engine cell of ``codes`` against the reference, a cell
    the reference lacks being 0; every reference cell against the engine, a cell the
    engine lacks being wrong unless the reference says 0). 0 and 0 expected."""
    mine = {k: v for k, v in engine_cells(result).items() if k[2] in codes}
    theirs = reference_cells(result, rows, codes)
    engine_wrong = sum(1 for key, value in mine.items() if theirs.get(key, Decimal(0)) != value)
    reference_wrong = sum(
        1
        for key, value in theirs.items()
        if (key in mine and mine[key] != value) or (key not in mine and value != 0)
    )
    return engine_wrong, reference_wrong


def run_pg_sql(question: Question, result: Any) -> tuple[float, tuple[int, int]]:
    """One run of every statement of the question; (seconds, wrong cells both ways)."""
    from django.db import connection

    total, wrong = 0.0, (0, 0)
    with connection.cursor() as cursor:
        for _kind, sql, codes in plain_sql(question):
            began = time.perf_counter()
            cursor.execute(sql)
            rows = cursor.fetchall()
            total += time.perf_counter() - began
            a, b = compare(result, rows, codes)
            wrong = (wrong[0] + a, wrong[1] + b)
    return total, wrong

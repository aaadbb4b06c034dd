"""Benchmark: the analytics engine at national scale, reads and writes (issues 5 and 11).

    DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_bench GANDAN_ALLOW_INSECURE_KEY=1 \\
        nice -n 10 .venv/bin/python bench/national.py --scale 0.01 [--reuse] [--json F]

One run: resets the schema of the PostgreSQL database named in DATABASE_URL (a
``gandan_bench…`` database only), migrates it, generates the synthetic national dataset
(``bench/national_data.py``), builds the facts (``analytics.facts.facts_rebuild``, ADR 0008),
then measures, side by side in this one run:

- reads: every question of ``QUESTIONS`` by (a) the engine (``analytics.engine.pivot``),
  (b) plain SQL ``GROUP BY`` over the record tables in PostgreSQL (``national_sql.py``) and
  (c) DuckDB over denormalised in-memory tables (``national_duck.py``). Each contender: its
  first run kept apart, one warm-up, then ``--repeat`` runs, interleaved question by
  question (engine, DuckDB, SQL, engine, …) so that the machine's noise falls on all three;
  the median is the question's figure. Every cell of (b) and (c) is compared with (a) both
  ways (``national_sql.compare``).
- writes (``national_writes.py``): concurrent editors with and without the ledger;
  freshness from another connection; ``facts_rebuild`` while saves and pivots run; a merge
  of ten communes followed at once by questions, while saves and pivots run; then every
  question again (the engine) and the questions under the new boundaries checked against
  the records path;

then the same questions at province scale (1/34) on SQLite in a child process.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
os.environ.setdefault("GANDAN_ALLOW_INSECURE_KEY", "1")

from national_questions import (  # noqa: E402 - after the path set-up
    ADD,
    QUESTIONS,
    SQLITE_PATH,
    Question,
    ask_engine,
    percentile,
    say,
)
from national_report import print_report  # noqa: E402

D = datetime.date


def prepare_database(url: str, *, reuse: bool, scale: float) -> bool:
    """Empty (or keep) the benchmark database; True when data must be generated."""
    import dj_database_url

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(name)
        if reuse and path.exists():
            return False
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return True
    if not name.startswith("gandan_bench"):
        sys.exit("DATABASE_URL must name a benchmark database (gandan_bench…), never «gandan».")
    import psycopg

    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname=name,
        autocommit=True,
    ) as db:  # fmt: skip
        if reuse:
            try:
                row = db.execute("SELECT scale FROM bench_meta").fetchone()
                if row and float(row[0]) == scale:
                    return False
            except psycopg.Error:
                pass
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")
    return True


def generate(scale: float, *, province: bool) -> dict[str, Any]:
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from national_data import Shape, build_geo, build_records

    from gandan.analytics.facts import facts_rebuild

    call_command("migrate", verbosity=0)
    tune(connection)
    shape = Shape.province(scale) if province else Shape.national(scale)
    say(f"tạo dữ liệu: {shape}")
    began = time.perf_counter()
    geo = build_geo(shape, say)
    timings = {"geo": time.perf_counter() - began}
    timings |= build_records(shape, geo, say)
    say("lập bảng số liệu (facts_rebuild) …")
    began = time.perf_counter()
    sizes = facts_rebuild()
    timings["facts_rebuild"] = time.perf_counter() - began
    vacuum()
    info = {"timings": timings, "fact_rows": sizes, "shape": shape.__dict__}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (scale float, info text)")
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s)", [scale, json.dumps(info)])
    say(f"xong dữ liệu: {timings}, facts {sizes}")
    return info


def tune(connection: Any) -> None:
    """The same session settings for generation and for every measurement on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET work_mem = '128MB'")
            cursor.execute("SET maintenance_work_mem = '512MB'")


def counts() -> dict[str, int]:
    from django.db import connection

    from gandan.analytics.facts import fact_tables

    out = {}
    tables = ["work_activity", "work_activity_villages", "work_activityvalue"]
    tables += list(fact_tables().values())
    tables += ["work_ledgeractivity", "work_ledgervalue", "work_ledgerplace"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            out[table] = cursor.fetchone()[0]
        cursor.execute("SELECT level, COUNT(*) FROM geo_adminunit GROUP BY level")
        out |= {f"units {level}": n for level, n in cursor.fetchall()}
    return out


def vacuum() -> None:
    """What autovacuum would do after a bulk fill (PostgreSQL)."""
    from django.db import connection

    from gandan.analytics.facts import fact_tables

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in fact_tables().values():
                cursor.execute(f"VACUUM ANALYZE {table}")


def measure_engine(questions: list[Question], repeat: int) -> tuple[dict, dict]:
    """The engine alone: (first runs, ``repeat`` runs after one warm-up) per question."""
    cold: dict[str, float] = {}
    out: dict[str, list[float]] = {}
    for question in questions:
        cold[question.name] = ask_engine(question)[0]
        ask_engine(question)  # the warm-up, as every contender gets
        out[question.name] = [ask_engine(question)[0] for _ in range(repeat)]
    return cold, out


# -- reads, side by side ---------------------------------------------------------------------


def reads(repeat: int, *, with_sql: bool, sql_timeout: int) -> dict[str, Any]:
    from django.db import connection
    from national_duck import DuckQuestion, chains_of, duck_load
    from national_sql import compare, run_pg_sql

    db, duck_setup = duck_load()
    chains = chains_of(db)
    began = time.perf_counter()
    prepared = [DuckQuestion(db, n, q, chains) for n, q in enumerate(QUESTIONS)]
    duck_setup["maps for every question"] = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {sql_timeout * 1000}")
    times: dict[str, dict[str, list[float]]] = {"engine": {}, "duckdb": {}, "sql": {}}
    cold: dict[str, dict[str, float]] = {"engine": {}, "duckdb": {}, "sql": {}}
    wrong: dict[str, dict[str, tuple[int, int]]] = {"duckdb": {}, "sql": {}}
    timeouts: list[str] = []
    for question, duck in zip(QUESTIONS, prepared, strict=True):
        name = question.name
        say(f"  {name}")
        # First runs (kept apart), then the warm-up; correctness from the first runs.
        cold["engine"][name], result = ask_engine(question)
        cold["duckdb"][name], answers = duck.run()
        bad = (0, 0)
        for rows, codes in answers:
            a, b = compare(result, rows, codes)
            bad = (bad[0] + a, bad[1] + b)
        wrong["duckdb"][name] = bad
        sql = with_sql
        if sql:
            try:
                cold["sql"][name], wrong["sql"][name] = run_pg_sql(question, result)
            except Exception as error:  # the statement timeout
                say(f"    SQL: {type(error).__name__}")
                timeouts.append(name)
                sql = False
        ask_engine(question)
        duck.run()
        if sql:
            run_pg_sql(question, result)
        for contender in times.values():
            contender[name] = []
        for _ in range(repeat):
            times["engine"][name].append(ask_engine(question)[0])
            times["duckdb"][name].append(duck.run()[0])
            if sql:
                times["sql"][name].append(run_pg_sql(question, result)[0])
        say(
            "    " + ", ".join(
                f"{k} {1000 * statistics.median(v[name]):.1f} ms" for k, v in times.items() if v[name]
            ) + f"; sai khác {wrong['duckdb'][name]} / {wrong['sql'].get(name)}"
        )  # fmt: skip
    db.close()
    return {
        "times": times,
        "cold": cold,
        "wrong": wrong,
        "timeouts": timeouts,
        "duck_setup": duck_setup,
    }


# -- writes ----------------------------------------------------------------------------------

AFTER_CHANGE = [
    Question("34 tỉnh × tháng 2025 (địa giới 1-1-2026)", "provinces", "month", D(2025, 1, 1), D(2025, 12, 31), (*ADD, "villages_reached"), D(2026, 1, 1)),
    Question("34 tỉnh × năm 2016–2025, xã đã đến (địa giới 1-1-2026)", "provinces", "year", D(2016, 1, 1), D(2025, 12, 31), ("campaigns", "communes_reached"), D(2026, 1, 1)),
    Question("một tỉnh 2025 × quý 2025 (địa giới 1-1-2026)", "province_a", "quarter", D(2025, 1, 1), D(2025, 12, 31), (*ADD, "communes_reached"), D(2026, 1, 1)),
]  # fmt: skip


def writes(*, writers: list[int], seconds: float) -> dict[str, Any]:
    from national_writes import editors, freshness, merge_ten_communes, shared_records, under_load

    from gandan.analytics.facts import facts_rebuild

    out: dict[str, Any] = {"editors": []}
    ids = shared_records(8)
    say(f"ghi: {len(ids)} bản ghi dùng chung {ids}")
    for count in writers:
        for ledger in (True, False):
            out["editors"].append(editors(ids, writers=count, seconds=seconds, ledger=ledger))
    out["freshness"] = freshness()
    # The editors without the ledger left the facts behind the records: the rebuild
    # (which must not stop saves or pivots) brings them back.
    out["rebuild"] = under_load(facts_rebuild, ids, "facts_rebuild")

    def change() -> dict[str, Any]:
        began = time.perf_counter()
        pairs = merge_ten_communes()
        merged = time.perf_counter()
        first = {}
        for question in AFTER_CHANGE:
            first[question.name] = 1000 * ask_engine(question)[0]
        return {
            "pairs": pairs,
            "merges_s": merged - began,
            "first_answers_ms": first,
            "to_first_answer_s": merged - began + first[AFTER_CHANGE[0].name] / 1000,
        }

    out["boundary"] = under_load(change, ids, "10 xã nhập")
    return out


def after_change(repeat: int) -> dict[str, Any]:
    """Every question again (the engine), and the new-boundary questions against the records."""
    from national_questions import periods_for, units_for

    from gandan.analytics.engine import pivot
    from gandan.analytics.selectors import indicators_by_code

    cold, times = measure_engine([*QUESTIONS, *AFTER_CHANGE], repeat)
    medians = [statistics.median(v) for v in times.values()]
    checked: dict[str, int] = {}
    for question in AFTER_CHANGE:
        asked = {
            "units": units_for(question.units),
            "periods": periods_for(question),
            "indicators": indicators_by_code(question.indicators),
            "boundaries": question.boundaries,
        }
        fast, slow = pivot(**asked), pivot(**asked, engine="records")
        keys = set(fast.cells) | set(slow.cells)
        checked[question.name] = sum(
            1
            for k in keys
            if (fast.cells[k].value if k in fast.cells else None)
            != (slow.cells[k].value if k in slow.cells else None)
        )
    return {
        "p50_ms": 1000 * percentile(medians, 0.5),
        "p95_ms": 1000 * percentile(medians, 0.95),
        "per_question_ms": {k: 1000 * statistics.median(v) for k, v in times.items()},
        "cold_p95_ms": 1000 * percentile(list(cold.values()), 0.95),
        "fast_vs_records_wrong": checked,
    }


# -- SQLite, province scale ------------------------------------------------------------------


def sqlite_child(scale: float, reuse: bool, repeat: int) -> None:
    """Province scale on SQLite: generate (1/34), build the facts, time the pivots."""
    fresh = prepare_database(os.environ["DATABASE_URL"], reuse=reuse, scale=scale)
    import django

    django.setup()
    info = generate(scale, province=True) if fresh else {}
    cold, times = measure_engine(QUESTIONS, repeat)
    medians = {name: statistics.median(v) for name, v in times.items()}
    print(
        "SQLITE-RESULT "
        + json.dumps({"medians": medians, "cold": cold, "info": info, "counts": counts()})
    )


def sqlite_run(scale: float, reuse: bool, repeat: int) -> dict[str, Any]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{SQLITE_PATH}")
    child = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--sqlite-child", "--scale", str(scale), "--repeat", str(repeat)]
        + (["--reuse"] if reuse else []),
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    for line in child.stdout.splitlines():
        if line.startswith("SQLITE-RESULT "):
            found = json.loads(line.removeprefix("SQLITE-RESULT "))
            medians = list(found["medians"].values())
            return {
                "p50_ms": 1000 * percentile(medians, 0.5),
                "p95_ms": 1000 * percentile(medians, 0.95),
                "per_question_ms": {k: 1000 * v for k, v in found["medians"].items()},
                "cold_p95_ms": 1000 * percentile(list(found["cold"].values()), 0.95),
                "counts": found["counts"],
                "generation": found["info"],
            }
        say(f"  sqlite: {line}")
    say(child.stderr[-3000:])
    return {"failed": child.returncode}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="keep a generated database")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of every contender")
    parser.add_argument("--sql-timeout", type=int, default=180, help="(b) per statement, s")
    parser.add_argument("--skip-sql", action="store_true", help="no plain-SQL contender")
    parser.add_argument("--skip-writes", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--writers", default="2", help="editor counts, e.g. 2,8")
    parser.add_argument("--seconds", type=float, default=20, help="per editors run")
    parser.add_argument("--sqlite-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    if args.sqlite_child:
        sqlite_child(args.scale, args.reuse, args.repeat)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_bench")
    fresh = prepare_database(url, reuse=args.reuse, scale=args.scale)
    import django

    django.setup()
    from django.db import connection

    report: dict[str, Any] = {
        "scale": args.scale,
        "repeat": args.repeat,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": os.getloadavg(),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    report["generation"] = generate(args.scale, province=False) if fresh else "reused"
    tune(connection)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        report["postgresql"] = cursor.fetchone()[0]
    import duckdb

    report["duckdb"] = duckdb.__version__
    report["counts"] = counts()
    say(f"dữ liệu: {report['counts']}")
    say("đọc: máy, DuckDB, SQL xen kẽ …")
    report["reads"] = reads(args.repeat, with_sql=not args.skip_sql, sql_timeout=args.sql_timeout)
    report["load_reads"] = os.getloadavg()
    if not args.skip_writes:
        say("ghi …")
        report["writes"] = writes(
            writers=[int(w) for w in args.writers.split(",")], seconds=args.seconds
        )
        tune(connection)
        say("sau khi đổi địa giới: mọi câu hỏi lại …")
        report["after_change"] = after_change(args.repeat)
    if not args.skip_sqlite:
        say("tỉnh trên SQLite (1/34) …")
        report["sqlite"] = sqlite_run(args.scale, args.reuse, args.repeat)
    report["load_end"] = os.getloadavg()
    report["ended"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Benchmark: live analytics at national scale (issue 5, part 6).

    DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_bench GANDAN_ALLOW_INSECURE_KEY=1 \\
        nice -n 10 .venv/bin/python bench/national.py [--scale 1.0] [--reuse]

One run: (re)creates the PostgreSQL database named in DATABASE_URL (never ``gandan``),
migrates it, generates the synthetic national dataset (``bench/national_data.py``), fills
the analytics rollup (ADR 0006), and measures

- (a) the pivots of ``QUESTIONS`` through ``indicators.aggregation.pivot`` (p50, p95);
- (b) the same questions as plain SQL ``GROUP BY`` over the record tables;
- (c) the same questions in DuckDB over the same facts exported to Parquet (PostgreSQL
  ``COPY`` to CSV, converted by DuckDB);
- (d) freshness: from saving a record (``work.services.activity_create`` and the rollup
  hook) to seeing it in a pivot;
- (e) write time per record through ``activity_create``, with and without the hook;

then the same pivots at province scale (1/34) on SQLite (``var/bench/national-province.sqlite3``,
a child process). ``--scale 0.01`` is the quick run. ``--reuse`` keeps a generated
database of the same scale. Every (b) and (c) answer is checked against (a).
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
    B2025,
    QUESTIONS,
    SQLITE_PATH,
    D,
    Question,
    ask_engine,
    periods_for,
    say,
    units_for,
)
from national_sql import (  # noqa: E402
    duckdb_connection,
    export_parquet,
    run_duckdb,
    run_pg_sql,
)  # fmt: skip

# -- (d), (e) the write path -----------------------------------------------------------------


def write_costs(samples: int) -> dict[str, float]:
    from django.db import transaction

    from gandan.geo.models import Level
    from gandan.geo.selectors import children_on
    from gandan.indicators.aggregation import pivot
    from gandan.indicators.selectors import indicators_by_code
    from gandan.work.hooks import suspended
    from gandan.work.models import ActivityType
    from gandan.work.services import ActivityInput, activity_create

    province = units_for("province_a")[0]
    communes = [v.unit for v in children_on(province, B2025, level=Level.COMMUNE)]
    commune = communes[0]
    villages = [
        v.unit for v in children_on(commune, datetime.date(2025, 9, 1), level=Level.VILLAGE)
    ]
    pdqc = ActivityType.objects.get(code="pdqc")
    day = datetime.date(2025, 9, 1)

    def data(i: int) -> ActivityInput:
        return ActivityInput(
            type=pdqc, unit=commune, start=day, end=day, villages=villages[:1], teams=[],
            movements=[], partners=[], participants=10 + i % 7,
            values={"money_vnd": 1000 + i, "leaflets": 5},
        )  # fmt: skip

    class Rollback(Exception):
        pass

    timings: dict[str, list[float]] = {"without": [], "with": []}
    for i in range(samples):
        for mode in ("without", "with") if i % 2 else ("with", "without"):
            try:
                with transaction.atomic():
                    began = time.perf_counter()
                    if mode == "with":  # the service runs the rollup hook in its transaction
                        activity_create(actor=None, data=data(i))
                    else:
                        with suspended():
                            activity_create(actor=None, data=data(i))
                    timings[mode].append(time.perf_counter() - began)
                    raise Rollback
            except Rollback:
                pass
    # Freshness: save, then ask the pivot a user would ask, until the record shows.
    ask = {
        "units": [commune],
        "periods": periods_for(Question("", "", "year", D(2025, 1, 1), D(2025, 12, 31), (), B2025)),
        "indicators": indicators_by_code(["campaigns", "money_vnd"]),
        "boundaries": B2025,
    }
    fresh: list[float] = []
    for i in range(5):
        try:
            with transaction.atomic():
                before = pivot(**ask).figure(commune, "2025", "campaigns").value
                began = time.perf_counter()
                activity_create(actor=None, data=data(i))
                while pivot(**ask).figure(commune, "2025", "campaigns").value != before + 1:
                    if time.perf_counter() - began > 30:
                        break
                fresh.append(time.perf_counter() - began)
                raise Rollback
        except Rollback:
            pass
    return {
        "write_without_ms": 1000 * statistics.median(timings["without"]),
        "write_with_ms": 1000 * statistics.median(timings["with"]),
        "freshness_ms": 1000 * statistics.median(fresh),
        "freshness_max_ms": 1000 * max(fresh),
    }


# -- the runs ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def prepare_database(url: str, *, reuse: bool, scale: float, province: bool) -> bool:
    """Create (or keep) the benchmark database; True when data must be generated."""
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
    if name == "gandan" or not name.startswith("gandan_bench"):
        sys.exit("DATABASE_URL must name a benchmark database (gandan_bench…), never «gandan».")
    import psycopg

    admin = psycopg.connect(
        host=config["HOST"], port=config["PORT"] or 5432, user="postgres", dbname="postgres",
        autocommit=True,
    )  # fmt: skip
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists and reuse:
        try:
            probe = psycopg.connect(
                host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname=name
            )
            row = probe.execute("SELECT scale FROM bench_meta").fetchone()
            probe.close()
            if row and float(row[0]) == scale:
                return False
        except psycopg.Error:
            pass
    if exists:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}" OWNER "{config["USER"]}"')
    admin.close()
    return True


def generate(scale: float, *, province: bool) -> dict[str, Any]:
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from national_data import Shape, build_geo, build_records

    from gandan.indicators.rollup import rollup_rebuild

    call_command("migrate", verbosity=0)
    tune(connection)
    shape = Shape.province(scale) if province else Shape.national(scale)
    say(f"tạo dữ liệu: {shape}")
    began = time.perf_counter()
    geo = build_geo(shape, say)
    timings = {"geo": time.perf_counter() - began}
    timings |= build_records(shape, geo, say)
    say("lấp bảng tổng hợp (rollup_rebuild) …")
    began = time.perf_counter()
    sizes = rollup_rebuild()
    timings["rollup_rebuild"] = time.perf_counter() - began
    vacuum()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (scale float, info text)")
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute(
            "INSERT INTO bench_meta VALUES (%s, %s)",
            [
                scale,
                json.dumps({"timings": timings, "rollup_rows": sizes, "shape": shape.__dict__}),
            ],
        )
    say(f"xong dữ liệu: {timings}, rollup {sizes}")
    return {"timings": timings, "rollup_rows": sizes, "shape": shape.__dict__}


def tune(connection: Any) -> None:
    """The same session settings for generation and for every measurement on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET work_mem = '128MB'")
            cursor.execute("SET maintenance_work_mem = '512MB'")


def counts() -> dict[str, int]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for table in ("work_activity", "work_activity_villages", "work_activityvalue",
                      "indicators_rollupactivity", "indicators_rollupvalue", "indicators_rollupplace"):  # fmt: skip
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            out[table] = cursor.fetchone()[0]
        cursor.execute("SELECT level, COUNT(*) FROM geo_adminunit GROUP BY level")
        out |= {f"units {level}": n for level, n in cursor.fetchall()}
    return out


COLD: dict[str, float] = {}


def measure_engine(repeat: int) -> dict[str, list[float]]:
    """``repeat`` timed runs per question, after a first (cold) run that is kept apart:
    it loads the tree once per process and fills the per-question caches."""
    out: dict[str, list[float]] = {}
    for question in QUESTIONS:
        COLD[question.name] = ask_engine(question)[0]
        out[question.name] = [ask_engine(question)[0] for _ in range(repeat)]
    return out


def vacuum() -> None:
    """What autovacuum would do after a bulk fill (PostgreSQL)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("rollupactivity", "rollupvalue", "rollupplace"):
                cursor.execute(f"VACUUM ANALYZE indicators_{table}")


def sqlite_child(scale: float, reuse: bool) -> None:
    """Province scale on SQLite: generate (1/34), rebuild the rollup, time the pivots."""
    url = os.environ["DATABASE_URL"]
    fresh = prepare_database(url, reuse=reuse, scale=scale, province=True)
    import django

    django.setup()
    info = generate(scale, province=True) if fresh else {}
    times = measure_engine(repeat=5)
    medians = {name: statistics.median(v) for name, v in times.items()}
    result = {"medians": medians, "cold": COLD, "info": info, "counts": counts()}
    print("SQLITE-RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="keep a generated database")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each pivot for (a)")
    parser.add_argument("--sql-timeout", type=int, default=180, help="(b) per statement, s")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--rebuild-rollup", action="store_true", help="with --reuse")
    parser.add_argument("--sqlite-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    if args.sqlite_child:
        sqlite_child(args.scale, args.reuse)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_bench")
    fresh = prepare_database(url, reuse=args.reuse, scale=args.scale, province=False)
    import django

    django.setup()
    from django.db import connection

    report: dict[str, Any] = {
        "scale": args.scale,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": os.getloadavg(),
    }
    report["generation"] = generate(args.scale, province=False) if fresh else "reused"
    tune(connection)
    if not fresh and args.rebuild_rollup:
        from gandan.indicators.rollup import rollup_rebuild

        began = time.perf_counter()
        report["rollup_rebuild"] = {"rows": rollup_rebuild(), "s": time.perf_counter() - began}
        vacuum()
        say(f"rollup_rebuild: {report['rollup_rebuild']}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        report["postgresql"] = cursor.fetchone()[0]
    report["counts"] = counts()
    say(f"dữ liệu: {report['counts']}")

    say("(a) các bảng tổng hợp qua dịch vụ …")
    engine = measure_engine(args.repeat)
    report["load_a"] = os.getloadavg()
    say("(b) SQL GROUP BY trên bảng bản ghi …")
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {args.sql_timeout * 1000}")
    plain: dict[str, float | None] = {}
    mismatches: dict[str, int] = {}
    for question in QUESTIONS:
        _t, result = ask_engine(question)
        try:
            plain[question.name], mismatches[question.name] = run_pg_sql(question, result)
        except Exception as error:  # the timeout
            say(f"  {question.name}: {type(error).__name__}")
            plain[question.name] = None
        say(f"  {question.name}: {plain[question.name]}")
    report["load_b"] = os.getloadavg()
    say("(c) DuckDB trên Parquet …")
    report["export"] = export_parquet()
    duck = duckdb_connection()
    duck_times: dict[str, float] = {}
    for question in QUESTIONS:
        _t, result = ask_engine(question)
        run_duckdb(duck, question, result)  # warm: Parquet metadata, OS cache
        runs = [run_duckdb(duck, question, result) for _ in range(3)]
        duck_times[question.name] = statistics.median(r[0] for r in runs)
        mismatches[f"duckdb {question.name}"] = runs[0][1]
    report["load_c"] = os.getloadavg()
    say("(d), (e) ghi và độ tươi …")
    report["write"] = write_costs(samples=60)

    rows = []
    for question in QUESTIONS:
        a = statistics.median(engine[question.name])
        b = plain[question.name]
        c = duck_times[question.name]
        rows.append(
            {
                "question": question.name,
                "a_ms": 1000 * a,
                "a_max_ms": 1000 * max(engine[question.name]),
                "b_ms": None if b is None else 1000 * b,
                "c_ms": 1000 * c,
                "b_over_a": None if b is None else b / a,
                "a_over_c": a / c,
            }
        )
    medians = [statistics.median(v) for v in engine.values()]
    every = [t for v in engine.values() for t in v]
    report["questions"] = rows
    colds = list(COLD.values())
    report["a_cold"] = {
        "p50_ms": 1000 * percentile(colds, 0.5),
        "p95_ms": 1000 * percentile(colds, 0.95),
        "per_question_ms": {k: 1000 * v for k, v in COLD.items()},
    }
    report["a"] = {
        "p50_ms": 1000 * percentile(medians, 0.5),
        "p95_ms": 1000 * percentile(medians, 0.95),
        "p95_all_runs_ms": 1000 * percentile(every, 0.95),
    }
    known = [r for r in rows if r["b_ms"] is not None]
    report["b"] = {
        "p50_ms": percentile([r["b_ms"] for r in known], 0.5) if known else None,
        "p95_ms": percentile([r["b_ms"] for r in known], 0.95) if known else None,
        "timeouts": len(rows) - len(known),
    }
    report["c"] = {
        "p50_ms": percentile([r["c_ms"] for r in rows], 0.5),
        "p95_ms": percentile([r["c_ms"] for r in rows], 0.95),
    }
    report["mismatches"] = {k: v for k, v in mismatches.items() if v}

    if not args.skip_sqlite:
        say("tỉnh trên SQLite (1/34) …")
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{SQLITE_PATH}")
        child = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--sqlite-child", "--scale", str(args.scale)]
            + (["--reuse"] if args.reuse else []),
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        for line in child.stdout.splitlines():
            if line.startswith("SQLITE-RESULT "):
                found = json.loads(line.removeprefix("SQLITE-RESULT "))
                medians_sqlite = list(found["medians"].values())
                report["sqlite"] = {
                    "p50_ms": 1000 * percentile(medians_sqlite, 0.5),
                    "p95_ms": 1000 * percentile(medians_sqlite, 0.95),
                    "per_question_ms": {k: 1000 * v for k, v in found["medians"].items()},
                    "cold_p95_ms": 1000 * percentile(list(found["cold"].values()), 0.95),
                    "counts": found["counts"],
                    "generation": found["info"],
                }
            else:
                say(f"  sqlite: {line}")
        if child.returncode:
            say(child.stderr[-3000:])
    report["load_end"] = os.getloadavg()
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


def print_report(report: dict[str, Any]) -> None:
    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"

    print()
    print(f"scale {report['scale']}  {report['machine']}  PostgreSQL {report.get('postgresql')}")
    print(f"rows: {report['counts']}")
    print(f"{'question':58} {'(a) ms':>9} {'(b) ms':>9} {'(c) ms':>8} {'b/a':>7} {'a/c':>6}")
    for r in report["questions"]:
        ratio = "—" if r["b_over_a"] is None else f"{r['b_over_a']:.0f}×"
        print(
            f"{r['question'][:58]:58} {ms(r['a_ms']):>9} {ms(r['b_ms']):>9} {ms(r['c_ms']):>8} "
            f"{ratio:>7} {r['a_over_c']:>5.2f}×"
        )
    a, b, c = report["a"], report["b"], report["c"]
    print(
        f"(a) engine   p50 {ms(a['p50_ms'])} ms, p95 {ms(a['p95_ms'])} ms (every run: {ms(a['p95_all_runs_ms'])})"
    )
    print(
        f"(b) plain SQL p50 {ms(b['p50_ms'])} ms, p95 {ms(b['p95_ms'])} ms, timeouts {b['timeouts']}"
    )
    cold = report["a_cold"]
    print(
        f"(a) first run of each question: p50 {ms(cold['p50_ms'])} ms, p95 {ms(cold['p95_ms'])} ms"
    )
    print(f"(c) DuckDB   p50 {ms(c['p50_ms'])} ms, p95 {ms(c['p95_ms'])} ms")
    if b["p95_ms"]:
        print(
            f"ratios: (b)/(a) p95 {b['p95_ms'] / a['p95_ms']:.1f}×, p50 {b['p50_ms'] / a['p50_ms']:.1f}×"
        )
    print(
        f"ratios: (a)/(c) p95 {a['p95_ms'] / c['p95_ms']:.2f}×, p50 {a['p50_ms'] / c['p50_ms']:.2f}×"
    )
    w = report["write"]
    print(
        f"(d) freshness median {ms(w['freshness_ms'])} ms (max {ms(w['freshness_max_ms'])}); "
        f"(e) write {ms(w['write_without_ms'])} ms → {ms(w['write_with_ms'])} ms per record "
        f"({w['write_with_ms'] / w['write_without_ms']:.2f}×)"
    )
    if "sqlite" in report:
        s = report["sqlite"]
        print(
            f"SQLite province (1/34): p50 {ms(s['p50_ms'])} ms, p95 {ms(s['p95_ms'])} ms "
            f"(first runs: p95 {ms(s['cold_p95_ms'])} ms)"
        )
    print(f"mismatches against the engine: {report['mismatches'] or 'none'}")
    print(f"load: {report['load_before']} → {report['load_end']}")


if __name__ == "__main__":
    main()

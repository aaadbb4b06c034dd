"""The printed report of ``bench/national.py``: one table of the questions, then the writes."""

import statistics
from typing import Any

from national_questions import QUESTIONS, percentile

CONTENDERS = (("engine", "(a) engine"), ("duckdb", "(c) DuckDB"), ("sql", "(b) plain SQL"))


def ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", ".") if value >= 100 else f"{value:.1f}".replace(".", ",")


def summary(times: dict[str, list[float]]) -> dict[str, float] | None:
    medians = [statistics.median(v) for v in times.values() if v]
    if not medians:
        return None
    return {
        "p50_ms": 1000 * percentile(medians, 0.5),
        "p95_ms": 1000 * percentile(medians, 0.95),
        "questions": len(medians),
    }


def print_report(report: dict[str, Any]) -> None:
    reads = report["reads"]
    times = reads["times"]
    print()
    print(
        f"scale {report['scale']}, {report['machine']}, PostgreSQL {report['postgresql']}, "
        f"DuckDB {report['duckdb']}, {report['repeat']} runs each after a warm-up"
    )
    print(f"rows: {report['counts']}")
    print(
        "| # | question | (a) engine | (c) DuckDB | (b) plain SQL | a/c | b/a | wrong c | wrong b |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, question in enumerate(QUESTIONS, 1):
        name = question.name
        med = {k: statistics.median(v[name]) if v.get(name) else None for k, v in times.items()}
        a, b, c = med["engine"], med["sql"], med["duckdb"]
        print(
            f"| {n} | {name} | {ms(a and 1000 * a)} | {ms(c and 1000 * c)} | {ms(b and 1000 * b)} "
            f"| {f'{a / c:.2f}×' if a and c else '—'} | {f'{b / a:.0f}×' if a and b else '—'} "
            f"| {reads['wrong']['duckdb'].get(name)} | {reads['wrong']['sql'].get(name, '—')} |"
        )
    sums = {k: summary(v) for k, v in times.items()}
    for key, label in CONTENDERS:
        s = sums[key]
        if s:
            print(
                f"{label}: p50 {ms(s['p50_ms'])} ms, p95 {ms(s['p95_ms'])} ms over {s['questions']} questions"
            )
    cold = summary({k: [v] for k, v in reads["cold"]["engine"].items()})
    if cold:
        print(
            f"(a) first run of each question: p50 {ms(cold['p50_ms'])} ms, p95 {ms(cold['p95_ms'])} ms"
        )
    a, c, b = sums["engine"], sums["duckdb"], sums["sql"]
    if a and c:
        print(
            f"ratio (a)/(c): p95 {a['p95_ms'] / c['p95_ms']:.2f}×, p50 {a['p50_ms'] / c['p50_ms']:.2f}×"
        )
    if a and b:
        print(
            f"ratio (b)/(a): p95 {b['p95_ms'] / a['p95_ms']:.1f}×, p50 {b['p50_ms'] / a['p50_ms']:.1f}×"
        )
    print(f"SQL timeouts: {reads['timeouts'] or 'none'}; DuckDB set-up: {reads['duck_setup']}")
    bad = {k: {q: w for q, w in v.items() if w != (0, 0)} for k, v in reads["wrong"].items()}
    print(f"wrong cells (engine→reference, reference→engine): {bad}")
    if "writes" in report:
        w = report["writes"]
        for e in w["editors"]:
            print(
                f"editors {e['writers']} × {e['seconds']:.0f} s, ledger {'on ' if e['ledger'] else 'off'}: "
                f"{e['committed']} committed ({e['per_s']:.1f}/s), p50 {ms(e['p50_ms'])} ms, "
                f"p95 {ms(e['p95_ms'])} ms, max {ms(e['max_ms'])} ms, deadlocks {e['deadlocks']}, "
                f"errors {e['errors']} {e['samples'] or ''}"
            )
        f = w["freshness"]
        print(
            f"freshness (another connection): median {ms(f['median_ms'])} ms, max {ms(f['max_ms'])} ms"
        )
        for key in ("rebuild", "boundary"):
            r = w[key]
            print(f"{key}: action {r['action_s']:.1f} s, outcome {r['outcome']}")
            for kind in ("save", "pivot"):
                k = r[kind]
                print(
                    f"  {kind}: before median {ms(k['before_median_ms'])} ms, max {ms(k['before_max_ms'])} ms; "
                    f"during ({k['during_n']}) median {ms(k['during_median_ms'])} ms, "
                    f"max {ms(k['during_max_ms'])} ms; errors {k['errors']}"
                )
    if "after_change" in report:
        r = report["after_change"]
        print(
            f"after the boundary change (engine): p50 {ms(r['p50_ms'])} ms, p95 {ms(r['p95_ms'])} ms, "
            f"first runs p95 {ms(r['cold_p95_ms'])} ms; fast vs records wrong {r['fast_vs_records_wrong']}"
        )
        for name, value in r["per_question_ms"].items():
            if "2026" in name:
                print(f"  {name}: {ms(value)} ms")
    if "sqlite" in report:
        s = report["sqlite"]
        if "p95_ms" in s:
            print(
                f"SQLite province (1/34): p50 {ms(s['p50_ms'])} ms, p95 {ms(s['p95_ms'])} ms "
                f"(first runs p95 {ms(s['cold_p95_ms'])} ms)"
            )
        else:
            print(f"SQLite: {s}")
    print(
        f"load: {report['load_before']} → {report['load_end']}; {report['started']} → {report['ended']}"
    )

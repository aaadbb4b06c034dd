"""Benchmark: concurrent editors alone, on a database ``bench/national.py`` generated (issue 11).

    DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_bench GANDAN_ALLOW_INSECURE_KEY=1 \\
        .venv/bin/python bench/writes.py --writers 2,8 --seconds 60 [--json F]

For each editor count: editors on shared records (half of them in the reverse order, the
worst case for row locks) and editors on records of their own (officials of different
communes), each with the ledger on and with it suspended (``work.ledger.suspended``), for
the overhead. Every committed write is timed (``national_writes.editors``). The runs with
the ledger suspended leave the facts behind the records, so the facts are rebuilt at the
end (``analytics.facts.facts_rebuild``, timed and reported).
"""

import argparse
import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
os.environ.setdefault("GANDAN_ALLOW_INSECURE_KEY", "1")

from national_questions import B2025, say  # noqa: E402 - after the path set-up
from national_writes import OWN, editors, shared_records  # noqa: E402


def own_records(count: int) -> list[int]:
    """``count`` records of 2025 communes after the reform, taken one commune at a time."""
    from gandan.geo.models import Level
    from gandan.work.models import Activity

    return list(
        Activity.objects.filter(start__gte=B2025, status="recorded", unit__level=Level.COMMUNE)
        .order_by("unit_id", "id")
        .values_list("id", flat=True)[:count]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", default="2,8", help="editor counts, e.g. 2,8")
    parser.add_argument("--seconds", type=float, default=60, help="per run")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "gandan_bench" not in url:
        sys.exit("Set DATABASE_URL to a database bench/national.py generated (gandan_bench…).")
    import django

    django.setup()
    from django.db import connection

    from gandan.analytics.facts import facts_rebuild

    counts = [int(w) for w in args.writers.split(",")]
    shared = shared_records(OWN)
    own = own_records(OWN * max(counts))
    if len(own) < OWN * max(counts):
        sys.exit(f"only {len(own)} records of 2025 communes for {max(counts)} editors")
    report: dict[str, Any] = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_before": os.getloadavg(),
        "runs": [],
    }
    for count in counts:
        for mine in (False, True):
            for ledger in (True, False):
                ids = own if mine else shared
                report["runs"].append(
                    editors(ids, writers=count, seconds=args.seconds, ledger=ledger, own=mine)
                )
    report["load_end"] = os.getloadavg()
    say("lập lại bảng số liệu (các lượt sổ ghi tắt đã bỏ qua nó) …")
    connection.close()
    began = datetime.datetime.now(datetime.UTC)
    facts_rebuild()
    report["rebuild_s"] = (datetime.datetime.now(datetime.UTC) - began).total_seconds()
    print(
        "| editors | records | ledger | committed | p50 ms | p95 ms | max ms | deadlocks | errors |"
    )
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|")
    for r in report["runs"]:
        print(
            f"| {r['writers']} | {r['records']} | {'on' if r['ledger'] else 'off'} | "
            f"{r['committed']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['max_ms']:.1f} | "
            f"{r['deadlocks']} | {r['errors']} |"
        )
    print(
        f"load {report['load_before']} → {report['load_end']}; rebuild {report['rebuild_s']:.1f} s"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Benchmark: rebuilding the facts from the records (``analytics.facts.facts_rebuild``).

    DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_bench_rebuild GANDAN_ALLOW_INSECURE_KEY=1 \\
        .venv/bin/python bench/rebuild.py --scale 0.01 [--reuse] [--repeat 3]

Generates the national dataset of ``bench/national.py`` (a ``gandan_bench…`` database only;
``--reuse`` keeps one of the same scale), whose generation includes a first rebuild, then
times ``--repeat`` more rebuilds one after the other and checks that each gives the same row
counts. Nothing else runs meanwhile; ``bench/national.py`` measures a rebuild under load.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
os.environ.setdefault("GANDAN_ALLOW_INSECURE_KEY", "1")

from national import counts, generate, prepare_database, tune  # noqa: E402
from national_questions import say  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--reuse", action="store_true", help="keep a generated database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_bench_rebuild")
    fresh = prepare_database(url, reuse=args.reuse, scale=args.scale)
    import django

    django.setup()
    from django.db import connection

    from gandan.analytics.facts import facts_rebuild

    if fresh:
        info = generate(args.scale, province=False)
        say(f"lần dựng đầu (ngay sau khi sinh dữ liệu): {info['timings']['facts_rebuild']:.1f} s")
    tune(connection)
    say(f"dữ liệu: {counts()}")
    seconds, sizes = [], set()
    for run in range(args.repeat):
        began = time.perf_counter()
        built = facts_rebuild()
        seconds.append(time.perf_counter() - began)
        sizes.add(tuple(sorted(built.items())))
        say(f"lần {run + 1}: {seconds[-1]:.1f} s, {built}")
    if len(sizes) != 1:
        sys.exit(f"các lần dựng cho số dòng khác nhau: {sizes}")
    say(f"trung vị {statistics.median(seconds):.1f} s, nhanh nhất {min(seconds):.1f} s")


if __name__ == "__main__":
    main()

"""Benchmark: the "usual figure" behind the entry form's check as a clerk types
(``work.selectors.usual_value``), before and after issue 12, side by side in one run.

    GANDAN_ALLOW_INSECURE_KEY=1 GANDAN_MEMORY_CACHE=1 \\
        DATABASE_URL=sqlite:///var/bench/usual.sqlite3 .venv/bin/python bench/usual_value.py

Set-up (not timed): a fresh database with one commune and N recorded activities, each
with a money value. Timed (median of ``--repeat`` calls each): *before*, the median over
every recorded value (a count, then ORDER BY value with an offset); *after, first call*,
the median of the newest 2.000 values (a bounded read); *after, cached*, the next calls.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")


def before(indicator: object) -> Decimal | None:
    from gandan.work.models import Activity, ActivityValue

    recorded = ActivityValue.objects.filter(
        indicator=indicator, activity__status=Activity.Status.RECORDED
    )
    count = recorded.count()
    if count < 5:
        return None
    median: Decimal = recorded.order_by("value").values_list("value", flat=True)[count // 2]
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from gandan.geo.models import Kind
    from gandan.geo.services import unit_create
    from gandan.indicators.models import Indicator
    from gandan.indicators.services import catalogue_seed
    from gandan.work import selectors
    from gandan.work.models import Activity, ActivityType, ActivityValue

    call_command("migrate", verbosity=0)
    catalogue_seed()
    commune = unit_create(code="99001", name="Bench", kind=Kind.XA, parent=None, valid_from=None)
    money = Indicator.objects.get(code="money_vnd")
    kind = ActivityType.objects.get(code="pdqc")
    rng = random.Random(12)
    day = datetime.date(2015, 1, 1)
    for first in range(0, options.records, 5000):
        batch = Activity.objects.bulk_create(
            Activity(type=kind, unit=commune, start=day, end=day, status="recorded")
            for _ in range(first, min(first + 5000, options.records))
        )
        ActivityValue.objects.bulk_create(
            ActivityValue(activity=a, indicator=money, value=Decimal(rng.randint(1, 900) * 100_000))
            for a in batch
        )

    def timed(call: object) -> float:
        values = []
        for _ in range(options.repeat):
            start = time.perf_counter()
            call()  # type: ignore[operator]
            values.append(time.perf_counter() - start)
        return statistics.median(values)

    old = timed(lambda: before(money))

    def fresh() -> None:
        cache.clear()
        selectors.usual_value(money)

    new_first = timed(fresh)
    selectors.usual_value(money)
    new_cached = timed(lambda: selectors.usual_value(money))
    print(
        f"{options.records} recorded values, SQLite, median of {options.repeat} calls; "
        f"medians: before {before(money)}, after {selectors.usual_value(money)}"
    )
    for name, seconds in (
        ("before (all values)", old),
        ("after, first call", new_first),
        ("after, cached", new_cached),
    ):
        print(f"  {name:22s} {1000 * seconds:9.2f} ms  {old / seconds:8.0f}× faster than before")


if __name__ == "__main__":
    main()

"""The write side of the national benchmark (issue 11), on PostgreSQL, with real processes.

- ``editors``: N processes edit the same records in opposite orders for S seconds, each
  edit changing the activity type and the day (``work.services.activity_update``, its own
  transaction), with a create and a delete every ten operations; every committed write is
  timed (the service returns after the commit), deadlocks and other errors are counted.
  Once with the ledger (ADR 0008) and once with it suspended (``work.ledger.suspended``),
  for the overhead.
- ``freshness``: this process commits a new record; another process (its own connection)
  asks a pivot until the record shows; the time from the commit to that answer.
- ``under_load``: a process saving records and a process asking pivots run while an action
  runs here (``gandan analytics rebuild``; a boundary change followed by questions); their
  slowest operation during the action against before it.
"""

import datetime
import multiprocessing
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from national_questions import B2025, Question, ask_engine, percentile, say, units_for

TYPES = ("pdqc", "tuyen_truyen", "tham_ho")
DAYS = (datetime.date(2025, 9, 1), datetime.date(2025, 9, 8), datetime.date(2025, 9, 16))
PIVOT = Question(
    "tỉnh 2025 × năm", "provinces", "year", datetime.date(2006, 1, 1),
    datetime.date(2025, 12, 31), ("campaigns", "participants", "money_vnd"), B2025,
)  # fmt: skip


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    django.setup()


def edit_input(activity: Any, *, type_code: str, day: datetime.date) -> Any:
    from gandan.work.models import ActivityType
    from gandan.work.services import ActivityInput

    return ActivityInput(
        type=ActivityType.objects.get(code=type_code), unit=activity.unit, start=day, end=day,
        villages=list(activity.villages.all()), teams=[], movements=[], partners=[],
        participants=activity.participants,
        participants_female=activity.participants_female,
        participants_minority=activity.participants_minority,
        values={v.indicator.code: v.value for v in activity.values.select_related("indicator")},
    )  # fmt: skip


OWN = 8  # records per editor when each edits its own


def shared_records(count: int = 8) -> list[int]:
    """Records of 2025 communes of province A after the reform: what the editors share."""
    from gandan.geo.models import Level
    from gandan.geo.selectors import children_on
    from gandan.work.models import Activity

    communes = [v.unit for v in children_on(units_for("province_a")[0], B2025, level=Level.COMMUNE)]
    return list(
        Activity.objects.filter(unit__in=communes, start__gte=B2025, status="recorded")
        .order_by("id")
        .values_list("id", flat=True)[:count]
    )


def _kind(error: BaseException) -> str:
    text = str(error).lower()
    return "deadlock" if "deadlock" in text else type(error).__name__


def editor(worker: int, ids: list[int], seconds: float, ledger: bool, start: Any, out: Any) -> None:
    _setup()
    from contextlib import nullcontext

    from gandan.work.ledger import suspended
    from gandan.work.models import Activity
    from gandan.work.services import activity_create, activity_delete, activity_update

    order = ids if worker % 2 == 0 else list(reversed(ids))
    timings: list[float] = []
    failures: dict[str, int] = {}
    samples: list[str] = []
    created: list[int] = []
    start.wait()
    deadline = time.monotonic() + seconds
    k = 0
    while time.monotonic() < deadline:
        pk = order[k % len(order)]
        began = time.perf_counter()
        try:
            with suspended() if not ledger else nullcontext():
                activity = Activity.objects.select_related("unit").get(pk=pk)
                data = edit_input(
                    activity,
                    type_code=TYPES[(k + worker) % len(TYPES)],
                    day=DAYS[(k // len(order) + worker) % len(DAYS)],
                )
                if k % 10 == 9:
                    created.append(activity_create(actor=None, data=data).pk)
                elif k % 10 == 4 and created:
                    activity_delete(actor=None, activity=Activity.objects.get(pk=created.pop()))
                else:
                    activity_update(actor=None, activity=activity, data=data)
            timings.append(time.perf_counter() - began)
        except Exception as error:  # counted, and the first few kept
            kind = _kind(error)
            failures[kind] = failures.get(kind, 0) + 1
            if len(samples) < 3:
                samples.append(f"{kind}: {str(error)[:200]}")
        k += 1
    out.put({"worker": worker, "timings": timings, "failures": failures, "samples": samples})


def editors(
    ids: list[int], *, writers: int, seconds: float, ledger: bool, own: bool = False
) -> dict[str, Any]:
    """``own``: ``ids`` holds ``OWN`` records for each editor, who edits only those."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(writers), context.Queue()

    # Shared: every editor on the same records, half in the reverse order (the worst case
    # for locks). Own: each editor on records of its own (officials of different communes).
    def mine(worker: int) -> list[int]:
        return ids[worker * OWN : (worker + 1) * OWN] if own else ids

    workers = [
        context.Process(target=editor, args=(w, mine(w), seconds, ledger, start, out))
        for w in range(writers)
    ]
    for process in workers:
        process.start()
    found = [out.get(timeout=seconds + 300) for _ in workers]
    for process in workers:
        process.join()
    every = [t for f in found for t in f["timings"]]
    failures: dict[str, int] = {}
    for f in found:
        for kind, n in f["failures"].items():
            failures[kind] = failures.get(kind, 0) + n
    result = {
        "writers": writers,
        "seconds": seconds,
        "ledger": ledger,
        "records": "own" if own else "shared",
        "committed": len(every),
        "per_s": len(every) / seconds,
        "p50_ms": 1000 * percentile(every, 0.5) if every else None,
        "p95_ms": 1000 * percentile(every, 0.95) if every else None,
        "max_ms": 1000 * max(every) if every else None,
        "deadlocks": failures.get("deadlock", 0),
        "errors": sum(n for k, n in failures.items() if k != "deadlock"),
        "samples": [s for f in found for s in f["samples"]][:5],
    }
    say(
        f"  {writers} người sửa {'bản ghi riêng' if own else 'chung bản ghi'}, "
        f"sổ ghi {'bật' if ledger else 'tắt'}: {result}"
    )
    return result


# -- freshness from another connection -------------------------------------------------------


def _figure(commune_id: int) -> int:
    from gandan.analytics.engine import pivot
    from gandan.analytics.selectors import indicators_by_code
    from gandan.core.periods import parse_period
    from gandan.geo.models import AdminUnit

    commune = AdminUnit.objects.get(pk=commune_id)
    result = pivot(
        units=[commune], periods=[parse_period("2025")],
        indicators=indicators_by_code(["campaigns"]), boundaries=B2025,
    )  # fmt: skip
    return int(result.figure(commune, "2025", "campaigns").value)


def fresh_reader(commune_id: int, inbox: Any, out: Any) -> None:
    _setup()
    out.put("ready")
    while (item := inbox.get()) is not None:
        expected, committed = item
        polls = 0
        while True:
            polls += 1
            if _figure(commune_id) == expected or time.time() - committed > 30:
                break
        out.put((time.time() - committed, polls))


def freshness(samples: int = 7) -> dict[str, Any]:
    from django.db import connections

    from gandan.work.models import Activity
    from gandan.work.services import activity_create, activity_delete

    record = Activity.objects.select_related("unit").get(pk=shared_records(1)[0])
    commune_id = record.unit_id
    connections.close_all()
    context = multiprocessing.get_context("spawn")
    inbox, out = context.Queue(), context.Queue()
    reader = context.Process(target=fresh_reader, args=(commune_id, inbox, out))
    reader.start()
    out.get(timeout=120)
    seen: list[float] = []
    polls: list[int] = []
    made = []
    for i in range(samples):
        before = _figure(commune_id)
        # "pdqc" is a type every "campaigns" figure counts: the figure goes up by one.
        data = edit_input(record, type_code="pdqc", day=DAYS[i % len(DAYS)])
        made.append(activity_create(actor=None, data=data).pk)  # returns after the commit
        inbox.put((before + 1, time.time()))
        lag, n = out.get(timeout=60)
        seen.append(lag)
        polls.append(n)
    inbox.put(None)
    reader.join()
    for pk in made:
        activity_delete(actor=None, activity=Activity.objects.get(pk=pk))
    result = {
        "median_ms": 1000 * statistics.median(seen),
        "max_ms": 1000 * max(seen),
        "polls": polls,
    }
    say(f"  độ tươi: {result}")
    return result


# -- an action while saves and pivots go on --------------------------------------------------


def load_worker(kind: str, ids: list[int], stop: Any, out: Any) -> None:
    _setup()
    from gandan.work.models import Activity
    from gandan.work.services import activity_update

    done: list[tuple[float, float, str]] = []  # (wall clock at start, seconds, error or "")
    k = 0
    while not stop.is_set():
        began_wall, began = time.time(), time.perf_counter()
        error = ""
        try:
            if kind == "save":
                activity = Activity.objects.select_related("unit").get(pk=ids[k % len(ids)])
                data = edit_input(activity, type_code=TYPES[k % len(TYPES)], day=DAYS[k % 3])
                activity_update(actor=None, activity=activity, data=data)
            else:
                ask_engine(PIVOT)
        except Exception as failure:  # counted
            error = _kind(failure)
        done.append((began_wall, time.perf_counter() - began, error))
        k += 1
        time.sleep(0.05)
    out.put((kind, done))


def under_load(action: Callable[[], Any], ids: list[int], label: str) -> dict[str, Any]:
    """Run ``action`` here while a process saves and a process asks pivots."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    workers = [
        context.Process(target=load_worker, args=(kind, ids, stop, out))
        for kind in ("save", "pivot")
    ]
    for process in workers:
        process.start()
    time.sleep(8)  # start-up and the ops before the action
    began = time.time()
    outcome = action()
    ended = time.time()
    time.sleep(2)
    stop.set()
    found = dict(out.get(timeout=120) for _ in workers)
    for process in workers:
        process.join()
    result: dict[str, Any] = {"action_s": ended - began, "outcome": outcome}
    for kind, done in found.items():
        before = [s for (t, s, _e) in done if t + s < began and t > began - 6]
        during = [s for (t, s, _e) in done if t < ended and t + s > began]
        result[kind] = {
            "before_max_ms": 1000 * max(before) if before else None,
            "before_median_ms": 1000 * statistics.median(before) if before else None,
            "during_n": len(during),
            "during_max_ms": 1000 * max(during) if during else None,
            "during_median_ms": 1000 * statistics.median(during) if during else None,
            "errors": sum(1 for (_t, _s, e) in done if e),
        }
    say(f"  {label}: {result}")
    return result


# -- the boundary change -----------------------------------------------------------------------

MERGED_ON = datetime.date(2026, 1, 1)


def merge_ten_communes() -> list[tuple[int, int]]:
    """Ten 2025 communes merged into a sibling (another commune of their province when
    there is one) on 1-1-2026, each by ``geo.services.unit_merge``; (source, target) pairs."""
    from gandan.geo.models import Level
    from gandan.geo.selectors import children_on, units_on
    from gandan.geo.services import unit_merge

    provinces = [v.unit for v in units_on(B2025, level=Level.PROVINCE)]
    by_province = [[v.unit for v in children_on(p, B2025, level=Level.COMMUNE)] for p in provinces]
    everything = [c for group in by_province for c in group]
    pairs = []
    for group in by_province:
        if len(pairs) == 10:
            break
        if len(group) >= 2:
            pairs.append((group[-1], group[0]))
    used = {s.pk for s, _t in pairs} | {t.pk for _s, t in pairs}
    spare = [c for c in everything if c.pk not in used]
    while len(pairs) < 10 and len(spare) >= 2:
        pairs.append((spare.pop(), spare[0]))
    for source, target in pairs:
        unit_merge(source=source, target=target, on=MERGED_ON, basis=None)
    return [(s.pk, t.pk) for s, t in pairs]

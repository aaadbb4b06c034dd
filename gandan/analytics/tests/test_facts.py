"""The facts path gives exactly what the records give (ADR 0008).

Each example writes random records in the real units of Đắk Lắk (legacy communes until
30-6-2025, the 2025 communes after, and Ea Blang split by NQ 1193 in 2024) through the write
services, which keep the ledger; folds part of the ledger into the facts, edits and deletes
some records, and asks the same questions of the engine twice: through the facts
(``engine="auto"``: whole years, quarters, months and half-months from facts and ledger, the edges from the
records) and from the records only.
"""

import contextlib
import datetime
import importlib
import itertools
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gandan.analytics.engine import pivot
from gandan.analytics.facts import (
    fact_state,
    fact_tables,
    facts_merge,
    facts_rebuild,
    facts_rekey,
    rekey_needed,
)
from gandan.analytics.facts_read import bucket_end, split
from gandan.core.periods import parse_period, periods_between
from gandan.geo.models import Level
from gandan.geo.selectors import children_on
from gandan.indicators.models import Indicator, Source
from gandan.work.services import activity_create, activity_delete, activity_update

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)
DAY = datetime.timedelta(days=1)
FIRST, LAST = datetime.date(2008, 1, 1), datetime.date(2026, 6, 30)
TYPES = ("pdqc", "tuyen_truyen", "tham_ho")
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

records = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),  # which place
        st.integers(min_value=0, max_value=(LAST - FIRST).days),  # which day
        st.lists(st.integers(min_value=0, max_value=3), max_size=3, unique=True),  # villages
        st.sampled_from(TYPES),
        st.integers(min_value=0, max_value=500),  # participants
        st.one_of(st.none(), st.integers(min_value=0, max_value=100)),  # of whom women
        st.one_of(st.none(), st.integers(min_value=0, max_value=50_000_000)),  # money
        st.one_of(st.none(), st.decimals(min_value=0, max_value=500, places=3)),  # compost
    ),
    min_size=1,
    max_size=12,
)


@contextlib.contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _communes(field, on):
    lak = children_on(field.lak, on, level=Level.COMMUNE) if on < REFORM else []
    new = children_on(field.dak_lak, on, level=Level.COMMUNE)[:6] if on >= REFORM else []
    # Records on the district itself too (allowed: "xã hoặc đơn vị"); it has no successor.
    legacy = [field.ea_kao, field.lak] if on < REFORM else []
    return [v.unit for v in [*lak, *new]] + legacy


def _write(field, activity_input, history):
    villages = {field.yang_tao.pk: [field.yt_a, field.yt_b], field.bong_krang.pk: [field.bk_a]}
    written = []
    for pick, offset, picks, type_code, people, women, money, compost in history:
        day = FIRST + datetime.timedelta(days=offset)
        communes = _communes(field, day)
        unit = communes[pick % len(communes)]
        if day >= REFORM and unit == field.lien_son_lak:
            choices = [field.yt_a, field.yt_b, field.bk_a]
        else:
            choices = villages.get(unit.pk, [])
        chosen = [choices[i] for i in picks if i < len(choices)]
        values = {"money_vnd": money, "compost_tonnes": compost}
        written.append(
            activity_create(
                actor=None,
                data=activity_input(
                    unit,
                    day,
                    chosen,
                    type_code=type_code,
                    participants=people,
                    participants_female=min(women, people) if women is not None else None,
                    values={k: v for k, v in values.items() if v is not None},
                ),
            )
        )
    return written


QUESTIONS = [
    # (unit attribute or "lak_communes"/"new_communes", boundaries, periods)
    ("province", None, "years"),
    ("province", REFORM, "years"),
    ("districts", None, "years"),
    ("districts", datetime.date(2019, 1, 1), "range"),
    ("lak_communes", None, "years"),
    ("new_communes", REFORM, "years"),
    ("new_communes", REFORM, "range"),
    ("new_communes", datetime.date(2026, 1, 1), "months"),
    ("districts", None, "nd09"),
    ("province", None, "quarters"),
    ("province", REFORM, "halves"),
    ("lak_communes", None, "partial"),
    ("districts", REFORM, "nd09-months"),
]


def _units(field, which):
    if which == "province":
        return [field.dak_lak]
    if which == "districts":
        return [v.unit for v in children_on(field.dak_lak, datetime.date(2019, 1, 1))]
    if which == "lak_communes":
        return [v.unit for v in children_on(field.lak, datetime.date(2019, 1, 1))]
    return [v.unit for v in children_on(field.dak_lak, REFORM, level=Level.COMMUNE)]


def _periods(kind):
    if kind == "years":
        return periods_between(FIRST, datetime.date(2026, 12, 31), "year")
    if kind == "range":
        return [parse_period("2015-03-10..2026-05-31")]
    if kind == "months":
        return periods_between(datetime.date(2024, 11, 1), datetime.date(2026, 2, 28), "month")
    if kind == "nd09":
        return periods_between(FIRST, datetime.date(2025, 6, 30), "year", regime="nd09")
    if kind == "halves":
        return periods_between(FIRST, datetime.date(2026, 6, 30), "half")
    if kind == "partial":  # part of a year, starting and ending mid-month
        return [parse_period("2012-03-09..2019-09-10")]
    if kind == "nd09-months":
        return periods_between(
            datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "month", regime="nd09"
        )
    return periods_between(datetime.date(2023, 1, 1), datetime.date(2025, 12, 31), "quarter")


def _same(fast, slow):
    assert fast.cells.keys() == slow.cells.keys()
    for key, figure in slow.cells.items():
        other = fast.cells[key]
        assert (other.value, other.qualifier, other.from_records, other.breakdown) == (
            figure.value,
            figure.qualifier,
            figure.from_records,
            figure.breakdown,
        ), key


def _indicators():
    sources = {Source.ACTIVITIES, Source.PARTICIPANTS, Source.VILLAGES, Source.COMMUNES}
    return [
        i
        for i in Indicator.objects.all()
        if i.source in sources or i.code in {"money_vnd", "compost_tonnes"}
    ]


def _edit(written, activity_input, every=3):
    """Delete some records and change others: more people, fewer villages, another type,
    no values."""
    for activity in written[::every]:
        activity_delete(actor=None, activity=activity)
    for activity in written[1::every]:
        villages = list(activity.villages.all())[:1]
        changed = activity_input(
            activity.unit, activity.start, villages, type_code="tham_ho",
            participants=activity.participants + 3,
        )  # fmt: skip
        activity_update(actor=None, activity=activity, data=changed)


@settings(EXAMPLES, max_examples=24)
@given(
    history=records,
    later=records,
    question=st.sampled_from(QUESTIONS),
    folded=st.booleans(),
)
def test_the_facts_answer_as_the_records_do(
    field, activity_input, history, later, question, folded
):
    with _rolled_back():
        written = _write(field, activity_input, history)
        if folded:
            facts_merge()  # some rows folded in, the rest still in the ledger
        _edit(written, activity_input)
        _write(field, activity_input, later)
        which, boundaries, kind = question
        ask = {
            "units": _units(field, which),
            "periods": _periods(kind),
            "indicators": _indicators(),
            "boundaries": boundaries,
        }

        _same(pivot(**ask), pivot(**ask, engine="records"))


def _fact_rows():
    tables = fact_tables()
    with connection.cursor() as cursor:
        found = []
        for kind in ("activity", "value", "place"):
            cursor.execute(f"SELECT * FROM {tables[kind]} WHERE n <> 0")  # noqa: S608
            found.append(sorted(tuple(str(v) for v in row[1:]) for row in cursor.fetchall()))
    return found


@EXAMPLES
@given(history=records)
def test_merging_the_ledger_gives_what_a_rebuild_gives(field, activity_input, history):
    with _rolled_back():
        written = _write(field, activity_input, history)
        facts_merge()
        _edit(written, activity_input, every=2)
        facts_merge()
        merged = _fact_rows()
        copy = fact_state().current

        facts_rebuild()

        assert fact_state().current != copy  # the other copy, switched to
        assert _fact_rows() == merged


def _unique_keys() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'u' AND conrelid::regclass::text LIKE "
            "'analytics\\_%%fact\\_%%' ORDER BY 1, 2"
        )
        return [(str(table), str(key), str(definition)) for table, key, definition in cursor]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL drops and rebuilds them")
def test_a_rebuild_fills_the_copy_without_its_unique_keys_and_builds_them_again(
    field, activity_input
):
    activity_create(actor=None, data=activity_input(field.yang_tao, datetime.date(2019, 3, 4)))
    before = _unique_keys()

    facts_rebuild()
    facts_rebuild()  # both copies, each emptied, filled and given its keys back

    assert len(before) == 6  # activity, value and place facts, two copies each
    assert _unique_keys() == before


def test_a_saved_record_is_in_the_next_pivot_on_another_connection(field, activity_input):
    ask = {
        "units": [field.dak_lak],
        "periods": [parse_period("2015-01-01..2015-12-31")],
        "indicators": list(Indicator.objects.filter(code__in=["campaigns", "villages_reached"])),
    }
    before = pivot(**ask).figure(field.dak_lak, "__total__", "campaigns").value

    _write(
        field,
        activity_input,
        [(0, (datetime.date(2015, 5, 5) - FIRST).days, [0], "pdqc", 5, None, None, None)],
    )

    assert pivot(**ask).figure(field.dak_lak, "__total__", "campaigns").value == before + 1
    facts_merge()
    assert pivot(**ask).figure(field.dak_lak, "__total__", "campaigns").value == before + 1


def test_a_boundary_change_moves_the_records_to_the_new_tree(field, activity_input):
    from gandan.geo.services import unit_rename

    # given records of Nam Ka in 2019 and 2021, folded into the facts
    _write(
        field,
        activity_input,
        [
            (i, (day - FIRST).days, [], "pdqc", 7, None, 1000, None)
            for i, day in enumerate([datetime.date(2019, 5, 5), datetime.date(2021, 5, 5)])
        ],
    )
    facts_merge()
    assert not rekey_needed()

    # when Nam Ka is renamed from 2020 (a new version: the tree changes)
    unit_rename(unit=field.nam_ka, name="Nam Ka Mới", on=datetime.date(2020, 1, 1), basis=None)
    assert rekey_needed()

    # then the next question follows the new tree, on the fast path, and says the same as
    # the records
    ask = {
        "units": _units(field, "districts"),
        "periods": _periods("years"),
        "indicators": _indicators(),
        "boundaries": None,
    }
    _same(pivot(**ask), pivot(**ask, engine="records"))
    assert not rekey_needed()
    assert facts_rekey() == 0  # nothing left to move


def test_the_worker_keeps_the_facts_folded_and_on_the_live_tree(field, activity_input, settings):
    from django_tasks_db.models import DBTaskResult

    from gandan.analytics.tasks import facts_maintain_task
    from gandan.geo.services import unit_rename
    from gandan.tests.queue import run_tasks

    settings.GANDAN_PERIODIC_TASKS = []
    # given a record of Nam Ka not yet folded into the facts, and then a boundary change
    _write(field, activity_input, [(0, (datetime.date(2021, 5, 5) - FIRST).days, [], "pdqc", 7, None, 1000, None)])  # fmt: skip
    unit_rename(unit=field.nam_ka, name="Nam Ka Mới", on=datetime.date(2020, 1, 1), basis=None)
    assert rekey_needed()

    # when the worker runs the upkeep task
    result = facts_maintain_task.enqueue()
    run_tasks()

    # then the ledger follows the live tree and is folded in: nothing left for a question
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert set(row.return_value) == {"rekeyed", "merged"}
    assert row.return_value["merged"] >= 1
    assert not rekey_needed()
    assert facts_merge().rows == 0


@pytest.mark.parametrize(
    ("period", "buckets", "edges"),
    [
        ("2024-01-01..2024-12-31", ["Y2024-01-01"], []),
        ("2024-01-01..2024-06-30", ["Q2024-01-01", "Q2024-04-01"], []),
        ("2024-07-01..2024-09-30", ["Q2024-07-01"], []),
        ("2024-02-01..2024-02-29", ["M2024-02-01"], []),
        # a Decree 09 year: half-months at its ends, months and quarters between
        (
            "2014-12-15..2015-12-14",
            [
                "H2014-12-15",
                "Q2015-01-01",
                "Q2015-04-01",
                "Q2015-07-01",
                "M2015-10-01",
                "M2015-11-01",
                "H2015-12-01",
            ],
            [],
        ),
        (
            "2024-03-10..2024-09-20",
            ["H2024-03-15", "Q2024-04-01", "M2024-07-01", "M2024-08-01", "H2024-09-01"],
            ["2024-03-10..2024-03-14", "2024-09-15..2024-09-20"],
        ),
        ("2024-02-03..2024-02-09", [], ["2024-02-03..2024-02-09"]),
    ],
)
def test_a_period_is_read_as_the_fewest_whole_buckets(period, buckets, edges):
    whole, raw = split(parse_period(period))

    assert [f"{grain}{day}" for grain, day in whole] == buckets
    assert [f"{a}..{b}" for a, b in raw] == edges


@given(
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
)
def test_the_buckets_and_edges_of_a_period_cover_its_days_once(start, days):
    period = parse_period(f"{start}..{start + datetime.timedelta(days=days)}")
    whole, raw = split(period)

    covered = [(day, bucket_end(grain, day)) for grain, day in whole] + raw
    covered.sort()
    assert covered[0][0] == period.start
    assert covered[-1][1] == period.end
    for (_first, last), (following, _end) in itertools.pairwise(covered):
        assert following == last + DAY  # no gap, no overlap
    # the records are read at the edges only: under a half-month at each end
    assert len(raw) <= 2
    for first, last in raw:
        assert period.start == first or last == period.end
        assert last - first < datetime.timedelta(days=31)


def test_the_migration_to_months_and_quarters_gives_what_the_merge_writes(field, activity_input):
    migration = importlib.import_module("gandan.analytics.migrations.0003_month_quarter_grains")
    history = [
        (i, (day - FIRST).days, [0], TYPES[i % 3], 4 + i, 2, 1000 * i or None, None)
        for i, day in enumerate(
            [datetime.date(2019, 2, 20), datetime.date(2019, 2, 3), datetime.date(2021, 11, 30),
             datetime.date(2024, 12, 15), datetime.date(2025, 8, 1)]
        )
    ]  # fmt: skip
    _write(field, activity_input, history)
    facts_merge()
    merged = _fact_rows()
    tables = fact_tables()
    with connection.cursor() as cursor:
        for name in tables.values():
            cursor.execute(f"DELETE FROM {name} WHERE grain IN ('M', 'Q')")  # noqa: S608
    assert _fact_rows() != merged  # the state before the migration: years and half-months

    migration.months_and_quarters(None, SimpleNamespace(connection=connection))

    assert _fact_rows() == merged

"""``core.bulk_insert`` writes what the ORM would: days and amounts read back equal, however
often a value repeats (each distinct one is converted once) and whatever its form."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.core.bulk_insert import insert_many, insert_many_together, insert_returning_ids
from gandan.work.models import LedgerActivity, LedgerPlace, LedgerValue

pytestmark = pytest.mark.django_db

FIELDS = ("unit_id", "own", "day", "type_id", "indicator_id", "total", "n")
days = st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31))
# max_digits=28, decimal_places=3; equal amounts in other forms ("5", "5.0", "5.000").
amounts = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=3, allow_nan=False
) | st.sampled_from([Decimal("5"), Decimal("5.0"), Decimal("5.000"), Decimal("-0")])


def _stored():
    return list(LedgerValue.objects.order_by("id").values_list(*FIELDS))


def test_amounts_of_money_and_land_read_back_exactly():
    day = datetime.date(2019, 9, 10)
    written = [(7, True, day, 3, 9, Decimal(t), 1) for t in ("38000000000", "1350.5", "0.125")]

    insert_many(LedgerValue, FIELDS, written)

    assert _stored() == written


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(days, amounts, st.integers(-5, 5)), max_size=40))
def test_rows_read_back_as_written(rows):
    LedgerValue.objects.all().delete()
    written = [(7, i % 2 == 0, day, 3, 9, total, n) for i, (day, total, n) in enumerate(rows)]

    LedgerValue.objects.bulk_create(
        LedgerValue(**dict(zip(FIELDS, r, strict=True))) for r in written
    )
    by_the_orm = _stored()
    LedgerValue.objects.all().delete()

    insert_many(LedgerValue, FIELDS, written)

    # What the ORM stores (SQLite keeps a decimal in a double, PostgreSQL exactly).
    assert _stored() == by_the_orm


def test_returned_ids_are_in_order_and_repeated_values_stay_equal():
    day = datetime.date(2019, 9, 10)
    rows = [(1, True, day, 2, 3, Decimal("1350"), 1), (1, False, day, 2, 3, Decimal("1350.0"), 2)]

    ids = insert_returning_ids(LedgerValue, FIELDS, rows)

    assert list(LedgerValue.objects.order_by("id").values_list("id", flat=True)) == ids
    assert [(r.day, r.total, r.n) for r in LedgerValue.objects.order_by("id")] == [
        (day, Decimal("1350"), 1),
        (day, Decimal("1350"), 2),
    ]


def test_a_row_of_the_wrong_width_is_refused_and_nothing_is_written():
    # Inside a savepoint, as a service's transaction: on PostgreSQL the COPY is cut short.
    with pytest.raises(ValueError, match="6 values for 7 columns"), transaction.atomic():
        insert_many(LedgerValue, FIELDS, [(1, True, datetime.date(2019, 1, 1), 2, 3, Decimal(1))])

    assert not LedgerValue.objects.exists()


@pytest.mark.parametrize("count", [1, 499, 500, 1200])  # one INSERT below 500 rows, then COPY
def test_few_rows_and_many_are_written_alike(count):
    day = datetime.date(2019, 9, 10)
    written = [(i, i % 2 == 0, day, 3, 9, Decimal(i) / 8, i % 5) for i in range(count)]

    insert_many(LedgerValue, FIELDS, written)

    assert _stored() == [(*r[:5], r[5].quantize(Decimal("0.001")), r[6]) for r in written]


def test_a_wrong_row_after_many_good_ones_writes_nothing():
    day = datetime.date(2019, 1, 1)
    rows = [(1, True, day, 2, 3, Decimal(1), 1)] * 700 + [(1, True, day, 2, 3, Decimal(1))]

    with pytest.raises(ValueError, match="6 values for 7 columns"), transaction.atomic():
        insert_many(LedgerValue, FIELDS, rows)

    assert not LedgerValue.objects.exists()


ACTIVITY = (
    "unit_id",
    "own",
    "day",
    "type_id",
    "n",
    "participants",
    "female",
    "female_n",
    "minority",
    "minority_n",
)
PLACE = ("unit_id", "own", "day", "type_id", "kind", "place_id", "n")


@pytest.mark.parametrize("count", [1, 3, 300])  # 900 rows in all: one table at a time
def test_several_tables_at_once(count):
    day = datetime.date(2025, 9, 1)
    activities = [(i, True, day, 1, 1, 40 + i, 20, 1, 0, 0) for i in range(count)]
    values = [(i, False, day, 1, 2, Decimal("15000000"), 1) for i in range(count)]
    places = [(i, True, day, 1, "v", 1000 + i, -1) for i in range(count)]

    insert_many_together(
        [
            (LedgerActivity, ACTIVITY, activities),
            (LedgerValue, FIELDS, values),
            (LedgerPlace, PLACE, []),  # an empty part is left out
            (LedgerPlace, PLACE, places),
        ]
    )

    assert list(LedgerActivity.objects.order_by("id").values_list(*ACTIVITY)) == activities
    assert _stored() == values
    assert list(LedgerPlace.objects.order_by("id").values_list(*PLACE)) == places

"""``core.bulk_insert`` writes what the ORM would: days and amounts read back equal, however
often a value repeats (each distinct one is converted once) and whatever its form."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.core.bulk_insert import insert_many, insert_returning_ids
from gandan.work.models import LedgerValue

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

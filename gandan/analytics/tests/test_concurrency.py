"""Concurrent writers never deadlock and never lose a figure (ADR 0008), on PostgreSQL with
real connections: two threads edit the same records in opposite orders, changing their
type, place and day each time, while a third merges the ledger; then the facts say what
the records say."""

import datetime
import threading

import pytest
from django.db import connection, connections

from gandan.analytics.engine import pivot
from gandan.analytics.facts import facts_merge
from gandan.core.periods import parse_period
from gandan.indicators.models import Indicator
from gandan.indicators.services import catalogue_seed
from gandan.work.models import Activity
from gandan.work.seed import types_movements_seed
from gandan.work.services import activity_create, activity_update

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

ROUNDS = 15
TYPES = ("pdqc", "tuyen_truyen", "tham_ho")


@pytest.fixture
def seeded(real_units):
    catalogue_seed()
    types_movements_seed()


def test_writers_in_opposite_orders_never_fail(seeded, field, activity_input):
    # given four records in two communes of huyện Lắk
    days = [datetime.date(2012, 3, d) for d in (1, 2, 3, 4)]
    places = [field.yang_tao, field.bong_krang]
    records = [
        activity_create(
            actor=None,
            data=activity_input(places[i % 2], day, participants=10, values={"money_vnd": 1000}),
        ).pk
        for i, day in enumerate(days)
    ]
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def writer(order: list[int], shift: int) -> None:
        try:
            start.wait()
            for round_ in range(ROUNDS):
                for n, pk in enumerate(order):
                    activity = Activity.objects.get(pk=pk)
                    kind = TYPES[(round_ + n + shift) % len(TYPES)]
                    data = activity_input(
                        places[(round_ + shift) % 2],
                        days[(round_ + n) % len(days)] + datetime.timedelta(days=30 * shift),
                        type_code=kind,
                        participants=activity.participants + 1,
                        values={"money_vnd": 1000 + round_},
                    )
                    activity_update(actor=None, activity=activity, data=data)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def merger() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                facts_merge()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=(records, 0)),
        threading.Thread(target=writer, args=(records[::-1], 1)),
        threading.Thread(target=merger),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    facts_merge()
    ask = {
        "units": [field.lak],
        "periods": [parse_period("2012")],
        "indicators": list(
            Indicator.objects.filter(code__in=["campaigns", "participants", "money_vnd"])
        ),
    }
    fast, slow = pivot(**ask), pivot(**ask, engine="records")
    assert {k: f.value for k, f in fast.cells.items()} == {
        k: f.value for k, f in slow.cells.items()
    }
    assert Activity.objects.count() == 4

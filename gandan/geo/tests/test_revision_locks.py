"""Two writers to the boundary tree in opposite orders, a village then a commune against a
commune then a village, on PostgreSQL with real connections: the revision rows are always
taken in one order (migration 0004), so neither fails with a deadlock."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from gandan.geo.models import AdminUnit, Kind
from gandan.geo.services import unit_rename, village_create
from gandan.tests.cast import OLD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def test_village_and_commune_writers_in_opposite_orders_never_deadlock(real_units, places):
    # transactional: a test before this one may have flushed the real units, so reload them
    communes = [places.yang_tao.pk, places.bong_krang.pk]
    errors: list[BaseException] = []
    first_wrote = threading.Event()

    def village(n: int, commune: int) -> None:
        village_create(
            actor=None,
            commune=AdminUnit.objects.get(pk=commune),
            name=f"Ea Thử {n}",
            kind=Kind.BUON,
            valid_from=OLD,
        )

    def rename(n: int, commune: int) -> None:
        unit = AdminUnit.objects.get(pk=commune)
        unit_rename(unit=unit, name=f"{unit.name} {n}", on=OLD, basis=None)

    def writer(n: int, steps: list) -> None:
        try:
            if n == 1:  # the second begins once the first holds what its first step takes
                first_wrote.wait(timeout=10)
            with transaction.atomic():
                steps[0](n, communes[n])
                if n == 0:
                    first_wrote.set()
                    time.sleep(1)  # the second takes what it can, then waits
                steps[1](n, communes[1 - n])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=(0, [village, rename])),
        threading.Thread(target=writer, args=(1, [rename, village])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert AdminUnit.objects.filter(name__startswith="Ea Thử").count() == 2

"""The merge leaves the ledger vacuumed (PostgreSQL): its deleted rows would otherwise slow
the day-range scan of every question on a server without autovacuum."""

import datetime

import pytest
from django.db import connection

from gandan.analytics.facts import facts_merge
from gandan.indicators.services import catalogue_seed
from gandan.work.models import LedgerActivity, LedgerPlace, LedgerValue
from gandan.work.seed import types_movements_seed
from gandan.work.services import activity_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's"),
]

LEDGER = (LedgerActivity, LedgerValue, LedgerPlace)


def _pages() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for model in LEDGER:
            cursor.execute("SELECT pg_relation_size(%s)", [model._meta.db_table])
            found[model.__name__] = cursor.fetchone()[0]
        return found


def test_a_merge_leaves_no_dead_ledger_rows_behind(real_units, field, activity_input):
    catalogue_seed()
    types_movements_seed()
    for day in range(1, 29):
        activity_create(
            actor=None,
            data=activity_input(
                field.yang_tao,
                datetime.date(2012, 3, day),
                [field.yt_a],
                participants=10,
                values={"money_vnd": "1.000.000"},
            ),
        )
    assert all(_pages().values())  # the saves wrote ledger rows

    merged = facts_merge()

    assert merged.rows > 0
    assert not any(model.objects.exists() for model in LEDGER)
    # Vacuumed: the emptied pages are given back, so no scan walks dead rows.
    assert _pages() == {model.__name__: 0 for model in LEDGER}


def test_a_rebuild_leaves_no_dead_ledger_rows_behind(real_units, field, activity_input):
    from gandan.analytics.facts import facts_rebuild

    catalogue_seed()
    types_movements_seed()
    activity_create(
        actor=None,
        data=activity_input(field.yang_tao, datetime.date(2012, 3, 1), participants=10),
    )
    assert any(_pages().values())

    facts_rebuild()

    assert _pages() == {model.__name__: 0 for model in LEDGER}

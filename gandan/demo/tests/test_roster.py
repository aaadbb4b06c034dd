"""The demo dataset gives the figures of the 2019 review, computed from membership records.

``demo_load()`` takes a while, so it runs once for the module inside a transaction that is
rolled back at the end; each test runs in a savepoint inside it.
"""

import datetime
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from gandan.demo.services import demo_load
from gandan.geo.models import Level
from gandan.geo.selectors import unit_by_code
from gandan.org.models import Membership, Team
from gandan.org.selectors import award_counts, awards_in, headcount, held_on

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FOUNDING = datetime.date(2004, 7, 5)
REVIEW = datetime.date(2019, 9, 10)
REFORM = datetime.date(2025, 7, 1)
DAY = datetime.timedelta(days=1)
REVIEW_LEVELS = {"province": 30, "district": 88, "commune": 402}


def _rows(count):
    return {key: n for key, _label, n in count.rows}


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def dak_lak(django_db_setup, django_db_blocker):
    """Tỉnh Đắk Lắk, after ``demo_load()``; everything is rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield unit_by_code("66", level=Level.PROVINCE, on=REVIEW)
        transaction.set_rollback(True)


def test_headcount_on_the_review_date_is_the_published_one(dak_lak):
    count = headcount(unit=dak_lak, on=REVIEW, by="level")

    assert _rows(count) == REVIEW_LEVELS
    assert count.total == 520


def test_the_review_figures_come_from_membership_records(dak_lak):
    held = Membership.objects.filter(held_on(REVIEW))

    by_level = held.values_list("team__level").annotate(n=Count("id")).order_by()
    assert dict(by_level) == REVIEW_LEVELS
    assert held.values("member").distinct().count() == 520
    assert held.exclude(start_reason="founding").exists()
    assert Membership.objects.exclude(held_on(REVIEW)).filter(start__lte=REVIEW).exists()


def test_the_cli_gives_the_published_figures(dak_lak, capsys):
    call_command("headcount", "--unit", "66", "--on", "2019-09-10", "--by", "level", "--json")

    out = json.loads(capsys.readouterr().out)
    assert (out["rows"], out["total"]) == (REVIEW_LEVELS, 520)


@pytest.mark.parametrize("on", [REVIEW, REFORM - DAY, REFORM])
def test_about_eighty_percent_are_ethnic_minority(dak_lak, on):
    count = headcount(unit=dak_lak, on=on, by="ethnicity")

    assert 0.75 <= count.minority_share <= 0.85
    assert _rows(count)["dtts"] == count.minority
    assert count.minority + _rows(count)["kinh"] == count.total


def test_there_is_nobody_at_district_level_from_2025(dak_lak):
    before = _rows(headcount(unit=dak_lak, on=REFORM - DAY, by="level"))
    after = _rows(headcount(unit=dak_lak, on=REFORM, by="level"))

    assert before["district"] > 0
    assert after["district"] == 0
    assert not Team.objects.filter(level="district", dissolved_on__isnull=True).exists()
    # the commune teams were dissolved into the teams of the 2025 communes, members and all
    assert after["commune"] == before["commune"]


def test_bang_khen_2004_2019_went_to_12_collectives_and_13_individuals(dak_lak):
    in_phase = awards_in(unit_ids=None, date_from=FOUNDING, date_to=REVIEW)

    assert award_counts(in_phase)["bang_khen"] == {"collective": 12, "individual": 13}


def test_loading_the_demo_again_changes_nothing(dak_lak):
    before = _row_counts()

    demo_load()

    assert _row_counts() == before

"""The demo cases, aspirations and inspections: every state is there, escalations go to the
right level before and after 1-7-2025, and loading again changes nothing.

``demo_load()`` takes a while, so it runs once for the module inside a transaction that is
rolled back at the end (as in ``test_roster``)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gandan.cases.models import Aspiration, Case, CaseContact, CaseEvent, FollowUp, Inspection
from gandan.core.models import AuditEntry
from gandan.demo.cases import cases_load
from gandan.demo.services import demo_load
from gandan.geo.models import Level

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
REFORM = datetime.date(2025, 7, 1)


def _counts():
    models = (Case, CaseEvent, CaseContact, Aspiration, Inspection, FollowUp, AuditEntry)
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


def test_every_state_is_in_the_demo(demo):
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert Case.objects.filter(
        status__in=["received", "advising", "escalated", "paused"],
        deadline__lt=datetime.date(2026, 11, 1),
    ).exists()


def test_escalations_go_to_the_district_before_the_reform_and_the_province_after(demo):
    levels = {}
    for event in CaseEvent.objects.filter(action="escalate").select_related("case", "unit"):
        day = event.at.date()
        levels.setdefault(day < REFORM, set()).add(event.unit.level)

    assert levels == {True: {Level.DISTRICT}, False: {Level.PROVINCE}}


def test_timelines_carry_the_dates_of_the_steps(demo):
    case = Case.objects.get(description__startswith="Mâu thuẫn giữa các hộ")

    days = [e.at.date().isoformat() for e in case.events.all()]
    assert days == ["2023-05-10", "2023-05-12", "2023-05-20", "2023-05-25", "2023-06-15"]
    assert case.closed_on == datetime.date(2023, 6, 15)


def test_aspirations_inspections_and_contacts(demo):
    assert Aspiration.objects.count() >= 4
    assert Inspection.objects.filter(held_on__isnull=True).exists()
    assert FollowUp.objects.filter(done_on__isnull=True).exists()
    assert FollowUp.objects.filter(done_on__isnull=False).exists()
    assert all("(mẫu)" in name for name in CaseContact.objects.values_list("name", flat=True))


def test_loading_again_changes_nothing(demo):
    before = _counts()

    cases_load()
    demo_load()

    assert _counts() == before


def test_the_cases_load_in_a_bounded_number_of_queries(django_db_blocker, demo):
    # Speed belongs in bench/; what a test can hold is that loading does not grow a query
    # per row: the cases, steps, contacts, aspirations and inspections of the demo.
    with transaction.atomic():
        Case.objects.all().delete()
        Inspection.objects.all().delete()
        Aspiration.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            cases_load()
        transaction.set_rollback(True)

    assert len(queries) < 700

"""Who is told about a case (``cases.notices``): the writers of the unit it is escalated to,
and the handlers of a case past its deadline, once per deadline."""

import pytest
from django.urls import reverse

from gandan.cases.notices import case_handlers, case_overdue_notify
from gandan.notify.models import Kind, Notification

pytestmark = pytest.mark.django_db


def _told(kind):
    return sorted(n.user.username for n in Notification.objects.filter(kind=kind))


def test_an_escalated_case_reaches_the_level_it_went_up_to(cast, cases):
    # fixture: up_old went to huyện Lắk (2019), up_new to the province (2025)
    assert _told(Kind.CASE_ESCALATED) == ["lak_clerk", "tinh_admin"]
    to_lak = Notification.objects.get(kind=Kind.CASE_ESCALATED, user=cast["lak_clerk"])
    assert to_lak.link == reverse("cases:case-detail", args=[cases.up_old.pk])
    assert "Huyện Lắk" in to_lak.text


def test_handlers_are_the_handling_units_writers_only(cast, cases):
    assert case_handlers(cases.old) == [cast["commune_clerk"]]  # legacy xã Yang Tao
    assert case_handlers(cases.up_new) == [cast["province_admin"]]  # not the leader
    assert case_handlers(cases.nam_ka) == []  # nobody of Nam Ka's successor in the cast


def test_an_overdue_case_is_told_once_per_deadline(cast, cases):
    assert case_overdue_notify(actor=None, case=cases.old) == 1
    assert case_overdue_notify(actor=None, case=cases.old) == 0

    assert _told(Kind.CASE_OVERDUE) == ["liensonlak_clerk"]

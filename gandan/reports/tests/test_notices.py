"""Who is told when a report moves (``reports.notices``), and the "Nhắc nộp" button of the
completeness page. Reports from ``conftest.py``: ``commune`` (xã Yang Tao 2019, under huyện
Lắk), ``district`` (huyện Lắk 2019), ``commune_2025`` (xã Liên Sơn Lắk 2025, no district)."""

import pytest
from django.urls import reverse

from gandan.core.models import AuditEntry
from gandan.notify.models import Kind, Notification
from gandan.reports.services import report_approve, report_return, report_submit

pytestmark = pytest.mark.django_db


def _told(kind):
    return sorted(n.user.username for n in Notification.objects.filter(kind=kind))


def test_a_commune_report_goes_to_the_district_not_the_province(reports, cast):
    report_submit(actor=cast["commune_clerk"], report=reports.commune)

    assert _told(Kind.REPORT_SUBMITTED) == ["lak_clerk"]
    notification = Notification.objects.get()
    assert notification.link == reverse("reports:report-detail", args=[reports.commune.pk])
    assert "chờ duyệt" in notification.text


def test_a_district_report_and_a_2025_commune_report_go_to_the_province(reports, cast):
    report_submit(actor=cast["lak_clerk"], report=reports.district)
    report_submit(actor=cast["commune_clerk"], report=reports.commune_2025)

    assert _told(Kind.REPORT_SUBMITTED) == ["tinh_admin", "tinh_admin"]


def test_returned_and_approved_reach_the_commune_that_submitted(reports, cast):
    report_submit(actor=cast["commune_clerk"], report=reports.commune)
    report_return(actor=cast["lak_clerk"], report=reports.commune, comment="Bổ sung số liệu")

    assert _told(Kind.REPORT_RETURNED) == ["liensonlak_clerk"]
    assert "Bổ sung số liệu" in Notification.objects.get(kind=Kind.REPORT_RETURNED).text

    report_submit(actor=cast["commune_clerk"], report=reports.commune)
    report_approve(actor=cast["lak_clerk"], report=reports.commune)

    assert _told(Kind.REPORT_APPROVED) == ["liensonlak_clerk"]
    assert "outsider" not in str(Notification.objects.values_list("user__username", flat=True))


def test_nobody_outside_the_jurisdiction_is_ever_told(reports, cast):
    for report in (reports.commune, reports.district, reports.commune_2025):
        report_submit(actor=None, report=report)
        report_approve(actor=None, report=report)

    told = set(Notification.objects.values_list("user__username", flat=True))
    assert "kontum_admin" not in told
    assert told <= {"lak_clerk", "tinh_admin", "liensonlak_clerk", "tinh_lanhdao"}


def _texts(kind=Kind.REPORT_DUE):
    return " ".join(Notification.objects.filter(kind=kind).values_list("text", flat=True))


def _remind(client, user, unit, regime="yearly", period="2019"):
    client.force_login(user)
    return client.post(
        reverse("reports:completeness-remind"),
        {"regime": regime, "period": period, "unit": unit.pk},
    )


def test_the_district_reminds_its_communes_that_have_not_sent(client, reports, cast, places):
    response = _remind(client, cast["lak_clerk"], places.lak)

    assert response.status_code == 302
    # No commune of Lắk has sent. Only Yang Tao, Bông Krang and TT Liên Sơn have people
    # now: xã Liên Sơn Lắk, which took them in; one reminder for each.
    assert _told(Kind.REPORT_DUE) == ["liensonlak_clerk"] * 3
    assert "Xã Yang Tao" in _texts()
    entry = AuditEntry.objects.get(action="reports.remind")
    assert entry.actor_id == cast["lak_clerk"].pk
    assert "Yang Tao" in entry.message


def test_reminding_twice_the_same_day_tells_once(client, reports, cast, places):
    _remind(client, cast["lak_clerk"], places.lak)
    _remind(client, cast["lak_clerk"], places.lak)

    assert _told(Kind.REPORT_DUE) == ["liensonlak_clerk"] * 3
    assert AuditEntry.objects.filter(action="reports.remind").count() == 2


def test_a_unit_that_has_sent_is_not_reminded(client, reports, cast, places):
    report_submit(actor=cast["commune_clerk"], report=reports.commune)

    _remind(client, cast["lak_clerk"], places.lak)

    assert len(_told(Kind.REPORT_DUE)) == 2
    assert "Xã Yang Tao" not in _texts()


@pytest.mark.parametrize(
    ("who", "status"), [("leader", 403), ("outsider", 404), ("commune_clerk", 404)]
)
def test_only_writers_of_the_level_above_may_remind(client, reports, cast, places, who, status):
    response = _remind(client, cast[who], places.lak)

    assert response.status_code == status
    assert not Notification.objects.exists()


def test_reminding_needs_post(client, cast):
    client.force_login(cast["lak_clerk"])

    assert client.get(reverse("reports:completeness-remind")).status_code == 405


def test_the_completeness_page_offers_the_button_to_writers_only(client, reports, cast, places):
    url = reverse("reports:completeness") + f"?regime=yearly&period=2019&unit={places.lak.pk}"
    client.force_login(cast["lak_clerk"])
    assert 'id="remind-form"' in client.get(url).content.decode()

    client.force_login(cast["leader"])
    assert 'id="remind-form"' not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "who", ["province_admin", "lak_clerk", "commune_clerk", "leader", "outsider"]
)
def test_reviewable_answers_as_is_reviewer_for_each_report(reports, cast, who):
    from gandan.reports.access import is_reviewer, reviewable

    every = [reports.commune, reports.district, reports.commune_2025]

    assert reviewable(cast[who], every) == [r for r in every if is_reviewer(cast[who], r)]

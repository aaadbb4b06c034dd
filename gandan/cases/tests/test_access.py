"""Jurisdiction over cases, contacts, aspirations and inspections, through the pages.

The matrices are in ``conftest.py``: who sees which case (200 or 404) and who handles it
(acts on it and sees its contacts; a reader gets 403 on writes)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse

from gandan.cases.models import Case
from gandan.cases.tests.conftest import CONTACT, read_matrix, write_matrix
from gandan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _records(response):
    """The text of the data-subject export table."""
    return BeautifulSoup(response.content, "html.parser").select_one("#subject-records").get_text()


def _views_of_contacts() -> int:
    return AuditEntry.objects.filter(action="cases.view_contacts").count()


@pytest.mark.parametrize(("who", "name", "status"), read_matrix())
def test_who_sees_which_case(as_user, cases, who, name, status):
    case = getattr(cases, name)

    response = as_user(who).get(reverse("cases:case-detail", args=[case.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(("who", "name", "status"), write_matrix())
def test_who_may_act_on_which_case(as_user, cases, who, name, status):
    # given an open case (each one is received or escalated, so it may be advised)
    case = getattr(cases, name)
    before = Case.objects.get(pk=case.pk).status
    assert before in {Case.Status.RECEIVED, Case.Status.ESCALATED}

    response = as_user(who).post(
        reverse("cases:case-act", args=[case.pk, "advise"]),
        {"agencies": ["mttq"], "advice": "Phối hợp Mặt trận hòa giải", "on": "2025-08-20"},
    )

    assert response.status_code == status
    after = Case.objects.get(pk=case.pk).status
    assert after == (Case.Status.ADVISING if status == 302 else before)


@pytest.mark.parametrize(("who", "name", "status"), write_matrix())
def test_who_may_see_contacts_and_each_view_is_logged(as_user, cases, who, name, status):
    case = getattr(cases, name)
    before = _views_of_contacts()

    response = as_user(who).post(reverse("cases:case-contacts", args=[case.pk]))

    expected = 200 if status == 302 else status
    assert response.status_code == expected
    assert _views_of_contacts() == before + (1 if expected == 200 else 0)
    if name == "old":
        assert (CONTACT[0] in response.content.decode()) == (expected == 200)


def test_the_case_page_hides_contacts_and_shows_a_count(as_user, cases):
    # given a handler and a leader open the same case page
    for who in ("commune_clerk", "leader"):
        html = as_user(who).get(reverse("cases:case-detail", args=[cases.old.pk])).content.decode()

        # then neither sees the name until asked; the count is shown to both
        assert CONTACT[0] not in html
        assert "1 người liên hệ (ẩn)" in html
        assert ('id="reveal-contacts"' in html) == (who == "commune_clerk")
    assert _views_of_contacts() == 0


def test_revealing_with_htmx_returns_the_fragment_and_logs_it(as_user, cases, commune_clerk):
    response = as_user("commune_clerk").post(
        reverse("cases:case-contacts", args=[cases.old.pk]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div class="card contacts" id="contacts">')
    assert CONTACT[1] in html
    entry = AuditEntry.objects.get(action="cases.view_contacts")
    assert (entry.actor_id, entry.target_id) == (commune_clerk.pk, str(cases.old.pk))


def test_a_leader_granted_the_permission_sees_contacts(as_user, cases, leader):
    leader.user_permissions.add(Permission.objects.get(codename="view_casecontact"))

    response = as_user("leader").post(reverse("cases:case-contacts", args=[cases.old.pk]))

    assert response.status_code == 200
    assert CONTACT[0] in response.content.decode()
    # and still may not act: the permission is to read contacts, not to handle
    act = as_user("leader").post(
        reverse("cases:case-act", args=[cases.old.pk, "pause"]), {"note": "x"}
    )
    assert act.status_code == 403


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("province_admin", {"Nước sinh hoạt mùa khô", "Đường giao thông nội thôn"}),
        ("lak_clerk", {"Nước sinh hoạt mùa khô", "Đường giao thông nội thôn"}),
        ("commune_clerk", {"Nước sinh hoạt mùa khô"}),
        ("leader", {"Nước sinh hoạt mùa khô", "Đường giao thông nội thôn"}),
        ("outsider", set()),
    ],
)
def test_who_sees_which_aspiration(as_user, aspirations, who, visible):
    html = as_user(who).get(reverse("cases:aspiration-list")).content.decode()

    shown = {t for t in ("Nước sinh hoạt mùa khô", "Đường giao thông nội thôn") if t in html}
    assert shown == visible


@pytest.mark.parametrize(
    ("who", "held", "plan"),
    [
        ("province_admin", 200, 200),
        ("lak_clerk", 200, 404),
        ("commune_clerk", 404, 200),
        ("leader", 200, 200),
        ("outsider", 404, 404),
    ],
)
def test_who_sees_which_inspection(as_user, inspections, who, held, plan):
    client = as_user(who)

    assert (
        client.get(reverse("cases:inspection-detail", args=[inspections.held.pk])).status_code
        == held
    )
    assert (
        client.get(reverse("cases:inspection-detail", args=[inspections.plan.pk])).status_code
        == plan
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("province_admin", 302),
        ("commune_clerk", 302),
        ("lak_clerk", 404),
        ("leader", 403),
        ("outsider", 404),
    ],
)
def test_who_may_record_an_inspection_result(as_user, inspections, who, status):
    response = as_user(who).post(
        reverse("cases:inspection-result", args=[inspections.plan.pk]),
        {"held_on": "2025-10-02", "rating": "done", "findings": "Đã kiện toàn tổ sau sắp xếp"},
    )

    assert response.status_code == status
    inspections.plan.refresh_from_db()
    assert (inspections.plan.held_on is not None) == (status == 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("province_admin", 200),
        ("lak_clerk", 403),
        ("commune_clerk", 403),
        ("leader", 403),
        ("outsider", 200),
    ],
)
def test_only_administrators_handle_data_subject_requests(as_user, who, status):
    assert as_user(who).get(reverse("cases:subject-requests")).status_code == status


def test_an_administrator_exports_and_erases_only_within_their_jurisdiction(as_user, cases):
    # given the Kon Tum administrator asks for the contact of a case in Đắk Lắk
    name, phone = CONTACT
    outsider = as_user("outsider")
    found = outsider.post(reverse("cases:subject-requests"), {"name": name, "do": "export"})
    outsider.post(reverse("cases:subject-requests"), {"name": name, "do": "erase"})

    # then nothing is found and nothing is erased
    assert name not in _records(found)
    assert cases.old.contacts.get().name == name

    # when the province administrator does
    admin = as_user("province_admin")
    found = admin.post(
        reverse("cases:subject-requests"), {"name": "y thu nghiem", "phone": phone, "do": "export"}
    )
    assert name in _records(found)
    admin.post(reverse("cases:subject-requests"), {"name": name, "do": "erase"})

    # then the name and phone are gone, the case stays, and all four requests were logged
    contact = cases.old.contacts.get()
    assert (contact.name, contact.phone, contact.erased_at is not None) == ("(đã xóa)", "", True)
    assert Case.objects.filter(pk=cases.old.pk).exists()
    assert (
        AuditEntry.objects.filter(
            action__in=["cases.subject_export", "cases.subject_erase"]
        ).count()
        == 4
    )

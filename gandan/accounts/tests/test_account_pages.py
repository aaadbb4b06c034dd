"""Administrators manage the accounts of their jurisdiction; users their own sessions; the
audit page; through the client."""

import io

import pytest
from openpyxl import load_workbook

from gandan.accounts.models import User
from gandan.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-demo-253"


def test_a_province_admin_creates_an_account_for_a_commune(client, province_admin, places):
    client.force_login(province_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "yangtao_moi",
            "full_name": "Y Moan Niê",
            "unit": places.lien_son_lak.pk,
            "role": "clerk",
            "password": "Buon-Ako-Dhong-2025",
        },
    )

    assert response.status_code == 302
    account = User.objects.get(username="yangtao_moi")
    assert account.unit == places.lien_son_lak
    assert account.check_password("Buon-Ako-Dhong-2025")
    assert AuditEntry.objects.filter(action="account.create", actor_id=province_admin.pk).exists()


def test_a_weak_password_is_refused_in_vietnamese(client, province_admin, places):
    client.force_login(province_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "yangtao_moi",
            "full_name": "Y Moan",
            "unit": places.lien_son_lak.pk,
            "role": "clerk",
            "password": "12345",
        },
    )

    assert response.status_code == 400
    assert "Mật khẩu" in response.content.decode()
    assert not User.objects.filter(username="yangtao_moi").exists()


def test_an_admin_cannot_give_an_account_a_unit_outside(client, outsider, places):
    client.force_login(outsider)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "x_moi",
            "full_name": "X",
            "unit": places.lien_son_lak.pk,
            "role": "admin",
            "password": "Buon-Ako-Dhong-2025",
        },
    )

    assert response.status_code == 400
    assert not User.objects.filter(username="x_moi").exists()


def test_accounts_outside_the_jurisdiction_are_404(client, outsider, commune_clerk):
    client.force_login(outsider)

    assert client.get(f"/accounts/users/{commune_clerk.pk}/").status_code == 404
    assert "liensonlak_clerk" not in client.get("/accounts/users/").content.decode()


def test_clerks_and_leaders_do_not_manage_accounts(client, commune_clerk, leader):
    for user in (commune_clerk, leader):
        client.force_login(user)
        assert client.get("/accounts/users/").status_code == 403
        assert client.get("/accounts/audit/").status_code == 403


def test_deactivating_signs_the_account_out(client, province_admin, commune_clerk):
    # given the clerk signed in on another browser
    from django.test import Client

    other = Client()
    other.post("/accounts/login/", {"username": "liensonlak_clerk", "password": PASSWORD})
    assert other.get("/units/").status_code == 200

    # when the province admin deactivates the account
    client.force_login(province_admin)
    response = client.post(
        f"/accounts/users/{commune_clerk.pk}/",
        {
            "full_name": "Clerk",
            "email": "",
            "unit": commune_clerk.unit_id,
            "role": "clerk",
        },
    )

    # then the clerk's session is gone and the change is audited
    assert response.status_code == 302
    assert other.get("/units/").status_code == 302
    assert AuditEntry.objects.filter(action="account.deactivate").exists()


def test_a_user_signs_out_of_other_sessions(client, commune_clerk):
    from django.test import Client

    other = Client()
    other.post("/accounts/login/", {"username": "liensonlak_clerk", "password": PASSWORD})
    client.post("/accounts/login/", {"username": "liensonlak_clerk", "password": PASSWORD})
    page = client.get("/accounts/sessions/").content.decode()
    assert page.count("<tr") == 3  # header + two sessions

    client.post("/accounts/sessions/end-others/")

    assert other.get("/units/").status_code == 302
    assert client.get("/units/").status_code == 200


def test_the_audit_page_is_scoped_and_filtered(client, province_admin, commune_clerk, outsider):
    # given sign-ins by a clerk of Đắk Lắk and by the Kon Tum admin
    for username in ("liensonlak_clerk", "kontum_admin"):
        client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        client.post("/accounts/logout/")

    client.force_login(province_admin)
    page = client.get("/accounts/audit/?action=auth.login").content.decode()
    assert "liensonlak_clerk đăng nhập" in page
    assert "kontum_admin" not in page

    response = client.get("/accounts/audit/export.xlsx?actor=liensonlak")
    sheet = load_workbook(io.BytesIO(response.content)).active
    actors = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert actors == {"liensonlak_clerk"}

    assert client.get("/accounts/audit/?date_from=hom-qua").status_code == 400


def test_admin_edits_are_audited_and_the_log_is_read_only(admin_client, commune_clerk):
    response = admin_client.post(
        f"/admin/accounts/user/{commune_clerk.pk}/change/",
        {
            "username": "liensonlak_clerk",
            "full_name": "Đổi tên",
            "unit": commune_clerk.unit_id,
            "role": "clerk",
            "is_active": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="admin.change", target_id=str(commune_clerk.pk)
    ).exists()

    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403
    entry = AuditEntry.objects.first()
    assert admin_client.post(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403

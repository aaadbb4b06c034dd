"""A province administrator opens an account for a commune clerk in the app, in Vietnamese,
and the new clerk signs in with it (issue 15: accounts without the Django admin)."""

import pytest
from playwright.sync_api import expect

from gandan.accounts.models import User
from gandan.core.models import AuditEntry
from gandan.tests.browser import login, screenshot_path
from gandan.tests.cast import REFORM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_province_administrator_opens_an_account_for_a_commune_clerk(
    real_units, live_server, page, province_admin, commune_clerk, unit
):
    lien_son_lak = unit("24580", "commune", REFORM)
    login(page, live_server.url, "tinh_admin", "matkhau-demo-253")

    # when the administrator opens "Tài khoản" and creates an account for xã Liên Sơn Lắk
    page.goto(f"{live_server.url}/accounts/users/")
    expect(page.locator("#accounts tr[data-username=liensonlak_clerk]")).to_be_visible()
    page.click("text=+ Tạo tài khoản")
    page.fill("#id_username", "hnga_lienson")
    page.fill("#id_full_name", "H'Nga Byă")
    page.select_option("#id_unit", str(lien_son_lak.pk))
    expect(page.locator("#id_unit option:checked")).to_contain_text("Xã Liên Sơn Lắk")
    page.select_option("#id_role", "clerk")
    page.fill("#id_password", "Buon-Ako-Dhong-2025")
    page.click("button:has-text('Lưu')")

    # then the list shows it, and the change is in the audit log
    page.goto(f"{live_server.url}/accounts/users/")
    row = page.locator("#accounts tr[data-username=hnga_lienson]")
    expect(row).to_contain_text("H'Nga Byă")
    expect(row).to_contain_text("Cán bộ nhập liệu")
    page.screenshot(path=screenshot_path("accounts-list"), full_page=True)
    created = User.objects.get(username="hnga_lienson")
    assert created.unit == lien_son_lak
    assert AuditEntry.objects.filter(actor_id=province_admin.pk, action="account.create").exists()

    # and the new clerk signs in with it
    page.click("text=Đăng xuất")
    login(page, live_server.url, "hnga_lienson", "Buon-Ako-Dhong-2025")
    expect(page.locator("header")).to_contain_text("Xã Liên Sơn Lắk")

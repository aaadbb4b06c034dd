"""The field page in Chromium: a clerk makes a device password and sees the QR code of
Collect's settings (screenshot for the set-up guide, ``docs/field.md``)."""

import pytest
from playwright.sync_api import expect

from gandan.field.models import DevicePassword
from gandan.tests.browser import login, screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_makes_a_device_password_and_sees_the_qr_code(
    live_server, page, real_units, commune_clerk
):
    page.set_viewport_size({"width": 1100, "height": 900})
    login(page, live_server.url, "liensonlak_clerk", "matkhau-demo-253")

    page.get_by_role("link", name="Hiện trường").click()
    page.fill("input[name=label]", "Điện thoại Samsung của Y Săn")
    page.get_by_role("button", name="Tạo mật khẩu và mã QR").click()

    card = page.locator("#new-device")
    expect(card.locator(".qr svg")).to_be_visible()
    expect(card).to_contain_text(f"{live_server.url}/field")
    expect(page.locator("table.devices")).to_contain_text("Điện thoại Samsung của Y Săn")
    assert DevicePassword.objects.filter(user=commune_clerk).count() == 1
    card.screenshot(path=screenshot_path("field-qr"))

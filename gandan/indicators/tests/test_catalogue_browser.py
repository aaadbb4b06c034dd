"""Playwright, against Debian's Chromium: the province's administrator adds an indicator,
is refused a duplicate name, then retires the indicator and finds it among the retired
(screenshots in var/screenshots/)."""

import pytest
from playwright.sync_api import expect

from gandan.core.dates import today, vn_date
from gandan.indicators.models import Indicator
from gandan.tests.browser import login, screenshot_path, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(real_units, seeded_catalogue):
    """The seeded catalogue and types (an earlier browser test may have flushed them)."""


def _settled(page):
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling')")


def test_the_administrator_creates_and_retires_an_indicator(catalogue, live_server, page, province_admin):  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "tinh_admin", "matkhau-demo-253")

    # given the catalogue, reached from the main menu
    page.click("nav.mainnav >> text=Chỉ tiêu")
    expect(page.locator("h1")).to_have_text("Danh mục chỉ tiêu")
    expect(page.locator("#catalogue tbody tr[data-code]")).to_have_count(Indicator.objects.count())

    # when they add "Cây cà phê tái canh"
    page.click("text=+ Thêm chỉ tiêu")
    page.fill("#id_code", "coffee_replanted")
    page.fill("#id_name_vi", "Cây cà phê tái canh")
    page.fill("#id_name_en", "Coffee trees replanted")
    page.fill("#id_unit", "cây")
    page.select_option("#id_group", "production")
    page.select_option("#id_source", "value")
    page.select_option("#id_aggregation", "sum")
    page.screenshot(path=screenshot_path("catalogue-create"), full_page=True)
    page.click("button.primary >> text=Thêm chỉ tiêu")

    # then it is saved and its page says it is unused
    expect(page.locator(".flash")).to_contain_text("Đã thêm chỉ tiêu «Cây cà phê tái canh» (mã coffee_replanted).")  # fmt: skip
    expect(page.locator("#usage")).to_contain_text("Chưa có số liệu nào dùng chỉ tiêu này")
    edit_url = page.url

    # and a second indicator with the same name but for case and diacritics is refused
    page.goto(f"{live_server.url}/indicators/new/")
    page.fill("#id_code", "coffee_2")
    page.fill("#id_name_vi", "CAY CA PHE TAI CANH")
    page.fill("#id_unit", "cây")
    page.click("button.primary >> text=Thêm chỉ tiêu")
    expect(page.locator(".field.has-error .errorlist")).to_contain_text(
        "Đã có chỉ tiêu «Cây cà phê tái canh» (mã coffee_replanted)"
    )
    page.screenshot(path=screenshot_path("catalogue-duplicate"), full_page=True)

    # when they retire it from today
    page.goto(edit_url)
    # (the box shows dd/mm/yyyy; the form sends the ISO date)
    expect(page.locator("#id_retired_on")).to_have_value(vn_date(today()))
    page.click("#retire button >> text=Ngừng sử dụng")

    # then the list says so, and the retired filter finds it alone
    expect(page.locator(".flash")).to_contain_text("Đã cho ngừng sử dụng «Cây cà phê tái canh»")
    row = page.locator("#catalogue tr[data-code=coffee_replanted]")
    expect(row.locator("td.status")).to_have_text(f"Ngừng từ {vn_date(today())}")
    page.select_option("#id_status", "retired")
    _settled(page)
    expect(page.locator("#catalogue tbody tr[data-code]")).to_have_count(1)
    expect(page).to_have_url(f"{live_server.url}/indicators/?q=&group=&status=retired")
    page.screenshot(path=screenshot_path("catalogue-retired"), full_page=True)
    assert Indicator.objects.get(code="coffee_replanted").retired_on == today()

    # an indicator in use keeps its code and unit, and cannot be deleted
    pens = Indicator.objects.get(code="livestock_pens")
    page.goto(f"{live_server.url}/indicators/{pens.pk}/edit/")
    expect(page.locator("#id_code")).to_be_disabled()
    expect(page.locator("#usage")).to_contain_text("tổng của 2 chỉ tiêu thành phần")
    expect(page.locator("text=Xóa chỉ tiêu chưa dùng này")).to_have_count(0)
    page.screenshot(path=screenshot_path("catalogue-in-use"), full_page=True)

    # and on a phone the list stays readable
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/indicators/?group=production")
    expect(page.locator("#catalogue tr[data-code=livestock_pens]")).to_be_visible()
    page.screenshot(path=screenshot_path("catalogue-phone"), full_page=True)

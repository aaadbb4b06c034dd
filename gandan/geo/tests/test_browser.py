import pytest

from gandan.tests.browser import login, screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_browser_search_on_a_past_date(real_units, live_server, page, province_admin):
    # given a province admin logged in
    login(page, live_server.url, "tinh_admin", "matkhau-demo-253")

    # when they open the unit browser for 2019-09-10 and search "ea kao"
    page.goto(f"{live_server.url}/units/?on=2019-09-10")
    page.fill("#q", "ea kao")
    page.press("#q", "Enter")

    # then the legacy commune Xã Ea Kao (Buôn Ma Thuột) is listed
    results = page.locator("#unit-results table.results")
    results.wait_for()
    assert "Xã Ea Kao" in results.inner_text()
    assert "Thành phố Buôn Ma Thuột" in results.inner_text()
    page.screenshot(path=screenshot_path("units-search-ea-kao-2019"), full_page=True)

    # and the 2025 view lists the phường that replaced it
    page.goto(f"{live_server.url}/units/?on=2025-07-01&q=ea+kao")
    assert "Phường Ea Kao" in page.locator("#unit-results").inner_text()


def test_unit_page_shows_history_with_legal_basis(real_units, live_server, page, province_admin):
    login(page, live_server.url, "tinh_admin", "matkhau-demo-253")
    page.goto(f"{live_server.url}/units/?on=2019-09-10&q=thang+loi")
    page.click("text=Phường Thắng Lợi")

    history = page.locator("#history").inner_text()
    assert "1193/NQ-UBTVQH15" in history
    assert "Phường Thành Công" in history
    page.screenshot(path=screenshot_path("unit-history-thang-loi"), full_page=True)

"""In Chromium: a commune submits a report, the district clerk finds it in the inbox and
approves it, and the commune is notified (its unread count goes up). Screenshots of the
home page and the inbox at 1366 × 900 and 390 × 844 (``var/screenshots/notify-*``)."""

import pytest
from playwright.sync_api import expect

from gandan.reports.models import Regime
from gandan.reports.seed import seed_regimes
from gandan.tests.browser import login, screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-demo-253"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(real_units):
    """Transactional tests flush the database, and the data migrations' rows with it."""
    from gandan.indicators.services import catalogue_seed
    from gandan.work.seed import types_movements_seed

    seed_regimes(Regime)
    catalogue_seed()
    types_movements_seed()


def _as(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server.url, username, PASSWORD)
    page.wait_for_load_state()


def _unread(page):
    badge = page.locator("#inbox-link .badge")
    return 0 if badge.is_hidden() else int(badge.inner_text())


def _no_sideways_scroll(page):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


def _shoot(page, name):
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=screenshot_path(f"{name}-1366"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    _no_sideways_scroll(page)
    page.screenshot(path=screenshot_path(f"{name}-390"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_submitted_report_reaches_the_district_inbox_and_its_approval_the_commune(
    live_server, page, seeded, field, lak_clerk, commune_clerk
):
    from gandan.reports.services import report_create

    # given a draft of xã Yang Tao's 2019 yearly report (its people are now xã Liên Sơn Lắk's)
    yearly = Regime.objects.get(code="yearly")
    report = report_create(actor=None, regime=yearly, unit=field.yang_tao, period="2019")
    page.set_viewport_size(DESKTOP)

    # when the commune clerk submits it
    _as(page, live_server, "liensonlak_clerk")
    assert _unread(page) == 0
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.check("#id_allow_empty_sections")  # only the generated results are written
    page.click("#submit-report")
    expect(page.locator("#report-title .status")).to_have_text("Đã gửi")

    # then the district clerk lands on "Việc cần làm" with one unread notification
    _as(page, live_server, "lak_clerk")
    assert page.url == f"{live_server.url}/"
    expect(page.locator("h1")).to_have_text("Việc cần làm")
    assert _unread(page) == 1
    expect(page.locator("#todo-approve")).to_contain_text("Báo cáo năm")
    expect(page.locator("#unit-ended")).to_contain_text("30/06/2025")
    _shoot(page, "notify-home-district")

    # and finds the report in the inbox, opens it and approves it
    page.click("#inbox-link")
    page.wait_for_load_state()
    expect(page.locator(".notification.unread")).to_have_count(1)
    expect(page.locator(".notification-text")).to_contain_text("chờ duyệt")
    _shoot(page, "notify-inbox-district")
    page.click(".notification-text a")
    page.wait_for_load_state()
    page.click("#approve-report")
    expect(page.locator("#report-title .status")).to_have_text("Đã duyệt")

    # then the commune is told: its unread count went up, the inbox says it was approved
    _as(page, live_server, "liensonlak_clerk")
    assert _unread(page) == 1
    _shoot(page, "notify-home-commune")
    page.click("#inbox-link")
    page.wait_for_load_state()
    expect(page.locator(".notification.unread .notification-text")).to_contain_text("đã được duyệt")
    _shoot(page, "notify-inbox-commune")

    # and marking it read brings the count back to zero
    page.click(".notification button:has-text('Đánh dấu đã đọc')")
    page.wait_for_load_state()
    assert _unread(page) == 0

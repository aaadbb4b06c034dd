"""The dashboard, its map and the pivot in Chromium: the boundary date changes the figures.

No request leaves the live server: charts are vendored, the map is an inline SVG.
"""

import datetime

import pytest

from gandan.geo.models import Level
from gandan.geo.selectors import units_on
from gandan.indicators.services import catalogue_seed
from gandan.tests.browser import login, screenshot_path, wait_until
from gandan.tests.cast import OLD, REFORM
from gandan.work.seed import types_movements_seed
from gandan.work.services import activity_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WINDOW = "from=2016-01-01&to=2026-06-30"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Vietnamese browser: date fields read dd/mm/yyyy."""
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def campaigns(field_2025, activity_input):
    """The catalogue (an earlier browser test may have flushed it), and campaigns in many
    legacy communes of Đắk Lắk in 2016-2024 and in two 2025 communes after the reform."""
    catalogue_seed()
    types_movements_seed()
    field = field_2025
    communes = [v.unit for v in units_on(OLD, level=Level.COMMUNE, within=field.dak_lak)]
    for i, commune in enumerate(communes):
        for k in range((i * 7) % 5):
            day = datetime.date(2016 + (i + 3 * k) % 9, 1 + (i + k) % 12, 1 + (5 * i) % 27)
            data = activity_input(commune, day, participants=20 + (13 * i + k) % 90)
            activity_create(actor=None, data=data)
    for on in (datetime.date(2025, 9, 1), datetime.date(2026, 3, 2)):
        for commune in (field.lien_son_lak, field.unit_2025):
            activity_create(actor=None, data=activity_input(commune, on, participants=35))
    return field


@pytest.fixture
def field_2025(real_units, field, unit):
    field.unit_2025 = unit("24169", Level.COMMUNE, REFORM)  # phường Ea Kao (2025)
    return field


@pytest.fixture
def offline(page, live_server):
    """Fail on any request that would leave the live server."""
    outside = []

    def check(request):
        if not request.url.startswith(live_server.url):
            outside.append(request.url)

    page.on("request", check)
    yield
    assert outside == []


def _kpi(page, code):
    return page.inner_text(f"#kpi-{code} strong")


def test_province_dashboard_map_and_boundaries(
    campaigns, live_server, page, province_admin, offline
):
    # given the province admin on the dashboard of Đắk Lắk, under the boundaries of 1-7-2025
    login(page, live_server.url, "tinh_admin", "matkhau-demo-253")
    page.goto(
        f"{live_server.url}/analytics/dashboard/?unit={campaigns.dak_lak.pk}&{WINDOW}"
        "&boundaries=2025-07-01&indicator=campaigns"
    )

    # then the charts are drawn with Vietnamese numbers and the map has the 2025 communes
    wait_until(page, "window.Chart && Chart.getChart('trend-chart') !== undefined")
    assert "địa giới ngày 01/07/2025" in page.inner_text("#boundary-badge")
    points_2025 = page.locator("#commune-map circle").count()
    assert points_2025 > 50
    compared_2025 = page.text_content("#comparison-table")
    assert "Huyện Lắk" not in compared_2025
    total = _kpi(page, "campaigns")
    assert "." in _kpi(page, "participants")  # thousands with a dot: "12.345"
    page.screenshot(path=screenshot_path("analytics-dashboard-2025"), full_page=True)
    page.locator("#commune-map").screenshot(path=screenshot_path("analytics-map-2025"))

    # when they switch to the boundaries as recorded
    page.check("input[name=boundaries][value=recorded]")
    wait_until(
        page, "document.querySelector('#boundary-badge').innerText.includes('như khi ghi nhận')"
    )
    wait_until(page, "Chart.getChart('comparison-chart') !== undefined")

    # then the comparison is by district (with the 2025 communes after the reform), the map
    # shows the legacy communes, and the province total is the same
    assert "Huyện Lắk" in page.text_content("#comparison-table")
    assert page.locator("#commune-map circle").count() != points_2025
    assert _kpi(page, "campaigns") == total
    assert "boundaries=recorded" in page.url
    page.screenshot(path=screenshot_path("analytics-dashboard-recorded"), full_page=True)


def test_commune_dashboard_counts_legacy_history_only_under_2025_boundaries(
    campaigns, live_server, page, commune_clerk, offline
):
    # given the clerk of xã Liên Sơn Lắk on their dashboard, under the boundaries of 1-7-2025
    login(page, live_server.url, "liensonlak_clerk", "matkhau-demo-253")
    page.goto(
        f"{live_server.url}/analytics/dashboard/?{WINDOW}&boundaries=2025-07-01&indicator=campaigns"
    )
    with_history = int(_kpi(page, "campaigns"))
    assert with_history > 2  # the legacy communes' campaigns count under the 2025 commune
    page.screenshot(path=screenshot_path("analytics-dashboard-commune-2025"), full_page=True)

    # when they look at the records as recorded
    page.check("input[name=boundaries][value=recorded]")
    wait_until(
        page, "document.querySelector('#boundary-badge').innerText.includes('như khi ghi nhận')"
    )

    # then only the two campaigns recorded on the 2025 commune are its own
    assert _kpi(page, "campaigns") == "2"
    assert "Xã Yang Tao" in page.text_content("#comparison-table")
    page.screenshot(path=screenshot_path("analytics-dashboard-commune-recorded"), full_page=True)

    # and, back to a boundary date, the history is counted again
    page.fill("#boundaries_on", "2025-07-01")
    page.dispatch_event("#boundaries_on", "change")
    wait_until(page, "document.querySelector('#boundary-badge').innerText.includes('01/07')")
    assert int(_kpi(page, "campaigns")) == with_history


def test_pivot_drills_down_and_keeps_a_shareable_address(
    campaigns, live_server, page, province_admin, offline
):
    login(page, live_server.url, "tinh_admin", "matkhau-demo-253")
    page.goto(
        f"{live_server.url}/analytics/pivot/?unit={campaigns.dak_lak.pk}&{WINDOW}"
        "&boundaries=recorded"
    )
    page.screenshot(path=screenshot_path("analytics-pivot-province"), full_page=True)

    # when they click huyện Lắk, the table shows its communes and the address follows
    page.click("table.pivot >> text=Huyện Lắk")
    page.wait_for_url(f"**/analytics/pivot/?unit={campaigns.lak.pk}*")
    page.locator("table.pivot >> text=Xã Yang Tao").wait_for()
    total = page.inner_text("table.pivot tr.total td:first-of-type")
    page.screenshot(path=screenshot_path("analytics-pivot-lak"), full_page=True)

    # and the address, opened again, gives the same table
    page.goto(page.url)
    assert page.inner_text("table.pivot tr.total td:first-of-type") == total

    # and choosing years and periods as columns redraws the table in place
    page.select_option("#cols", "period")
    page.select_option("#by", "year")
    page.wait_for_url("**by=year*")
    page.locator("table.pivot th[data-key='2019']").first.wait_for()
    # one table, its rows grouped by indicator (the defaults that have data), each group
    # closed by the district's total
    assert page.locator("table").count() == 1
    chosen = page.locator("input[name=indicator]:checked").count()
    assert page.locator("table.pivot tr.group").count() == chosen >= 1
    assert page.locator("table.pivot tr.subtotal").count() == chosen
    page.screenshot(path=screenshot_path("analytics-pivot-lak-by-year"), full_page=True)


def _sideways(page):
    """How far the page itself scrolls sideways (0: not at all)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_periods_across_units_is_one_table_on_a_desk_and_on_a_phone(
    campaigns, live_server, page, province_admin, offline
):
    # given the province admin asking for years down the rows, across the districts
    login(page, live_server.url, "tinh_admin", "matkhau-demo-253")
    page.set_viewport_size({"width": 1366, "height": 900})
    question = (
        f"unit={campaigns.dak_lak.pk}&{WINDOW}&boundaries=recorded&drill=children"
        "&by=year&rows=period&cols=indicator"
    )
    page.goto(f"{live_server.url}/analytics/pivot/?{question}")

    # then there is one table, a group per district with campaigns, and the province last
    assert page.locator("table").count() == 1
    groups = page.locator("table.pivot tr.group").count()
    assert groups >= 3
    assert "Tổng số" in page.locator("table.pivot tr.group").last.inner_text()
    assert page.locator("table.pivot tr.subtotal").count() == groups - 1
    assert "Đã ẩn" in page.inner_text("#pivot-hidden")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 20_000
    page.screenshot(path=screenshot_path("analytics-pivot-one-table-1366"), full_page=True)

    # when they ask for the empty rows and columns too
    page.check("#show-empty input")
    page.wait_for_url("**empty=1*")
    wait_until(page, "document.querySelector('#pivot-hidden') === null")
    assert page.locator("table.pivot tr.group").count() > groups
    assert page.locator("table").count() == 1

    # and quarters across sit under their years, in a second header row
    quarters = question.replace(
        "by=year&rows=period&cols=indicator", "by=quarter&rows=unit&cols=period"
    )
    page.goto(f"{live_server.url}/analytics/pivot/?{quarters}&indicator=campaigns")
    assert page.locator("table.pivot thead tr").count() == 2
    assert page.locator("table.pivot thead th.band").first.inner_text() == "năm 2016"
    page.screenshot(path=screenshot_path("analytics-pivot-quarters-1366"), full_page=True)

    # and on a phone, with the years across, the table scrolls inside its own box, not the page
    page.set_viewport_size({"width": 390, "height": 844})
    wide = question.replace("rows=period&cols=indicator", "rows=unit&cols=period")
    page.goto(f"{live_server.url}/analytics/pivot/?{wide}")
    assert page.locator("table").count() == 1
    assert _sideways(page) <= 0
    assert page.evaluate("document.querySelector('table.pivot').scrollWidth") > 390
    box = page.locator("#pivot-table")
    assert box.evaluate("e => e.getBoundingClientRect().right") <= 390
    page.screenshot(path=screenshot_path("analytics-pivot-one-table-390"), full_page=True)
    box.screenshot(path=screenshot_path("analytics-pivot-one-table-390-table"))

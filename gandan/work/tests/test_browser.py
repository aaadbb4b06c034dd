"""Playwright, against Debian's Chromium: a commune clerk enters a campaign at two villages,
then a work and a paper-report total, and finds each in its list (screenshots in var/)."""

import datetime

import pytest
from playwright.sync_api import expect

from gandan.indicators.services import catalogue_seed
from gandan.org import services as org_services
from gandan.tests.browser import login, screenshot_path, wait_until
from gandan.tests.cast import REFORM
from gandan.work.models import Activity
from gandan.work.seed import types_movements_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(real_units):
    """The seeded catalogue, types and movements (an earlier browser test may have flushed
    the data the migrations seeded)."""
    catalogue_seed()
    types_movements_seed()


def _settled(page):
    """No htmx request in flight, and the last swap done."""
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling')")


def test_commune_clerk_enters_a_campaign_at_two_villages_and_sees_it_in_the_list(
    catalogue, live_server, page, commune_clerk, field
):
    # given the team of xã Liên Sơn Lắk, whose villages include two buôn of the legacy Yang Tao
    org_services.team_create(
        actor=None,
        name="Tổ công tác xã Liên Sơn Lắk",
        unit=field.lien_son_lak,
        established_on=REFORM,
        kind="to",
    )
    login(page, live_server.url, "liensonlak_clerk", "matkhau-demo-253")

    # when the clerk opens the entry form from the list
    page.goto(f"{live_server.url}/activities/")
    page.click("text=+ Ghi hoạt động")
    page.wait_for_url("**/activities/new/")
    expect(page.locator("#id_type")).to_be_focused()

    # and types a campaign on 15-8-2025: the only commune of that day is chosen for them
    page.select_option("#id_type", label="Đợt phát động quần chúng")
    page.fill("#id_title", "Phát động làm đường bê tông liên buôn")
    with page.expect_response(lambda response: "/villages/options/" in response.url):
        page.fill("#id_start", "2025-08-15")
    _settled(page)  # the villages and teams of that day are in place before ticking them
    page.fill("#id_end", "2025-08-17")
    assert page.inner_text("#id_unit option:checked") == "Xã Liên Sơn Lắk"
    page.get_by_label("Buôn Yang Lah").check()
    page.get_by_label("Buôn Akŏ Dhŏng").check()
    page.get_by_label("Tổ công tác xã Liên Sơn Lắk").check()
    page.fill("#id_participants", "1.350")
    page.fill("#id_participants_female", "620")
    page.fill("#id_participants_minority", "1.100")
    page.get_by_label(
        "Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”"
    ).check()
    page.get_by_label("Mặt trận Tổ quốc").check()
    page.get_by_label("Chính quyền").check()

    # and a decimal comma in the money is refused as they type
    page.fill("#id_v_money_vnd", "1500,5")
    page.wait_for_selector("#check [role=alert] >> text=phải là số nguyên (đồng)")
    page.locator("#id_v_money_vnd").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("work-entry-check-error"))

    # while the Vietnamese thousands dots are fine
    page.fill("#id_v_money_vnd", "15.000.000")
    page.fill("#id_v_land_m2", "320")
    page.fill("#id_v_labour_days", "450")
    page.wait_for_selector("#check >> text=Hợp lệ, có thể ghi nhận.")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.screenshot(path=screenshot_path("work-entry-form"), full_page=True)
    page.click("button:has-text('Ghi nhận')")

    # then the list shows the record, newest first
    page.wait_for_url(f"{live_server.url}/activities/")
    assert page.inner_text(".flash").startswith(
        "Đã ghi nhận Đợt phát động quần chúng · Xã Liên Sơn Lắk · 15/08/2025"
    )
    row = page.locator("table.activities tbody tr").first.inner_text()
    for text in ("15/08/2025", "17/08/2025", "Phát động làm đường bê tông", "Buôn Akŏ Dhŏng, Buôn Yang Lah",
                 "1.350", "15.000.000 đồng", "320 m²", "450 ngày công", "Tổ công tác xã Liên Sơn Lắk"):  # fmt: skip
        assert text in row
    page.screenshot(path=screenshot_path("work-activity-list"), full_page=True)
    activity = Activity.objects.get()
    assert (activity.participants, activity.end) == (1350, datetime.date(2025, 8, 17))
    assert int(activity.values.get(indicator__code="money_vnd").value) == 15_000_000

    # and the htmx filters find it by village and period, and not outside the period
    count = page.locator("#activity-count")
    page.select_option("#id_village", label="Buôn Akŏ Dhŏng")
    page.wait_for_url("**/activities/?*village=*")
    expect(count).to_contain_text("1 hoạt động")
    page.fill("#id_period", "2024")
    expect(count).to_contain_text("0 hoạt động")
    page.fill("#id_period", "2025-Q3")
    expect(count).to_contain_text("1 hoạt động")
    page.wait_for_url("**period=2025-Q3*")
    _settled(page)
    page.screenshot(path=screenshot_path("work-activity-list-filtered"), full_page=True)

    # and its page has everything that was typed
    page.click("table.activities >> text=Đợt phát động quần chúng")
    facts = page.inner_text(".facts")
    assert "Chính quyền, Mặt trận Tổ quốc" in facts
    assert "1.350 · nữ 620 · dân tộc thiểu số 1.100" in facts
    page.screenshot(path=screenshot_path("work-activity-detail"), full_page=True)


def test_commune_clerk_adds_a_work_and_a_paper_total(
    catalogue, live_server, page, commune_clerk, field
):
    login(page, live_server.url, "liensonlak_clerk", "matkhau-demo-253")

    # a new-rural work at a village of the legacy Yang Tao
    page.goto(f"{live_server.url}/works/")
    page.click("text=+ Thêm công trình")
    page.fill("#id_name", "Đường bê tông buôn Yang Lah")
    page.select_option("#id_kind", "road")
    page.select_option("#id_place", label="Buôn Yang Lah")
    page.fill("#id_started_on", "2025-08-18")
    page.click("button:has-text('Lưu')")
    page.wait_for_url(f"{live_server.url}/works/")
    assert "Đường bê tông buôn Yang Lah" in page.inner_text("table.works")
    page.screenshot(path=screenshot_path("work-works-list"), full_page=True)

    # a total from a 2008 paper report of the legacy xã Yang Tao, "hơn 1.200 vườn"
    page.click("nav.subnav >> text=Số liệu tổng hợp (báo cáo giấy)")
    page.click("text=+ Nhập số tổng hợp")
    page.select_option("#id_indicator", label="Vườn rau, mô hình vườn rau sạch (vườn)")
    page.select_option("#id_unit", label="Xã Yang Tao (24583, đến hết 30/06/2025)")
    page.select_option("#id_qualifier", "hon")
    page.fill("#id_value", "1.200")
    page.fill("#id_period_start", "2004-07-05")
    page.fill("#id_period_end", "2008-12-31")
    page.fill("#id_period_label", "2004 - 2008")
    page.fill("#id_source_number", "12-BC/UBND")
    page.fill("#id_source_date", "2009-01-10")
    page.fill("#id_source_title", "Báo cáo sơ kết 5 năm phong trào vườn rau")
    page.screenshot(path=screenshot_path("work-aggregate-form"), full_page=True)
    page.click("button:has-text('Lưu')")
    page.wait_for_url(f"{live_server.url}/aggregates/")
    assert "hơn 1.200 vườn" in page.inner_text("table.aggregates")
    page.screenshot(path=screenshot_path("work-aggregates-list"), full_page=True)

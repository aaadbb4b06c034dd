"""One case through the levels, in Chromium: the clerk of xã Yang Tao records a land dispute
from buôn Yang Lah (2019), advises and escalates it to huyện Lắk; the district clerk finds it
in "chuyển lên đơn vị tôi", reveals the contact (logged), and resolves it. A screenshot at
each step (``var/screenshots/cases-*``)."""

import pytest
from playwright.sync_api import expect

from gandan.cases.models import Case, CaseKind
from gandan.cases.seed import CASE_KINDS
from gandan.core.models import AuditEntry
from gandan.tests.browser import login, screenshot_path
from gandan.tests.cast import OLD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-demo-253"


@pytest.fixture
def kinds(real_units):
    """Transactional tests flush the database, and the data migration's case kinds with it."""
    for code, name, days in CASE_KINDS:
        CaseKind.objects.get_or_create(code=code, defaults={"name": name, "deadline_days": days})


@pytest.fixture
def yang_tao_clerk(kinds, field, unit):
    from gandan.accounts.models import User

    return User.objects.create_user(
        username="yangtao_clerk",
        password=PASSWORD,
        unit=unit("24583", "commune", OLD),
        role="clerk",
        full_name="Y Khu Niê",
    )


def _as(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server.url, username, PASSWORD)


def test_a_case_from_a_village_is_escalated_and_resolved_by_the_district(
    live_server, page, yang_tao_clerk, lak_clerk, field
):
    page.set_viewport_size({"width": 1280, "height": 900})
    # given the clerk of xã Yang Tao opens a new case dated 2-4-2019
    _as(page, live_server, "yangtao_clerk")
    page.goto(f"{live_server.url}/cases/")
    page.click("#new-case")
    page.select_option("#id_kind", label="Tranh chấp đất đai")
    page.fill("#id_received_on", "2019-04-02")
    page.press("#id_received_on", "Tab")
    # then the commune of that day is chosen, and its villages of that day are offered
    expect(page.locator("#id_unit option:checked")).to_have_text("Xã Yang Tao – Huyện Lắk")
    expect(page.locator("#id_village option")).to_have_count(4)  # "—" and 3 villages
    page.select_option("#id_village", label="Buôn Yang Lah")
    page.select_option("#id_source", "home_visit")
    page.fill("#id_households", "2")
    page.fill("#id_description", "Hai hộ tranh chấp ranh giới rẫy cà phê giáp suối.")
    page.fill("#id_contact_name", "Y Thử Nghiệm")
    page.fill("#id_contact_phone", "0900 000 001")
    page.screenshot(path=screenshot_path("cases-1-new"), full_page=True)
    page.click("#save-case")

    # then the case page shows it received, contacts hidden
    expect(page.locator("#case-title .status")).to_have_text("Tiếp nhận")
    assert "Buôn Yang Lah, Xã Yang Tao" in page.inner_text("#case-facts")
    assert "1 người liên hệ (ẩn)" in page.inner_text("#contacts")
    assert "Y Thử Nghiệm" not in page.content()

    # when the commune advises with the commune authorities, then escalates on 10-4-2019
    page.check("#id_advise_agencies_0")
    page.fill("#id_advise_advice", "Hòa giải tại buôn không thành, hai hộ chưa thống nhất.")
    page.fill("#id_advise_on", "2019-04-05")
    page.click("#do-advise")
    expect(page.locator("#case-title .status")).to_have_text("Đang tham mưu, phối hợp")
    page.click("#action-escalate summary")
    page.fill("#id_escalate_note", "Vượt thẩm quyền xã, đề nghị huyện đo đạc.")
    page.fill("#id_escalate_on", "2019-04-10")
    page.screenshot(path=screenshot_path("cases-2-advising"), full_page=True)
    page.click("#do-escalate")

    # then it goes to huyện Lắk's queue and the commune can no longer act on it
    expect(page.locator("#case-title .status")).to_have_text("Chuyển cấp trên")
    assert page.inner_text("#case-handler") == "Huyện Lắk"
    assert page.locator("#actions button").count() == 0
    page.screenshot(path=screenshot_path("cases-3-escalated"), full_page=True)

    # when the district clerk opens the cases escalated to them
    _as(page, live_server, "lak_clerk")
    page.goto(f"{live_server.url}/cases/")
    page.click("#case-tabs [data-tab=escalated]")
    expect(page.locator("#cases tbody tr")).to_have_count(1)
    page.screenshot(path=screenshot_path("cases-4-district-queue"), full_page=True)
    page.click("#cases a.kind")

    # and reveals the contact (each view is logged)
    page.click("#reveal-contacts")
    expect(page.locator("#contact-list")).to_contain_text("Y Thử Nghiệm")
    assert AuditEntry.objects.filter(action="cases.view_contacts").count() == 1

    # and takes it up, then resolves it on 25-4-2019
    page.check("#id_advise_agencies_5")
    page.fill("#id_advise_advice", "Phòng Tài nguyên và Môi trường huyện đo đạc lại ranh giới.")
    page.fill("#id_advise_on", "2019-04-15")
    page.click("#do-advise")
    page.click("#action-resolve summary")
    page.fill(
        "#id_resolve_outcome", "Hai hộ thống nhất ranh giới theo kết quả đo đạc, ký biên bản."
    )
    page.fill("#id_resolve_on", "2019-04-25")
    page.click("#do-resolve")

    # then the case is resolved at the district, with its whole timeline
    expect(page.locator("#case-title .status")).to_have_text("Đã giải quyết")
    events = page.locator("#events li strong").all_inner_texts()
    assert events == [
        "Tiếp nhận",
        "Tham mưu, phối hợp",
        "Chuyển cấp trên",
        "Tham mưu, phối hợp",
        "Đã giải quyết",
    ]
    # each step shows the day it took effect, not the day it was typed in
    days = [d.split(" · ")[0] for d in page.locator("#events li .muted").all_inner_texts()]
    assert days == ["02/04/2019", "05/04/2019", "10/04/2019", "15/04/2019", "25/04/2019"]
    page.screenshot(path=screenshot_path("cases-5-resolved"), full_page=True)
    case = Case.objects.get()
    assert (case.status, case.handler.name, str(case.closed_on)) == (
        "resolved",
        "Lắk",
        "2019-04-25",
    )

"""The offline outbox on a phone (390 × 844), in Chromium: load the entry page online, lose
the connection, enter three records (one that the server will refuse), reload, see them
waiting, get the connection back, see two saved exactly once and one refused with its
reason, correct it and send it. Pages visited before stay readable offline."""

import datetime

import pytest
from playwright.sync_api import expect

from gandan.core.dates import today
from gandan.field.models import Submission
from gandan.field.tests.browser_steps import answer, open_form, question, send, set_date, settle
from gandan.org import services as org_services
from gandan.tests.browser import login, screenshot_path
from gandan.tests.cast import REFORM
from gandan.work.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLIP = datetime.date(2025, 6, 1)  # the month before xã Liên Sơn Lắk was made


def _waiting(page, count: int) -> None:
    expect(page.locator(".outbox li.waiting")).to_have_count(count)
    expect(page.locator("[data-waiting]")).to_have_text(str(count))


def test_records_typed_offline_are_sent_once_when_the_connection_returns(
    catalogue, live_server, page, context, commune_clerk, field
):
    # given a team of xã Liên Sơn Lắk, a commune made on 1-7-2025 by the merger
    team = org_services.team_create(
        actor=None, name="Tổ công tác xã Liên Sơn Lắk", unit=field.lien_son_lak,
        established_on=REFORM, kind="to",
    )  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "liensonlak_clerk", "matkhau-demo-253")

    # 1. the clerk opens the team page, the commune's villages and the entry page online
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    page.goto(f"{live_server.url}/units/{field.lien_son_lak.pk}/")
    page.goto(f"{live_server.url}/field/offline/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now under the service worker, which keeps what it serves
    page.wait_for_load_state("networkidle")
    for url in (f"/teams/{team.pk}/", f"/units/{field.lien_son_lak.pk}/"):
        page.evaluate("(url) => fetch(url)", url)  # visited again, now kept by the worker
    page.wait_for_load_state("networkidle")
    _waiting(page, 0)

    # 2. the signal is lost
    context.set_offline(True)
    expect(page.locator("[data-connection]")).to_have_class("offline-status offline")

    # 3. three records; the third is dated before the commune existed (a slip of the year)
    records = [
        ("Họp dân buôn Yang Lah", "Buôn Yang Lah", None),
        ("Phát động ở buôn Akŏ Dhŏng", "Buôn Akŏ Dhŏng", None),
        ("Phát tờ rơi", "Buôn Yang Lah", SLIP),
    ]
    open_form(page, "gandan_pdqc")
    for number, (title, village, start) in enumerate(records, start=1):
        answer(page, commune="Xã Liên Sơn Lắk", villages=[village], texts={"Nội dung": title},
               numbers={"Lượt người tham gia": "50", "Trong đó nữ": "20", "Tờ rơi (tờ)": "300"},
               start=start)  # fmt: skip
        send(page)
        _waiting(page, number)
        settle(page)

    # 4–5. a reload, still offline: the page opens from the worker, the records still wait
    page.reload()
    _waiting(page, 3)
    expect(page.locator("[data-outbox-count]")).to_have_text("3")  # the header's badge
    assert not Activity.objects.exists()
    page.screenshot(path=screenshot_path("field-outbox-waiting"))
    # pages visited before are readable offline
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    expect(page.locator("h1")).to_contain_text("Tổ công tác xã Liên Sơn Lắk")
    page.goto(f"{live_server.url}/units/{field.lien_son_lak.pk}/")
    expect(page.locator("main")).to_contain_text("Buôn Akŏ Dhŏng")
    page.goto(f"{live_server.url}/field/offline/")
    _waiting(page, 3)

    # 6–7. the signal returns: two saved, once each; the third refused with its reason
    context.set_offline(False)
    expect(page.locator(".outbox li.saved")).to_have_count(2)
    refused = page.locator(".outbox li.refused")
    expect(refused).to_have_count(1)
    expect(refused.locator(".reason")).to_have_text(
        "Không ghi nhận: Xã Liên Sơn Lắk không có hiệu lực vào ngày 01/06/2025."
    )
    expect(refused.locator(".what")).to_contain_text("01/06/2025 · Phát tờ rơi")
    _waiting(page, 0)
    assert sorted(Activity.objects.values_list("title", flat=True)) == [
        "Họp dân buôn Yang Lah", "Phát động ở buôn Akŏ Dhŏng",
    ]  # fmt: skip
    page.locator(".outbox").screenshot(path=screenshot_path("field-outbox-results"))
    page.locator("[data-send-now]").click()  # sending again sends nothing twice
    settle(page)
    assert Activity.objects.count() == 2

    # 8. the clerk corrects the refused record's date (this year, not last) and sends it
    refused.get_by_role("button", name="Sửa và gửi lại").click()
    expect(page.locator("#web-form .form-initialization-status.ready")).to_have_count(1)
    settle(page)
    expect(question(page, "Nội dung").locator("input")).to_have_value("Phát tờ rơi")
    expect(question(page, "Tờ rơi (tờ)").locator("input")).to_have_value("300")
    set_date(page, "Từ ngày", today())
    send(page)
    expect(page.locator(".outbox li.saved")).to_have_count(3)
    expect(page.locator(".outbox li.refused")).to_have_count(0)
    page.screenshot(path=screenshot_path("field-outbox-corrected"))
    assert Activity.objects.count() == 3
    corrected = Activity.objects.get(title="Phát tờ rơi")
    assert corrected.origin == Activity.Origin.FIELD
    assert corrected.start == today()
    assert [(v.indicator.code, v.value) for v in corrected.values.all()] == [("leaflets", 300)]
    assert Submission.objects.count() == 3
    assert set(Submission.objects.values_list("channel", flat=True)) == {"browser"}

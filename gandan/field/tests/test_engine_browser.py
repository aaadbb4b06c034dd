"""Proof against an engine we did not write: every generated XForm is loaded by ODK Web
Forms (``@getodk/web-forms``, vendored) in Chromium, filled through its interface and
serialised by it; that submission is posted, byte for byte, to our OpenRosa submission
endpoint with a device password (HTTP Basic, as Collect does) and must be accepted."""

import pytest
from playwright.sync_api import expect

from gandan.field.models import Submission
from gandan.field.tests.browser_steps import answer, open_form, send
from gandan.field.tests.conftest import basic
from gandan.tests.browser import login, screenshot_path
from gandan.work.models import Activity, ActivityType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_web_forms_fills_every_generated_form_and_our_endpoint_accepts_it(
    catalogue, live_server, page, commune_clerk, field, collect_login
):
    # given the clerk's phone password, and the outbox's POST sent instead to the OpenRosa
    # submission endpoint, unchanged except for Collect's Basic credentials
    phone = collect_login(commune_clerk)
    auth = basic(commune_clerk.username, phone.secret)["HTTP_AUTHORIZATION"]

    def to_openrosa(route, request):
        headers = {**request.headers, "authorization": auth, "x-openrosa-version": "1.0"}
        route.fulfill(
            response=route.fetch(url=f"{live_server.url}/field/submission", headers=headers)
        )

    page.route("**/field/outbox/", to_openrosa)
    login(page, live_server.url, "liensonlak_clerk", "matkhau-demo-253")
    page.goto(f"{live_server.url}/field/offline/")
    types = list(ActivityType.objects.all())
    assert len(types) == 9

    for number, activity_type in enumerate(types, start=1):
        # when Web Forms renders the type's form and the clerk answers it
        open_form(page, f"gandan_{activity_type.code}")
        answer(
            page,
            commune="Xã Liên Sơn Lắk",
            villages=["Buôn Yang Lah"],
            texts={"Nội dung": f"Bản ghi {number}"},
            numbers={"Lượt người tham gia": "40", "Trong đó nữ": "15", "Tờ rơi (tờ)": "250"},
        )
        if number == 1:
            page.screenshot(path=screenshot_path("field-engine-form"), full_page=False)
        send(page)
        # then the server accepted it
        expect(page.locator(".outbox li.saved")).to_have_count(number)

    assert Activity.objects.count() == 9
    for activity in Activity.objects.select_related("type"):
        assert activity.origin == Activity.Origin.FIELD
        assert list(activity.villages.all()) == [field.yt_a]
        assert (activity.participants, activity.participants_female) == (40, 15)
        assert [(v.indicator.code, v.value) for v in activity.values.all()] == [("leaflets", 250)]
        assert activity.field_submission.form_id == f"gandan_{activity.type.code}"
    assert set(Submission.objects.values_list("channel", flat=True)) == {"collect"}
    assert {a.type.code for a in Activity.objects.all()} == {t.code for t in types}

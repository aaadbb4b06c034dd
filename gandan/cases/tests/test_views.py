"""The case, aspiration and inspection pages through the client: queue tabs and filters,
entry from a village, the workflow, and every page for every member of the cast."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from gandan.cases.models import Case, CaseKind
from gandan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _listed(response) -> set[int]:
    return {int(row["data-case"]) for row in _soup(response).select("#cases tr[data-case]")}


def _ids(*cases) -> set[int]:
    return {c.pk for c in cases}


# The queue. -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "tab", "expected"),
    [
        # my unit's open cases: a 2025 commune inherits the legacy communes' queue
        ("commune_clerk", "mine", "old new"),
        ("lak_clerk", "mine", "up_old"),
        ("province_admin", "mine", "up_new"),
        # overdue: open and past the deadline, anywhere the user sees (all were received
        # in 2019 or 2025, so every open case is overdue in 2026)
        ("lak_clerk", "overdue", "old up_old nam_ka"),
        ("commune_clerk", "overdue", "old up_old new up_new"),
        # escalated to my unit
        ("lak_clerk", "escalated", "up_old"),
        ("province_admin", "escalated", "up_new"),
        ("commune_clerk", "escalated", ""),
        ("lak_clerk", "all", "old up_old nam_ka"),
        ("outsider", "all", ""),
    ],
)
def test_queue_tabs(as_user, cases, who, tab, expected):
    response = as_user(who).get(reverse("cases:case-queue"), {"tab": tab})

    assert response.status_code == 200
    assert _listed(response) == _ids(*(getattr(cases, n) for n in expected.split()))


def test_the_tabs_count_open_cases(as_user, cases):
    soup = _soup(as_user("lak_clerk").get(reverse("cases:case-queue")))

    counts = {a["data-tab"]: a.select_one(".count").get_text() for a in soup.select("#case-tabs a")}
    assert counts == {"mine": "1", "overdue": "3", "escalated": "1", "all": "3"}
    assert soup.select_one("#case-tabs a.active")["data-tab"] == "mine"


def test_overdue_cases_are_flagged_and_a_resolved_one_leaves_the_open_queue(as_user, cases):
    client = as_user("commune_clerk")
    client.post(
        reverse("cases:case-act", args=[cases.new.pk, "advise"]),
        {"agencies": ["mttq"], "advice": "Hòa giải", "on": "2025-08-05"},
    )
    client.post(
        reverse("cases:case-act", args=[cases.new.pk, "resolve"]),
        {"outcome": "Hai bên thống nhất", "on": "2025-08-20"},
    )

    mine = client.get(reverse("cases:case-queue"), {"tab": "mine"})
    closed = client.get(reverse("cases:case-queue"), {"tab": "mine", "status": "resolved"})

    assert _listed(mine) == _ids(cases.old)
    assert _soup(mine).select_one(f'tr[data-case="{cases.old.pk}"]')["class"] == ["overdue"]
    assert _listed(closed) == _ids(cases.new)
    assert "Quá hạn" not in _soup(closed).select_one("#cases tbody").get_text()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "dat dai"}, "old up_old nam_ka new up_new"),  # the kind, without diacritics
        ({"q": "nam ka"}, "nam_ka"),  # a commune
        ({"q": "yang lah"}, "old"),  # a village
        ({"q": "ranh gioi"}, ""),  # words of a description are never searched
        ({"q": "Thử"}, ""),  # nor people
        ({"period": "2025-Q3"}, "new up_new"),
        ({"period": "2019"}, "old up_old nam_ka"),
        ({"status": "escalated"}, "up_old up_new"),
        ({"kind": "other"}, ""),  # another kind: none of these land disputes
        ({"kind": "land"}, "old up_old nam_ka new up_new"),
    ],
)
def test_queue_filters(as_user, cases, land, params, expected):
    if params.get("kind") == "other":
        params = {"kind": CaseKind.objects.get(code="khieu_nai").pk}
    if params.get("kind") == "land":
        params = {"kind": land.pk}
    response = as_user("province_admin").get(
        reverse("cases:case-results"), {"tab": "all", "status": "", **params}
    )

    assert response.status_code == 200
    assert _listed(response) == _ids(*(getattr(cases, n) for n in expected.split()))


def test_filter_by_place_follows_boundary_changes(as_user, cases, places):
    client = as_user("province_admin")

    by_lak = client.get(
        reverse("cases:case-results"), {"tab": "all", "status": "", "place": places.lak.pk}
    )
    by_commune = client.get(
        reverse("cases:case-results"), {"tab": "all", "status": "", "place": places.lien_son_lak.pk}
    )

    assert _listed(by_lak) == _ids(cases.old, cases.up_old, cases.nam_ka)
    # the 2025 commune includes legacy xã Yang Tao, merged into it
    assert _listed(by_commune) == _ids(cases.old, cases.up_old, cases.new, cases.up_new)


def test_a_bad_period_is_named_and_a_place_outside_is_refused(as_user, cases, places):
    client = as_user("commune_clerk")

    bad = client.get(reverse("cases:case-results"), {"period": "2025-Q9"})
    outside = client.get(reverse("cases:case-results"), {"place": places.nam_ka.pk})

    assert bad.status_code == 400
    assert "Kỳ tiếp nhận" in bad.content.decode()
    assert outside.status_code == 400  # not one of the places offered


def test_the_queue_fragment_pushes_the_page_url(as_user, cases):
    response = as_user("commune_clerk").get(
        reverse("cases:case-results"), {"tab": "all", "q": "dat"}, HTTP_HX_REQUEST="true"
    )

    assert response["HX-Push-Url"].startswith(reverse("cases:case-queue") + "?")
    assert "<html" not in response.content.decode()


def test_the_queue_takes_a_fixed_number_of_queries(as_user, cases, django_assert_max_num_queries):
    client = as_user("commune_clerk")
    client.get(reverse("cases:case-queue"), {"tab": "all"})  # warm the session

    with django_assert_max_num_queries(30):
        client.get(reverse("cases:case-queue"), {"tab": "all", "status": ""})


# A new case from a village. ---------------------------------------------------------------------


def _new_case(**extra):
    data = {
        "received_on": "2019-04-02", "source": "home_visit", "households": "3",
        "description": "Mâu thuẫn giữa hai hộ về lối đi chung", "contact_name": "Y Thử Hai",
        "contact_phone": "0900 000 009",
    }  # fmt: skip
    return {**data, **extra}


def test_a_commune_clerk_records_a_case_from_a_village(as_user, field, land, commune_clerk):
    client = as_user("commune_clerk")
    # the village choices follow the date and the commune
    fields = client.get(
        reverse("cases:place-fields"), {"received_on": "2019-04-02", "unit": field.yang_tao.pk}
    )
    villages = [o.get_text() for o in _soup(fields).select("#id_village option")]
    assert villages[1:] == ["Buôn Akŏ Dhŏng", "Thôn Hòa Bình", "Buôn Yang Lah"]

    response = client.post(
        reverse("cases:case-create"),
        _new_case(kind=land.pk, unit=field.yang_tao.pk, village=field.yt_b.pk),
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case-detail", args=[case.pk])
    assert (case.unit, case.village, case.handler, case.status) == (
        field.yang_tao, field.yt_b, field.yang_tao, Case.Status.RECEIVED,
    )  # fmt: skip
    assert case.deadline == datetime.date(2019, 4, 2) + datetime.timedelta(days=45)
    assert case.contacts.get().name == "Y Thử Hai"
    assert AuditEntry.objects.filter(action="cases.receive", actor_id=commune_clerk.pk).exists()


def test_the_commune_offered_depends_on_the_date(as_user, field):
    client = as_user("commune_clerk")

    old = client.get(reverse("cases:place-fields"), {"received_on": "2019-04-02"})
    new = client.get(reverse("cases:place-fields"), {"received_on": "2025-08-02"})

    def offered(response):
        return [o.get_text() for o in _soup(response).select("#id_unit option")][1:]

    assert offered(old) == [
        "Xã Bông Krang – Huyện Lắk",
        "Thị trấn Liên Sơn – Huyện Lắk",
        "Xã Yang Tao – Huyện Lắk",
    ]
    assert offered(new) == ["Xã Liên Sơn Lắk"]


@pytest.mark.parametrize(
    ("change", "field_name", "message"),
    [
        ({"village": "bk_a"}, "village", "lựa chọn hợp lệ"),  # not offered for Yang Tao
        ({"received_on": "2026-12-31"}, "received_on", "chưa tới"),
        ({"description": "  "}, "description", "bắt buộc"),
    ],
)
def test_bad_entries_are_refused_naming_the_field(
    as_user, field, land, change, field_name, message
):
    data = _new_case(kind=land.pk, unit=field.yang_tao.pk)
    if "village" in change:
        change = {"village": getattr(field, change["village"]).pk}
    if change.get("received_on", "").startswith("2026"):
        data["unit"] = field.lien_son_lak.pk
    response = as_user("commune_clerk").post(reverse("cases:case-create"), {**data, **change})

    assert response.status_code == 400
    errors = _soup(response).select_one(f"#id_{field_name}").find_parent(class_="field").get_text()
    assert message in errors
    assert not Case.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("outsider", 200)])
def test_a_leader_may_not_record_and_an_outsider_is_offered_nothing_here(
    as_user, field, land, who, status
):
    client = as_user(who)

    page = client.get(reverse("cases:case-create"), {"received_on": "2019-04-02"})
    assert page.status_code == status
    if who == "outsider":
        offered = [o["value"] for o in _soup(page).select("#id_unit option")]
        assert str(field.yang_tao.pk) not in offered
        posted = client.post(
            reverse("cases:case-create"), _new_case(kind=land.pk, unit=field.yang_tao.pk)
        )
        assert posted.status_code == 400
    assert not Case.objects.exists()


# The workflow through the case page. ------------------------------------------------------------


def test_the_case_page_shows_the_timeline_deadline_and_allowed_steps(as_user, cases):
    soup = _soup(as_user("lak_clerk").get(reverse("cases:case-detail", args=[cases.up_old.pk])))

    events = [li.strong.get_text() for li in soup.select("#events li")]
    assert events == ["Tiếp nhận", "Tham mưu, phối hợp", "Chuyển cấp trên"]
    assert "Huyện Lắk" in soup.select_one("#events").get_text()
    assert soup.select_one("#case-handler").get_text() == "Huyện Lắk"
    assert "quá hạn" in soup.select_one("#case-deadline").get_text()
    # an escalated case may only be taken up (advised) by the higher level
    assert [b["id"] for b in soup.select("#actions button")] == ["do-advise"]


def test_a_reader_sees_who_handles_it_and_no_buttons(as_user, cases):
    soup = _soup(as_user("commune_clerk").get(reverse("cases:case-detail", args=[cases.up_old.pk])))

    assert not soup.select("#actions button")
    assert "Vụ việc đang do Huyện Lắk xử lý." in soup.select_one("#waiting").get_text()


def test_every_step_through_the_pages(as_user, cases, places):
    client = as_user("commune_clerk")
    url = reverse("cases:case-detail", args=[cases.new.pk])

    def act(action, **data):
        return client.post(reverse("cases:case-act", args=[cases.new.pk, action]), data)

    assert (
        act(
            "advise",
            agencies=["chinh_quyen_xa", "cong_an"],
            advice="Mời hai bên hòa giải",
            on="2025-08-05",
        ).status_code
        == 302
    )
    assert act("pause", note="Chờ đo đạc địa chính", on="2025-08-06")["Location"] == url
    assert (
        act(
            "advise", agencies=["chinh_quyen_xa"], advice="Đã có kết quả đo đạc", on="2025-08-18"
        ).status_code
        == 302
    )
    assert act("escalate", note="Vượt thẩm quyền", on="2025-08-20").status_code == 302

    # after 1-7-2025 a commune escalates straight to the province
    case = Case.objects.get(pk=cases.new.pk)
    assert (case.status, case.handler) == (Case.Status.ESCALATED, places.dak_lak)
    assert act("advise", agencies=["mttq"], advice="x", on="2025-08-21").status_code == 403

    province = as_user("province_admin")
    province.post(
        reverse("cases:case-act", args=[case.pk, "advise"]),
        {"agencies": ["nganh_chuc_nang"], "advice": "Sở Tài nguyên đo đạc lại", "on": "2025-08-25"},
    )
    done = province.post(
        reverse("cases:case-act", args=[case.pk, "resolve"]),
        {"outcome": "Cấp lại giấy chứng nhận", "on": "2025-09-15"},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Case.Status.RESOLVED, datetime.date(2025, 9, 15))
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["receive", "advise", "pause", "advise", "escalate", "advise", "resolve"]


def test_referral_closes_the_case(as_user, cases):
    client = as_user("lak_clerk")
    client.post(
        reverse("cases:case-act", args=[cases.nam_ka.pk, "advise"]),
        {"agencies": ["toa_an"], "advice": "Hướng dẫn khởi kiện", "on": "2019-03-05"},
    )

    response = client.post(
        reverse("cases:case-act", args=[cases.nam_ka.pk, "refer"]),
        {"referral": "Tòa án nhân dân huyện Lắk", "on": "2019-04-01"},
    )

    case = Case.objects.get(pk=cases.nam_ka.pk)
    assert response.status_code == 302
    assert (case.status, case.outcome) == (Case.Status.NOT_COMPETENT, "Tòa án nhân dân huyện Lắk")
    page = _soup(client.get(reverse("cases:case-detail", args=[case.pk])))
    assert not page.select("#actions")


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("resolve", {"outcome": "Xong", "on": "2019-04-01"}, "Không thể chuyển"),  # not advised yet
        ("advise", {"advice": "Hòa giải"}, "Phối hợp với"),  # no agency chosen
        ("escalate", {"note": "", "on": "2025-08-01"}, "Không thể chuyển"),
    ],
)
def test_a_forbidden_or_incomplete_step_reshows_the_page(as_user, cases, action, data, message):
    response = as_user("commune_clerk").post(
        reverse("cases:case-act", args=[cases.new.pk, action]), data
    )

    assert response.status_code == 400
    assert message in _soup(response).select_one("#action-error").get_text()
    assert Case.objects.get(pk=cases.new.pk).status == Case.Status.RECEIVED


def test_a_date_before_reception_is_refused(as_user, cases):
    client = as_user("commune_clerk")
    client.post(
        reverse("cases:case-act", args=[cases.new.pk, "advise"]),
        {"agencies": ["mttq"], "advice": "x", "on": "2025-08-04"},
    )

    response = client.post(
        reverse("cases:case-act", args=[cases.new.pk, "resolve"]),
        {"outcome": "Xong", "on": "2025-08-01"},
    )

    assert response.status_code == 400
    assert "trước ngày tiếp nhận" in response.content.decode()


def test_an_unknown_step_is_404(as_user, cases):
    assert (
        as_user("commune_clerk")
        .post(reverse("cases:case-act", args=[cases.new.pk, "delete"]))
        .status_code
        == 404
    )


# Every page for every member of the cast. -------------------------------------------------------

PAGES = [
    ("cases:case-queue", None),
    ("cases:case-create", None),
    ("cases:aspiration-list", None),
    ("cases:aspiration-create", None),
    ("cases:inspection-list", None),
    ("cases:inspection-create", None),
    ("cases:subject-requests", None),
    ("cases:case-detail", "case"),
    ("cases:inspection-detail", "inspection"),
]
EXPECTED = {
    # (writes allowed, admin, sees the Yang Tao case and the Lắk inspection)
    "province_admin": (True, True, True),
    "lak_clerk": (True, False, True),
    "commune_clerk": (True, False, False),
    "leader": (False, False, True),
    "outsider": (True, True, False),
}


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize(("name", "needs"), PAGES)
def test_every_page_for_every_cast_member(as_user, cases, inspections, who, name, needs):
    writes, admin, sees = EXPECTED[who]
    if needs == "case":
        url, expected = reverse(name, args=[cases.up_old.pk]), 200 if who != "outsider" else 404
    elif needs == "inspection":
        url, expected = reverse(name, args=[inspections.held.pk]), 200 if sees else 404
    elif name == "cases:subject-requests":
        url, expected = reverse(name), 200 if admin else 403
    elif name.endswith("-create"):
        url, expected = reverse(name), 200 if writes else 403
    else:
        url, expected = reverse(name), 200

    response = as_user(who).get(url)

    assert response.status_code == expected
    if expected == 200:
        assert "Vụ việc ở cơ sở" in response.content.decode()  # the section's navigation


def test_anonymous_visitors_are_sent_to_the_login_page(client, cases):
    response = client.get(reverse("cases:case-detail", args=[cases.old.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

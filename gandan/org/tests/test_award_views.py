"""The awards list (with counts by kind, collective and individual) and the award form.

Awards belong to a unit's jurisdiction: the team's, the member's team's on the decision date, or
the unit of a named collective. Outside it an award, team or member is not offered.
"""

import pytest
from bs4 import BeautifulSoup

from gandan.org.models import Award
from gandan.org.tests.roster import AFTER, build_roster, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(places):
    return build_roster(places)


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _recipients(page):
    return sorted(
        tr.select("td")[2].get_text(" ", strip=True).rsplit(" ", 2)[0]
        for tr in page.select("table.awards tbody tr")
        if tr.select("td")[2:]
    )


def _counts_table(page):
    return [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select("#award-counts tbody tr")
    ]


SEES = [
    ("province_admin", ["Nhân dân xã Nam Ka", "Tổ Yang Tao", "Y Săn Ayun"]),
    ("leader", ["Nhân dân xã Nam Ka", "Tổ Yang Tao", "Y Săn Ayun"]),
    ("lak_clerk", ["Nhân dân xã Nam Ka", "Tổ Yang Tao", "Y Săn Ayun"]),
    ("commune_clerk", ["Tổ Yang Tao", "Y Săn Ayun"]),
    ("outsider", ["Tổ Đắk Pék"]),
]


@pytest.mark.parametrize(
    ("url", "htmx", "full_page"),
    [("/awards/", False, True), ("/awards/", True, False), ("/awards/results/", True, False)],
)
@pytest.mark.parametrize(("who", "recipients"), SEES)
def test_award_list_is_scoped_to_jurisdiction(
    client, cast, roster, url, htmx, full_page, who, recipients
):
    client.force_login(cast[who])

    response = client.get(url, headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 200
    page = _html(response)
    assert _recipients(page) == recipients
    assert (page.select_one("select[name=kind]") is not None) is full_page


def test_award_counts_by_kind_collective_and_individual(client, province_admin, roster):
    client.force_login(province_admin)

    page = _html(client.get("/awards/"))

    assert _counts_table(page) == [["Bằng khen", "1", "1", "2"], ["Giấy khen", "1", "0", "1"]]
    totals = [th.get_text() for th in page.select("#award-counts tfoot th")]
    assert totals == ["Tổng số", "2", "1", "3"]


@pytest.mark.parametrize(
    ("params", "recipients"),
    [
        ({"kind": "giay_khen"}, ["Nhân dân xã Nam Ka"]),
        ({"recipient": "individual"}, ["Y Săn Ayun"]),
        ({"recipient": "collective", "kind": "bang_khen"}, ["Tổ Yang Tao"]),
        ({"body_level": "district"}, []),
        (
            {"year_from": "2019", "year_to": "2019"},
            ["Nhân dân xã Nam Ka", "Tổ Yang Tao", "Y Săn Ayun"],
        ),
        ({"year_from": "2020"}, []),
        ({"year_to": "2018"}, []),
    ],
)
def test_award_filters(client, province_admin, roster, params, recipients):
    client.force_login(province_admin)

    response = client.get("/awards/results/", params, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert _recipients(_html(response)) == recipients
    query = "&".join(f"{k}={v}" for k, v in params.items())
    assert response["HX-Push-Url"] == f"/awards/?{query}"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year_from": "2020", "year_to": "2019"}, "Năm kết thúc phải từ năm bắt đầu trở đi"),
        ({"year_from": "hai nghìn"}, "Năm phải là một số, ví dụ 2019."),
        ({"kind": "huy_hieu"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_filters_are_a_400(client, province_admin, roster, params, message):
    client.force_login(province_admin)

    response = client.get("/awards/results/", params)

    assert response.status_code == 400
    assert message in _html(response).select_one("[role=alert]").get_text()
    assert _recipients(_html(response)) == []


# The award form. --------------------------------------------------------------------------------
DECISION = {
    "kind": "giay_khen",
    "awarding_body": "UBND xã Liên Sơn Lắk",
    "body_level": "commune",
    "decision_number": "15/QĐ-UBND",
    "decision_date": AFTER.isoformat(),
    "reason": "Hoàn thành xuất sắc nhiệm vụ",
    "phase": "năm 2025",
}
CREATE = [
    ("commune_clerk", {"team": "lien_son_lak"}, 302),
    ("commune_clerk", {"member": "san"}, 302),
    ("commune_clerk", {"unit": "lien_son_lak", "collective_name": "Thôn Hòa Bình"}, 302),
    ("province_admin", {"team": "lien_son_lak"}, 302),
    ("outsider", {"team": "dak_pek"}, 302),
    # not offered outside the jurisdiction: the same answer as for an id that does not exist
    ("commune_clerk", {"team": "nam_ka"}, 400),
    ("commune_clerk", {"member": "an"}, 400),
    ("lak_clerk", {"unit": "lien_son_lak", "collective_name": "X"}, 400),
    ("outsider", {"team": "lien_son_lak"}, 400),
    ("leader", {"team": "lien_son_lak"}, 403),
]


def _ids(places, roster, recipient):
    return {
        key: getattr(places if key == "unit" else roster, value).pk
        if key in {"team", "member", "unit"}
        else value
        for key, value in recipient.items()
    }


@pytest.mark.parametrize(("who", "recipient", "status"), CREATE)
def test_award_create_is_scoped_to_jurisdiction(
    client, cast, places, roster, who, recipient, status
):
    client.force_login(cast[who])
    before = row_counts()

    form = client.get("/awards/new/")
    response = client.post("/awards/new/", {**DECISION, **_ids(places, roster, recipient)})

    assert form.status_code == (403 if status == 403 else 200)
    assert response.status_code == status
    if status == 302:
        award = Award.objects.get(decision_number="15/QĐ-UBND")
        assert award.unit == places.lien_son_lak if who != "outsider" else places.dak_pek
        assert row_counts() == [*before[:3], before[3] + 1, before[4] + 1]
        assert response["Location"] == "/awards/"
    else:
        assert row_counts() == before
    if status == 400:
        assert "Hãy chọn một lựa chọn hợp lệ" in _html(response).select_one(".errorlist").get_text()


@pytest.mark.parametrize(
    ("recipient", "field", "message"),
    [
        ({}, "team", "Cần chọn đội, cá nhân, hoặc ghi tên tập thể và đơn vị"),
        ({"unit": "lien_son_lak"}, "team", "Cần chọn đội, cá nhân, hoặc ghi tên tập thể"),
        ({"team": "lien_son_lak", "member": "san"}, "member", "Chỉ chọn một"),
        ({"member": "hong", "decision_date": "2005-01-01"}, "member", "chưa tham gia đội nào"),
        ({"team": "lien_son_lak", "decision_number": "  "}, "decision_number", "bắt buộc"),
    ],
)
def test_refused_awards_are_form_errors_that_write_nothing(
    client, commune_clerk, places, roster, recipient, field, message
):
    client.force_login(commune_clerk)
    before = row_counts()

    response = client.post("/awards/new/", {**DECISION, **_ids(places, roster, recipient)})

    assert response.status_code == 400
    box = _html(response).select_one(f"[name={field}]").find_parent(class_="field")
    assert message in box.select_one(".errorlist").get_text()
    assert row_counts() == before


def test_award_form_offers_only_what_the_user_sees(client, commune_clerk, roster):
    client.force_login(commune_clerk)

    page = _html(client.get("/awards/new/"))

    def offered(name):
        return {o.get_text() for o in page.select(f"select[name={name}] option") if o["value"]}

    assert offered("team") == {"Tổ Yang Tao (đến 01/07/2025)", "Tổ Liên Sơn Lắk"}
    assert offered("member") == {"Y Săn Ayun (DL-0001)", "H'Hồng Niê (DL-0002)"}
    assert "Xã Liên Sơn Lắk" in offered("unit")
    assert "Xã Nam Ka (đến 01/07/2025)" not in offered("unit")


def test_a_new_award_is_listed_and_counted(client, commune_clerk, roster):
    client.force_login(commune_clerk)

    response = client.post(
        "/awards/new/", {**DECISION, "team": roster.lien_son_lak.pk}, follow=True
    )

    page = _html(response)
    assert (
        "Đã ghi Giấy khen 15/QĐ-UBND cho Tổ Liên Sơn Lắk." in page.select_one(".flash").get_text()
    )
    assert _counts_table(page) == [["Bằng khen", "1", "1", "2"], ["Giấy khen", "1", "0", "1"]]
    assert _recipients(page) == ["Tổ Liên Sơn Lắk", "Tổ Yang Tao", "Y Săn Ayun"]

"""The team tree, team pages and adding members, through the client, for each of the cast.

Outside a user's jurisdiction a team does not exist (404); a leader who writes gets 403; a
broken rule of the domain is a form error (400) that writes nothing. Member and headcount
pages are in ``test_member_views.py``, awards in ``test_award_views.py``.
"""

import pytest
from bs4 import BeautifulSoup

from gandan.org.models import Member
from gandan.org.tests.roster import (
    AFTER,
    ALL_TEAMS,
    JOINED,
    TEAMS,
    build_roster,
    matrix,
    row_counts,
)
from gandan.tests.cast import DAY, OLD, REFORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(places):
    return build_roster(places)


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _texts(page, selector):
    return [el.get_text(" ", strip=True) for el in page.select(selector)]


@pytest.mark.parametrize(("who", "name", "status"), matrix(TEAMS, ALL_TEAMS))
def test_team_page_is_scoped_to_jurisdiction(client, cast, roster, who, name, status):
    client.force_login(cast[who])

    response = client.get(f"/teams/{getattr(roster, name).pk}/", {"on": OLD})

    assert response.status_code == status
    if status == 200:
        assert _html(response).h1.get_text().startswith(str(getattr(roster, name)))


def test_team_page_shows_members_history_villages_events_and_awards(client, lak_clerk, roster):
    client.force_login(lak_clerk)

    page = _html(client.get(f"/teams/{roster.yang_tao.pk}/", {"on": OLD}))

    assert _texts(page, "#members tbody td:first-child") == ["H'Hồng Niê", "Y Săn Ayun"]
    assert "Tổ trưởng" in page.select_one("#members").get_text()
    history = _texts(page, "#history tbody tr")
    assert any("Y Săn Ayun" in row and "Điều động đi" in row for row in history)
    assert any("H'Hồng Niê" in row and "11/09/2019" in row for row in history)
    assert "Thôn Hòa Bình" in page.select_one("#villages").get_text()
    events = page.select_one("#events").get_text(" ", strip=True)
    assert "05/07/2004 · Thành lập" in events
    assert "253-TB/TU ngày 05-7-2004" in events
    assert "Sáp nhập → Tổ Liên Sơn Lắk" in events
    assert "2139-QĐ/TU" in page.select_one("table.awards").get_text()
    # the day after Hồng's last day, she is no longer a member
    page = _html(client.get(f"/teams/{roster.yang_tao.pk}/", {"on": OLD + DAY}))
    assert _texts(page, "#members tbody td:first-child") == ["Y Săn Ayun"]


# The team tree: each user's teams on a date, nested by parent. -----------------------------------
TREE = [
    ("province_admin", OLD, ["Đội tỉnh Đắk Lắk"], 4),
    ("province_admin", REFORM, ["Đội tỉnh Đắk Lắk"], 2),
    ("leader", OLD, ["Đội tỉnh Đắk Lắk"], 4),
    ("lak_clerk", OLD, ["Đội huyện Lắk"], 3),
    ("lak_clerk", REFORM, [], 0),
    ("commune_clerk", OLD, ["Tổ Yang Tao"], 1),
    ("commune_clerk", REFORM, ["Tổ Liên Sơn Lắk"], 1),
    ("outsider", OLD, ["Tổ Đắk Pék"], 1),
]


@pytest.mark.parametrize(
    ("url", "htmx", "full_page"),
    [("/teams/", False, True), ("/teams/", True, False), ("/teams/results/", True, False)],
)
@pytest.mark.parametrize(("who", "on", "roots", "count"), TREE)
def test_team_tree_is_scoped_and_nested(
    client, cast, roster, url, htmx, full_page, who, on, roots, count
):
    client.force_login(cast[who])

    response = client.get(url, {"on": on}, headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 200
    page = _html(response)
    top = "ul.teams > li > details > summary .team-line > a, ul.teams > li > .leaf .team-line > a"
    assert _texts(page, top) == roots
    assert len(page.select(".team-line")) == count
    assert (page.select_one("input#on") is not None) is full_page
    if url == "/teams/results/":
        assert response["HX-Push-Url"] == f"/teams/?on={on}"


def test_team_tree_counts_members_on_the_date(client, province_admin, roster):
    client.force_login(province_admin)

    page = _html(client.get("/teams/results/", {"on": OLD}))

    lines = {
        line.a.get_text(): line.select_one(".count").get_text(" ", strip=True)
        for line in page.select(".team-line")
    }
    assert lines["Tổ Yang Tao"] == "2 người"
    assert lines["Đội tỉnh Đắk Lắk"] == "1 người · tổng cả cấp dưới: 5"
    assert "4 đội, tổ đang hoạt động · 5 thành viên" in page.get_text()


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"level": "commune"}, ["Tổ Nam Ka", "Tổ Yang Tao"]),
        ({"level": "district"}, ["Đội huyện Lắk"]),
        ({"q": "yang tao"}, ["Tổ Yang Tao"]),
        ({"q": "YÁNG  TẢO"}, ["Tổ Yang Tao"]),
        ({"q": "dak pek"}, []),
    ],
)
def test_team_tree_filters_by_level_and_name(client, province_admin, roster, params, names):
    client.force_login(province_admin)

    page = _html(client.get("/teams/results/", {"on": OLD, **params}))

    assert sorted(_texts(page, ".team-line > a")) == names


@pytest.mark.parametrize("url", ["/teams/", "/teams/results/", "/teams/{yang_tao}/", "/headcount/"])
def test_malformed_date_is_a_400(client, province_admin, roster, url):
    client.force_login(province_admin)

    response = client.get(url.format(yang_tao=roster.yang_tao.pk), {"on": "2019-02-30"})

    assert response.status_code == 400
    assert "Ngày không hợp lệ" in _html(response).select_one("[role=alert]").get_text()


def test_query_budgets(client, province_admin, roster, django_assert_max_num_queries):
    client.force_login(province_admin)

    with django_assert_max_num_queries(20):
        assert client.get("/teams/", {"on": OLD}).status_code == 200
    # 26 for the team and its roster, 2 for its inspections and their follow-ups
    with django_assert_max_num_queries(28):
        assert client.get(f"/teams/{roster.yang_tao.pk}/", {"on": OLD}).status_code == 200


# Adding a member to a team. -----------------------------------------------------------------------
NEW_PERSON = {
    "identifier": "dl-0100",
    "full_name": "H'Ngơ̆ng  Byă",
    "gender": "nu",
    "ethnicity": "ede",
    "birth_year": "1995",
    "languages": ["ede", "mnong"],
    "position": "thanh_vien",
    "reason": "join",
}
ADD = [
    ("commune_clerk", "lien_son_lak", AFTER, 302),
    ("commune_clerk", "yang_tao", JOINED, 302),
    ("lak_clerk", "nam_ka", JOINED, 302),
    ("province_admin", "lien_son_lak", AFTER, 302),
    ("outsider", "dak_pek", JOINED, 302),
    ("commune_clerk", "nam_ka", JOINED, 404),
    ("lak_clerk", "lien_son_lak", AFTER, 404),
    ("outsider", "lien_son_lak", AFTER, 404),
    ("leader", "lien_son_lak", AFTER, 403),
    ("leader", "dak_pek", JOINED, 404),
]


@pytest.mark.parametrize(("who", "team", "start", "status"), ADD)
def test_add_a_new_member_is_scoped_to_jurisdiction(client, cast, roster, who, team, start, status):
    # given a user of the cast
    client.force_login(cast[who])
    url = f"/teams/{getattr(roster, team).pk}/members/new/"
    before = row_counts()

    # when they open the form and add a new person to a team
    form = client.get(url)
    response = client.post(url, {**NEW_PERSON, "start": start})

    # then the person and the membership are written, with audit entries, inside it only
    assert form.status_code == (200 if status == 302 else status)
    assert response.status_code == status
    if status == 302:
        member = Member.objects.get(identifier="DL-0100")
        assert member.full_name == "H'Ngơ̆ng Byă"
        assert member.languages == ["ede", "mnong"]
        assert member.memberships.get().team == getattr(roster, team)
        assert response["Location"] == f"/teams/{getattr(roster, team).pk}/?on={start}"
        assert row_counts() == [before[0], before[1] + 1, before[2] + 1, before[3], before[4] + 2]
    else:
        assert row_counts() == before


def test_added_member_shows_on_the_team_page_and_in_the_headcount(client, commune_clerk, roster):
    client.force_login(commune_clerk)
    before = client.get("/headcount/", {"on": AFTER})
    assert _html(before).select_one("#headcount-total").get_text() == "1"

    response = client.post(
        f"/teams/{roster.lien_son_lak.pk}/members/new/", {**NEW_PERSON, "start": AFTER}, follow=True
    )

    page = _html(response)
    assert (
        "Đã thêm H'Ngơ̆ng Byă vào Tổ Liên Sơn Lắk từ 01/08/2025."
        in page.select_one(".flash").get_text()
    )
    assert _texts(page, "#members tbody td:first-child") == ["H'Ngơ̆ng Byă", "Y Săn Ayun"]
    after = _html(client.get("/headcount/", {"on": AFTER}))
    assert after.select_one("#headcount-total").get_text() == "2"


def test_add_an_existing_member(client, commune_clerk, roster):
    # given Hồng, who left Yang Tao in 2019: the 2025 commune's clerk sees her
    client.force_login(commune_clerk)
    page = _html(client.get(f"/teams/{roster.lien_son_lak.pk}/"))
    offered = {o.get_text() for o in page.select("select[name=member] option")}
    assert {"H'Hồng Niê (DL-0002)", "Y Săn Ayun (DL-0001)"} <= offered
    assert "Nguyễn Văn An (DL-0003)" not in offered

    # when she rejoins in Liên Sơn Lắk
    data = {"member": roster.hong.pk, "position": "thanh_vien", "start": AFTER, "reason": "join"}
    response = client.post(f"/teams/{roster.lien_son_lak.pk}/members/new/", data)

    assert response.status_code == 302
    assert roster.hong.memberships.filter(team=roster.lien_son_lak, start=AFTER).exists()


REFUSED = [
    # the team did not exist yet: the new person is not written either
    ({**NEW_PERSON, "start": OLD}, "start", "không hoạt động vào ngày 10/09/2019"),
    ({**NEW_PERSON, "identifier": "DL-0001", "start": AFTER}, "identifier", "«DL-0001» đã có"),
    ({**NEW_PERSON, "birth_year": "1900", "start": AFTER}, "birth_year", "Năm sinh không hợp lệ"),
    (
        {"member": "{san}", "position": "thanh_vien", "start": AFTER, "reason": "join"},
        "start",
        "hai thời gian công tác chồng nhau",
    ),
    (
        {"member": "{an}", "position": "thanh_vien", "start": AFTER, "reason": "join"},
        "member",
        "Hãy chọn một lựa chọn hợp lệ",
    ),
    (
        {"full_name": "Y Mới", "position": "thanh_vien", "start": AFTER, "reason": "join"},
        "identifier",
        "Cần nhập khi thêm người mới",
    ),
]


@pytest.mark.parametrize(("data", "field", "message"), REFUSED)
def test_refused_additions_are_form_errors_that_write_nothing(
    client, commune_clerk, roster, data, field, message
):
    client.force_login(commune_clerk)
    before = row_counts()
    data = {
        k: v.format(san=roster.san.pk, an=roster.an.pk) if isinstance(v, str) else v
        for k, v in data.items()
    }

    response = client.post(f"/teams/{roster.lien_son_lak.pk}/members/new/", data)

    assert response.status_code == 400
    field_box = _html(response).select_one(f"[name={field}]").find_parent(class_="field")
    assert message in field_box.select_one(".errorlist").get_text()
    assert row_counts() == before


def test_leader_sees_no_write_controls(client, leader, commune_clerk, roster):
    client.force_login(leader)
    team_page = client.get(f"/teams/{roster.lien_son_lak.pk}/").content.decode()
    assert "membership-form" not in team_page
    assert "/edit/" not in client.get(f"/members/{roster.san.pk}/").content.decode()
    assert "/awards/new/" not in client.get("/awards/").content.decode()

    client.force_login(commune_clerk)
    assert "membership-form" in client.get(f"/teams/{roster.lien_son_lak.pk}/").content.decode()
    assert "/edit/" in client.get(f"/members/{roster.san.pk}/").content.decode()


PAGES = "/teams/ /teams/results/ /teams/{t}/ /teams/{t}/members/new/ /members/{m}/ /members/{m}/edit/ /headcount/ /awards/ /awards/results/ /awards/new/"


@pytest.mark.parametrize("path", PAGES.split())
def test_anonymous_visitors_are_sent_to_login(client, roster, path):
    response = client.get(path.format(t=roster.yang_tao.pk, m=roster.san.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")

"""Member pages and the headcount page, through the client, for each of the cast.

Ethnicity is shown per person only to administrators and each such view is logged; every role
sees it as aggregate counts on the headcount page. A member outside the jurisdiction is 404.
"""

import pytest
from bs4 import BeautifulSoup

from gandan.core.models import AuditEntry
from gandan.org.tests.roster import (
    ALL_MEMBERS,
    MEMBERS,
    WRITE_MEMBERS,
    build_roster,
    matrix,
    row_counts,
)
from gandan.tests.cast import DAY, OLD, REFORM

pytestmark = pytest.mark.django_db

EDIT = {"full_name": "Y Săn Ayŭn", "gender": "nam", "languages": ["ede", "mnong"]}


@pytest.fixture
def roster(places):
    return build_roster(places)


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


# Members: page, ethnicity, edit. ------------------------------------------------------------------
def _ethnicity_views(member):
    return AuditEntry.objects.filter(action="org.view_ethnicity", target_id=str(member.pk)).count()


@pytest.mark.parametrize(("who", "name", "status"), matrix(MEMBERS, ALL_MEMBERS))
def test_member_page_is_scoped_to_jurisdiction(client, cast, roster, who, name, status):
    client.force_login(cast[who])

    response = client.get(f"/members/{getattr(roster, name).pk}/")

    assert response.status_code == status
    if status == 200:
        assert _html(response).h1.get_text().startswith(getattr(roster, name).full_name)


@pytest.mark.parametrize(
    ("who", "shown"),
    [("province_admin", True), ("lak_clerk", False), ("commune_clerk", False), ("leader", False)],
)
def test_ethnicity_is_shown_to_admins_only_and_each_view_is_logged(
    client, cast, roster, who, shown
):
    client.force_login(cast[who])

    page = _html(client.get(f"/members/{roster.san.pk}/"))

    ethnicity = page.select_one("#ethnicity").get_text()
    assert ("Ê Đê" in ethnicity) is shown
    assert ("(ẩn)" in ethnicity) is not shown
    assert _ethnicity_views(roster.san) == (1 if shown else 0)
    assert "Tiếng Ê Đê" in page.get_text()  # languages are not sensitive


def test_member_page_shows_only_postings_inside_the_jurisdiction_in_time(
    client, lak_clerk, commune_clerk, roster
):
    # given Y Săn, in Tổ Yang Tao until 2025, then in Tổ Liên Sơn Lắk (not huyện Lắk's)
    client.force_login(lak_clerk)

    # when huyện Lắk's clerk opens the member's page
    page = _html(client.get(f"/members/{roster.san.pk}/"))

    # then only the Lắk posting is shown, with a link that works
    rows = page.select("#memberships tbody tr")
    assert [r.td.get_text(strip=True) for r in rows] == ["Tổ Yang Tao"]
    assert client.get(rows[0].td.a["href"]).status_code == 200
    assert "Điều động đi" in rows[0].get_text()
    # and the 2025 commune's clerk sees both
    client.force_login(commune_clerk)
    rows = _html(client.get(f"/members/{roster.san.pk}/")).select("#memberships tbody tr")
    assert [r.td.get_text(strip=True) for r in rows] == ["Tổ Yang Tao", "Tổ Liên Sơn Lắk"]
    assert "Điều động đến" in rows[1].get_text()
    client.force_login(lak_clerk)
    page = _html(client.get(f"/members/{roster.san.pk}/"))
    assert "Thôn Hòa Bình" in page.select_one("#assignments").get_text()
    assert "2139-QĐ/TU" in page.select_one("table.awards").get_text()


@pytest.mark.parametrize(("who", "name", "status"), matrix(WRITE_MEMBERS, ALL_MEMBERS, write=True))
def test_member_edit_is_scoped_to_jurisdiction(client, cast, roster, who, name, status):
    client.force_login(cast[who])
    member = getattr(roster, name)
    url = f"/members/{member.pk}/edit/"

    page = client.get(url)
    saved = client.post(url, EDIT)

    assert page.status_code == status
    assert saved.status_code == (302 if status == 200 else status)
    member.refresh_from_db()
    assert (member.full_name == "Y Săn Ayŭn") is (status == 200)
    assert (
        member.ethnicity
        == {
            "san": "ede",
            "hong": "ede",
            "an": "kinh",
            "blir": "mnong",
            "lan": "kinh",
            "pek": "xodang",
        }[name]
    )


def test_edit_form_offers_ethnicity_to_admins_only(client, province_admin, commune_clerk, roster):
    url = f"/members/{roster.san.pk}/edit/"
    client.force_login(commune_clerk)
    assert _html(client.get(url)).select_one("[name=ethnicity]") is None
    assert _ethnicity_views(roster.san) == 0

    client.force_login(province_admin)
    selected = _html(client.get(url)).select_one("[name=ethnicity] option[selected]")
    assert selected["value"] == "ede"
    assert _ethnicity_views(roster.san) == 1
    assert client.post(url, {**EDIT, "ethnicity": "mnong"}).status_code == 302
    roster.san.refresh_from_db()
    assert roster.san.ethnicity == "mnong"


def test_refused_edit_is_a_form_error(client, commune_clerk, roster):
    client.force_login(commune_clerk)
    before = row_counts()

    response = client.post(f"/members/{roster.san.pk}/edit/", {**EDIT, "birth_year": "1900"})

    assert response.status_code == 400
    assert "Năm sinh không hợp lệ: 1900" in _html(response).select_one(".errorlist").get_text()
    assert row_counts() == before


# Headcount. -------------------------------------------------------------------------------------
HEADCOUNT = [
    ("province_admin", "dak_lak", OLD, 200, "5"),
    ("province_admin", "dak_lak", OLD + DAY, 200, "4"),  # Hồng's last day was OLD
    ("province_admin", "dak_lak", REFORM, 200, "2"),
    ("leader", "lak", OLD, 200, "4"),
    ("lak_clerk", "lak", OLD, 200, "4"),
    ("lak_clerk", "lak", REFORM, 404, None),
    ("lak_clerk", "lien_son_lak", REFORM, 404, None),
    ("commune_clerk", "yang_tao", OLD, 200, "2"),
    ("commune_clerk", "lien_son_lak", REFORM, 200, "1"),
    ("commune_clerk", "lak", OLD, 404, None),
    ("outsider", "dak_pek", OLD, 200, "1"),
    ("outsider", "dak_lak", OLD, 404, None),
]


@pytest.mark.parametrize(("who", "target", "on", "status", "total"), HEADCOUNT)
def test_headcount_is_scoped_to_jurisdiction(
    client, cast, places, roster, who, target, on, status, total
):
    client.force_login(cast[who])

    response = client.get("/headcount/", {"unit": getattr(places, target).pk, "on": on})

    assert response.status_code == status
    if total:
        assert _html(response).select_one("#headcount-total").get_text() == total


def test_headcount_defaults_to_the_users_unit(client, commune_clerk, lak_clerk, roster):
    client.force_login(commune_clerk)
    page = _html(client.get("/headcount/"))
    assert page.select_one("#unit option[selected]").get_text().strip() == "Xã Liên Sơn Lắk"
    assert page.select_one("#headcount-total").get_text() == "1"

    client.force_login(lak_clerk)  # huyện Lắk no longer exists today
    response = client.get("/headcount/")
    assert response.status_code == 200
    assert "Đơn vị của bạn không có hiệu lực vào ngày này" in response.content.decode()


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        ("level", {"province": 1, "district": 1, "commune": 3}),
        ("gender", {"nam": 3, "nu": 2}),
        ("ethnicity", {"dtts": 3, "ede": 2, "kinh": 2, "mnong": 1}),
        ("language", {"ede": 2, "mnong": 0, "jrai": 0}),
    ],
)
def test_headcount_breakdowns_are_aggregates_for_every_role(
    client, leader, places, roster, by, rows
):
    client.force_login(leader)

    page = _html(client.get("/headcount/", {"unit": places.dak_lak.pk, "on": OLD, "by": by}))

    found = {
        tr["data-key"]: int(tr.select_one("td.num").get_text())
        for tr in page.select("#breakdown tbody tr")
    }
    assert {key: found[key] for key in rows} == rows
    assert AuditEntry.objects.filter(action="org.view_ethnicity").count() == 0


def test_headcount_htmx_and_bad_breakdown(client, province_admin, roster):
    client.force_login(province_admin)

    partial = client.get("/headcount/", {"on": OLD}, headers={"HX-Request": "true"})
    bad = client.get("/headcount/", {"by": "religion"})

    assert partial.status_code == 200
    assert _html(partial).select_one("form") is None
    assert _html(partial).select_one("#headcount-total").get_text() == "5"
    assert bad.status_code == 400
    assert "Cách chia không hợp lệ: «religion»" in bad.content.decode()

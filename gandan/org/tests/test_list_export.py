""" "Xuất Excel" on the team list (its members) and the headcount page: scoped to the user's
jurisdiction, the page's filters honoured, the members' export audited like the roster's,
formula-like text inert and numbers as numbers."""

import io

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from gandan.core.models import AuditEntry
from gandan.org import services
from gandan.org.tests.roster import MEMBERS, build_roster
from gandan.tests.cast import OLD

pytestmark = pytest.mark.django_db
MEMBERS_URL = "/teams/members.xlsx"


@pytest.fixture
def roster(places):
    return build_roster(places)


def _book(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def _names(response) -> set[str]:
    rows = _book(response)["Thành viên"].iter_rows(min_row=2, values_only=True)
    return {row[0] for row in rows}


def _members(roster, names: str) -> set[str]:
    return {getattr(roster, n).full_name for n in names.split()}


@pytest.mark.parametrize("who", list(MEMBERS))
def test_each_user_exports_only_the_members_they_see(client, cast, roster, who):
    client.force_login(cast[who])

    response = client.get(MEMBERS_URL, {"on": OLD.isoformat()})

    assert _names(response) == _members(roster, MEMBERS[who])


def test_the_filters_of_the_team_list_are_honoured(client, province_admin, roster):
    client.force_login(province_admin)
    on = OLD.isoformat()

    assert _names(client.get(MEMBERS_URL, {"on": on, "level": "commune"})) == _members(
        roster, "san hong blir"
    )
    assert _names(client.get(MEMBERS_URL, {"on": on, "q": "yang tao"})) == _members(
        roster, "san hong"
    )
    assert _names(client.get(MEMBERS_URL, {"on": "2025-08-01"})) == _members(roster, "san lan")
    assert client.get(MEMBERS_URL, {"on": on, "level": "x"}).status_code == 400


def test_the_members_export_is_audited(client, lak_clerk, roster):
    client.force_login(lak_clerk)

    client.get(MEMBERS_URL, {"on": OLD.isoformat(), "q": "yang tao"})

    entry = AuditEntry.objects.filter(action="org.members_export").latest("id")
    assert entry.actor_username == "lak_clerk"
    assert entry.data["rows"] == 2
    assert "tìm «yang tao»" in entry.message
    assert "10/09/2019" in entry.message


def test_formula_like_text_is_inert_and_numbers_stay_numbers(client, province_admin, roster):
    services.member_update(
        actor=None,
        member=roster.lan,
        full_name='=HYPERLINK("x")',
        gender=roster.lan.gender,
        ethnicity=roster.lan.ethnicity,
        birth_year=1985,
        languages=[],
        phone="0905123456",
        email="",
    )
    client.force_login(province_admin)

    sheet = _book(client.get(MEMBERS_URL, {"on": OLD.isoformat(), "level": "province"}))[
        "Thành viên"
    ]

    name, _gender, year, phone = (cell for cell in sheet[2][:4])
    assert name.value == '=HYPERLINK("x")'
    assert name.data_type == "s"
    assert name.quotePrefix
    assert year.value == 1985
    assert year.data_type == "n"
    assert phone.value == "0905123456"  # text: the leading zero stays
    assert "Dân tộc" not in [cell.value for cell in sheet[1]]


@pytest.mark.parametrize(
    ("who", "place", "total"),
    [("province_admin", "dak_lak", 5), ("lak_clerk", "lak", 4), ("commune_clerk", "yang_tao", 2)],
)
def test_the_headcount_export_is_the_page_in_excel(client, cast, roster, places, who, place, total):
    client.force_login(cast[who])
    query = {"on": OLD.isoformat(), "by": "gender", "unit": getattr(places, place).pk}

    page = BeautifulSoup(client.get("/headcount/", query).content, "html.parser")
    link = page.select_one("a#headcount-export")
    sheet = _book(client.get(link["href"].replace("&amp;", "&")))["Quân số"]

    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Tổng số"] == total
    assert rows["Tổng số"] == int(page.select_one("#headcount-total").get_text().replace(".", ""))
    assert "Theo giới tính" in rows
    assert sheet.cell(row=4, column=2).data_type == "n"


def test_a_headcount_outside_the_jurisdiction_is_not_exported(client, outsider, roster, places):
    client.force_login(outsider)

    response = client.get("/headcount/", {"unit": places.dak_lak.pk, "format": "xlsx"})

    assert response.status_code == 404


def test_the_team_list_links_to_the_export_with_its_filters(client, province_admin, roster):
    client.force_login(province_admin)

    for url in ("/teams/", "/teams/results/"):
        page = BeautifulSoup(
            client.get(url, {"on": "2019-09-10", "q": "lak"}).content, "html.parser"
        )
        link = page.select_one("a#member-export")
        assert link is not None, url
        assert link["href"] == f"{MEMBERS_URL}?on=2019-09-10&q=lak", url

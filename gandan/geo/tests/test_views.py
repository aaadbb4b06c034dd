"""The unit browser and the village pages, through the client, for each of the cast.

Outside a user's jurisdiction a unit does not exist (404); a leader who writes gets 403;
anonymous visitors are sent to the login page.
"""

import unicodedata

import pytest
from bs4 import BeautifulSoup

from gandan.core.models import AuditEntry
from gandan.geo.models import AdminUnit
from gandan.tests.cast import DAY, EDE_NAME, EDIT, FOUNDED, OLD, REFORM, SEES, statuses

pytestmark = pytest.mark.django_db


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _counts():
    return AdminUnit.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(("who", "target", "status"), statuses(SEES))
def test_unit_detail_is_scoped_to_jurisdiction(client, cast, places, who, target, status):
    client.force_login(cast[who])

    response = client.get(f"/units/{getattr(places, target).pk}/")

    assert response.status_code == status
    if status == 200:
        assert str(getattr(places, target)) in _html(response).h1.get_text()


# Children fragment: scoped by date as well. -------------------------------------------------------
CHILDREN = [
    ("province_admin", "phu_yen", OLD, 200),
    ("province_admin", "dak_lak", REFORM, 200),
    ("province_admin", "lak", REFORM, 404),  # Lắk no longer exists
    ("lak_clerk", "lak", OLD, 200),
    ("lak_clerk", "lak", REFORM - DAY, 200),
    ("lak_clerk", "lak", REFORM, 404),
    ("lak_clerk", "nam_ka", OLD, 200),
    ("lak_clerk", "lien_son_lak", REFORM, 404),
    ("commune_clerk", "yang_tao", OLD, 200),
    ("commune_clerk", "lien_son_lak", REFORM, 200),
    ("commune_clerk", "lien_son_lak", OLD, 404),
    ("commune_clerk", "nam_ka", OLD, 404),
    ("commune_clerk", "lak", OLD, 404),
    ("leader", "lak", OLD, 200),
    ("outsider", "lak", OLD, 404),
    ("outsider", "dak_pek", OLD, 200),
]


@pytest.mark.parametrize(("who", "target", "on", "status"), CHILDREN)
def test_children_fragment_is_scoped_to_jurisdiction_on_the_date(
    client, cast, places, who, target, on, status
):
    client.force_login(cast[who])

    response = client.get(f"/units/{getattr(places, target).pk}/children/?on={on}")

    assert response.status_code == status


def test_children_of_lak_on_2019_and_of_the_2025_commune(client, commune_clerk, lak_clerk, places):
    # given huyện Lắk's clerk, Lắk's communes in 2019
    client.force_login(lak_clerk)
    page = _html(client.get(f"/units/{places.lak.pk}/children/?on={OLD}"))
    names = {a.get_text() for a in page.select("summary a")}
    assert {"Xã Yang Tao", "Xã Nam Ka", "Thị trấn Liên Sơn"} <= names

    # and the 2025 commune's clerk: the Yang Tao village followed its commune in 2025
    client.force_login(commune_clerk)
    page = _html(client.get(f"/units/{places.lien_son_lak.pk}/children/?on={REFORM}"))
    assert [a.get_text() for a in page.select("li > a")] == ["Thôn Hòa Bình"]
    assert page.select_one("li > a")["href"].startswith(f"/units/{places.yang_tao_village.pk}/")


# The tree: each user's roots on a date. --------------------------------------------------------
ROOTS = [
    ("province_admin", OLD, ["Tỉnh Đắk Lắk", "Tỉnh Phú Yên"]),
    ("province_admin", REFORM, ["Tỉnh Đắk Lắk"]),
    ("leader", OLD, ["Tỉnh Đắk Lắk", "Tỉnh Phú Yên"]),
    ("lak_clerk", OLD, ["Huyện Lắk"]),
    ("lak_clerk", REFORM, []),
    ("commune_clerk", OLD, ["Xã Bông Krang", "Thị trấn Liên Sơn", "Xã Yang Tao"]),
    ("commune_clerk", REFORM, ["Xã Liên Sơn Lắk"]),
    ("outsider", OLD, ["Tỉnh Kon Tum"]),
]


@pytest.mark.parametrize(
    ("url", "htmx", "full_page"),
    [("/units/", False, True), ("/units/", True, False), ("/units/results/", False, False)],
)
@pytest.mark.parametrize(("who", "on", "roots"), ROOTS)
def test_tree_starts_at_the_jurisdiction(
    client, cast, places, url, htmx, full_page, who, on, roots
):
    client.force_login(cast[who])

    response = client.get(
        url, {"on": on.isoformat()}, headers={"HX-Request": "true"} if htmx else {}
    )

    # then the roots are the user's top units; htmx and the fragment URL get the partial only
    assert response.status_code == 200
    page = _html(response)
    assert sorted(a.get_text() for a in page.select("ul.tree > li summary a")) == sorted(roots)
    assert (page.select_one("input#on") is not None) is full_page
    if not roots:
        assert "Không có đơn vị nào trong địa bàn" in page.select_one("ul.tree").get_text()


# Search: diacritics and case do not matter; results stay inside the jurisdiction. -------------
SEARCH = [
    ("province_admin", "ea kao", OLD, ["Xã Ea Kao"]),
    ("province_admin", "ea kao", REFORM, ["Phường Ea Kao"]),
    ("leader", "ea kao", OLD, ["Xã Ea Kao"]),
    ("lak_clerk", "ea kao", OLD, []),
    ("commune_clerk", "ea kao", OLD, []),
    ("outsider", "ea kao", OLD, []),
    ("commune_clerk", "lien son", OLD, ["Thị trấn Liên Sơn"]),
    ("commune_clerk", "liên sơn", REFORM, ["Xã Liên Sơn Lắk"]),
    ("commune_clerk", "nam ka", OLD, []),
    ("lak_clerk", "nam ka", OLD, ["Xã Nam Ka"]),
    ("lak_clerk", "lien son lak", REFORM, []),
    ("outsider", "dak pek", OLD, ["Xã Đắk Pék"]),
]


@pytest.mark.parametrize("url", ["/units/", "/units/results/"])
@pytest.mark.parametrize(("who", "q", "on", "names"), SEARCH)
def test_search_is_scoped_to_jurisdiction(client, cast, places, url, who, q, on, names):
    client.force_login(cast[who])

    response = client.get(url, {"on": on.isoformat(), "q": q})

    assert response.status_code == 200
    rows = _html(response).select("table.results tbody tr td:first-child a")
    assert [a.get_text() for a in rows] == names


@pytest.mark.parametrize("q", ["ea kao", "EA KAO", "Ea Kao", "  ea   kao "])
def test_search_ignores_case_and_diacritics(client, province_admin, places, q):
    client.force_login(province_admin)

    page = _html(client.get("/units/results/", {"on": OLD.isoformat(), "q": q}))

    rows = page.select("table.results tbody tr")
    assert len(rows) == 1
    cells = [td.get_text() for td in rows[0].select("td")]
    assert cells == ["Xã Ea Kao", "24169", "Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk"]


@pytest.mark.parametrize("url", ["/units/", "/units/results/"])
def test_malformed_date_is_a_400_in_vietnamese(client, province_admin, url):
    client.force_login(province_admin)

    response = client.get(url, {"on": "2019-13-45"})

    assert response.status_code == 400
    assert "Ngày không hợp lệ" in _html(response).select_one("[role=alert]").get_text()


@pytest.mark.parametrize("suffix", ["", "children/"])
def test_malformed_date_on_unit_pages_is_a_400(client, province_admin, places, suffix):
    client.force_login(province_admin)

    response = client.get(f"/units/{places.lak.pk}/{suffix}", {"on": "2019-13-45"})

    assert response.status_code == 400


# Anonymous visitors and query budgets. -------------------------------------------------------
PAGES = "/units/ /units/results/ /units/{lak}/ /units/{lak}/children/ /villages/new/"


@pytest.mark.parametrize("path", [*PAGES.split(), "/villages/{village}/edit/"])
def test_anonymous_visitors_are_sent_to_login(client, places, path):
    response = client.get(path.format(lak=places.lak.pk, village=places.yang_tao_village.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


# Measured for the province admin: 17 (tree), 20 (one result), 24 to 26 (unit pages; the
# province on 2025-07-01 lists over a hundred communes).
BUDGETS = [
    ("/units/?on=2019-09-10", 22),
    ("/units/?on=2019-09-10&q=ea+kao", 25),
    ("/units/{dak_lak}/?on=2025-07-01", 31),
    ("/units/{yang_tao}/?on=2019-09-10", 31),
    ("/units/{yang_tao_village}/?on=2025-07-01", 31),
]


@pytest.mark.parametrize(("path", "budget"), BUDGETS)
def test_query_budget(client, province_admin, places, path, budget, django_assert_max_num_queries):
    client.force_login(province_admin)
    url = path.format(**{k: v.pk for k, v in vars(places).items()})

    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_search_query_count_does_not_grow_with_results(
    client, province_admin, places, django_assert_max_num_queries
):
    client.force_login(province_admin)

    with django_assert_max_num_queries(25):  # as for a one-result search
        client.get("/units/", {"on": OLD.isoformat(), "q": "ea"})


# Villages: create. ------------------------------------------------------------------------------
CREATE = [
    ("commune_clerk", "yang_tao", FOUNDED, 302),
    ("commune_clerk", "lien_son_lak", REFORM, 302),
    ("province_admin", "ea_kao", FOUNDED, 302),
    ("outsider", "dak_pek", FOUNDED, 302),
    # not offered outside the jurisdiction: the same answer as for an id that does not exist
    ("commune_clerk", "nam_ka", FOUNDED, 400),
    ("lak_clerk", "lien_son_lak", REFORM, 400),
    ("outsider", "yang_tao", FOUNDED, 400),
    ("leader", "yang_tao", FOUNDED, 403),
]


def _create(client, commune, valid_from, name="Buôn Mới", kind="buon"):
    data = {"commune": commune.pk, "name": name, "kind": kind, "valid_from": valid_from.isoformat()}
    return client.post("/villages/new/", data)


@pytest.mark.parametrize(("who", "commune", "valid_from", "status"), CREATE)
def test_village_create_is_scoped_to_jurisdiction(
    client, cast, places, who, commune, valid_from, status
):
    # given a user of the cast
    client.force_login(cast[who])
    before = _counts()

    # when they add a village to a commune
    response = _create(client, getattr(places, commune), valid_from)

    # then it is written (with an audit entry) only inside their jurisdiction
    assert response.status_code == status
    if status == 302:
        village = AdminUnit.objects.get(pk=response["Location"].split("/")[2])
        assert village.full_name == "Buôn Mới"
        assert _counts() == (before[0] + 1, before[1] + 1)
        assert AuditEntry.objects.filter(action="geo.village_create", target_id=village.pk)
    else:
        assert _counts() == before
    if status == 400:  # the commune is not offered: nothing tells that it exists
        errors = _html(response).select_one(".errorlist").get_text()
        assert "Hãy chọn một lựa chọn hợp lệ" in errors
        assert str(getattr(places, commune)) not in errors


def test_lak_clerk_cannot_add_a_village_that_lives_on_in_a_2025_commune(client, lak_clerk, places):
    # given huyện Lắk's clerk, whose jurisdiction ends on 30-6-2025
    client.force_login(lak_clerk)
    before = _counts()

    # when they add a village to xã Nam Ka from 2010 (merged into a 2025 commune)
    response = _create(client, places.nam_ka, FOUNDED)

    # then the form says why: the village would outlive Lắk's jurisdiction
    assert response.status_code == 400
    errors = _html(response).select_one(".errorlist").get_text()
    assert "không thuộc địa bàn của bạn từ 01/07/2025 trở đi" in errors
    assert _counts() == before


def test_village_form_offers_only_communes_in_jurisdiction(client, commune_clerk, places):
    client.force_login(commune_clerk)

    page = _html(
        client.get("/villages/new/", {"on": OLD.isoformat(), "commune": places.yang_tao.pk})
    )

    offered = {int(o["value"]) for o in page.select("select[name=commune] option") if o["value"]}
    mine = ["lien_son_lak", "tt_lien_son", "yang_tao", "bong_krang"]
    assert offered == {getattr(places, name).pk for name in mine}
    selected = page.select_one("select[name=commune] option[selected]")
    assert selected["value"] == str(places.yang_tao.pk)
    assert page.select_one("input[name=valid_from]")["value"] == "2019-09-10"


@pytest.mark.parametrize(
    ("commune", "valid_from", "message"),
    [
        ("yang_tao", REFORM, "Xã Yang Tao không có hiệu lực vào ngày 01/07/2025"),
        ("lien_son_lak", OLD, "Xã Liên Sơn Lắk không có hiệu lực vào ngày 10/09/2019"),
    ],
)
def test_village_outside_the_commune_life_is_a_form_error(
    client, commune_clerk, places, commune, valid_from, message
):
    client.force_login(commune_clerk)
    before = _counts()

    response = _create(client, getattr(places, commune), valid_from)

    assert response.status_code == 400
    assert message in _html(response).select_one("form.stacked").get_text()
    assert _counts() == before


def test_village_created_in_a_legacy_commune_follows_it_into_2025(client, commune_clerk, places):
    # given the 2025 commune's clerk adds a buôn to the legacy xã Yang Tao from 2010
    client.force_login(commune_clerk)
    response = _create(
        client, places.yang_tao, FOUNDED, name=unicodedata.normalize("NFD", EDE_NAME)
    )
    village = AdminUnit.objects.get(pk=response["Location"].split("/")[2])

    # then its page shows the Ê Đê name as typed, in NFC, with both stretches of its life
    page = _html(client.get(response["Location"]))
    assert village.full_name == EDE_NAME == unicodedata.normalize("NFC", village.full_name)
    assert village.name == "Akŏ Dhŏng ơ̆"
    assert page.h1.get_text().startswith(EDE_NAME)
    assert f"Đã thêm {EDE_NAME}" in page.select_one(".flash").get_text()
    parents = [row.select("td")[3].get_text() for row in page.select("table tbody tr")]
    assert parents == ["Xã Yang Tao", "Xã Liên Sơn Lắk"]
    # and it is listed under Yang Tao in 2019 and under Liên Sơn Lắk from 2025
    under_2019 = client.get(f"/units/{places.yang_tao.pk}/children/?on={OLD}")
    under_2025 = client.get(f"/units/{places.lien_son_lak.pk}/children/?on={REFORM}")
    assert EDE_NAME in under_2019.content.decode()
    assert EDE_NAME in under_2025.content.decode()


def test_leader_sees_no_write_links(client, leader, commune_clerk, places):
    client.force_login(leader)
    assert "/villages/new/" not in client.get("/units/").content.decode()
    assert "/edit/" not in client.get(f"/units/{places.yang_tao_village.pk}/").content.decode()

    client.force_login(commune_clerk)
    assert "/villages/new/" in client.get(f"/units/{places.yang_tao.pk}/").content.decode()
    assert "/edit/" in client.get(f"/units/{places.yang_tao_village.pk}/").content.decode()


# Villages: edit. --------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "target", "status"), statuses(EDIT, write=True))
def test_village_edit_is_scoped_to_jurisdiction(client, cast, places, who, target, status):
    client.force_login(cast[who])
    url = f"/villages/{getattr(places, target).pk}/edit/"
    before = _counts()

    page = client.get(url)
    saved = client.post(url, {"name": "Hòa Bình Mới", "kind": "thon"})

    assert page.status_code == status
    assert saved.status_code == (302 if status == 200 else status)
    if status == 200:
        assert AdminUnit.objects.get(pk=getattr(places, target).pk).name == "Hòa Bình Mới"
        assert _counts() == (before[0], before[1] + 1)
    else:
        assert _counts() == before


def test_village_rename_from_a_date(client, commune_clerk, places):
    # when the commune clerk renames the Yang Tao village from 2020
    client.force_login(commune_clerk)
    village = places.yang_tao_village
    data = {"name": "Hòa Thuận", "kind": "thon", "renamed_on": "2020-01-01"}

    response = client.post(f"/villages/{village.pk}/edit/", data)

    # then the old name stays until 2020 and the change is in the audit log
    assert response.status_code == 302
    names = [v.name for v in village.versions.order_by("valid_from")]
    assert names == ["Hòa Bình", "Hòa Thuận", "Hòa Thuận"]
    assert AuditEntry.objects.filter(action="geo.village_update", target_id=village.pk).exists()

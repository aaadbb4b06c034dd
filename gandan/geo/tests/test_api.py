"""The JSON API (/api/v1/), through the client, for each of the cast.

The same rules as the pages: outside a user's jurisdiction a unit does not exist (404), a
leader who writes gets 403, anonymous callers get 401, and a broken rule of the domain is a
422 whose ``detail`` is Vietnamese.
"""

import json
import unicodedata

import pytest

from gandan.core.models import AuditEntry
from gandan.geo.models import AdminUnit
from gandan.tests.cast import DAY, EDE_NAME, EDIT, FOUNDED, OLD, REFORM, SEES, statuses

pytestmark = pytest.mark.django_db


def _send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _counts():
    return AdminUnit.objects.count(), AuditEntry.objects.count()


def _ids(response):
    return {row["id"] for row in response.json()}


# Anonymous callers. ---------------------------------------------------------------------------
CALLS = [
    ("get", "/api/v1/units"),
    ("get", "/api/v1/units/{lak}"),
    ("post", "/api/v1/villages"),
    ("patch", "/api/v1/villages/{village}"),
]


@pytest.mark.parametrize(("method", "path"), CALLS)
def test_anonymous_callers_get_401(client, places, method, path):
    before = _counts()
    url = path.format(lak=places.lak.pk, village=places.yang_tao_village.pk)
    body = {"commune_id": places.yang_tao.pk, "name": "X", "valid_from": "2010-01-01"}

    response = client.get(url) if method == "get" else _send(client, method, url, body)

    assert response.status_code == 401
    assert _counts() == before


@pytest.mark.parametrize(("who", "target", "status"), statuses(SEES))
def test_unit_history_is_scoped_to_jurisdiction(client, cast, places, who, target, status):
    client.force_login(cast[who])

    response = client.get(f"/api/v1/units/{getattr(places, target).pk}")

    assert response.status_code == status
    if status == 200:
        assert response.json()["unit"]["id"] == getattr(places, target).pk
    else:
        assert response.json() == {"detail": "Không tìm thấy đơn vị."}


def test_unit_history_of_the_2025_commune_names_its_predecessors(client, commune_clerk, places):
    client.force_login(commune_clerk)

    body = client.get(f"/api/v1/units/{places.lien_son_lak.pk}").json()

    assert body["unit"]["full_name"] == "Xã Liên Sơn Lắk"
    assert body["unit"]["valid_from"] == "2025-07-01"
    names = {p["full_name"] for p in body["predecessors"]}
    assert names == {"Thị trấn Liên Sơn", "Xã Yang Tao", "Xã Bông Krang"}


# GET /units?within=: the unit must be visible on the date asked. ------------------------------
WITHIN = [
    ("province_admin", "phu_yen", OLD, 200),
    ("province_admin", "dak_lak", REFORM, 200),
    ("lak_clerk", "lak", REFORM - DAY, 200),
    ("lak_clerk", "lak", REFORM, 404),
    ("lak_clerk", "lien_son_lak", REFORM, 404),
    ("lak_clerk", "dak_lak", OLD, 404),
    ("commune_clerk", "yang_tao", OLD, 200),
    ("commune_clerk", "lien_son_lak", REFORM, 200),
    ("commune_clerk", "nam_ka", OLD, 404),
    ("commune_clerk", "lak", OLD, 404),
    ("leader", "lak", OLD, 200),
    ("outsider", "dak_pek", OLD, 200),
    ("outsider", "dak_lak", OLD, 404),
    ("outsider", "yang_tao", OLD, 404),
]


@pytest.mark.parametrize(("who", "target", "on", "status"), WITHIN)
def test_units_within_are_scoped_to_jurisdiction(client, cast, places, who, target, on, status):
    client.force_login(cast[who])

    response = client.get("/api/v1/units", {"on": on, "within": getattr(places, target).pk})

    assert response.status_code == status


# GET /units: the tree on a date, at one level, as each user sees it. --------------------------
LISTS = [
    ("province_admin", OLD, "province", {"Tỉnh Đắk Lắk", "Tỉnh Phú Yên"}),
    ("province_admin", REFORM, "province", {"Tỉnh Đắk Lắk"}),
    ("commune_clerk", OLD, "commune", {"Thị trấn Liên Sơn", "Xã Yang Tao", "Xã Bông Krang"}),
    ("commune_clerk", REFORM, "commune", {"Xã Liên Sơn Lắk"}),
    ("commune_clerk", OLD, "district", set()),
    ("lak_clerk", OLD, "district", {"Huyện Lắk"}),
    ("lak_clerk", REFORM, "commune", set()),
    ("outsider", OLD, "commune", {"Xã Đắk Pék"}),
]


@pytest.mark.parametrize(("who", "on", "level", "names"), LISTS)
def test_unit_list_is_scoped_to_jurisdiction(client, cast, places, who, on, level, names):
    client.force_login(cast[who])

    response = client.get("/api/v1/units", {"on": on, "level": level})

    assert response.status_code == 200
    assert {row["full_name"] for row in response.json()} == names


SEARCH = [
    ("province_admin", "ea kao", OLD, ["Xã Ea Kao"]),
    ("province_admin", "EA KAO", OLD, ["Xã Ea Kao"]),
    ("province_admin", "Ea Kao", OLD, ["Xã Ea Kao"]),
    ("province_admin", "ea kao", REFORM, ["Phường Ea Kao"]),
    ("lak_clerk", "ea kao", OLD, []),
    ("commune_clerk", "ea kao", OLD, []),
    ("outsider", "ea kao", OLD, []),
    ("outsider", "EA KAO", REFORM, []),
    ("commune_clerk", "yang tao", OLD, ["Xã Yang Tao"]),
]


@pytest.mark.parametrize(("who", "q", "on", "names"), SEARCH)
def test_search_is_scoped_and_ignores_case_and_diacritics(client, cast, places, who, q, on, names):
    client.force_login(cast[who])

    response = client.get("/api/v1/units", {"on": on, "q": q})

    assert response.status_code == 200
    assert [row["full_name"] for row in response.json()] == names


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"on": "abc"}, "Ngày không hợp lệ ở trường «on»: «abc»"),
        ({"on": "2019-13-45"}, "Ngày không hợp lệ"),
        ({"level": "tinh"}, "Cấp không hợp lệ: «tinh»"),
    ],
)
def test_bad_parameters_are_422_with_a_vietnamese_detail(client, province_admin, params, message):
    client.force_login(province_admin)

    response = client.get("/api/v1/units", params)

    assert response.status_code == 422
    assert message in response.json()["detail"]


# POST /villages. ----------------------------------------------------------------------------
CREATE = [
    ("commune_clerk", "yang_tao", FOUNDED, 201),
    ("commune_clerk", "lien_son_lak", REFORM, 201),
    # Nam Ka's village would live on under a 2025 commune, outside Lắk: the whole effect counts.
    ("lak_clerk", "nam_ka", FOUNDED, 403),
    ("province_admin", "ea_kao", FOUNDED, 201),
    ("outsider", "dak_pek", FOUNDED, 201),
    ("commune_clerk", "nam_ka", FOUNDED, 404),
    ("commune_clerk", "lak", OLD, 404),  # a district takes no villages
    ("lak_clerk", "lien_son_lak", REFORM, 404),
    ("outsider", "yang_tao", FOUNDED, 404),
    ("leader", "yang_tao", FOUNDED, 403),
]


def _create(client, commune, valid_from, name="Buôn Mới", kind="buon"):
    body = {"commune_id": commune.pk, "name": name, "kind": kind, "valid_from": str(valid_from)}
    return _send(client, "post", "/api/v1/villages", body)


@pytest.mark.parametrize(("who", "commune", "valid_from", "status"), CREATE)
def test_village_create_is_scoped_to_jurisdiction(
    client, cast, places, who, commune, valid_from, status
):
    # given a user of the cast
    client.force_login(cast[who])
    before = _counts()

    # when they add a village to a commune
    response = _create(client, getattr(places, commune), valid_from)

    # then it is written, with an audit entry, only inside their jurisdiction
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert (body["full_name"], body["level"]) == ("Buôn Mới", "village")
        assert body["valid_from"] == str(valid_from)
        assert _counts() == (before[0] + 1, before[1] + 1)
        assert AuditEntry.objects.filter(action="geo.village_create", target_id=body["id"])
    else:
        assert _counts() == before


@pytest.mark.parametrize(
    ("commune", "valid_from", "message"),
    [
        ("yang_tao", REFORM, "Xã Yang Tao không có hiệu lực vào ngày 01/07/2025"),
        ("lien_son_lak", OLD, "Xã Liên Sơn Lắk không có hiệu lực vào ngày 10/09/2019"),
    ],
)
def test_village_outside_the_commune_life_is_422(
    client, commune_clerk, places, commune, valid_from, message
):
    client.force_login(commune_clerk)
    before = _counts()

    response = _create(client, getattr(places, commune), valid_from)

    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert response.json()["field"] == "valid_from"
    assert _counts() == before


def test_village_in_a_legacy_commune_appears_under_the_2025_commune(
    client, commune_clerk, lak_clerk, places
):
    # given the 2025 commune's clerk adds a buôn to the legacy xã Yang Tao from 2010
    client.force_login(commune_clerk)
    village = _create(client, places.yang_tao, FOUNDED).json()["id"]

    # then it is under Yang Tao in 2019 and under Liên Sơn Lắk from 1-7-2025
    def villages(within, on):
        query = {"on": on, "within": within.pk, "level": "village"}
        return _ids(client.get("/api/v1/units", query))

    assert village in villages(places.yang_tao, OLD)
    assert village in villages(places.lien_son_lak, REFORM)
    assert village in _ids(client.get("/api/v1/units", {"on": REFORM, "level": "village"}))
    # and huyện Lắk's clerk sees it until the reform only
    client.force_login(lak_clerk)
    assert village in villages(places.lak, REFORM - DAY)
    assert village not in _ids(client.get("/api/v1/units", {"on": REFORM, "level": "village"}))


def test_ede_name_round_trips_in_nfc(client, commune_clerk, places):
    # given a name typed in decomposed form (as some keyboards send it)
    client.force_login(commune_clerk)
    typed = unicodedata.normalize("NFD", EDE_NAME)

    # when it is sent and read back
    created = _create(client, places.yang_tao, FOUNDED, name=typed).json()
    read = client.get(f"/api/v1/units/{created['id']}").json()

    # then it is stored and returned in NFC, with the kind as prefix
    assert created["full_name"] == read["unit"]["full_name"] == EDE_NAME
    assert created["name"] == "Akŏ Dhŏng ơ̆" == unicodedata.normalize("NFC", created["name"])
    assert AdminUnit.objects.get(pk=created["id"]).full_name == EDE_NAME
    page = client.get(f"/units/{created['id']}/").content.decode()
    assert EDE_NAME in page


def test_create_village_without_warnings(client, commune_clerk, places):
    client.force_login(commune_clerk)

    response = _create(client, places.yang_tao, FOUNDED)

    assert response.status_code == 201


def test_leader_writing_outside_the_jurisdiction_gets_404(client, leader, places):
    client.force_login(leader)

    response = _create(client, places.dak_pek, FOUNDED)

    assert response.status_code == 404


@pytest.mark.parametrize(("who", "target", "status"), statuses(EDIT, write=True))
def test_village_update_is_scoped_to_jurisdiction(client, cast, places, who, target, status):
    client.force_login(cast[who])
    pk = getattr(places, target).pk
    before = _counts()

    response = _send(client, "patch", f"/api/v1/villages/{pk}", {"name": "Mới", "kind": "thon"})

    assert response.status_code == status
    if status == 200:
        assert response.json()["full_name"] == "Thôn Mới"
        assert _counts() == (before[0], before[1] + 1)
    else:
        assert AdminUnit.objects.get(pk=pk).name != "Mới"
        assert _counts() == before


def test_village_rename_from_a_date(client, commune_clerk, places):
    client.force_login(commune_clerk)
    village = places.yang_tao_village
    body = {"name": "Hòa Thuận", "kind": "thon", "renamed_on": "2020-01-01"}

    response = _send(client, "patch", f"/api/v1/villages/{village.pk}", body)

    assert response.status_code == 200
    assert response.json()["full_name"] == "Thôn Hòa Thuận"
    history = client.get(f"/api/v1/units/{village.pk}").json()["versions"]
    assert [v["valid_from"] for v in history] == ["2010-01-01", "2020-01-01", "2025-07-01"]
    assert [v["name"] for v in history] == ["Hòa Bình", "Hòa Thuận", "Hòa Thuận"]
    assert AuditEntry.objects.filter(action="geo.village_update", target_id=village.pk).exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "X", "kind": "thon", "renamed_on": "2000-01-01"}, "on", "01/01/2000"),
        ({"name": "X", "kind": "xa"}, "kind", "Loại phải là thôn, buôn"),
        ({"name": "  ", "kind": "thon"}, "name", "không được để trống"),
    ],
)
def test_village_update_errors_are_422(client, commune_clerk, places, body, field, message):
    client.force_login(commune_clerk)
    before = _counts()

    response = _send(client, "patch", f"/api/v1/villages/{places.yang_tao_village.pk}", body)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert message in response.json()["detail"]
    assert _counts() == before


def test_lak_clerk_cannot_rename_a_village_after_lak_ended(client, lak_clerk, places):
    # given the Nam Ka village, which left Lắk with its commune on 1-7-2025
    client.force_login(lak_clerk)
    village = places.nam_ka_village
    body = {"name": "Đổi Tên", "kind": "thon", "renamed_on": "2026-01-01"}

    # when huyện Lắk's clerk renames it from 2026
    response = _send(client, "patch", f"/api/v1/villages/{village.pk}", body)

    # then the rename is refused and the village keeps its name
    assert response.status_code in {403, 404, 422}
    assert village.versions.filter(name="Đổi Tên").count() == 0


def test_lak_clerk_cannot_rename_from_its_last_day_into_the_2025_commune(client, lak_clerk, places):
    # given the Yang Tao village, under huyện Lắk until 30-6-2025, under Liên Sơn Lắk after
    client.force_login(lak_clerk)
    village = places.yang_tao_village
    body = {"name": "Đổi Tên", "kind": "thon", "renamed_on": "2025-06-30"}

    # when huyện Lắk's clerk renames it from its last day in Lắk
    response = _send(client, "patch", f"/api/v1/villages/{village.pk}", body)

    # then the rename is refused, saying when the village is not theirs, and nothing changed
    assert response.status_code == 403
    assert "không thuộc địa bàn của bạn từ 01/07/2025 trở đi" in response.json()["detail"]
    assert village.versions.filter(name="Đổi Tên").count() == 0


def test_lak_clerk_cannot_add_a_village_that_lives_on_under_the_2025_commune(
    client, lak_clerk, places
):
    # when huyện Lắk's clerk adds a village to xã Yang Tao in 2019
    client.force_login(lak_clerk)
    before = _counts()

    response = _create(client, places.yang_tao, OLD)

    # then it is refused: from 1-7-2025 it would be a village of xã Liên Sơn Lắk
    assert response.status_code == 403
    assert response.json()["field"] == "commune"
    assert _counts() == before

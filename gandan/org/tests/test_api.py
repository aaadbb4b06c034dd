"""The organisation API (/api/v1/), through the client, for each of the cast.

The same rules as the pages: outside a user's jurisdiction a team or member does not exist
(404), a leader who writes gets 403, anonymous callers get 401, and a broken rule of the domain
is a 422 whose ``detail`` is Vietnamese and which writes nothing.
"""

import json

import pytest

from gandan.core.models import AuditEntry
from gandan.org.models import Member, Membership
from gandan.org.tests.roster import (
    AFTER,
    ALL_MEMBERS,
    ALL_TEAMS,
    JOINED,
    MEMBERS,
    TEAMS,
    WRITE_MEMBERS,
    build_roster,
    matrix,
    row_counts,
)
from gandan.tests.cast import DAY, OLD, REFORM

pytestmark = pytest.mark.django_db

PERSON = {"identifier": "dl-0100", "full_name": "H'Ngơ̆ng Byă", "gender": "nu", "ethnicity": "ede"}


@pytest.fixture
def roster(places):
    return build_roster(places)


def _send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _post(client, url, body):
    return _send(client, "post", url, body)


def _membership(member, team):
    return Membership.objects.get(member=member, team=team)


CALLS = [
    ("get", "/api/v1/teams"),
    ("post", "/api/v1/teams"),
    ("get", "/api/v1/teams/1"),
    ("get", "/api/v1/members"),
    ("get", "/api/v1/members/1"),
    ("patch", "/api/v1/members/1"),
    ("post", "/api/v1/memberships"),
    ("post", "/api/v1/memberships/1/end"),
    ("post", "/api/v1/members/1/transfer"),
    ("post", "/api/v1/assignments"),
    ("get", "/api/v1/awards"),
    ("post", "/api/v1/awards"),
    ("get", "/api/v1/headcount"),
]


@pytest.mark.parametrize(("method", "url"), CALLS)
def test_anonymous_callers_get_401(client, method, url):
    response = client.get(url) if method == "get" else _send(client, method, url, {})

    assert response.status_code == 401


def test_openapi_lists_the_org_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {"/api/v1/teams", "/api/v1/members/{member_id}/transfer", "/api/v1/headcount"} <= set(
        paths
    )


# Teams. ----------------------------------------------------------------------------------------
LISTS = [
    (
        "province_admin",
        OLD,
        {"Đội tỉnh Đắk Lắk": 1, "Đội huyện Lắk": 1, "Tổ Yang Tao": 2, "Tổ Nam Ka": 1},
    ),
    ("province_admin", REFORM, {"Đội tỉnh Đắk Lắk": 1, "Tổ Liên Sơn Lắk": 1}),
    ("lak_clerk", OLD, {"Đội huyện Lắk": 1, "Tổ Yang Tao": 2, "Tổ Nam Ka": 1}),
    ("lak_clerk", REFORM, {}),
    ("commune_clerk", OLD, {"Tổ Yang Tao": 2}),
    ("commune_clerk", REFORM, {"Tổ Liên Sơn Lắk": 1}),
    ("outsider", OLD, {"Tổ Đắk Pék": 1}),
]


@pytest.mark.parametrize(("who", "on", "teams"), LISTS)
def test_team_list_is_scoped_to_jurisdiction(client, cast, roster, who, on, teams):
    client.force_login(cast[who])

    response = client.get("/api/v1/teams", {"on": on})

    assert response.status_code == 200
    assert {row["name"]: row["headcount"] for row in response.json()} == teams


@pytest.mark.parametrize(
    ("params", "status", "names"),
    [
        ({"level": "commune"}, 200, ["Tổ Nam Ka", "Tổ Yang Tao"]),
        ({"q": "YANG tào"}, 200, ["Tổ Yang Tao"]),
        ({"level": "thon"}, 422, "Cấp không hợp lệ: «thon»"),
        ({"on": "10/09/2019"}, 422, "Ngày không hợp lệ"),
    ],
)
def test_team_list_filters_and_bad_parameters(
    client, province_admin, roster, params, status, names
):
    client.force_login(province_admin)

    response = client.get("/api/v1/teams", {"on": OLD, **params})

    assert response.status_code == status
    if status == 200:
        assert [row["name"] for row in response.json()] == names
    else:
        assert names in response.json()["detail"]


@pytest.mark.parametrize(("who", "name", "status"), matrix(TEAMS, ALL_TEAMS))
def test_team_detail_is_scoped_to_jurisdiction(client, cast, roster, who, name, status):
    client.force_login(cast[who])

    response = client.get(f"/api/v1/teams/{getattr(roster, name).pk}", {"on": OLD})

    assert response.status_code == status
    if name == "yang_tao" and status == 200:
        body = response.json()
        assert [m["member"] for m in body["members"]] == ["H'Hồng Niê", "Y Săn Ayun"]
        assert body["team"]["established_basis"] == "253-TB/TU ngày 05-7-2004"
        assert [e["type"] for e in body["events"]] == ["establish", "merge"]
        assert body["assignments"][0]["villages"] == ["Thôn Hòa Bình"]
        assert [a["recipient"] for a in body["awards"]] == ["Tổ Yang Tao"]


TEAM = {"name": "Tổ công tác mới", "kind": "to"}
CREATE_TEAM = [
    ("commune_clerk", "lien_son_lak", AFTER, 201),
    ("commune_clerk", "yang_tao", JOINED, 201),
    ("lak_clerk", "lak", JOINED, 201),
    ("province_admin", "dak_lak", AFTER, 201),
    ("outsider", "dak_pek", JOINED, 201),
    ("commune_clerk", "nam_ka", JOINED, 404),
    ("lak_clerk", "lien_son_lak", AFTER, 404),
    ("outsider", "lien_son_lak", AFTER, 404),
    ("leader", "lien_son_lak", AFTER, 403),
    ("lak_clerk", "lak", AFTER, 422),  # huyện Lắk ended on 1-7-2025
]


@pytest.mark.parametrize(("who", "target", "on", "status"), CREATE_TEAM)
def test_team_create_is_scoped_to_jurisdiction(
    client, cast, places, roster, who, target, on, status
):
    client.force_login(cast[who])
    before = row_counts()

    response = _post(
        client,
        "/api/v1/teams",
        {**TEAM, "unit_id": getattr(places, target).pk, "established_on": str(on)},
    )

    assert response.status_code == status
    if status == 201:
        assert response.json()["unit_id"] == getattr(places, target).pk
        assert row_counts() == [before[0] + 1, *before[1:4], before[4] + 1]
    else:
        assert row_counts() == before


def test_team_create_with_basis_and_parent(client, commune_clerk, places, roster):
    client.force_login(commune_clerk)
    body = {**TEAM, "unit_id": places.lien_son_lak.pk, "established_on": str(AFTER)}

    made = _post(
        client,
        "/api/v1/teams",
        {
            **body,
            "parent_id": roster.lien_son_lak.pk,
            "basis_number": "05-QĐ/ĐU",
            "basis_issued_on": str(AFTER),
        },
    )
    hidden_parent = _post(client, "/api/v1/teams", {**body, "parent_id": roster.province.pk})
    before = row_counts()
    no_date = _post(client, "/api/v1/teams", {**body, "basis_number": "06-QĐ/ĐU"})

    assert made.status_code == 201
    assert made.json()["established_basis"] == "05-QĐ/ĐU ngày 01-8-2025"
    assert made.json()["parent_id"] == roster.lien_son_lak.pk
    assert hidden_parent.status_code == 404
    assert (no_date.status_code, no_date.json()["field"]) == (422, "basis_issued_on")
    assert row_counts() == before


# Members. ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", list(MEMBERS))
def test_member_list_is_scoped_to_jurisdiction(client, cast, roster, who):
    client.force_login(cast[who])

    rows = client.get("/api/v1/members").json()

    assert {row["id"] for row in rows} == {getattr(roster, n).pk for n in MEMBERS[who].split()}
    assert all("ethnicity" not in row for row in rows)


def test_member_search(client, province_admin, roster):
    client.force_login(province_admin)

    rows = client.get("/api/v1/members", {"q": "y san"}).json()

    assert [(r["full_name"], r["languages"]) for r in rows] == [("Y Săn Ayun", ["ede"])]


@pytest.mark.parametrize(("who", "name", "status"), matrix(MEMBERS, ALL_MEMBERS))
def test_member_detail_is_scoped_and_shows_ethnicity_to_admins_only(
    client, cast, roster, who, name, status
):
    client.force_login(cast[who])
    member = getattr(roster, name)

    response = client.get(f"/api/v1/members/{member.pk}")

    assert response.status_code == status
    views = AuditEntry.objects.filter(action="org.view_ethnicity", target_id=str(member.pk))
    admin = who in {"province_admin", "outsider"}
    if status == 200:
        assert response.json()["ethnicity"] == (member.ethnicity if admin else None)
    assert views.count() == (1 if status == 200 and admin else 0)


def test_member_detail_lists_memberships_and_assignments(client, commune_clerk, roster):
    client.force_login(commune_clerk)

    body = client.get(f"/api/v1/members/{roster.san.pk}").json()

    assert [(m["team"], m["start_reason"], m["end_reason"]) for m in body["memberships"]] == [
        ("Tổ Yang Tao", "join", "transfer"),
        ("Tổ Liên Sơn Lắk", "transfer", ""),
    ]
    assert body["assignments"][0]["end"] == str(REFORM)


@pytest.mark.parametrize(("who", "name", "status"), matrix(WRITE_MEMBERS, ALL_MEMBERS, write=True))
def test_member_update_is_scoped_to_jurisdiction(client, cast, roster, who, name, status):
    client.force_login(cast[who])
    member = getattr(roster, name)

    response = _send(client, "patch", f"/api/v1/members/{member.pk}", {"phone": "0912 345 678"})

    assert response.status_code == status
    member.refresh_from_db()
    assert (member.phone == "0912 345 678") is (status == 200)


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        ("commune_clerk", {"ethnicity": "mnong"}, 403),
        ("province_admin", {"ethnicity": "mnong"}, 200),
        ("province_admin", {"ethnicity": "viking"}, 422),
        ("commune_clerk", {"birth_year": 1900}, 422),
        ("commune_clerk", {"full_name": " "}, 422),
        ("commune_clerk", {"languages": ["klingon"]}, 422),
    ],
)
def test_member_update_rules(client, cast, roster, who, body, status):
    client.force_login(cast[who])
    before = row_counts()

    response = _send(client, "patch", f"/api/v1/members/{roster.san.pk}", body)

    assert response.status_code == status
    roster.san.refresh_from_db()
    assert roster.san.ethnicity == ("mnong" if status == 200 else "ede")
    if status != 200:
        assert row_counts() == before


# Memberships, transfers and assignments. ----------------------------------------------------------
JOIN = [
    ("commune_clerk", "lien_son_lak", AFTER, 201),
    ("lak_clerk", "nam_ka", JOINED, 201),
    ("outsider", "dak_pek", JOINED, 201),
    ("commune_clerk", "nam_ka", JOINED, 404),
    ("lak_clerk", "lien_son_lak", AFTER, 404),
    ("leader", "lien_son_lak", AFTER, 403),
    ("commune_clerk", "lien_son_lak", OLD, 422),  # the team did not exist: nobody is written
]


@pytest.mark.parametrize(("who", "team", "start", "status"), JOIN)
def test_membership_with_a_new_person(client, cast, roster, who, team, start, status):
    client.force_login(cast[who])
    before = row_counts()
    body = {"team_id": getattr(roster, team).pk, "member": PERSON, "start": str(start)}

    response = _post(client, "/api/v1/memberships", body)

    assert response.status_code == status
    if status == 201:
        assert response.json()["member"] == "H'Ngơ̆ng Byă"
        assert Member.objects.get(identifier="DL-0100").memberships.count() == 1
        assert row_counts() == [before[0], before[1] + 1, before[2] + 1, before[3], before[4] + 2]
    else:
        assert row_counts() == before


@pytest.mark.parametrize(
    ("member", "person", "status", "detail"),
    [
        ("hong", None, 201, None),
        ("san", None, 422, "hai thời gian công tác chồng nhau"),
        ("an", None, 404, "Không tìm thấy thành viên."),
        (None, None, 422, "chỉ một"),
        ("hong", PERSON, 422, "chỉ một"),
        (None, {**PERSON, "identifier": "DL-0001"}, 422, "«DL-0001» đã có"),
    ],
)
def test_membership_rules(client, commune_clerk, roster, member, person, status, detail):
    client.force_login(commune_clerk)
    before = row_counts()
    body = {"team_id": roster.lien_son_lak.pk, "start": str(AFTER), "member": person}
    if member:
        body["member_id"] = getattr(roster, member).pk

    response = _post(client, "/api/v1/memberships", body)

    assert response.status_code == status
    if detail:
        assert detail in response.json()["detail"]
        assert row_counts() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("commune_clerk", 200),
        ("province_admin", 200),
        ("lak_clerk", 404),
        ("leader", 403),
        ("outsider", 404),
    ],
)
def test_membership_end_is_scoped_to_jurisdiction(client, cast, roster, who, status):
    client.force_login(cast[who])
    membership = _membership(roster.san, roster.lien_son_lak)

    response = _post(
        client,
        f"/api/v1/memberships/{membership.pk}/end",
        {"last_day": str(AFTER), "reason": "retire"},
    )

    assert response.status_code == status
    membership.refresh_from_db()
    assert membership.end == (AFTER + DAY if status == 200 else None)
    if status == 200:
        assert response.json()["end_reason"] == "retire"


def test_membership_end_before_its_start_is_422(client, commune_clerk, roster):
    client.force_login(commune_clerk)
    membership = _membership(roster.san, roster.lien_son_lak)

    response = _post(client, f"/api/v1/memberships/{membership.pk}/end", {"last_day": str(OLD)})

    assert response.status_code == 422
    assert "Ngày kết thúc phải sau ngày bắt đầu (01/07/2025)" in response.json()["detail"]


@pytest.mark.parametrize(
    ("who", "to", "status"),
    [
        ("province_admin", "province", 201),
        ("commune_clerk", "province", 404),
        ("leader", "province", 403),
        ("outsider", "dak_pek", 404),
        ("province_admin", "lien_son_lak", 422),  # already there
    ],
)
def test_transfer(client, cast, places, roster, who, to, status):
    client.force_login(cast[who])
    before = row_counts()
    body = {"to_team_id": getattr(roster, to).pk, "on": str(AFTER)}

    response = _post(client, f"/api/v1/members/{roster.san.pk}/transfer", body)

    assert response.status_code == status
    if status == 201:
        assert response.json()["start_reason"] == "transfer"
        count = client.get("/api/v1/headcount", {"unit": places.dak_lak.pk, "on": AFTER}).json()
        assert count["total"] == 2  # Săn counted once on the day of the transfer
    else:
        assert row_counts() == before


@pytest.mark.parametrize(
    ("who", "village", "status"),
    [
        ("commune_clerk", "yang_tao_village", 201),  # under Liên Sơn Lắk since 2025
        ("commune_clerk", "nam_ka_village", 404),
        ("province_admin", "nam_ka_village", 422),  # not the team's territory
        ("lak_clerk", "yang_tao_village", 404),  # the 2025 team is not Lắk's
        ("leader", "yang_tao_village", 403),
    ],
)
def test_assignment_is_scoped_to_jurisdiction(client, cast, places, roster, who, village, status):
    client.force_login(cast[who])
    membership = _membership(roster.san, roster.lien_son_lak)
    before = row_counts()
    body = {
        "membership_id": membership.pk,
        "village_ids": [getattr(places, village).pk],
        "start": str(AFTER),
    }

    response = _post(client, "/api/v1/assignments", body)

    assert response.status_code == status
    if status == 201:
        assert response.json()["villages"] == ["Thôn Hòa Bình"]
        count = client.get("/api/v1/headcount", {"unit": places.lien_son_lak.pk, "on": AFTER})
        assert count.json()["villages_covered"] == 1
    else:
        assert row_counts() == before


def test_member_record_shows_only_postings_inside_the_jurisdiction_in_time(
    client, lak_clerk, commune_clerk, roster
):
    # given Y Săn, in Tổ Yang Tao until 2025, then in Tổ Liên Sơn Lắk (not huyện Lắk's)
    client.force_login(lak_clerk)

    # when huyện Lắk's clerk reads the member through the API, as on the member page
    record = client.get(f"/api/v1/members/{roster.san.pk}").json()

    # then only the Lắk posting is there (the leak sweep found the 2025 one here)
    assert [m["team"] for m in record["memberships"]] == ["Tổ Yang Tao"]
    # and the 2025 commune's clerk reads both
    client.force_login(commune_clerk)
    record = client.get(f"/api/v1/members/{roster.san.pk}").json()
    assert [m["team"] for m in record["memberships"]] == ["Tổ Yang Tao", "Tổ Liên Sơn Lắk"]

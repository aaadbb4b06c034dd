"""The API's awards and headcount (/api/v1/awards, /api/v1/headcount), for each of the cast.

Awards are listed and counted inside the jurisdiction only; the headcount is computed for a
unit the user may see on that date. Ethnicity appears only as aggregate counts.
"""

import json

import pytest

from gandan.core.models import AuditEntry
from gandan.org.tests.roster import AFTER, build_roster, row_counts
from gandan.tests.cast import DAY, OLD, REFORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(places):
    return build_roster(places)


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


# GET /awards. -----------------------------------------------------------------------------------
SEES = [
    ("province_admin", ["Nhân dân xã Nam Ka", "Tổ Yang Tao", "Y Săn Ayun"]),
    ("leader", ["Nhân dân xã Nam Ka", "Tổ Yang Tao", "Y Săn Ayun"]),
    ("lak_clerk", ["Nhân dân xã Nam Ka", "Tổ Yang Tao", "Y Săn Ayun"]),
    ("commune_clerk", ["Tổ Yang Tao", "Y Săn Ayun"]),
    ("outsider", ["Tổ Đắk Pék"]),
]


@pytest.mark.parametrize(("who", "recipients"), SEES)
def test_award_list_is_scoped_to_jurisdiction(client, cast, roster, who, recipients):
    client.force_login(cast[who])

    body = client.get("/api/v1/awards").json()

    assert sorted(a["recipient"] for a in body["awards"]) == recipients


@pytest.mark.parametrize(
    ("params", "counts"),
    [
        ({}, [("bang_khen", 1, 1), ("giay_khen", 1, 0)]),
        ({"recipient": "individual"}, [("bang_khen", 0, 1)]),
        ({"kind": "giay_khen"}, [("giay_khen", 1, 0)]),
        (
            {"body_level": "province", "year_from": 2019, "year_to": 2019},
            [("bang_khen", 1, 1), ("giay_khen", 1, 0)],
        ),
        ({"year_from": 2020}, []),
    ],
)
def test_award_counts_by_kind(client, province_admin, roster, params, counts):
    client.force_login(province_admin)

    body = client.get("/api/v1/awards", params).json()

    assert [(c["kind"], c["collective"], c["individual"]) for c in body["counts"]] == counts
    assert len(body["awards"]) == sum(c + i for _k, c, i in counts)


@pytest.mark.parametrize(
    ("params", "detail"),
    [({"recipient": "everyone"}, "Đối tượng không hợp lệ"), ({"year_from": "abc"}, None)],
)
def test_bad_award_filters_are_422(client, province_admin, roster, params, detail):
    client.force_login(province_admin)

    response = client.get("/api/v1/awards", params)

    assert response.status_code == 422
    if detail:
        assert detail in response.json()["detail"]


# POST /awards. ----------------------------------------------------------------------------------
DECISION = {
    "kind": "giay_khen",
    "awarding_body": "UBND xã Liên Sơn Lắk",
    "body_level": "commune",
    "decision_number": "15/QĐ-UBND",
    "decision_date": str(AFTER),
}
CREATE = [
    ("commune_clerk", "team_id", "lien_son_lak", 201),
    ("commune_clerk", "member_id", "san", 201),
    ("commune_clerk", "unit_id", "lien_son_lak", 201),
    ("outsider", "team_id", "dak_pek", 201),
    ("commune_clerk", "team_id", "nam_ka", 404),
    ("commune_clerk", "member_id", "an", 404),
    ("lak_clerk", "unit_id", "lien_son_lak", 404),
    ("leader", "team_id", "lien_son_lak", 403),
    ("leader", "team_id", "dak_pek", 404),  # outside first, read-only second
]


@pytest.mark.parametrize(("who", "key", "name", "status"), CREATE)
def test_award_create_is_scoped_to_jurisdiction(
    client, cast, places, roster, who, key, name, status
):
    client.force_login(cast[who])
    before = row_counts()
    target = getattr(places if key == "unit_id" else roster, name)
    body = {**DECISION, key: target.pk, "collective_name": "Thôn Hòa Bình"}

    response = _post(client, "/api/v1/awards", body)

    assert response.status_code == status
    if status == 201:
        assert response.json()["individual"] is (key == "member_id")
        assert row_counts() == [*before[:3], before[3] + 1, before[4] + 1]
    else:
        assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "team"),
        ({"kind": "huy_hieu", "team_id": "lien_son_lak"}, "kind"),
        ({"team_id": "lien_son_lak", "member_id": "san"}, "member"),
        ({"member_id": "hong", "decision_date": "2005-01-01"}, "member"),
    ],
)
def test_refused_awards_are_422_and_write_nothing(client, commune_clerk, roster, body, field):
    client.force_login(commune_clerk)
    before = row_counts()
    body = {k: getattr(roster, v).pk if k.endswith("_id") else v for k, v in body.items()}

    response = _post(client, "/api/v1/awards", {**DECISION, **body})

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert row_counts() == before


# GET /headcount. --------------------------------------------------------------------------------
HEADCOUNT = [
    ("province_admin", "dak_lak", OLD, 200, 5),
    ("province_admin", "dak_lak", OLD + DAY, 200, 4),
    ("province_admin", "dak_lak", REFORM, 200, 2),
    ("leader", "lak", OLD, 200, 4),
    ("lak_clerk", "lak", REFORM - DAY, 200, 3),
    ("lak_clerk", "lak", REFORM, 404, None),
    ("commune_clerk", "yang_tao", OLD, 200, 2),
    ("commune_clerk", "lien_son_lak", REFORM, 200, 1),
    ("commune_clerk", "nam_ka", OLD, 404, None),
    ("outsider", "dak_pek", OLD, 200, 1),
    ("outsider", "dak_lak", OLD, 404, None),
]


@pytest.mark.parametrize(("who", "target", "on", "status", "total"), HEADCOUNT)
def test_headcount_is_scoped_to_jurisdiction(
    client, cast, places, roster, who, target, on, status, total
):
    client.force_login(cast[who])

    response = client.get("/api/v1/headcount", {"unit": getattr(places, target).pk, "on": on})

    assert response.status_code == status
    if total is not None:
        assert response.json()["total"] == total


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        ("level", {"province": 1, "district": 1, "commune": 3}),
        ("unit", {"66": 1, "656": 1, "24583": 2, "24607": 1}),
        ("gender", {"nam": 3, "nu": 2}),
        ("ethnicity", {"dtts": 3, "ede": 2, "kinh": 2, "mnong": 1}),
    ],
)
def test_headcount_breakdowns_for_a_leader(client, leader, places, roster, by, rows):
    client.force_login(leader)

    body = client.get("/api/v1/headcount", {"unit": places.dak_lak.pk, "on": OLD, "by": by}).json()

    assert {row["key"]: row["count"] for row in body["rows"]} == rows
    assert (body["total"], body["teams"], body["minority"]) == (5, 4, 3)
    assert AuditEntry.objects.filter(action="org.view_ethnicity").count() == 0


def test_headcount_defaults_and_errors(client, commune_clerk, lak_clerk, roster):
    client.force_login(commune_clerk)
    mine = client.get("/api/v1/headcount").json()
    bad = client.get("/api/v1/headcount", {"by": "religion"})

    assert (mine["unit"], mine["total"]) == ("Xã Liên Sơn Lắk", 1)
    assert (bad.status_code, bad.json()["field"]) == (422, "by")

    client.force_login(lak_clerk)  # huyện Lắk no longer exists today
    response = client.get("/api/v1/headcount")
    assert (response.status_code, response.json()["field"]) == (422, "unit")

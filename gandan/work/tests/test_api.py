"""The field-work API (/api/v1/), through the client, for each of the cast.

The same rules as the pages: outside the jurisdiction 404 (a record's unit on its start
date), a leader who writes 403, anonymous callers 401, a broken rule of the domain 422
with a Vietnamese ``detail`` naming the ``field``; a refused call writes nothing.
"""

import json

import pytest

from gandan.indicators.services import IndicatorInput, indicator_create
from gandan.work.models import Activity
from gandan.work.services import work_create
from gandan.work.tests.records import (
    AFTER,
    ON,
    SEES,
    build_records,
    counts,
    matrix,
    rolled_back,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(field):
    return build_records(field)


def _send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _body(records, **extra):
    f = records.places
    body = {
        "type": "pdqc",
        "unit_id": f.yang_tao.pk,
        "start": ON.isoformat(),
        "village_ids": [f.yt_a.pk, f.yt_b.pk],
        "team_ids": [records.team_yang_tao.pk],
        "movements": ["ntm_dtvm"],
        "partners": ["mttq"],
        "participants": 240,
        "values": {"money_vnd": 15000000, "land_m2": "320"},
        "title": "Phát động làm đường",
    }
    return {**body, **extra}


def _names(response, records):
    ids = {
        getattr(records, n).pk: n for n in ["yang_tao", "nam_ka", "last_day", "lien_son", "dak_pek"]
    }
    return {ids[row["id"]] for row in response.json()["items"]}


# Anonymous callers. ---------------------------------------------------------------------------------
CALLS = [
    ("get", "/api/v1/indicators"),
    ("get", "/api/v1/activity-types"),
    ("get", "/api/v1/movements"),
    ("get", "/api/v1/activities"),
    ("get", "/api/v1/activities/{pk}"),
    ("post", "/api/v1/activities"),
    ("put", "/api/v1/activities/{pk}"),
    ("delete", "/api/v1/activities/{pk}"),
    ("get", "/api/v1/works"),
    ("post", "/api/v1/works"),
    ("get", "/api/v1/aggregates"),
    ("post", "/api/v1/aggregates"),
]


def test_anonymous_callers_get_401(client, records):
    before = counts()

    for method, path in CALLS:
        url = path.format(pk=records.yang_tao.pk)
        response = (
            client.get(url) if method == "get" else _send(client, method, url, _body(records))
        )

        assert response.status_code == 401, (method, path)
    assert counts() == before


# The catalogue. ----------------------------------------------------------------------------------


def test_catalogue_is_open_to_the_whole_cast(client, cast):
    for user in cast.values():
        client.force_login(user)
        for url in ("/api/v1/indicators", "/api/v1/activity-types", "/api/v1/movements"):
            assert client.get(url).status_code == 200


def test_catalogue_lists_indicators_types_and_movements(client, commune_clerk):
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_ponds", name_vi="Ao cá", name_en="Fish ponds", unit="ao", group="production",
        aggregation="sum", source="value", position=300,
    ))  # fmt: skip
    client.force_login(commune_clerk)

    indicators = {row["code"]: row for row in client.get("/api/v1/indicators").json()}
    types = client.get("/api/v1/activity-types").json()
    movements = client.get("/api/v1/movements").json()

    assert indicators["money_vnd"]["unit"] == "đồng"
    assert indicators["money_vnd"]["takes_values"] is True
    assert indicators["campaigns"]["takes_values"] is False
    assert indicators["fish_ponds"]["name_vi"] == "Ao cá"
    assert {"code": "pdqc", "name": "Đợt phát động quần chúng"} in types
    assert "ntm_dtvm" in {m["code"] for m in movements}


# Reading activities. -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(SEES))
def test_activity_list_is_scoped_on_the_start_date(client, cast, records, who):
    client.force_login(cast[who])

    response = client.get("/api/v1/activities")

    assert response.status_code == 200
    assert _names(response, records) == set(SEES[who].split())


def test_activity_is_scoped(client, cast, records):
    for who, name, status in matrix():
        client.force_login(cast[who])

        response = client.get(f"/api/v1/activities/{getattr(records, name).pk}")

        assert response.status_code == status, (who, name)
        if status == 404:
            assert response.json() == {"detail": "Không tìm thấy hoạt động."}


def test_activity_reads_in_full(client, commune_clerk, records):
    client.force_login(commune_clerk)

    body = client.get(f"/api/v1/activities/{records.yang_tao.pk}").json()

    f = records.places
    assert body["type"] == "pdqc"
    assert body["unit"] == "Xã Yang Tao"
    assert (body["start"], body["end"]) == ("2012-03-14", "2012-03-14")
    assert sorted(body["village_ids"]) == sorted([f.yt_a.pk, f.yt_b.pk])
    assert body["team_ids"] == [records.team_yang_tao.pk]
    assert body["movements"] == ["ntm_dtvm"]
    assert body["partners"] == ["chinh_quyen", "mttq"]
    assert (body["participants"], body["participants_female"]) == (240, 130)
    assert body["values"] == {"money_vnd": 15000000, "land_m2": 320}


FILTERS = [
    ({"unit": "lien_son_lak"}, {"yang_tao", "last_day", "lien_son"}),
    ({"period": "2012"}, {"yang_tao", "nam_ka"}),
    ({"period": "2012", "date_to": "2012-04-01"}, {"yang_tao"}),
    ({"date_from": "2025-07-01"}, {"lien_son"}),
    ({"type": "tuyen_truyen"}, {"nam_ka"}),
    ({"village": "yt_b"}, {"yang_tao"}),
    ({"team": "team_lien_son"}, {"lien_son"}),
    ({"movement": "ntm_dtvm"}, {"yang_tao"}),
    ({"status": "recorded", "limit": 2}, {"lien_son", "last_day"}),
    ({"offset": 3}, {"yang_tao"}),
]


def test_activity_filters(client, province_admin, records):
    client.force_login(province_admin)
    lookups = {**vars(records), **vars(records.places)}

    for params, names in FILTERS:
        query = {
            k: (lookups[v].pk if k in {"unit", "village", "team"} else v) for k, v in params.items()
        }

        response = client.get("/api/v1/activities", query)

        assert response.status_code == 200
        assert _names(response, records) == names, params


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"period": "2019-13"}, 422, "period"),
        ({"status": "xong"}, 422, "status"),
        ({"limit": 5000}, 422, "limit"),
        ({"offset": 9223372036854775808}, 422, "offset"),
        ({"unit": "nam_ka"}, 404, None),  # the commune clerk never had Nam Ka
    ],
)
def test_bad_activity_filters(client, commune_clerk, records, params, status, named):
    client.force_login(commune_clerk)
    if params.get("unit"):
        params = {"unit": records.places.nam_ka.pk}

    response = client.get("/api/v1/activities", params)

    assert response.status_code == status
    if named:
        assert response.json()["field"] == named


# Writing activities. -----------------------------------------------------------------------------


def test_create_an_activity(client, commune_clerk, records):
    client.force_login(commune_clerk)

    response = _send(client, "post", "/api/v1/activities", _body(records, end="2012-03-15"))

    assert response.status_code == 201
    body = response.json()
    assert body["values"] == {"money_vnd": 15000000, "land_m2": 320}
    activity = Activity.objects.get(pk=body["id"])
    assert (activity.created_by, activity.end.day, activity.status) == (
        commune_clerk,
        15,
        "recorded",
    )


def test_create_for_each_of_the_cast(client, cast, records):
    expected = {
        "province_admin": 201,
        "lak_clerk": 201,
        "commune_clerk": 201,
        "leader": 403,
        "outsider": 404,
    }

    for who, status in expected.items():
        client.force_login(cast[who])
        body = _body(records, team_ids=[])

        with rolled_back():
            response = _send(client, "post", "/api/v1/activities", body)

        assert response.status_code == status, who


REFUSED = [
    ("commune_clerk", {"unit_id": "nam_ka"}, 404, None),
    ("commune_clerk", {"unit_id": "lien_son_lak"}, 404, None),  # not yet in 2012
    ("lak_clerk", {"unit_id": "yang_tao", "start": AFTER.isoformat()}, 404, None),
    ("outsider", {}, 404, None),
    ("leader", {}, 403, None),
    ("commune_clerk", {"village_ids": ["nam_ka_village"]}, 404, None),
    ("commune_clerk", {"team_ids": ["team_nam_ka"]}, 404, None),
    ("commune_clerk", {"village_ids": ["bk_a"]}, 422, "villages"),
    ("commune_clerk", {"values": {"money_vnd": 1500.5}}, 422, "values.money_vnd"),
    ("commune_clerk", {"values": {"money_vnd": -5}}, 422, "values.money_vnd"),
    ("commune_clerk", {"values": {"khong_co": 1}}, 422, "values.khong_co"),
    ("commune_clerk", {"values": {"campaigns": 3}}, 422, "values.campaigns"),
    ("commune_clerk", {"type": "khong_co"}, 422, "type"),
    ("commune_clerk", {"movements": ["khong_co"]}, 422, "movements"),
    ("commune_clerk", {"partners": ["ban_be"]}, 422, "partners"),
    ("commune_clerk", {"participants": -1}, 422, "participants"),
    ("commune_clerk", {"end": "2012-03-01"}, 422, "end"),
    ("commune_clerk", {"status": "xong"}, 422, None),
    ("commune_clerk", {"start": "2012-02-30"}, 422, None),
]


def _resolve(records, change):
    lookups = {**vars(records), **vars(records.places)}
    out = {}
    for key, value in change.items():
        if key == "unit_id":
            value = lookups[value].pk
        elif key in {"village_ids", "team_ids"}:
            value = [lookups[v].pk for v in value]
        out[key] = value
    return out


def test_refused_activities_write_nothing(client, cast, records):
    before = counts()

    for who, change, status, named in REFUSED:
        client.force_login(cast[who])
        body = _body(records, **_resolve(records, change))

        response = _send(client, "post", "/api/v1/activities", body)

        assert response.status_code == status, (who, change)
        assert counts() == before
        if named:
            assert response.json()["field"] == named


def test_an_indicator_added_by_an_admin_is_recorded_through_the_api(client, commune_clerk, records):
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_ponds", name_vi="Ao cá", name_en="Fish ponds", unit="ao", group="production",
        aggregation="sum", source="value", position=300,
    ))  # fmt: skip
    client.force_login(commune_clerk)

    response = _send(client, "post", "/api/v1/activities", _body(records, values={"fish_ponds": 4}))

    assert response.status_code == 201
    assert response.json()["values"] == {"fish_ponds": 4}


def test_update_is_scoped(client, cast, records):
    for who, name, status in matrix(write=True):
        client.force_login(cast[who])
        activity = getattr(records, name)
        body = {
            "type": activity.type.code,
            "unit_id": activity.unit_id,
            "start": activity.start.isoformat(),
            "participants": 7,
        }

        with rolled_back():
            response = _send(client, "put", f"/api/v1/activities/{activity.pk}", body)
            changed = Activity.objects.get(pk=activity.pk).participants == 7

        assert response.status_code == status, (who, name)
        assert changed is (status == 200), (who, name)


def test_update_cannot_move_a_record_out_of_the_jurisdiction(client, commune_clerk, records):
    client.force_login(commune_clerk)
    body = _body(records, unit_id=records.places.nam_ka.pk, village_ids=[], team_ids=[])

    response = _send(client, "put", f"/api/v1/activities/{records.yang_tao.pk}", body)

    assert response.status_code == 404
    assert Activity.objects.get(pk=records.yang_tao.pk).unit == records.places.yang_tao


def test_delete_is_scoped(client, cast, records):
    for who, name, status in matrix(write=True):
        client.force_login(cast[who])
        pk = getattr(records, name).pk

        with rolled_back():
            response = client.delete(f"/api/v1/activities/{pk}")
            deleted = not Activity.objects.filter(pk=pk).exists()

        assert response.status_code == (204 if status == 200 else status), (who, name)
        assert deleted is (status == 200), (who, name)


# Works and paper totals. -------------------------------------------------------------------------


def test_works_are_scoped_and_created_inside_the_jurisdiction(client, cast, records):
    f = records.places
    road = work_create(actor=None, name="Đường buôn Yang Lah", kind="road", place=f.yt_a)
    client.force_login(cast["commune_clerk"])
    body = {
        "name": "Cầu buôn Akŏ",
        "kind": "bridge",
        "place_id": f.yt_b.pk,
        "started_on": "2012-01-05",
    }

    created = _send(client, "post", "/api/v1/works", body)
    outside = _send(client, "post", "/api/v1/works", {**body, "place_id": f.nam_ka.pk})
    bad_kind = _send(client, "post", "/api/v1/works", {**body, "kind": "tower"})

    assert created.status_code == 201
    assert created.json()["place"] == "Buôn Akŏ Dhŏng"
    assert (outside.status_code, bad_kind.status_code) == (404, 422)
    assert bad_kind.json()["field"] == "kind"
    assert client.get(f"/api/v1/works/{road.pk}").json()["contributions"] == {}
    assert {w["name"] for w in client.get("/api/v1/works").json()["items"]} == {
        "Đường buôn Yang Lah",
        "Cầu buôn Akŏ",
    }
    client.force_login(cast["outsider"])
    assert client.get(f"/api/v1/works/{road.pk}").status_code == 404
    assert client.get("/api/v1/works").json() == {"items": [], "count": 0}
    client.force_login(cast["leader"])
    assert _send(client, "post", "/api/v1/works", body).status_code == 403
    client.force_login(cast["province_admin"])
    assert client.get(f"/api/v1/works/{road.pk}").status_code == 200
    assert (
        _send(client, "post", "/api/v1/works", {**body, "place_id": f.nam_ka.pk}).status_code == 201
    )
    client.force_login(cast["lak_clerk"])
    assert client.get(f"/api/v1/works/{road.pk}").status_code == 200


def test_paper_totals_are_scoped_and_accepted_over_records(client, cast, records):
    f = records.places
    client.force_login(cast["lak_clerk"])
    body = {
        "indicator": "campaigns", "unit_id": f.lak.pk, "period_start": "2004-07-05",
        "period_end": "2008-12-31", "period_label": "2004 - 2008", "value": 5700,
        "qualifier": "tren", "source_number": "45-BC/HU", "source_date": "2009-01-10",
    }  # fmt: skip

    created = _send(client, "post", "/api/v1/aggregates", body)
    over_records = _send(
        client,
        "post",
        "/api/v1/aggregates",
        {**body, "period_end": "2012-12-31", "period_start": "2009-01-01"},
    )
    twice = _send(client, "post", "/api/v1/aggregates", body)

    assert created.status_code == 201
    assert created.json()["value"] == 5700
    assert created.json()["qualifier"] == "tren"
    assert over_records.status_code == 201  # the engine resolves totals over records
    assert twice.status_code == 422
    assert "trùng thời gian" in twice.json()["detail"]
    entry = created.json()["id"]
    assert [
        e["id"]
        for e in client.get("/api/v1/aggregates", {"indicator": "campaigns"}).json()["items"]
    ] == [over_records.json()["id"], entry]  # newest period first
    for who, status in (("commune_clerk", 404), ("outsider", 404), ("leader", 200)):
        client.force_login(cast[who])
        assert client.get(f"/api/v1/aggregates/{entry}").status_code == status
    client.force_login(cast["leader"])
    assert _send(client, "post", "/api/v1/aggregates", body).status_code == 403
    client.force_login(cast["commune_clerk"])
    assert _send(client, "post", "/api/v1/aggregates", body).status_code == 404
    assert client.get("/api/v1/aggregates").json() == {"items": [], "count": 0}
    client.force_login(cast["province_admin"])
    assert client.get(f"/api/v1/aggregates/{entry}").status_code == 200
    other = {**body, "indicator": "vegetable_gardens", "value": 120}
    assert _send(client, "post", "/api/v1/aggregates", other).status_code == 201

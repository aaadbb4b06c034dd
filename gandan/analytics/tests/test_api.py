"""``/api/v1/analytics`` through the client, for each of the cast.

The same parameters and rules as the pivot page: outside the jurisdiction a unit is 404,
anonymous callers get 401, a parameter that cannot be answered is 422 with a Vietnamese
``detail`` naming the ``field``.
"""

import pytest

from gandan.analytics.tests.conftest import REFORM, WINDOW
from gandan.analytics.tests.test_views import ANALYSE
from gandan.tests.cast import statuses

pytestmark = pytest.mark.django_db

URL = "/api/v1/analytics"


@pytest.mark.parametrize(("who", "target", "status"), statuses(ANALYSE))
def test_analytics_is_scoped_to_jurisdiction(client, cast, places, who, target, status):
    client.force_login(cast[who])

    response = client.get(URL, {"unit": getattr(places, target).pk})

    assert response.status_code == status
    if status == 404:
        assert response.json()["detail"] == "Không tìm thấy đơn vị."


def test_anonymous_callers_get_401(client, places):
    assert client.get(URL, {"unit": places.lak.pk}).status_code == 401


def test_rows_carry_values_qualifiers_and_the_rules_used(client, commune_clerk, history):
    client.force_login(commune_clerk)

    response = client.get(
        URL,
        WINDOW
        | {
            "unit": history.lien_son_lak.pk,
            "boundaries": REFORM.isoformat(),
            "indicator": ["campaigns", "villages_reached", "vegetable_gardens"],
            "by": "year",
        },
    )

    body = response.json()
    assert response.status_code == 200
    assert body["boundaries"] == "2025-07-01"
    assert body["split_rule"] == "default_successor"
    assert "01/07/2025" in body["boundary_rule"]
    assert [u["id"] for u in body["units"]] == [history.lien_son_lak.pk]
    assert len(body["periods"]) == 22  # 2004 … 2025
    rows = {(r["unit_id"], r["period"], r["indicator"]): r for r in body["rows"]}
    total = rows[(None, None, "campaigns")]
    assert total["value"] == 4
    assert rows[(history.lien_son_lak.pk, "2010", "villages_reached")]["value"] == 2
    # Yang Lah was reached in 2010 and 2015, Akŏ Dhŏng in 2010 and 2025: each counts once
    assert rows[(history.lien_son_lak.pk, None, "villages_reached")]["value"] == 3
    gardens = rows[(None, None, "vegetable_gardens")]
    assert (gardens["value"], gardens["qualifier"], gardens["text"]) == (5700, "tren", "trên 5.700")
    assert gardens["from_aggregates"] is True
    assert body["query"].startswith(f"unit={history.lien_son_lak.pk}&drill=self")


def test_children_under_recorded_boundaries(client, lak_clerk, history):
    client.force_login(lak_clerk)

    body = client.get(URL, WINDOW | {"unit": history.lak.pk, "indicator": "campaigns"}).json()

    assert body["boundaries"] == "recorded"  # Lắk no longer exists today
    assert body["drill"] == "children"
    names = {u["name"] for u in body["units"]}
    assert {"Xã Yang Tao", "Xã Bông Krang", "Xã Nam Ka"} <= names
    rows = {(r["unit_id"], r["period"]): r["value"] for r in body["rows"]}
    assert rows[(None, None)] == 4  # Yang Tao ×2, Bông Krang, Nam Ka; not Ea Kao


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"from": "2019-02-30"}, "from", "Ngày không hợp lệ"),
        ({"from": "2020-01-01", "to": "2019-01-01"}, "to", "phải từ ngày «từ» trở đi"),
        ({"indicator": "nope"}, "indicator", "Không có chỉ tiêu mã «nope»"),
        ({"by": "week"}, "by", "Giá trị không hợp lệ"),
        ({"regime": "lunar"}, "regime", "Giá trị không hợp lệ"),
        ({"unit": "abc"}, "unit", "Đơn vị phải là mã số"),
        ({"drill": "up"}, "drill", "Cách xem đơn vị không hợp lệ"),
        ({"boundaries": "2025-07-01"}, "boundaries", "không có hiệu lực vào ngày 01/07/2025"),
        ({"boundaries": "date"}, "boundaries_on", "Thiếu ngày"),
        ({"drill": "legacy", "boundaries": "2019-01-01"}, "drill", "như khi ghi nhận"),
        ({"from": "1900-01-01", "by": "month"}, "by", "Quá nhiều kỳ"),
    ],
)
def test_bad_parameters_are_422_in_vietnamese(client, lak_clerk, places, query, field, words):
    client.force_login(lak_clerk)

    response = client.get(URL, {"unit": places.lak.pk} | query)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert words in response.json()["detail"]


def test_openapi_describes_the_parameters(client, province_admin):
    client.force_login(province_admin)

    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/analytics"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"unit", "drill", "from", "to", "by", "regime", "indicator", "boundaries"} <= names
    assert "như khi ghi nhận" in operation["description"]

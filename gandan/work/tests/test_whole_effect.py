"""Records and paper totals lie within their unit's life and the writer's jurisdiction for
all their days, not only the first (issue 13: an activity in xã Yang Tao, which ended on
1-7-2025, was accepted running to 30-6-2026, and a paper total to 31-5-2026)."""

import json

import pytest

from gandan.work.tests.records import build_records, counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(field):
    return build_records(field)


def _send(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_an_activity_may_not_outlive_its_commune(client, commune_clerk, records):
    # given xã Yang Tao, which ended on 1-7-2025 (merged into Liên Sơn Lắk)
    client.force_login(commune_clerk)
    places = records.places
    body = {
        "type": "pdqc", "unit_id": places.yang_tao.pk, "start": "2025-06-01",
        "end": "2026-06-30", "village_ids": [], "team_ids": [], "participants": 10,
    }  # fmt: skip
    before = counts()

    # when an activity there runs to 30-6-2026
    response = _send(client, "/api/v1/activities", body)

    # then it is refused, naming the commune's last day, and nothing is written
    assert response.status_code == 422
    assert response.json()["field"] == "end"
    assert "chỉ có hiệu lực đến hết ngày 30/06/2025" in response.json()["detail"]
    assert counts() == before
    # and the same activity ending on the commune's last day is accepted
    assert _send(client, "/api/v1/activities", {**body, "end": "2025-06-30"}).status_code == 201


def test_a_paper_total_may_not_outlive_its_commune(client, commune_clerk, records):
    client.force_login(commune_clerk)
    body = {
        "indicator": "campaigns", "unit_id": records.places.yang_tao.pk,
        "period_start": "2025-01-01", "period_end": "2026-05-31", "period_label": "2025 - 2026",
        "value": 3, "qualifier": "exact", "source_number": "7-BC", "source_date": "2026-06-01",
    }  # fmt: skip
    before = counts()

    response = _send(client, "/api/v1/aggregates", body)

    assert response.status_code == 422
    assert response.json()["field"] == "period_end"
    assert "30/06/2025" in response.json()["detail"]
    assert counts() == before
    ok = _send(client, "/api/v1/aggregates", {**body, "period_end": "2025-06-30"})
    assert ok.status_code == 201

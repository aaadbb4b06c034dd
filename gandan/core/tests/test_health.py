"""The health endpoints a load balancer asks, without a login."""

import pytest

pytestmark = pytest.mark.django_db


def test_liveness_needs_no_login_and_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_asks_the_primary(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "primary": "ok"}


def test_without_a_replica_reads_stay_on_the_primary(client, province_admin):
    client.force_login(province_admin)

    response = client.get("/api/v1/units?limit=1")

    assert response.status_code == 200
    assert "X-Gandan-Read-From" not in response

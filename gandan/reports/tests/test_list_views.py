"""The report list and its htmx fragment, through the client, for the cast: each user sees
the reports of their jurisdiction, filtered, in a constant number of queries."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandan.reports import services

pytestmark = pytest.mark.django_db


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _text(response, selector):
    found = _html(response).select_one(selector)
    return found.get_text(" ", strip=True) if found is not None else None


LISTS = {
    "province_admin": ["Huyện Lắk", "Xã Yang Tao", "Xã Liên Sơn Lắk"],
    "lak_clerk": ["Huyện Lắk", "Xã Yang Tao"],
    "commune_clerk": ["Xã Yang Tao", "Xã Liên Sơn Lắk"],
    "leader": ["Huyện Lắk", "Xã Yang Tao", "Xã Liên Sơn Lắk"],
    "outsider": [],
}


def _listed(response):
    return sorted(
        td.get_text(strip=True) for td in _html(response).select("#reports td:nth-of-type(2)")
    )


@pytest.mark.parametrize("who", LISTS)
@pytest.mark.parametrize(
    ("url", "htmx"), [("/reports/", False), ("/reports/", True), ("/reports/results/", True)]
)
def test_the_list_is_scoped_to_jurisdiction(client, cast, reports, who, url, htmx):
    client.force_login(cast[who])

    response = client.get(url, headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 200
    assert _listed(response) == sorted(LISTS[who])
    assert (_html(response).select_one("form#report-filters") is not None) is (not htmx)


def test_the_list_filters_and_pushes_the_page_url(client, province_admin, reports):
    services.report_submit(actor=None, report=reports.commune)
    client.force_login(province_admin)

    by_status = client.get(
        "/reports/results/", {"status": "submitted"}, headers={"HX-Request": "true"}
    )
    by_period = client.get("/reports/", {"period": "2025"})
    by_unit = client.get("/reports/", {"unit": reports.district.unit_id, "regime": "yearly"})
    other_regime = client.get("/reports/", {"regime": "monthly"})

    assert _listed(by_status) == ["Xã Yang Tao"]
    assert by_status["HX-Push-Url"] == "/reports/?status=submitted"
    assert _listed(by_period) == ["Xã Liên Sơn Lắk"]
    assert _listed(by_unit) == ["Huyện Lắk"]
    assert _listed(other_regime) == []


def test_a_bad_filter_is_400_with_the_reason(client, province_admin, reports):
    client.force_login(province_admin)

    response = client.get("/reports/", {"status": "lost"})

    assert response.status_code == 400
    assert "Trạng thái" in _text(response, ".alert")


def test_the_list_queries_do_not_grow_with_the_reports(client, province_admin, reports, field):
    client.force_login(province_admin)
    client.get("/reports/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reports/").status_code == 200
        return len(queries)

    before = count()
    for period in ("2018", "2017", "2016"):
        services.report_create(
            actor=None, regime=reports.commune.regime, unit=field.bong_krang, period=period
        )
    assert count() == before

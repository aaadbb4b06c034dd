"""A new report, and the completeness dashboard, through the client, for the cast.

The units offered are the user's own on the period's last day; a leader may not create
(403); a unit that was never the user's is 404 on the dashboard.
"""

import pytest
from bs4 import BeautifulSoup

from gandan.reports import services
from gandan.reports.models import Report

pytestmark = pytest.mark.django_db

NEW = {"regime": "quarterly", "period": "2019-Q3"}


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _options(response, select="#id_unit"):
    return [
        o.get_text(strip=True) for o in _html(response).select(f"{select} option") if o["value"]
    ]


def _errors(response):
    """Each field in error with its label, and the errors of the whole form."""
    page = _html(response)
    return " ".join(e.get_text(" ", strip=True) for e in page.select(".has-error, .alert"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("province_admin", 200),
        ("lak_clerk", 200),
        ("commune_clerk", 200),
        ("leader", 403),
        ("outsider", 200),
    ],
)
def test_the_new_report_page_is_for_writers(client, cast, who, status):
    client.force_login(cast[who])

    assert client.get("/reports/new/").status_code == status
    assert client.post("/reports/new/", NEW).status_code == (403 if status == 403 else 400)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("who", "period", "units"),
    [
        # the 2025 commune reports for the legacy communes merged into it, and for itself
        (
            "commune_clerk",
            "2019-Q3",
            [
                "Xã Bông Krang (đến 30/06/2025)",
                "Thị trấn Liên Sơn (đến 30/06/2025)",
                "Xã Yang Tao (đến 30/06/2025)",
            ],
        ),
        ("commune_clerk", "2025-Q4", ["Xã Liên Sơn Lắk"]),
        ("lak_clerk", "2025-Q4", []),
        ("outsider", "2019-Q3", ["Tỉnh Kon Tum", "Huyện Đắk Glei", "Xã Đắk Pék"]),
    ],
)
def test_the_units_offered_are_the_users_on_the_last_day(client, cast, who, period, units):
    client.force_login(cast[who])

    response = client.get("/reports/new/", {**NEW, "period": period})

    assert _options(response) == units


def test_the_units_are_a_tree_for_the_district(client, lak_clerk):
    client.force_login(lak_clerk)

    page = _html(client.get("/reports/new/", NEW))

    options = [o.get_text() for o in page.select("#id_unit option") if o["value"]]
    assert options[0] == "Huyện Lắk (đến 30/06/2025)"
    assert len(options) == 12
    assert all(o.startswith("\u00a0" * 4) and not o[4:].startswith("\u00a0") for o in options[1:])


def test_a_commune_creates_a_report_filled_from_the_records(client, commune_clerk, campaign):
    client.force_login(commune_clerk)

    response = client.post(
        "/reports/new/", {"regime": "quarterly", "period": "2019-Q1", "unit": campaign.unit_id}
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert (report.unit, report.period_label, report.created_by) == (
        campaign.unit,
        "quý I năm 2019",
        commune_clerk,
    )
    assert "tổ chức 1 đợt phát động quần chúng" in report.sections["ket_qua"]
    assert list(report.events.values_list("action", flat=True)) == ["create"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"period": "2019-Q5"}, "Kỳ không hợp lệ: «2019-Q5»"),
        ({"period": "2019"}, "báo cáo theo kỳ «quarter», không theo «2019»"),
        ({"regime": "lost"}, "Chế độ báo cáo"),
        ({"unit": ""}, "Đơn vị báo cáo"),
    ],
)
def test_a_bad_new_report_is_400_with_the_reason(client, commune_clerk, places, body, message):
    client.force_login(commune_clerk)

    response = client.post("/reports/new/", {**NEW, "unit": places.yang_tao.pk, **body})

    assert response.status_code == 400
    assert message in _errors(response)
    assert not Report.objects.exists()


def test_a_unit_outside_the_jurisdiction_is_not_offered(client, commune_clerk, places):
    client.force_login(commune_clerk)

    response = client.post("/reports/new/", {**NEW, "unit": places.nam_ka.pk})

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_second_report_for_the_same_period_is_refused(client, commune_clerk, places):
    client.force_login(commune_clerk)
    body = {**NEW, "unit": places.yang_tao.pk}

    client.post("/reports/new/", body)
    response = client.post("/reports/new/", body)

    assert response.status_code == 400
    assert "Đã có báo cáo «Báo cáo quý» quý III năm 2019 của Xã Yang Tao." in _errors(response)
    assert Report.objects.count() == 1


# Completeness and timeliness. -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "query", "status"),
    [
        ("province_admin", {}, 200),
        ("lak_clerk", {}, 200),
        ("commune_clerk", {}, 200),
        ("leader", {}, 200),
        ("outsider", {}, 200),
        ("province_admin", {"unit": "lak"}, 200),
        ("leader", {"unit": "lak"}, 200),
        ("commune_clerk", {"unit": "lak"}, 404),
        ("outsider", {"unit": "lak"}, 404),
    ],
)
def test_the_dashboard_is_scoped_to_jurisdiction(client, cast, places, reports, who, query, status):
    client.force_login(cast[who])
    params = {"regime": "yearly", "period": "2019"}
    if query:
        params["unit"] = getattr(places, query["unit"]).pk

    assert client.get("/reports/completeness/", params).status_code == status


def test_the_dashboard_shows_who_is_missing_who_was_late_and_the_rates(client, lak_clerk, reports):
    services.report_submit(actor=None, report=reports.commune)  # years after the deadline
    client.force_login(lak_clerk)

    page = _html(client.get("/reports/completeness/", {"regime": "yearly", "period": "2019"}))

    assert page.select_one("#id_unit option[selected]").get_text() == "Huyện Lắk (đến 30/06/2025)"
    assert [li.a.get_text() for li in page.select("#late li")] == ["Xã Yang Tao"]
    missing = [li.get_text(strip=True) for li in page.select("#missing li")]
    assert len(missing) == 10
    assert "Xã Bông Krang" in missing
    rates = page.select_one("#rates").get_text(" ", strip=True)
    assert "1/11" in rates
    assert "0%" in rates
    assert page.select_one(f"a[href='/reports/{reports.district.pk}/']") is not None


def test_after_2025_the_province_follows_its_communes(client, province_admin, reports):
    services.report_submit(actor=None, report=reports.commune_2025)
    client.force_login(province_admin)

    page = _html(client.get("/reports/completeness/", {"regime": "yearly", "period": "2025"}))

    assert page.select_one("#id_unit option[selected]").get_text() == "Tỉnh Đắk Lắk"
    rows = {tr.td.get_text(strip=True) for tr in page.select("#child-table tbody tr")}
    assert "Xã Liên Sơn Lắk" in rows
    assert not any(row.startswith("Huyện") for row in rows)


def test_a_commune_has_no_level_below_to_follow(client, commune_clerk):
    client.force_login(commune_clerk)

    response = client.get("/reports/completeness/", {"regime": "yearly", "period": "2025"})

    assert response.status_code == 200
    assert "không có đơn vị nào tổng hợp" in _html(response).select_one("#no-units").get_text()


def test_a_bad_period_on_the_dashboard_is_400(client, lak_clerk):
    client.force_login(lak_clerk)

    response = client.get("/reports/completeness/", {"regime": "yearly", "period": "2019-13"})

    assert response.status_code == 400
    assert "Kỳ không hợp lệ" in _errors(response)


def test_a_period_written_in_words_makes_and_finds_the_report(client, commune_clerk, campaign):
    client.force_login(commune_clerk)

    response = client.post(
        "/reports/new/", {"regime": "quarterly", "period": "Quý 1/2019", "unit": campaign.unit_id}
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert (report.period_code, report.period_label) == ("2019-Q1", "quý I năm 2019")
    listed = client.get("/reports/", {"period": "quý I năm 2019"}).content.decode()
    assert f"/reports/{report.pk}/" in listed
    assert (
        f"/reports/{report.pk}/"
        not in client.get("/reports/", {"period": "Q2/2019"}).content.decode()
    )

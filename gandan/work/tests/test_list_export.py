""" "Xuất Excel" on the activity list: the records the user sees, as the page filters them,
with formula-like text inert and numbers as numbers."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from gandan.work.services import activity_create
from gandan.work.tests.records import SEES, build_records

pytestmark = pytest.mark.django_db
URL = "/activities/export.xlsx"
STARTS = {
    "2012-03-14": "yang_tao",
    "2012-05-02": "nam_ka",
    "2025-06-30": "last_day",
    "2025-08-15": "lien_son",
    "2012-06-01": "dak_pek",
}


@pytest.fixture
def records(field):
    return build_records(field)


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))["Hoạt động"]


def _exported(response) -> set[str]:
    rows = list(_sheet(response).iter_rows(min_row=2, values_only=True))
    return {STARTS[row[0].date().isoformat()] for row in rows}


@pytest.mark.parametrize("who", list(SEES))
def test_each_user_exports_only_the_records_they_see(client, cast, records, who):
    client.force_login(cast[who])

    assert _exported(client.get(URL)) == set(SEES[who].split())


def test_the_filters_of_the_page_are_honoured(client, province_admin, records):
    client.force_login(province_admin)
    places = records.places

    assert _exported(client.get(URL, {"period": "2012"})) == {"yang_tao", "nam_ka"}
    assert _exported(client.get(URL, {"type": "tuyen_truyen"})) == {"nam_ka"}
    assert _exported(client.get(URL, {"unit": places.lien_son_lak.pk})) == {
        "yang_tao",
        "last_day",
        "lien_son",
    }
    assert _exported(client.get(URL, {"village": places.yt_b.pk})) == {"yang_tao"}


def test_a_unit_outside_the_jurisdiction_is_refused_not_exported(client, outsider, records):
    client.force_login(outsider)

    response = client.get(URL, {"unit": records.places.lien_son_lak.pk})

    assert response.status_code == 400
    assert b"PK" not in response.content[:2]


def test_formula_like_text_is_inert_and_numbers_stay_numbers(
    client, province_admin, records, activity_input
):
    activity_create(
        actor=None,
        data=activity_input(
            records.places.yang_tao,
            datetime.date(2013, 1, 8),
            participants=1350,
            values={"money_vnd": "15000000"},
            title='=HYPERLINK("x")',
        ),
    )
    client.force_login(province_admin)

    sheet = _sheet(client.get(URL, {"period": "2013"}))

    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    title = row[header.index("Tên hoạt động")]
    assert title.value == '=HYPERLINK("x")'
    assert title.data_type == "s"  # shown as typed, never a formula
    assert title.quotePrefix
    participants = row[header.index("Lượt người")]
    assert participants.value == 1350
    assert participants.data_type == "n"
    assert participants.number_format == "#,##0"
    assert row[0].number_format == "dd/mm/yyyy"
    assert "15.000.000 đồng" in row[header.index("Kết quả")].value


def test_the_list_links_to_the_export_with_its_filters(client, province_admin, records):
    client.force_login(province_admin)

    for url in ("/activities/", "/activities/results/"):
        page = BeautifulSoup(client.get(url, {"period": "2012"}).content, "html.parser")
        link = page.select_one("a#activity-export")
        assert link is not None, url
        assert link["href"] == f"{URL}?period=2012", url


def test_anonymous_visitors_are_sent_to_login(client, records):
    assert client.get(URL).status_code == 302

"""The pivot page, its fragment and xlsx export, and the dashboard, for each of the cast.

Outside a user's jurisdiction a unit does not exist (404). A 2025 commune's clerk sees the
history of the legacy communes merged into it, and nothing else.
"""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from gandan.analytics.tests.conftest import FROM, REFORM, TO, WINDOW
from gandan.indicators.models import Indicator
from gandan.tests.cast import statuses

pytestmark = pytest.mark.django_db

PAGES = [
    "/analytics/pivot/",
    "/analytics/pivot/results/",
    "/analytics/pivot.xlsx",
    "/analytics/dashboard/",
    "/analytics/dashboard/results/",
]
# Who may analyse which unit (boundaries left to the default).
ANALYSE = {
    "province_admin": ("dak_lak lien_son_lak nam_ka phu_yen ea_kao", "dak_pek"),
    "lak_clerk": ("lak nam_ka yang_tao", "lien_son_lak ea_kao dak_lak phu_yen"),
    "commune_clerk": ("lien_son_lak tt_lien_son yang_tao bong_krang", "nam_ka lak dak_lak ea_kao"),
    "leader": ("dak_lak yang_tao phu_yen", "dak_pek"),
    "outsider": ("dak_pek", "dak_lak phu_yen yang_tao lien_son_lak"),
}


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _figures(response, group=None):
    """{row key: {column key: (value, qualifier)}} of the pivot table (of one group of rows,
    by its key, when it has groups)."""
    (found,) = _html(response).select("table.pivot")
    heads = [th["data-key"] for th in found.select("thead th[data-key]")]
    body = found.select_one(f"tbody[data-group='{group}']") if group is not None else found
    return {
        row["data-key"]: {
            head: (Decimal(td["data-value"]), td["data-qualifier"])
            for head, td in zip(heads, row.select("td"), strict=True)
        }
        for row in body.select("tbody tr[data-key]")
    }


def _values(response, column_index=0):
    (found,) = _html(response).select("table.pivot")
    return {
        row["data-key"]: Decimal(row.select("td")[column_index]["data-value"])
        for row in found.select("tbody tr[data-key]")
    }


@pytest.mark.parametrize(("who", "target", "status"), statuses(ANALYSE))
def test_every_analytics_view_is_scoped_to_jurisdiction(client, cast, places, who, target, status):
    client.force_login(cast[who])

    answers = {url: client.get(url, {"unit": getattr(places, target).pk}) for url in PAGES}

    assert {url: r.status_code for url, r in answers.items()} == dict.fromkeys(PAGES, status)


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_2025_commune_sees_its_legacy_history_and_nothing_else(client, commune_clerk, history):
    # given the clerk of Liên Sơn Lắk, under the boundaries of 1-7-2025
    client.force_login(commune_clerk)
    question = WINDOW | {"unit": history.lien_son_lak.pk, "boundaries": REFORM.isoformat()}

    # when they pivot their commune by indicator
    response = client.get("/analytics/pivot/", question | {"rows": "indicator", "cols": "unit"})

    # then Yang Tao's and Bông Krang's campaigns count, Nam Ka's and Ea Kao's do not
    values = _values(response)
    assert values["campaigns"] == 4
    assert values["participants"] == 200 + 150 + 90 + 30
    assert values["villages_reached"] == 3  # Yang Lah, Akŏ Dhŏng, Dơng Băk
    assert values["money_vnd"] == 16_000_000


def test_legacy_drill_lists_the_merged_communes_as_recorded(client, commune_clerk, history):
    client.force_login(commune_clerk)

    response = client.get(
        "/analytics/pivot/",
        WINDOW | {"unit": history.lien_son_lak.pk, "drill": "legacy", "boundaries": "recorded"},
    )

    # then the merged communes with records are listed (thị trấn Liên Sơn has none: hidden)
    rows = _figures(response)
    keys = {str(u.pk) for u in (history.yang_tao, history.bong_krang)}
    assert set(rows) == keys | {str(history.lien_son_lak.pk), "__total__"}
    assert rows[str(history.yang_tao.pk)]["campaigns"][0] == 2
    assert rows["__total__"]["campaigns"][0] == 4
    assert "Đã ẩn 1 dòng" in _html(response).select_one("#pivot-hidden").get_text()

    # and with the empty rows shown, thị trấn Liên Sơn is there, with nothing
    shown = client.get(
        "/analytics/pivot/",
        WINDOW
        | {"unit": history.lien_son_lak.pk, "drill": "legacy", "boundaries": "recorded"}
        | {"empty": "1"},
    )
    rows = _figures(shown)
    assert str(history.tt_lien_son.pk) in rows
    assert {v for v, _q in rows[str(history.tt_lien_son.pk)].values()} == {0}
    assert _html(shown).select_one("#pivot-hidden") is None


def test_the_commune_clerk_cannot_reach_other_communes(client, commune_clerk, history):
    client.force_login(commune_clerk)

    for unit in (history.nam_ka, history.ea_kao, history.lak, history.dak_lak):
        assert client.get("/analytics/pivot/", {"unit": unit.pk}).status_code == 404


def test_drilling_down_from_a_district_and_distinct_totals(client, lak_clerk, history):
    # given huyện Lắk's clerk, as recorded, by year
    client.force_login(lak_clerk)
    question = WINDOW | {"unit": history.lak.pk, "boundaries": "recorded", "by": "year"}

    # when they show villages reached, units × periods
    response = client.get(
        "/analytics/pivot/",
        question | {"indicator": "villages_reached", "rows": "unit", "cols": "period"},
    )

    # then each commune links one level down, and the totals are unions, not sums
    page = _html(response)
    links = {a.get_text(): a["href"] for a in page.select("table.pivot tbody th a")}
    assert f"unit={history.yang_tao.pk}" in links["Xã Yang Tao"]
    yang_tao = _figures(response)[str(history.yang_tao.pk)]
    assert yang_tao["2010"][0] == 2
    assert yang_tao["2015"][0] == 1
    assert yang_tao["__total__"][0] == 2  # Yang Lah counts once
    assert "Xã Ea Kao" not in page.get_text()


def test_the_fragment_pushes_a_shareable_address(client, lak_clerk, history):
    client.force_login(lak_clerk)

    response = client.get(
        "/analytics/pivot/results/",
        {"unit": history.lak.pk, "indicator": "campaigns,participants", "by": "year"},
        headers={"HX-Request": "true"},
    )

    pushed = response["HX-Push-Url"]
    assert pushed.startswith("/analytics/pivot/?")
    assert "boundaries=recorded" in pushed
    assert "indicator=campaigns&indicator=participants" in pushed
    again = client.get(pushed)
    assert _figures(again) == _figures(response)


def test_a_bad_parameter_is_a_vietnamese_error(client, lak_clerk, history):
    client.force_login(lak_clerk)

    for query, words in (
        ({"from": "2019-13-01"}, "Ngày không hợp lệ"),
        ({"indicator": "nope"}, "Không có chỉ tiêu mã «nope»"),
        ({"rows": "unit", "cols": "unit"}, "Hàng và cột phải khác nhau"),
        ({"unit": history.lak.pk, "boundaries": REFORM.isoformat()}, "không có hiệu lực"),
        ({"unit": history.yang_tao.pk, "drill": "children"}, "cấp thấp nhất"),
    ):
        response = client.get("/analytics/pivot/", query)
        assert response.status_code == 400
        assert words in _html(response).select_one(".alert").get_text()
    assert client.get("/analytics/pivot.xlsx", {"by": "week"}).status_code == 400


def test_the_pivot_and_the_dashboard_run_a_bounded_number_of_queries(
    client, province_admin, history, django_assert_max_num_queries
):
    client.force_login(province_admin)
    question = WINDOW | {"unit": history.dak_lak.pk, "boundaries": "recorded"}

    # as recorded, the count does not grow with the records: each source is read once
    with django_assert_max_num_queries(30):
        response = client.get("/analytics/pivot/", question)
    with django_assert_max_num_queries(60):
        dashboard = client.get("/analytics/dashboard/", question)

    assert response.status_code == dashboard.status_code == 200


def test_xlsx_export_has_the_numbers_with_vietnamese_formats(client, commune_clerk, history):
    client.force_login(commune_clerk)
    question = WINDOW | {
        "unit": history.lien_son_lak.pk,
        "boundaries": REFORM.isoformat(),
        "indicator": "campaigns,money_vnd,vegetable_gardens",
    }

    response = client.get("/analytics/pivot.xlsx", question)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert "Xã Liên Sơn Lắk" in rows["Đơn vị: Xã Liên Sơn Lắk"][0].value
    figures = rows["Xã Liên Sơn Lắk"]
    assert [c.value for c in figures[1:4]] == [4, 16_000_000, 5700]
    assert figures[2].number_format == "#,##0"
    assert figures[3].number_format == '"trên "#,##0'


def test_dashboard_trends_comparison_change_and_map(client, lak_clerk, history):
    client.force_login(lak_clerk)

    response = client.get(
        "/analytics/dashboard/",
        {
            "unit": history.lak.pk,
            "from": "2015-01-01",
            "to": "2018-12-31",
            "indicator": "campaigns",
        },
    )

    page = _html(response)
    assert page.select_one("#kpi-campaigns strong").get_text() == "3"
    # the four years before (2011-2014) had no campaign
    assert "+3" in page.select_one("#kpi-campaigns .change").get_text()
    trend = [td.get_text() for td in page.select("#trend-table td.num")]
    assert trend == ["1", "1", "0", "1"]
    compared = {a.get_text(): a for a in page.select("#comparison-table a")}
    assert {"Xã Yang Tao", "Xã Bông Krang", "Xã Nam Ka"} <= set(compared)
    circles = page.select("#commune-map circle")
    assert len(circles) >= 3
    data = json.loads(page.select_one("#dashboard-data").get_text())
    assert data["trend"]["labels"] == ["2015", "2016", "2017", "2018"]


def test_dashboard_figures_change_with_the_boundary_date(client, commune_clerk, history):
    client.force_login(commune_clerk)
    question = WINDOW | {"unit": history.lien_son_lak.pk, "indicator": "campaigns"}

    on_2025 = _html(client.get("/analytics/dashboard/", question | {"boundaries": "2025-07-01"}))
    recorded = _html(client.get("/analytics/dashboard/", question | {"boundaries": "recorded"}))

    assert on_2025.select_one("#kpi-campaigns strong").get_text() == "4"
    assert recorded.select_one("#kpi-campaigns strong").get_text() == "1"
    # as recorded, the comparison shows the commune and its legacy communes
    assert "Xã Yang Tao" in recorded.select_one("#comparison-table").get_text()


def test_page_api_and_summary_give_the_same_figures(client, commune_clerk, history, capsys):
    # given one question: Liên Sơn Lắk, 2004-2025, under the boundaries of 1-7-2025
    client.force_login(commune_clerk)
    codes = list(Indicator.objects.values_list("code", flat=True))
    question = WINDOW | {"unit": history.lien_son_lak.pk, "boundaries": REFORM.isoformat()}

    # when the CLI, the API and the pivot page answer it
    call_command(
        "summary", "--unit", "24580", "--from", FROM.isoformat(), "--to", TO.isoformat(),
        "--boundaries", REFORM.isoformat(), "--json",
    )  # fmt: skip
    cli = json.loads(capsys.readouterr().out)["indicators"]
    api = client.get("/api/v1/analytics", question | {"indicator": ",".join(codes)}).json()
    page = client.get(
        "/analytics/pivot/",
        question
        | {"indicator": codes, "drill": "self", "rows": "indicator", "cols": "unit", "empty": "1"},
    )

    # then the figures and qualifiers agree, indicator by indicator
    from_api = {r["indicator"]: (r["value"], r["qualifier"]) for r in api["rows"]}
    from_page = {k: v for k, row in _figures(page).items() for v in row.values()}
    for code in codes:
        expected = (Decimal(str(cli[code]["value"])), cli[code]["qualifier"])
        assert (Decimal(str(from_api[code][0])), from_api[code][1]) == expected, code
        assert from_page[code] == expected, code
    assert cli["campaigns"]["value"] == 4
    gardens = cli["vegetable_gardens"]
    assert (gardens["value"], gardens["qualifier"], gardens["unit"]) == (5700, "tren", "vườn")
    assert [(s["kind"], s["status"]) for s in gardens["sources"]] == [("paper", "used")]


def test_a_day_outside_the_legacy_lifetime_is_asked_for_as_recorded(client, lak_clerk, places):
    # huyện Lắk ended on 1-7-2025: by default its clerk sees it as recorded
    client.force_login(lak_clerk)

    response = client.get("/analytics/pivot/", {"unit": places.lak.pk})

    assert response.status_code == 200
    assert "như khi ghi nhận" in _html(response).select_one(".badge.boundary").get_text()


def test_the_pivot_export_writes_formula_like_names_inert(client, commune_clerk, history):
    from gandan.tests.xlsx import HOSTILE, assert_inert

    # an administrator named two indicators the way an attacker would
    Indicator.objects.filter(code="campaigns").update(name_vi=HOSTILE[0])
    Indicator.objects.filter(code="money_vnd").update(name_vi=HOSTILE[1])
    client.force_login(commune_clerk)
    question = WINDOW | {
        "unit": history.lien_son_lak.pk,
        "boundaries": REFORM.isoformat(),
        "indicator": "campaigns,money_vnd",
        "rows": "indicator",
        "cols": "unit",
    }

    response = client.get("/analytics/pivot.xlsx", question)

    # then the row labels (name and unit) are inert text, the figures still numbers
    campaigns, money = (
        f"{i.name_vi} ({i.unit})"
        for i in Indicator.objects.filter(code__in=["campaigns", "money_vnd"]).order_by("code")
    )
    assert response.status_code == 200
    assert_inert(response.content, campaigns, money)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    figures = {
        row[0].value: row[1].value
        for row in sheet.iter_rows()
        if row[0].value in (campaigns, money)
    }
    assert figures == {campaigns: 4, money: 16_000_000}
    assert Indicator.objects.get(code="campaigns").name_vi == HOSTILE[0]

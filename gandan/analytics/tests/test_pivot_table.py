"""The pivot as one table (issue 15 §11): grouped rows, hidden empty rows and columns, a
default indicator that has data, totals and subtotals that are the engine's own answers, and
the same shape in Excel."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup

from gandan.analytics.engine import aggregate
from gandan.analytics.selectors import DEFAULT_INDICATORS
from gandan.analytics.tests.conftest import FROM, TO, WINDOW
from gandan.indicators.models import Indicator
from gandan.work.services import aggregate_entry_create

pytestmark = pytest.mark.django_db

BY_YEAR_ACROSS_UNITS = {"by": "year", "rows": "period", "cols": "indicator", "drill": "children"}


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _groups(page):
    """{group key: {row key: {column key: (value, qualifier)}}} of the one pivot table."""
    (table,) = page.select("table.pivot")
    heads = [th["data-key"] for th in table.select("thead th[data-key]")]
    return {
        body["data-group"]: {
            row["data-key"]: {
                head: (Decimal(td["data-value"]), td["data-qualifier"])
                for head, td in zip(heads, row.select("td"), strict=True)
            }
            for row in body.select("tr[data-key]")
        }
        for body in table.select("tbody")
    }


def _paper(indicator, unit, year, value, qualifier="exact"):
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code=indicator), unit=unit,
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
        period_label=f"năm {year}", value=str(value), qualifier=qualifier,
        source_number=f"{year}-BC", source_date=datetime.date(year + 1, 1, 5),
    )  # fmt: skip


def test_periods_across_units_make_one_table_grouped_by_unit(client, lak_clerk, history):
    # given huyện Lắk's clerk, asking for years down the rows, across its communes
    client.force_login(lak_clerk)
    question = WINDOW | {"unit": history.lak.pk, "boundaries": "recorded"}

    # when they ask for campaigns and participants
    response = client.get(
        "/analytics/pivot/",
        question | BY_YEAR_ACROSS_UNITS | {"indicator": ["campaigns", "participants"]},
    )

    # then there is exactly one table: a group per commune with records, then the total
    page = _html(response)
    assert len(page.select("table")) == 1
    groups = _groups(page)
    yang_tao, bong_krang = str(history.yang_tao.pk), str(history.bong_krang.pk)
    assert set(groups) == {yang_tao, bong_krang, str(history.nam_ka.pk), "__total__"}
    assert list(groups)[-1] == "__total__"
    headers = [th.get_text(" ", strip=True) for th in page.select("tr.group th")]
    assert set(headers[:-1]) == {"Xã Yang Tao", "Xã Bông Krang", "Xã Nam Ka"}
    assert headers[-1].startswith("Tổng số")
    # each group holds its years with records, closed by its subtotal over the whole period
    assert list(groups[yang_tao]) == ["2010", "2015", "__total__"]
    assert groups[yang_tao]["__total__"]["campaigns"] == (2, "exact")
    assert groups[yang_tao]["__total__"]["participants"] == (350, "exact")
    assert len(page.select(f"tbody[data-group='{yang_tao}'] tr.subtotal")) == 1
    # and the total group is every year with records in Lắk, then the grand total
    total = groups["__total__"]
    assert list(total) == ["2010", "2015", "2016", "2018", "__total__"]
    assert total["__total__"]["campaigns"] == (4, "exact")
    assert page.select("tbody.total-group tr.total")
    # the commune headers still drill down, and the address, shared, gives the same table
    link = page.select_one(f"tbody[data-group='{yang_tao}'] tr.group a")
    assert f"unit={yang_tao}" in link["href"]
    again = client.get(f"/analytics/pivot/?{response.context['query']}")
    assert _groups(_html(again)) == groups


def test_hiding_empty_rows_and_columns_and_showing_them(client, lak_clerk, history):
    client.force_login(lak_clerk)
    question = WINDOW | {"unit": history.lak.pk, "boundaries": "recorded", "by": "year"}
    question |= {"indicator": ["campaigns", "vegetable_gardens"], "rows": "unit", "cols": "period"}

    hidden = _html(client.get("/analytics/pivot/", question))
    shown = _html(client.get("/analytics/pivot/", question | {"empty": "1"}))

    # by default: only the years and communes with a figure (vegetable gardens: a paper
    # total "trên 5.700" for Yang Tao in 2011), and a note saying how much was hidden
    years = [th["data-key"] for th in hidden.select("thead th[data-key]")]
    assert years == ["2010", "2011", "2015", "2016", "2018", "__total__"]
    assert "Đã ẩn" in hidden.select_one("#pivot-hidden").get_text()
    assert not hidden.select_one("#show-empty input").has_attr("checked")
    gardens = _groups(hidden)["vegetable_gardens"]
    assert set(gardens) == {str(history.yang_tao.pk), "__total__"}
    assert gardens["__total__"]["2011"] == (5700, "tren")
    # with «Hiện cả dòng, cột trống»: every year of the window, every commune, zeros too
    all_years = [th["data-key"] for th in shown.select("thead th[data-key]")]
    assert all_years == [str(y) for y in range(FROM.year, TO.year + 1)] + ["__total__"]
    assert str(history.bong_krang.pk) in _groups(shown)["vegetable_gardens"]
    assert shown.select_one("#show-empty input").has_attr("checked")
    assert shown.select_one("#pivot-hidden") is None
    assert len(shown.select("table")) == 1


def test_an_all_empty_result_says_so_and_what_to_try(client, lak_clerk, history):
    client.force_login(lak_clerk)

    response = client.get(
        "/analytics/pivot/",
        {
            "unit": history.lak.pk,
            "from": "2019-01-01",
            "to": "2019-12-31",
            "indicator": "campaigns",
        },
    )

    page = _html(response)
    assert response.status_code == 200
    assert page.select("table.pivot") == []
    text = page.select_one("#pivot-empty").get_text()
    assert "Không có số liệu nào" in text
    assert "khoảng thời gian dài hơn" in text
    assert "Hiện cả dòng, cột trống" in text
    again = _html(client.get(f"/analytics/pivot/?{response.context['query']}&empty=1"))
    assert len(again.select("table.pivot")) == 1


def test_totals_and_subtotals_keep_qualifiers_and_count_places_once(client, lak_clerk, history):
    # given a paper total «trên 5.700» gardens for Yang Tao in 2011 and 5 for Bông Krang in 2012
    _paper("vegetable_gardens", history.bong_krang, 2012, 5)
    client.force_login(lak_clerk)
    question = WINDOW | {"unit": history.lak.pk, "boundaries": "recorded", "by": "year"}

    # when the district's communes are shown by year (units down, years across)
    response = client.get(
        "/analytics/pivot/",
        question
        | {
            "indicator": ["vegetable_gardens", "villages_reached"],
            "rows": "unit",
            "cols": "period",
        },
    )

    # then the total of «trên 5.700» and 5 is «trên 5.705», in the total row and column
    groups = _groups(_html(response))
    gardens = groups["vegetable_gardens"]
    assert gardens["__total__"]["__total__"] == (5705, "tren")
    assert gardens[str(history.bong_krang.pk)]["__total__"] == (5, "exact")
    assert (
        "trên 5.705"
        in _html(response)
        .select_one("tbody[data-group='vegetable_gardens'] tr.subtotal td:last-child")
        .get_text()
    )
    # and the total still links to its sources: the two paper totals, used
    page = _html(response)
    link = page.select_one("tbody[data-group='vegetable_gardens'] tr.subtotal td:last-child a")
    sources = client.get(link["href"])
    assert sources.status_code == 200
    assert "12-BC/ĐU" in sources.content.decode()
    assert "2012-BC" in sources.content.decode()
    # and villages reached are counted once: Yang Lah in 2010 and 2015 is one village
    villages = groups["villages_reached"]
    yang_tao = villages[str(history.yang_tao.pk)]
    assert (yang_tao["2010"][0], yang_tao["2015"][0]) == (2, 1)
    assert yang_tao["__total__"] == (2, "exact")
    assert villages["__total__"]["__total__"] == (4, "exact")  # and Dơng Băk, Hòa Bình
    # which is what the engine answers for the district itself
    whole = aggregate(
        unit=history.lak, start=FROM, end=TO,
        indicators=Indicator.objects.filter(code__in=["vegetable_gardens", "villages_reached"]),
    )  # fmt: skip
    assert (whole["villages_reached"].value, whole["villages_reached"].qualifier) == (4, "exact")
    assert (whole["vegetable_gardens"].value, whole["vegetable_gardens"].qualifier) == (
        5705,
        "tren",
    )


def test_the_default_indicators_are_those_with_data(client, lak_clerk, history):
    client.force_login(lak_clerk)

    response = client.get("/analytics/pivot/", WINDOW | {"unit": history.lak.pk})

    # campaigns, villages reached, participants and money have records in Lắk; sessions not
    chosen = response.context["params"].indicators
    assert set(chosen) < set(DEFAULT_INDICATORS)
    assert "campaigns" in chosen
    assert "propaganda_sessions" not in chosen
    assert "indicator=campaigns" in response.context["query"]
    assert "indicator=propaganda_sessions" not in response.context["query"]
    checked = {i["value"] for i in _html(response).select("input[name=indicator][checked]")}
    assert checked == set(chosen)


def test_without_data_for_the_defaults_the_first_indicator_with_data(client, lak_clerk, field):
    # given no activity in Lắk, only a paper total of vegetable gardens
    _paper("vegetable_gardens", field.yang_tao, 2011, 5700, "tren")
    client.force_login(lak_clerk)

    response = client.get("/analytics/pivot/", WINDOW | {"unit": field.lak.pk})

    # then the pivot shows vegetable gardens, and says so in its address
    assert response.context["params"].indicators == ("vegetable_gardens",)
    values = [Decimal(td["data-value"]) for td in _html(response).select("table.pivot td")]
    assert Decimal(5700) in values
    pushed = client.get(
        "/analytics/pivot/results/", WINDOW | {"unit": field.lak.pk}, headers={"HX-Request": "true"}
    )["HX-Push-Url"]
    assert "indicator=vegetable_gardens" in pushed


def test_the_excel_export_is_the_same_one_table(client, lak_clerk, history):
    client.force_login(lak_clerk)
    question = WINDOW | {"unit": history.lak.pk, "boundaries": "recorded"}
    question |= BY_YEAR_ACROSS_UNITS | {"indicator": ["campaigns", "participants"]}

    response = client.get("/analytics/pivot.xlsx", question)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    # one header row, then the groups: a row naming the commune, its years, its subtotal
    (header,) = [i for i, r in enumerate(rows) if r[0] == "Kỳ"]
    assert [str(v).split(" (")[0] for v in rows[header][1:]] == [
        Indicator.objects.get(code=c).name for c in ("campaigns", "participants")
    ]
    labels = [r[0] for r in rows[header + 1 :]]
    at = labels.index("Xã Yang Tao")
    assert labels[at + 1 : at + 3] == ["năm 2010", "năm 2015"]
    assert labels[at + 3].startswith("Cả kỳ")
    assert rows[header + 1 + at + 3][1:] == [2, 350]
    assert labels.count("Tổng số (Huyện Lắk)") == 1
    assert rows[-1][1:] == [4, 510]  # the grand total: 4 campaigns, 200 + 150 + 70 + 90 people
    assert sheet.freeze_panes == f"B{header + 2}"


def test_quarters_sit_under_their_years_in_two_header_rows(client, lak_clerk, history):
    client.force_login(lak_clerk)
    question = WINDOW | {"unit": history.lak.pk, "boundaries": "recorded", "by": "quarter"}
    question |= {"indicator": "campaigns", "rows": "unit", "cols": "period"}

    page = _html(client.get("/analytics/pivot/", question))
    every = _html(client.get("/analytics/pivot/", question | {"empty": "1"}))

    # the quarters with campaigns, each under its year, then the whole period
    (bands, quarters) = page.select("table.pivot thead tr")
    assert [th.get_text() for th in bands.select("th")] == [
        "Đơn vị", "năm 2010", "năm 2015", "năm 2016", "năm 2018", "",
    ]  # fmt: skip
    assert [th["data-key"] for th in quarters.select("th")][:2] == ["2010-Q2", "2015-Q2"]
    assert _groups(page)[""][str(history.yang_tao.pk)]["2010-Q2"] == (1, "exact")
    # with the empty columns shown, each year spans its four quarters
    spans = {th.get_text(): th["colspan"] for th in every.select("thead tr.bands th.band")}
    assert spans["năm 2010"] == spans["năm 2025"] == "4"
    # and the workbook has the same two header rows
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/analytics/pivot.xlsx", question).content)
    ).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    (header,) = [i for i, r in enumerate(rows) if r[0] == "Đơn vị"]
    assert rows[header - 1][1:3] == ["năm 2010", "năm 2015"]

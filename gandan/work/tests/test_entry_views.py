"""Entering an activity: the form, validation as you type, and the village choices.

The choices follow the date and the user's jurisdiction; a refused entry is a form error
naming the field (400) that writes nothing; money is whole đồng written the Vietnamese way.
"""

import datetime

import pytest
from bs4 import BeautifulSoup

from gandan.indicators.models import Indicator
from gandan.work.models import Activity, ActivityType
from gandan.work.services import aggregate_entry_create
from gandan.work.tests.records import AFTER, ON, build_records, counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(field):
    return build_records(field)


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _entry(unit, start, villages=(), **extra):
    data = {
        "type": ActivityType.objects.get(code="pdqc").pk,
        "start": start.isoformat(),
        "end": "",
        "unit": unit.pk,
        "villages": [v.pk for v in villages],
        "participants": "240",
        "status": "recorded",
    }
    return {**data, **extra}


def _errors(response):
    """{field name: error text} of a re-rendered form."""
    page = _html(response)
    out = {}
    for box in page.select(".field.has-error"):
        control = box.select_one("[name]")
        out[control["name"]] = box.select_one(".errorlist").get_text(" ", strip=True)
    return out


# The form. ----------------------------------------------------------------------------------------


def test_a_campaign_at_two_villages_with_participants_and_money(client, commune_clerk, records):
    # given the clerk of the 2025 commune, entering a campaign in a legacy commune in 2012
    client.force_login(commune_clerk)
    f = records.places
    data = _entry(
        f.yang_tao,
        ON,
        [f.yt_a, f.yt_b],
        end="2012-03-15",
        teams=[records.team_yang_tao.pk],
        movements=["4"],
        partners=["mttq"],
        participants="1.200",
        participants_female="600",
        v_money_vnd="15.000.000",
        v_labour_days="350",
        title="  Phát động  làm đường ",
    )

    # when they press "Ghi nhận"
    response = client.post("/activities/new/", data)

    # then the record is written once, as typed, and the list says so
    assert response.status_code == 302
    assert response["Location"] == "/activities/"
    activity = Activity.objects.latest("id")
    assert (activity.unit, activity.start, activity.end) == (f.yang_tao, ON, ON.replace(day=15))
    assert set(activity.villages.all()) == {f.yt_a, f.yt_b}
    assert (activity.participants, activity.participants_female) == (1200, 600)
    assert {v.indicator.code: int(v.value) for v in activity.values.all()} == {
        "money_vnd": 15_000_000,
        "labour_days": 350,
    }
    assert (activity.title, activity.status, activity.created_by) == (
        "Phát động làm đường",
        "recorded",
        commune_clerk,
    )
    flash = _html(client.get("/activities/")).select_one(".flash").get_text(" ", strip=True)
    assert flash.startswith("Đã ghi nhận Đợt phát động quần chúng · Xã Yang Tao · 14/03/2012")


def test_a_record_is_kept_where_a_paper_total_exists(client, lak_clerk, records):
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="campaigns"), unit=records.places.lak,
        period_start=datetime.date(2004, 7, 5), period_end=datetime.date(2008, 12, 31),
        period_label="2004 - 2008", value="5700", qualifier="tren", source_number="45-BC/HU",
        source_date=datetime.date(2009, 1, 10),
    )  # fmt: skip
    client.force_login(lak_clerk)
    data = _entry(records.places.nam_ka, datetime.date(2006, 5, 1))

    # the paper total and the record are both sources; the engine never adds them (ADR 0007)
    recorded = client.post("/activities/new/", data)
    draft = client.post("/activities/new/", {**data, "status": "draft"})

    assert (recorded.status_code, draft.status_code) == (302, 302)
    newest = Activity.objects.order_by("-id").values_list("status", flat=True)[:2]
    assert list(newest) == ["draft", "recorded"]


REFUSED = [
    ({"v_money_vnd": "1500,5"}, "v_money_vnd", "phải là số nguyên (đồng)"),
    ({"v_money_vnd": "1.5"}, "v_money_vnd", "dấu chấm chỉ dùng để tách hàng nghìn"),
    ({"v_money_vnd": "15tr"}, "v_money_vnd", "không phải là số"),
    ({"v_money_vnd": "-5"}, "v_money_vnd", "không được âm"),
    ({"v_land_m2": "12,5"}, "v_land_m2", "«12,5» phải là số nguyên"),
    ({"participants": "-3"}, "participants", "Số lượt người không được âm"),
    ({"participants_female": "500"}, "participants", "Số người nữ phải từ 0"),
    ({"participants": "2,5"}, "participants", "«2,5» phải là số nguyên"),
    ({"end": "2012-03-01"}, "end", "Ngày kết thúc phải từ ngày bắt đầu trở đi"),
    ({"start": "14/03/2012"}, "start", ""),
    ({"type": ""}, "type", ""),
    ({"partners": ["ban_be"]}, "partners", ""),
]


def test_refused_entries_name_the_field_and_write_nothing(client, commune_clerk, records):
    client.force_login(commune_clerk)
    before = counts()

    for change, name, message in REFUSED:
        data = {**_entry(records.places.yang_tao, ON), **change}

        response = client.post("/activities/new/", data)

        assert response.status_code == 400, change
        assert message in _errors(response)[name], change
    assert counts() == before


def test_a_non_integer_decimal_is_accepted_where_the_indicator_allows_it(
    client, commune_clerk, records
):
    client.force_login(commune_clerk)

    response = client.post(
        "/activities/new/",
        _entry(records.places.yang_tao, ON, v_roads_km="1,25", v_compost_tonnes="1.234,5"),
    )

    assert response.status_code == 302
    values = {v.indicator.code: str(v.value) for v in Activity.objects.latest("id").values.all()}
    assert values == {"roads_km": "1.250", "compost_tonnes": "1234.500"}


# The commune: only the user's, only those valid on the date. ---------------------------------------
OUTSIDE = [
    ("commune_clerk", "nam_ka", ON),  # never theirs
    ("commune_clerk", "lien_son_lak", ON),  # theirs, but it did not exist in 2012
    ("commune_clerk", "yang_tao", AFTER),  # merged away by then
    ("lak_clerk", "yang_tao", AFTER),  # theirs until 30-6-2025 only
    ("lak_clerk", "lien_son_lak", AFTER),
    ("outsider", "yang_tao", ON),
    ("province_admin", "dak_pek", ON),
]


def test_a_commune_outside_the_jurisdiction_on_the_date_is_refused(client, cast, records):
    before = counts()

    for who, commune, on in OUTSIDE:
        client.force_login(cast[who])

        response = client.post("/activities/new/", _entry(getattr(records.places, commune), on))

        assert response.status_code == 400, (who, commune, on)
        assert "unit" in _errors(response), (who, commune, on)
    assert counts() == before


def test_a_village_of_another_commune_is_refused(client, commune_clerk, records):
    client.force_login(commune_clerk)
    before = counts()
    f = records.places

    response = client.post("/activities/new/", _entry(f.yang_tao, ON, [f.bk_a]))

    assert response.status_code == 400
    assert "villages" in _errors(response)
    assert counts() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_leader_may_not_enter(client, leader, records, method):
    client.force_login(leader)
    before = counts()

    response = getattr(client, method)("/activities/new/", _entry(records.places.yang_tao, ON))

    assert response.status_code == 403
    assert counts() == before


def test_the_form_offers_the_communes_of_the_date(client, commune_clerk, records):
    client.force_login(commune_clerk)

    def communes(start):
        page = _html(client.get("/activities/new/", {"start": start}))
        return [o.get_text() for o in page.select("#id_unit option")][1:]

    assert communes("2012-03-14") == [
        "Xã Bông Krang – Huyện Lắk",
        "Thị trấn Liên Sơn – Huyện Lắk",
        "Xã Yang Tao – Huyện Lắk",
    ]
    assert communes("2025-08-15") == ["Xã Liên Sơn Lắk"]


def test_the_only_commune_of_the_day_is_chosen_with_its_villages_and_teams(
    client, commune_clerk, records
):
    client.force_login(commune_clerk)

    page = _html(client.get("/activities/new/", {"start": AFTER.isoformat()}))

    assert page.select_one("#id_unit option[selected]").get_text() == "Xã Liên Sơn Lắk"
    villages = [label.get_text(strip=True) for label in page.select("#field-villages label")]
    assert villages == ["Buôn Akŏ Dhŏng", "Buôn Dơng Băk", "Thôn Hòa Bình", "Buôn Yang Lah"]
    assert [x.get_text(strip=True) for x in page.select("#field-teams label")] == [
        "Tổ Liên Sơn Lắk"
    ]
    assert page.select_one("#id_type").has_attr("autofocus")


# Village options (htmx). ---------------------------------------------------------------------------
OPTIONS = [
    ("commune_clerk", "yang_tao", ON, ["Akŏ Dhŏng", "Hòa Bình", "Yang Lah"]),
    ("commune_clerk", "yang_tao", datetime.date(2005, 1, 1), ["Akŏ Dhŏng", "Yang Lah"]),
    ("commune_clerk", "yang_tao", datetime.date(2004, 7, 4), []),
    # a commune not theirs that day is replaced by their only commune of the day, if one
    ("commune_clerk", "yang_tao", AFTER, ["Akŏ Dhŏng", "Dơng Băk", "Hòa Bình", "Yang Lah"]),
    ("commune_clerk", "lien_son_lak", AFTER, ["Akŏ Dhŏng", "Dơng Băk", "Hòa Bình", "Yang Lah"]),
    ("commune_clerk", "nam_ka", ON, []),
    ("lak_clerk", "nam_ka", ON, ["Hòa Bình"]),
    ("lak_clerk", "lien_son_lak", AFTER, []),
    ("outsider", "yang_tao", ON, ["Hòa Bình"]),  # of Đắk Pék
    ("province_admin", "nam_ka", ON, ["Hòa Bình"]),
    ("leader", "yang_tao", ON, ["Akŏ Dhŏng", "Hòa Bình", "Yang Lah"]),  # reading is allowed
]


def test_village_options_follow_the_commune_the_date_and_the_jurisdiction(client, cast, records):
    for who, commune, on, names in OPTIONS:
        client.force_login(cast[who])
        params = {"unit": getattr(records.places, commune).pk, "start": on.isoformat()}

        response = client.get("/villages/options/", params, headers={"HX-Request": "true"})

        assert response.status_code == 200
        labels = _html(response).select("#field-villages label")
        found = [label.get_text(strip=True).split(" ", 1)[1] for label in labels]
        assert found == names, (who, commune, on)


def test_a_new_date_brings_that_days_communes_and_keeps_choices_still_valid(
    client, commune_clerk, records
):
    client.force_login(commune_clerk)
    f = records.places
    params = {"unit": f.yang_tao.pk, "start": "2012-05-01", "villages": [f.yt_a.pk]}

    response = client.get(
        "/villages/options/", params, headers={"HX-Request": "true", "HX-Trigger": "field-start"}
    )

    page = _html(response)
    assert page.select_one("#field-unit")["hx-swap-oob"] == "true"
    assert page.select_one("#id_unit option[selected]").get_text() == "Xã Yang Tao – Huyện Lắk"
    assert [i["value"] for i in page.select("#field-villages input[checked]")] == [str(f.yt_a.pk)]
    assert page.select_one("#field-teams")["hx-swap-oob"] == "true"
    # a change of commune leaves the commune list alone
    other = client.get(
        "/villages/options/", params, headers={"HX-Request": "true", "HX-Trigger": "field-unit"}
    )
    assert _html(other).select_one("#field-unit") is None


# Validation as you type. ---------------------------------------------------------------------------


def _check(client, data):
    response = client.post("/activities/check/", data)
    assert response.status_code == 200
    page = _html(response)
    alert, warning = page.select_one("[role=alert]"), page.select_one(".warning")
    return (
        alert.get_text(" ", strip=True) if alert else "",
        warning.get_text(" ", strip=True) if warning else "",
        page.get_text(" ", strip=True),
    )


def test_check_names_the_field_and_writes_nothing(client, commune_clerk, records):
    client.force_login(commune_clerk)
    before = counts()
    f = records.places

    alert, _warning, _text = _check(client, _entry(f.yang_tao, ON, [f.yt_a], v_money_vnd="1500,5"))

    assert alert == (
        "Tiền nhân dân đóng góp xây dựng nông thôn mới (đồng): "
        "«1500,5»: tiền phải là số nguyên (đồng), không có phần lẻ."
    )
    assert counts() == before


def test_check_passes_a_good_entry_and_warns_of_implausible_figures(client, commune_clerk, records):
    client.force_login(commune_clerk)
    f = records.places

    good = _check(client, _entry(f.yang_tao, ON, [f.yt_a], v_money_vnd="15.000.000"))
    crowded = _check(client, _entry(f.yang_tao, ON, [f.yt_a, f.yt_b], participants="40.000"))

    assert good[0] == ""
    assert good[1] == ""
    assert "Hợp lệ" in good[2]
    assert "40.000 lượt người ở 2 thôn, buôn" in crowded[1]
    assert crowded[0] == ""


def test_check_lists_what_is_missing_without_shouting(client, commune_clerk, records):
    client.force_login(commune_clerk)

    alert, _warning, text = _check(client, {"start": "2012-03-14", "v_money_vnd": "abc"})

    assert "«abc» không phải là số" in alert
    assert "Còn thiếu: Loại hoạt động, Xã, phường, thị trấn" in text


CHECKS = [
    ("province_admin", ""),
    ("lak_clerk", ""),
    ("commune_clerk", ""),
    ("outsider", "Xã, phường, thị trấn: "),  # Yang Tao is not among their communes
]


def test_check_for_each_of_the_cast(client, cast, records):
    f = records.places
    before = counts()

    for who, problem in CHECKS:
        client.force_login(cast[who])

        alert, _warning, _text = _check(client, _entry(f.yang_tao, ON, [f.yt_a]))

        assert alert.startswith(problem) if problem else alert == "", who
    assert counts() == before


def test_check_is_for_those_who_write(client, leader, records):
    client.force_login(leader)

    response = client.post("/activities/check/", _entry(records.places.yang_tao, ON))

    assert response.status_code == 403
    assert client.get("/activities/check/").status_code == 405


# An indicator an administrator adds shows up in the form. ----------------------------------------


def test_an_indicator_added_on_the_catalogue_page_is_entered_through_the_form(
    client, province_admin, commune_clerk, records
):
    # given the province's administrator adds "Ao cá" on the catalogue page
    client.force_login(province_admin)
    added = client.post(
        "/indicators/new/",
        {
            "code": "fish_ponds", "name_vi": "Ao cá", "name_en": "Fish ponds", "unit": "ao",
            "group": "production", "aggregation": "sum", "source": "value",
            "integer_only": "on", "position": "300",
        },
    )  # fmt: skip
    assert added.status_code == 302, _html(added).select(".errorlist")

    # when a commune clerk opens the entry form and uses it
    client.force_login(commune_clerk)
    form = _html(client.get("/activities/new/", {"start": "2012-03-14"}))
    box = form.select_one("#id_v_fish_ponds").find_parent("fieldset")
    response = client.post(
        "/activities/new/", _entry(records.places.yang_tao, ON, v_fish_ponds="12")
    )

    # then it is offered with its group and recorded like any other
    assert box.legend.get_text() == "Kết quả: Sản xuất, đời sống"
    assert response.status_code == 302
    value = Activity.objects.latest("id").values.get()
    assert (value.indicator.code, int(value.value)) == ("fish_ponds", 12)

"""What the entry pages offer after catalogue changes (ADR 0018): a retired indicator is not
offered for a day after its retirement, an edit never drops a value it already has, and
the totals form offers the new kinds of paper figures."""

import datetime

import pytest
from bs4 import BeautifulSoup

from gandan.indicators.models import Indicator
from gandan.indicators.services import indicator_retire
from gandan.work.models import Activity, ActivityType, AggregateEntry
from gandan.work.services import activity_create, aggregate_entry_create

pytestmark = pytest.mark.django_db

ON = datetime.date(2012, 3, 14)
RETIRED = datetime.date(2013, 1, 1)


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _retire(code, on=RETIRED):
    return indicator_retire(actor=None, indicator=Indicator.objects.get(code=code), on=on)


def test_the_entry_form_offers_a_retired_indicator_only_before_its_retirement(client, commune_clerk, field):  # fmt: skip
    _retire("wells")
    client.force_login(commune_clerk)

    before = _html(client.get("/activities/new/", {"start": "2012-12-31"}))
    after = _html(client.get("/activities/new/", {"start": "2013-01-01"}))

    assert before.select_one("#id_v_wells") is not None
    assert after.select_one("#id_v_wells") is None
    assert after.select_one("#id_v_money_vnd") is not None


def test_editing_a_record_keeps_its_value_for_a_retired_indicator(client, commune_clerk, field, activity_input):  # fmt: skip
    activity = activity_create(actor=None, data=activity_input(field.yang_tao, ON, values={"wells": 2, "money_vnd": 5}))  # fmt: skip
    _retire("wells", datetime.date(2012, 6, 1))
    client.force_login(commune_clerk)
    url = f"/activities/{activity.pk}/edit/"

    form = _html(client.get(url))
    data = {
        "type": ActivityType.objects.get(code="pdqc").pk, "start": ON.isoformat(), "end": "",
        "unit": field.yang_tao.pk, "participants": "0", "status": "recorded",
        "v_wells": "2", "v_money_vnd": "6",
    }  # fmt: skip
    response = client.post(url, data)

    assert form.select_one("#id_v_wells")["value"] == "2"
    assert response.status_code == 302
    values = {v.indicator.code: int(v.value) for v in Activity.objects.get(pk=activity.pk).values.all()}  # fmt: skip
    assert values == {"wells": 2, "money_vnd": 6}


def test_moving_a_record_after_the_retirement_is_refused_naming_the_field(client, commune_clerk, field, activity_input):  # fmt: skip
    activity = activity_create(actor=None, data=activity_input(field.yang_tao, ON, values={"wells": 2}))  # fmt: skip
    _retire("wells", datetime.date(2012, 6, 1))
    client.force_login(commune_clerk)

    response = client.post(
        f"/activities/{activity.pk}/edit/",
        {
            "type": ActivityType.objects.get(code="pdqc").pk, "start": "2012-07-01", "end": "",
            "unit": field.yang_tao.pk, "participants": "0", "status": "recorded", "v_wells": "2",
        },
    )  # fmt: skip

    assert response.status_code == 400
    error = _html(response).select_one("#id_v_wells").find_parent(class_="has-error")
    assert "ngừng sử dụng từ ngày 01/06/2012" in error.get_text()
    assert Activity.objects.get(pk=activity.pk).start == ON


def test_the_totals_form_offers_paper_figures_of_every_kind_but_awards_and_retired_ones(client, lak_clerk, field):  # fmt: skip
    _retire("wells", datetime.date(2020, 1, 1))
    client.force_login(lak_clerk)

    options = {o.get_text() for o in _html(client.get("/aggregates/new/")).select("#id_indicator option")}  # fmt: skip

    for offered in ("Thành viên Đội công tác (người)", "Thôn, buôn, tổ dân phố được phát động (thôn, buôn, tổ dân phố)",
                    "Tỉ lệ thành viên là người dân tộc thiểu số (%)", "Chuồng trại (chuồng)"):  # fmt: skip
        assert offered in options
    assert "Tập thể được khen thưởng (tập thể)" not in options
    assert "Giếng nước (giếng)" not in options


def test_a_total_of_a_retired_indicator_can_still_be_corrected(client, lak_clerk, field):
    entry = aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="wells"), unit=field.lak,
        period_start=datetime.date(2010, 1, 1), period_end=datetime.date(2010, 12, 31),
        period_label="năm 2010", value=12, source_number="4-BC/HU", source_date=datetime.date(2011, 1, 4),
    )  # fmt: skip
    _retire("wells", datetime.date(2020, 1, 1))
    client.force_login(lak_clerk)

    form = _html(client.get(f"/aggregates/{entry.pk}/edit/"))
    response = client.post(
        f"/aggregates/{entry.pk}/edit/",
        {
            "indicator": entry.indicator_id, "unit": field.lak.pk, "period_start": "2010-01-01",
            "period_end": "2010-12-31", "period_label": "năm 2010", "qualifier": "exact",
            "value": "13", "source_number": "4-BC/HU", "source_date": "2011-01-04",
        },
    )  # fmt: skip

    assert form.select_one("#id_indicator option[selected]").get_text() == "Giếng nước (giếng)"
    assert response.status_code == 302
    assert AggregateEntry.objects.get(pk=entry.pk).value == 13

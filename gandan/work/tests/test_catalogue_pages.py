"""The catalogue pages once records use an indicator: the list says so, an indicator in use
keeps its code, a retirement before its last record is refused (ADR 0018)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.indicators.services import IndicatorInput, indicator_create
from gandan.work.services import activity_create

pytestmark = pytest.mark.django_db


NEW = {
    "code": "fish_ponds",
    "name_vi": "Ao cá",
    "name_en": "Fish ponds",
    "unit": "ao",
    "group": "production",
    "source": "value",
    "aggregation": "sum",
    "integer_only": "on",
    "position": "245",
}


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _fish():
    return indicator_create(
        actor=None,
        data=IndicatorInput(
            code="fish_ponds", name_vi="Ao cá", unit="ao", group="production", source="value",
            aggregation="sum",
        ),
    )  # fmt: skip


def test_the_list_shows_group_unit_aggregation_use_and_retirement(client, province_admin, field, activity_input):  # fmt: skip
    activity_create(actor=None, data=activity_input(field.yang_tao, datetime.date(2012, 3, 1), values={"wells": 2}))  # fmt: skip
    fish = _fish()
    Indicator.objects.filter(code="nurseries").update(retired_on=datetime.date(2020, 1, 1))
    client.force_login(province_admin)

    page = _html(client.get(reverse("catalogue:indicator-list")))

    rows = {tr["data-code"]: tr for tr in page.select("#catalogue tbody tr")}
    assert len(rows) == Indicator.objects.count()
    cells = [td.get_text(" ", strip=True) for td in rows["wells"].select("td")]
    assert cells[:4] == ["wells", "Giếng nước", "Sản xuất, đời sống", "giếng"]
    assert cells[4].startswith("Cộng dồn")
    assert cells[5] == "Đã dùng 1 giá trị trong bản ghi hoạt động"
    assert rows["fish_ponds"].select_one("td.usage").get_text(strip=True) == "Chưa dùng"
    assert rows["nurseries"].select_one("td.status").get_text(strip=True) == "Ngừng từ 01/01/2020"
    assert rows["wells"].select_one("td.status").get_text(strip=True) == "Còn sử dụng"
    assert "= Thành viên là người dân tộc thiểu số / Thành viên Đội công tác" in rows["members_minority_share"].get_text(" ", strip=True)  # fmt: skip
    assert "thành phần của «Chuồng trại»" in rows["livestock_pens_built"].get_text(" ", strip=True)
    assert fish.pk


def test_an_indicator_in_use_is_renamed_but_its_code_stays(client, province_admin, field, activity_input):  # fmt: skip
    fish = _fish()
    activity_create(actor=None, data=activity_input(field.yang_tao, datetime.date(2012, 3, 1), values={"fish_ponds": 2}))  # fmt: skip
    client.force_login(province_admin)
    url = reverse("catalogue:indicator-edit", args=[fish.pk])

    page = _html(client.get(url))
    response = client.post(url, NEW | {"code": "fish_farms", "unit": "hồ", "name_vi": "Ao nuôi cá"})

    assert page.select_one("#id_code").has_attr("disabled")
    assert page.select_one("#id_unit").has_attr("disabled")
    assert "1 giá trị trong bản ghi hoạt động" in page.select_one("#usage").get_text()
    assert page.select_one("a[href$='/delete/']") is None
    assert response.status_code == 302
    fish.refresh_from_db()
    assert (fish.code, fish.unit, fish.name_vi) == ("fish_ponds", "ao", "Ao nuôi cá")


def test_retire_restore_and_a_refused_retirement(client, province_admin, field, activity_input):
    activity_create(actor=None, data=activity_input(field.yang_tao, datetime.date(2012, 3, 1), values={"wells": 2}))  # fmt: skip
    wells = Indicator.objects.get(code="wells")
    client.force_login(province_admin)
    retire = reverse("catalogue:indicator-retire", args=[wells.pk])

    early = client.post(retire, {"retired_on": "2012-01-01"})
    done = client.post(retire, {"retired_on": "2013-01-01"})
    listed = _html(client.get(reverse("catalogue:indicator-list"), {"status": "retired"}))
    restored = client.post(reverse("catalogue:indicator-restore", args=[wells.pk]))

    assert early.status_code == 400
    assert "«Giếng nước» có số liệu đến ngày 01/03/2012" in _html(early).select_one("#retire").get_text()  # fmt: skip
    assert done.status_code == 302
    assert [tr["data-code"] for tr in listed.select("#catalogue tbody tr[data-code]")] == ["wells"]
    assert restored.status_code == 302
    assert Indicator.objects.get(code="wells").retired_on is None
    actions = list(AuditEntry.objects.filter(action__startswith="indicators.").order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions[-2:] == ["indicators.retire", "indicators.restore"]

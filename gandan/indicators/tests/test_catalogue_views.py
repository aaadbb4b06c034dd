"""The catalogue pages through the client, for each of the cast: only the province's
administrator manages the catalogue; every refusal is a Vietnamese message on the page."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test.utils import override_settings
from django.urls import reverse

from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.indicators.services import IndicatorInput, indicator_create

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
OTHERS = ["lak_clerk", "commune_clerk", "leader", "outsider"]


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


def _urls(pk):
    return [
        ("get", reverse("catalogue:indicator-list")),
        ("get", reverse("catalogue:indicator-results")),
        ("get", reverse("catalogue:indicator-create")),
        ("post", reverse("catalogue:indicator-create")),
        ("get", reverse("catalogue:indicator-edit", args=[pk])),
        ("post", reverse("catalogue:indicator-edit", args=[pk])),
        ("post", reverse("catalogue:indicator-retire", args=[pk])),
        ("post", reverse("catalogue:indicator-restore", args=[pk])),
        ("get", reverse("catalogue:indicator-delete", args=[pk])),
        ("post", reverse("catalogue:indicator-delete", args=[pk])),
    ]


@pytest.mark.parametrize("who", OTHERS)
def test_only_the_province_administrator_reaches_the_catalogue_pages(client, cast, who):
    fish = _fish()
    client.force_login(cast[who])

    statuses = {url: getattr(client, method)(url, NEW).status_code for method, url in _urls(fish.pk)}  # fmt: skip

    assert set(statuses.values()) == {403}, statuses
    fish.refresh_from_db()
    assert (fish.name_vi, fish.retired_on) == ("Ao cá", None)
    changes = ["indicators.update", "indicators.retire", "indicators.restore", "indicators.delete"]
    assert not AuditEntry.objects.filter(action__in=changes).exists()


def test_the_province_administrator_sees_the_menu_entry_and_others_do_not(client, cast):
    client.force_login(cast["province_admin"])
    assert _html(client.get("/units/")).select_one("nav.mainnav a[href='/indicators/']")
    for who in OTHERS:
        client.force_login(cast[who])
        assert _html(client.get("/units/")).select_one("nav.mainnav a[href='/indicators/']") is None


@override_settings(GANDAN_PROVINCE="62")
def test_the_province_is_a_setting(client, cast):
    client.force_login(cast["outsider"])  # the administrator of Kon Tum (62)
    assert client.get(reverse("catalogue:indicator-list")).status_code == 200
    client.force_login(cast["province_admin"])
    assert client.get(reverse("catalogue:indicator-list")).status_code == 403


def test_an_unknown_indicator_is_404_for_the_administrator_and_403_for_others(client, cast):
    client.force_login(cast["province_admin"])
    assert client.get(reverse("catalogue:indicator-edit", args=[99999])).status_code == 404
    client.force_login(cast["lak_clerk"])
    assert client.get(reverse("catalogue:indicator-edit", args=[99999])).status_code == 403


def test_the_list_filters_by_search_group_and_status_in_a_fragment(client, province_admin):
    Indicator.objects.filter(code="nurseries").update(retired_on=datetime.date(2020, 1, 1))
    client.force_login(province_admin)

    def codes(**query):
        response = client.get(reverse("catalogue:indicator-results"), query)
        return [tr["data-code"] for tr in _html(response).select("#catalogue tbody tr[data-code]")]

    assert codes(q="CHUONG TRAI") == [
        "livestock_pens",
        "livestock_pens_built",
        "livestock_pens_moved",
    ]
    assert codes(status="retired") == ["nurseries"]
    assert "nurseries" not in codes(status="open", group="production")
    assert set(codes(group="awards")) == {"awards_collective", "awards_individual"}
    fragment = client.get(
        reverse("catalogue:indicator-list"), {"q": "gieng"}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in fragment.content
    assert [tr["data-code"] for tr in _html(fragment).select("tbody tr[data-code]")] == ["wells"]


def test_the_list_costs_the_same_queries_whatever_the_catalogue_holds(client, province_admin, django_assert_max_num_queries):  # fmt: skip
    client.force_login(province_admin)
    client.get(reverse("catalogue:indicator-list"))
    for n in range(5):
        indicator_create(actor=None, data=IndicatorInput(
            code=f"extra_{n}", name_vi=f"Chỉ tiêu thêm {n}", unit="cái", group="society",
            source="paper", aggregation="sum",
        ))  # fmt: skip

    with django_assert_max_num_queries(12):
        response = client.get(reverse("catalogue:indicator-list"))

    assert response.status_code == 200


def test_the_administrator_adds_an_indicator_and_a_duplicate_name_is_refused(
    client, province_admin
):
    client.force_login(province_admin)

    created = client.post(reverse("catalogue:indicator-create"), NEW)
    again = client.post(
        reverse("catalogue:indicator-create"), NEW | {"code": "ponds", "name_vi": "AO CA"}
    )

    fish = Indicator.objects.get(code="fish_ponds")
    assert created.status_code == 302
    assert created["Location"] == reverse("catalogue:indicator-edit", args=[fish.pk])
    assert (fish.name_vi, fish.unit, fish.position, fish.integer_only) == ("Ao cá", "ao", 245, True)
    assert AuditEntry.objects.get(action="indicators.create").actor_username == "tinh_admin"
    assert again.status_code == 400
    error = _html(again).select_one(".field.has-error .errorlist").get_text(strip=True)
    assert error.startswith("Đã có chỉ tiêu «Ao cá» (mã fish_ponds)")
    assert not Indicator.objects.filter(code="ponds").exists()


def test_a_form_error_names_the_field_in_vietnamese(client, province_admin):
    client.force_login(province_admin)

    response = client.post(
        reverse("catalogue:indicator-create"),
        NEW | {"source": "ratio", "aggregation": "ratio", "unit": "%", "integer_only": ""},
    )

    assert response.status_code == 400
    field = _html(response).select_one(".field.has-error")
    assert field.select_one("label").get_text() == "Tử số (chỉ tiêu tỉ lệ)"
    assert field.select_one(".errorlist").get_text(strip=True) == "Chỉ tiêu tỉ lệ cần tử số."


def test_an_unused_indicator_is_deleted_and_one_in_use_is_not(client, province_admin):
    fish = _fish()
    client.force_login(province_admin)

    confirm = client.get(reverse("catalogue:indicator-delete", args=[fish.pk]))
    deleted = client.post(reverse("catalogue:indicator-delete", args=[fish.pk]))
    members = Indicator.objects.get(code="members")
    refused = client.post(reverse("catalogue:indicator-delete", args=[members.pk]))

    assert confirm.status_code == 200
    assert deleted.status_code == 302
    assert not Indicator.objects.filter(code="fish_ponds").exists()
    assert refused.status_code == 400
    assert "không xóa được; hãy cho ngừng sử dụng." in _html(refused).select_one("[role=alert]").get_text()  # fmt: skip
    assert Indicator.objects.filter(code="members").exists()


def test_the_django_admin_shows_the_catalogue_read_only(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "matkhau-253")
    client.force_login(admin)
    wells = Indicator.objects.get(code="wells")

    listing = client.get("/admin/indicators/indicator/")
    add = client.get("/admin/indicators/indicator/add/")
    change = client.post(f"/admin/indicators/indicator/{wells.pk}/change/", {"name_vi": "Giếng"})
    delete = client.post(f"/admin/indicators/indicator/{wells.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert (add.status_code, delete.status_code) == (403, 403)
    assert change.status_code in (200, 403)
    assert Indicator.objects.get(code="wells").name_vi == "Giếng nước"

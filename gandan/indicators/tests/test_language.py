"""Indicator names follow the page's language; documents keep the Vietnamese names."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from gandan.indicators.models import Indicator

pytestmark = pytest.mark.django_db


def _page(client, url, **params):
    return BeautifulSoup(client.get(url, params).content.decode(), "html.parser").get_text(" ")


def test_the_name_is_english_only_on_an_english_page():
    campaigns = Indicator.objects.get(code="campaigns")

    assert campaigns.name == "Đợt phát động quần chúng"
    with translation.override("en"):
        assert campaigns.name == "Mobilisation campaigns"
        campaigns.name_en = ""
        assert campaigns.name == "Đợt phát động quần chúng"


@pytest.mark.parametrize("url", ["/analytics/dashboard/", "/analytics/pivot/"])
def test_analytics_pages_name_indicators_in_the_chosen_language(client, province_admin, url):
    client.force_login(province_admin)
    vietnamese = _page(client, url, indicator="campaigns")

    client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = _page(client, url, indicator="campaigns")

    assert "Đợt phát động quần chúng" in vietnamese
    assert "Mobilisation campaigns" not in vietnamese
    assert "Mobilisation campaigns" in english

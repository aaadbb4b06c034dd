"""Codes and data-source names are for administrators; a clerk sees names (issue 15)."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "shown"), [("province_admin", True), ("commune_clerk", False)])
def test_unit_codes_and_sources_are_shown_to_administrators_only(client, cast, places, who, shown):
    client.force_login(cast[who])

    page = BeautifulSoup(client.get(f"/units/{places.lien_son_lak.pk}/").content, "html.parser")

    text = page.select_one("main").get_text()
    assert ("24580" in page.select_one("h1").get_text()) is shown
    assert ("vietnamadminunits" in text) is shown
    assert "trước khi có dữ liệu" not in text

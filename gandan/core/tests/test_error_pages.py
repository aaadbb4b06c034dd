"""Error pages speak Vietnamese, keep the menu and offer a way back (issue 15)."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory

from gandan.core.error_views import server_error

pytestmark = pytest.mark.django_db


def _page(html: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_a_missing_page_is_explained_in_vietnamese_with_the_menu(client, commune_clerk):
    client.force_login(commune_clerk)

    response = client.get("/khong-co-trang-nay/")

    page = _page(response.content)
    assert response.status_code == 404
    assert page.select_one("#error-page h1").get_text() == "Không tìm thấy trang"
    assert page.select_one("nav.mainnav") is not None
    assert page.select_one("#error-page a[href='/']") is not None
    assert "Not Found" not in page.get_text()


def test_a_unit_outside_the_jurisdiction_is_a_vietnamese_404(client, outsider, places):
    client.force_login(outsider)

    response = client.get(f"/units/{places.yang_tao.pk}/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in _page(response.content).select_one("h1").get_text()


def test_a_leader_writing_gets_a_vietnamese_403(client, leader, places):
    client.force_login(leader)

    response = client.post(f"/villages/{places.yang_tao_village.pk}/edit/", {})

    page = _page(response.content)
    assert response.status_code == 403
    assert page.select_one("#error-page h1").get_text() == "Bạn không có quyền làm việc này"
    assert page.select_one("nav.mainnav") is not None
    assert "Forbidden" not in page.get_text()


def test_a_server_error_keeps_the_menu(commune_clerk):
    request = RequestFactory().get("/activities/")
    request.user = commune_clerk

    response = server_error(request)

    page = _page(response.content)
    assert response.status_code == 500
    assert page.select_one("#error-page h1").get_text() == "Hệ thống gặp lỗi"
    assert page.select_one("nav.mainnav") is not None

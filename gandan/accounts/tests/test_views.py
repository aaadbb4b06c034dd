"""Log in, log out, change password and switch language, through the client.

The interface opens in Vietnamese whatever the browser asks for; only the language cookie
(set by POST /i18n/setlang/) changes it.
"""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-demo-253"  # the cast's password (conftest.py)
NEW_PASSWORD = "Buon-Ako-Dhong-2025"
COOKIE = django_settings.LANGUAGE_COOKIE_NAME


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_login_page_is_vietnamese_even_for_an_english_browser(client):
    # when a browser set to English opens the login page
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    # then it is in Vietnamese, Django's own form labels included
    page = _html(response)
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert page.html["lang"] == "vi"
    assert "Đăng nhập" in page.h1.get_text()
    assert "Mật khẩu" in page.find("label", attrs={"for": "id_password"}).get_text()


def test_login_with_the_right_password(client, commune_clerk):
    # when the commune clerk logs in
    response = client.post(
        "/accounts/login/", {"username": "liensonlak_clerk", "password": PASSWORD}
    )

    # then they land on the home page, logged in
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == commune_clerk.pk
    assert client.get("/units/").status_code == 200


def test_login_follows_next(client, commune_clerk):
    response = client.post(
        "/accounts/login/?next=/units/",
        {"username": "liensonlak_clerk", "password": PASSWORD, "next": "/units/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/units/"


def test_login_with_a_wrong_password_is_refused_in_vietnamese(client, commune_clerk):
    response = client.post(
        "/accounts/login/", {"username": "liensonlak_clerk", "password": "sai-mat-khau"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    errors = _html(response).select_one(".errorlist").get_text()
    assert "tên đăng nhập" in errors.lower()


def test_logout_by_post(client, commune_clerk):
    # given a logged-in clerk
    client.force_login(commune_clerk)

    # when they log out
    response = client.post("/accounts/logout/")

    # then they are sent to the login page and pages ask them to log in again
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/units/")["Location"] == "/accounts/login/?next=/units/"


def test_logout_by_get_is_not_allowed(client, commune_clerk):
    client.force_login(commune_clerk)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert int(client.session["_auth_user_id"]) == commune_clerk.pk


def test_password_change_needs_a_login(client):
    response = client.get("/accounts/password/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/"


def test_password_change(client, commune_clerk):
    # given a logged-in clerk on the password page
    client.force_login(commune_clerk)
    assert "Đổi mật khẩu" in _html(client.get("/accounts/password/")).h1.get_text()

    # when they change their password
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    # then they see the confirmation, stay logged in, and the new password works
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    assert "Đã đổi mật khẩu" in _html(client.get(response["Location"])).h1.get_text()
    commune_clerk.refresh_from_db()
    assert commune_clerk.check_password(NEW_PASSWORD)
    assert not commune_clerk.check_password(PASSWORD)
    assert client.get("/units/").status_code == 200


def test_password_change_with_a_wrong_old_password(client, commune_clerk):
    client.force_login(commune_clerk)

    response = client.post(
        "/accounts/password/",
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert _html(response).select_one(".errorlist")
    commune_clerk.refresh_from_db()
    assert commune_clerk.check_password(PASSWORD)


def test_switch_to_english_sets_the_cookie(client):
    # when a visitor chooses English
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    # then the language cookie is set and the next page is in English
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[COOKIE].value == "en"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page["Content-Language"] == "en"
    assert _html(page).html["lang"] == "en"
    assert "Password" in _html(page).find("label", attrs={"for": "id_password"}).get_text()


def test_switch_back_to_vietnamese(client):
    client.post("/i18n/setlang/", {"language": "en"})

    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})

    assert response.cookies[COOKIE].value == "vi"
    assert _html(client.get("/accounts/login/")).html["lang"] == "vi"


def test_an_unknown_language_is_ignored(client):
    # a language the site does not offer leaves the default in place
    client.post("/i18n/setlang/", {"language": "fr"})
    client.cookies[COOKIE] = "fr"

    assert _html(client.get("/accounts/login/")).html["lang"] == "vi"


def test_language_menu_offers_vietnamese_and_english(client):
    page = _html(client.get("/accounts/login/"))

    options = {o["value"]: o.get_text() for o in page.select("form.lang option")}
    assert options == {"vi": "Tiếng Việt", "en": "Tiếng Anh"}
    assert page.select_one("form.lang option[selected]")["value"] == "vi"

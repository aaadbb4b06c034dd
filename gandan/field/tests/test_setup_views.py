"""The user's field page (device passwords and the settings QR code), the offline entry
page and its resources, and who may reach what."""

import base64
import json
import re
import zlib

import pytest
from bs4 import BeautifulSoup

from gandan.core.models import AuditEntry
from gandan.field.models import DevicePassword
from gandan.field.services import device_password_create
from gandan.field.setup_views import settings_qr_payload
from gandan.field.tests.conftest import COLLECT_HEADERS, basic

pytestmark = pytest.mark.django_db


def test_a_new_device_password_is_shown_once_with_collects_settings_as_a_qr_code(
    client, field, commune_clerk
):
    client.force_login(commune_clerk)

    response = client.post("/field/", {"label": "Điện thoại Samsung của Y Săn"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = BeautifulSoup(response.content, "html.parser")
    secret = page.select_one("code.secret").text
    assert re.fullmatch(r"([a-z2-9]{4}-){4}[a-z2-9]{4}", secret)
    assert page.select_one(".qr svg") is not None
    device = DevicePassword.objects.get()
    assert secret not in device.digest
    assert len(device.digest) == 64
    assert AuditEntry.objects.filter(action="field.device_password_create").count() == 1
    # the password it shows works for Collect, the login password does not
    assert (
        client.get(
            "/field/formList", **COLLECT_HEADERS, **basic(commune_clerk.username, secret)
        ).status_code
        == 200
    )
    # and a reload of the page does not show it again
    assert secret not in client.get("/field/").content.decode()


def test_the_qr_payload_is_the_json_collect_expects_zlib_compressed_then_base64(
    rf, settings, commune_clerk
):
    from gandan.field.setup_views import collect_settings

    settings.ALLOWED_HOSTS = ["gandan.daklak.gov.vn"]
    request = rf.get("/field/", HTTP_HOST="gandan.daklak.gov.vn", secure=True)
    collect = collect_settings(request, commune_clerk, "abcd-efgh")

    decoded = json.loads(zlib.decompress(base64.b64decode(settings_qr_payload(collect))))

    assert decoded["general"]["server_url"] == "https://gandan.daklak.gov.vn/field"
    assert decoded["general"]["username"] == commune_clerk.username
    assert decoded["general"]["password"] == "abcd-efgh"
    assert decoded["general"]["form_update_mode"] == "match_exactly"
    assert decoded["admin"] == {}
    assert decoded["project"]["name"] == "Gần Dân"


def test_a_device_needs_a_name(client, commune_clerk):
    client.force_login(commune_clerk)

    response = client.post("/field/", {"label": "  "})

    assert response.status_code == 400
    assert "Cần đặt tên cho máy" in response.content.decode()
    assert not DevicePassword.objects.exists()


def test_a_leader_cannot_make_a_device_password(client, leader):
    client.force_login(leader)

    response = client.post("/field/", {"label": "Máy"})

    assert response.status_code == 400
    assert not DevicePassword.objects.exists()


@pytest.mark.parametrize("who", ["province_admin", "lak_clerk", "leader", "outsider"])
def test_only_the_owner_may_revoke_a_device_password(request, client, commune_clerk, who):
    device, _secret = device_password_create(actor=commune_clerk, label="Máy")
    client.force_login(request.getfixturevalue(who))

    response = client.post(f"/field/devices/{device.pk}/revoke/")

    assert response.status_code == 404
    device.refresh_from_db()
    assert device.active


def test_the_owner_revokes_a_device_password(client, commune_clerk):
    device, _secret = device_password_create(actor=commune_clerk, label="Máy mất")
    client.force_login(commune_clerk)

    response = client.post(f"/field/devices/{device.pk}/revoke/", follow=True)

    device.refresh_from_db()
    assert not device.active
    assert "Đã thu hồi mật khẩu của máy «Máy mất»." in response.content.decode()
    assert AuditEntry.objects.filter(action="field.device_password_revoke").count() == 1


def test_the_offline_page_offers_one_form_per_type_and_web_forms(client, field, commune_clerk):
    client.force_login(commune_clerk)

    response = client.get("/field/offline/")

    page = BeautifulSoup(response.content, "html.parser")
    buttons = page.select("[data-form-id]")
    assert len(buttons) == 9
    imports = json.loads(page.select_one("script[type=importmap]").string)["imports"]
    assert imports["@getodk/web-forms"] == "/static/vendor/odk-web-forms-0.22.0/index.js"
    assert imports["vue"] == "/static/vendor/vue-3.5.46/vue.runtime.esm-browser.prod.js"
    texts = json.loads(page.select_one("#offline-texts").string)
    assert texts["refused"] == "Bị từ chối"


def test_the_offline_form_and_villages_are_the_same_as_collects(
    client, field, commune_clerk, collect_login
):
    phone = collect_login(commune_clerk)
    client.force_login(commune_clerk)

    web = client.get("/field/offline/forms/gandan_pdqc.xml")
    collect = client.get("/field/forms/gandan_pdqc/form.xml", **phone.auth)
    villages = client.get("/field/offline/villages.csv")

    assert web.content == collect.content
    assert (
        villages.content
        == client.get("/field/forms/gandan_pdqc/media/villages.csv", **phone.auth).content
    )


def test_the_outbox_needs_the_csrf_token(field, commune_clerk):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(commune_clerk)

    response = client.post("/field/outbox/", {})

    assert response.status_code == 403


def test_the_service_worker_may_control_every_page(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert 'const OFFLINE_URL = "/field/offline/"' in body
    assert "/field\\/(formList|submission|forms\\/|outbox\\/)/" in body


def test_the_web_app_manifest(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)

    assert manifest["start_url"] == "/field/offline/"
    assert manifest["display"] == "standalone"

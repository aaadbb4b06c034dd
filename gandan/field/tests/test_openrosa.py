"""ODK Collect's exchange with the OpenRosa server, played request by request as the
OpenRosa 1.0 specification and Collect do it: form list, form download, manifest, media;
submission HEAD, then POST with a photo; a repeated POST; an invalid POST; an
unauthenticated POST; a POST for a village outside the user's jurisdiction."""

import datetime
import hashlib
import re

import pytest

from gandan.field.tests.collect import JPEG, fill, multipart, post
from gandan.field.tests.conftest import COLLECT_HEADERS
from gandan.work.models import Activity, Attachment

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 9, 1)  # after the 2025 reform: villages are under xã Liên Sơn Lắk
PROLOG = "<?xml version='1.0' encoding='UTF-8' ?>\n"


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _openrosa_headers(response):
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"].endswith(" GMT")


def _message(text: str, nature: str) -> bytes:
    return (
        f'{PROLOG}<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f'<message nature="{nature}">{text}</message></OpenRosaResponse>'
    ).encode()


@pytest.fixture
def phone(client, field, commune_clerk, collect_login):
    """The commune clerk's phone after scanning the QR code: credentials and a form."""
    d = collect_login(commune_clerk)
    form = client.get("/field/forms/gandan_pdqc/form.xml", **d.auth).content
    return d, form


def _answers(field, **extra):
    values = {
        "start": ON.isoformat(),
        "title": "Phát động vệ sinh môi trường",
        "commune": str(field.lien_son_lak.pk),
        "villages": f"{field.yt_a.pk} {field.yt_b.pk}",
        "participants": "120",
        "participants_female": "60",
        "participants_minority": "90",
        "partners": "mttq doan_the",
        "v_key_people_mobilised": "12",
    }
    return {**values, **extra}


def test_form_list_download_manifest_and_media(client, field, commune_clerk, collect_login):
    d = collect_login(commune_clerk)

    listing = client.get("/field/formList", **d.auth)
    download = client.get("/field/forms/gandan_pdqc/form.xml", **d.auth)
    manifest = client.get("/field/forms/gandan_pdqc/manifest", **d.auth)
    media = client.get("/field/forms/gandan_pdqc/media/villages.csv", **d.auth)

    for response in (listing, download, manifest, media):
        assert response.status_code == 200
        _openrosa_headers(response)
    assert listing["Content-Type"] == "text/xml; charset=utf-8"
    body = listing.content.decode()
    version = re.search(
        r'<data id="gandan_pdqc" version="(v[0-9a-f]{10})"', download.content.decode()
    )[1]
    expected_entry = (
        "<xform><formID>gandan_pdqc</formID>"
        "<name>Gần Dân · Đợt phát động quần chúng</name>"
        f"<version>{version}</version>"
        f"<hash>md5:{md5(download.content)}</hash>"
        "<downloadUrl>http://testserver/field/forms/gandan_pdqc/form.xml</downloadUrl>"
        "<manifestUrl>http://testserver/field/forms/gandan_pdqc/manifest</manifestUrl></xform>"
    )
    assert body.startswith(f'{PROLOG}<xforms xmlns="http://openrosa.org/xforms/xformsList">')
    assert expected_entry in body
    assert body.count("<xform>") == 9  # one form per activity type
    assert manifest.content.decode() == (
        f'{PROLOG}<manifest xmlns="http://openrosa.org/xforms/xformsManifest"><mediaFile>'
        f"<filename>villages.csv</filename><hash>md5:{md5(media.content)}</hash>"
        "<downloadUrl>http://testserver/field/forms/gandan_pdqc/media/villages.csv</downloadUrl>"
        "</mediaFile></manifest>"
    )
    lines = media.content.decode().splitlines()
    assert lines[0] == "name,label,commune"
    assert f"{field.yt_b.pk},Buôn Akŏ Dhŏng,{field.lien_son_lak.pk}" in lines
    assert not any(line.startswith(f"{field.nam_ka_village.pk},") for line in lines)


def test_form_list_for_one_form_id(client, field, commune_clerk, collect_login):
    d = collect_login(commune_clerk)

    body = client.get("/field/formList?formID=gandan_tham_ho", **d.auth).content.decode()

    assert body.count("<xform>") == 1
    assert "<formID>gandan_tham_ho</formID>" in body


def test_head_then_post_with_a_photo(client, field, commune_clerk, phone):
    d, form = phone
    xml = fill(form, _answers(field), photos=["1733300000000.jpg"], instance_id="uuid:one")

    head = client.head("/field/submission", **d.auth)
    response = post(
        client,
        "/field/submission",
        multipart(xml, {"1733300000000.jpg": ("image/jpeg", JPEG)}),
        **d.auth,
    )

    assert head.status_code == 204
    _openrosa_headers(head)
    assert head["X-OpenRosa-Accept-Content-Length"] == str(10 * 1024 * 1024)
    assert response.status_code == 201, response.content.decode()
    _openrosa_headers(response)
    activity = Activity.objects.get()
    assert response.content == _message(f"Đã ghi nhận: {activity}.", "submit_success")
    assert response["Location"] == f"http://testserver/activities/{activity.pk}/"
    assert activity.origin == Activity.Origin.FIELD
    assert activity.unit == field.lien_son_lak
    assert set(activity.villages.all()) == {field.yt_a, field.yt_b}
    assert (
        activity.participants,
        activity.participants_female,
        activity.participants_minority,
    ) == (120, 60, 90)
    assert activity.partners == ["doan_the", "mttq"]
    assert activity.values.get().indicator.code == "key_people_mobilised"
    photo = Attachment.objects.get()
    assert (photo.activity, photo.kind, photo.original_name) == (
        activity,
        "photo",
        "1733300000000.jpg",
    )
    assert activity.field_submission.instance_id == "uuid:one"
    assert activity.field_submission.device == d.device


def test_a_repeated_post_writes_nothing_and_answers_202(client, field, phone):
    d, form = phone
    body = multipart(fill(form, _answers(field), instance_id="uuid:twice"))
    first = post(client, "/field/submission", body, **d.auth)

    again = post(client, "/field/submission", body, **d.auth)

    assert (first.status_code, again.status_code) == (201, 202)
    assert again.content == _message(
        "Bản ghi này đã được nhận trước đây; không ghi thêm.", "duplicate"
    )
    assert Activity.objects.count() == 1


def test_a_split_submission_adds_the_photo_of_the_second_request(client, field, phone):
    d, form = phone
    xml = fill(form, _answers(field), photos=["a.jpg"], instance_id="uuid:split")
    post(client, "/field/submission", multipart(xml), **d.auth)

    second = post(
        client, "/field/submission", multipart(xml, {"a.jpg": ("image/jpeg", JPEG)}), **d.auth
    )

    assert second.status_code == 202
    assert Activity.objects.count() == 1
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["a.jpg"]


def test_an_invalid_post_is_refused_in_vietnamese_and_writes_nothing(client, field, phone):
    d, form = phone
    xml = fill(form, _answers(field, participants_female="500"))

    response = post(client, "/field/submission", multipart(xml), **d.auth)

    assert response.status_code == 400
    assert response.content == _message(
        "Không ghi nhận: Số người nữ phải từ 0 đến tổng số lượt người.", "refused"
    )
    assert not Activity.objects.exists()


def test_a_photo_that_is_not_a_jpeg_refuses_the_whole_submission(client, field, phone):
    d, form = phone
    xml = fill(form, _answers(field), photos=["x.jpg"])

    response = post(
        client,
        "/field/submission",
        multipart(xml, {"x.jpg": ("image/jpeg", b"GIF89a...")}),
        **d.auth,
    )

    assert response.status_code == 400
    assert "Nội dung tệp «x.jpg» không đúng định dạng JPG." in response.content.decode()
    assert not Activity.objects.exists()
    assert not Attachment.objects.exists()


def test_an_unauthenticated_post_is_challenged_and_writes_nothing(client, field, phone):
    _d, form = phone
    body = multipart(fill(form, _answers(field)))

    response = post(client, "/field/submission", body, **COLLECT_HEADERS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Gan Dan", charset="UTF-8"'
    _openrosa_headers(response)
    assert not Activity.objects.exists()


def test_the_login_password_is_not_a_device_password(client, field, commune_clerk, phone):
    _d, form = phone
    from gandan.field.tests.conftest import basic

    response = post(client, "/field/submission", multipart(fill(form, _answers(field))),
                    **COLLECT_HEADERS, **basic(commune_clerk.username, "matkhau-demo-253"))  # fmt: skip

    assert response.status_code == 401
    assert not Activity.objects.exists()


def test_a_village_outside_the_jurisdiction_is_refused_and_nothing_is_written(client, field, phone):
    d, form = phone
    xml = fill(form, _answers(field, villages=str(field.nam_ka_village.pk)))

    response = post(client, "/field/submission", multipart(xml), **d.auth)

    assert response.status_code == 403
    assert "không thuộc địa bàn của bạn" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_commune_outside_the_jurisdiction_is_refused(client, field, phone):
    d, form = phone
    xml = fill(form, _answers(field, commune=str(field.dak_pek.pk), villages=""))

    response = post(client, "/field/submission", multipart(xml), **d.auth)

    assert response.status_code == 403
    assert (
        response.content.decode().count(f"Xã, phường mã {field.dak_pek.pk} không thuộc địa bàn")
        == 1
    )
    assert not Activity.objects.exists()


def test_a_revoked_device_is_locked_out(client, field, commune_clerk, phone):
    from gandan.field.services import device_password_revoke

    d, form = phone
    device_password_revoke(actor=commune_clerk, device=d.device)

    assert client.get("/field/formList", **d.auth).status_code == 401
    assert (
        post(
            client, "/field/submission", multipart(fill(form, _answers(field))), **d.auth
        ).status_code
        == 401
    )


def test_a_date_before_the_commune_existed_is_refused_naming_it(client, field, phone):
    d, form = phone
    xml = fill(form, _answers(field, start="2025-06-01"))

    response = post(client, "/field/submission", multipart(xml), **d.auth)

    assert response.status_code == 400
    assert response.content == _message(
        "Không ghi nhận: Xã Liên Sơn Lắk không có hiệu lực vào ngày 01/06/2025.", "refused"
    )
    assert not Activity.objects.exists()

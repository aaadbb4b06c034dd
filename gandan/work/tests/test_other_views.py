"""Attachments, paper-report totals and works, through the client, for each of the cast."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.indicators.models import Indicator
from gandan.work.attachments import attachment_add
from gandan.work.models import AggregateEntry, Attachment, Work
from gandan.work.services import aggregate_entry_create, work_create
from gandan.work.tests.records import build_records, counts, matrix, rolled_back

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def records(field, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_records(field)


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _rows(response, table):
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in _html(response).select(f"table.{table} tbody tr")
    ]


# Attachments. ---------------------------------------------------------------------------------------


def _upload(client, activity, name="anh.png", content=PNG, kind="photo"):
    upload = SimpleUploadedFile(name, content)
    return client.post(f"/activities/{activity.pk}/attachments/", {"kind": kind, "file": upload})


def test_upload_is_scoped(client, cast, records):
    for who, name, status in matrix(write=True):
        client.force_login(cast[who])

        with rolled_back():
            response = _upload(client, getattr(records, name))
            stored = Attachment.objects.count()

        assert response.status_code == (302 if status == 200 else status), (who, name)
        assert stored == (status == 200), (who, name)


def test_an_upload_is_listed_and_served_only_inside_the_jurisdiction(
    client, commune_clerk, outsider, records
):
    client.force_login(commune_clerk)
    _upload(client, records.yang_tao, "bien-ban.pdf", PDF, "minutes")
    attachment = Attachment.objects.get()
    url = f"/activities/{records.yang_tao.pk}/attachments/{attachment.pk}/"

    page = _html(client.get(f"/activities/{records.yang_tao.pk}/"))
    served = client.get(url)

    assert "bien-ban.pdf" in page.select_one(".attachments").get_text()
    assert served.status_code == 200
    # Reading the stream to its end is what closes the file; calling close() here instead
    # would fire request_finished again and, on PostgreSQL, close the test's connection.
    assert served.getvalue() == PDF
    assert served["Content-Disposition"].startswith("attachment")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(commune_clerk)
    wrong = f"/activities/{records.last_day.pk}/attachments/{attachment.pk}/"
    assert client.get(wrong).status_code == 404


def test_downloads_are_scoped(client, cast, records):
    for name in ("yang_tao", "nam_ka", "last_day", "lien_son", "dak_pek"):
        upload = SimpleUploadedFile(f"{name}.png", PNG)
        attachment_add(actor=None, activity=getattr(records, name), upload=upload, kind="photo")
    for who, name, status in matrix():
        activity = getattr(records, name)
        attachment = activity.attachments.get()
        client.force_login(cast[who])

        response = client.get(f"/activities/{activity.pk}/attachments/{attachment.pk}/")

        assert response.status_code == status, (who, name)
        if status == 200:
            assert response.getvalue() == PNG
            assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ0000", "chỉ nhận ảnh JPG, PNG"),
        ("anh.png", PDF, "không đúng định dạng PNG"),
    ],
)
def test_a_refused_upload_is_a_form_error(client, commune_clerk, records, name, content, message):
    client.force_login(commune_clerk)

    response = _upload(client, records.yang_tao, name, content)

    assert response.status_code == 400
    assert message in _html(response).select_one(".has-error .errorlist").get_text()
    assert not Attachment.objects.exists()


# Paper-report totals. ----------------------------------------------------------------------------


def _total(unit, code="campaigns", start=(2004, 7, 5), end=(2008, 12, 31), value="5700"):
    return aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code=code), unit=unit,
        period_start=datetime.date(*start), period_end=datetime.date(*end),
        period_label="2004 - 2008", value=value, qualifier="tren", source_number="45-BC/HU",
        source_date=datetime.date(2009, 1, 10),
    )  # fmt: skip


TOTALS_SEEN = {
    "province_admin": {"Huyện Lắk", "Xã Yang Tao"},
    "lak_clerk": {"Huyện Lắk", "Xã Yang Tao"},
    "commune_clerk": {"Xã Yang Tao"},
    "leader": {"Huyện Lắk", "Xã Yang Tao"},
    "outsider": {"Xã Đắk Pék"},
}


@pytest.mark.parametrize("who", list(TOTALS_SEEN))
def test_totals_list_is_scoped(client, cast, records, who):
    f = records.places
    _total(f.lak)
    _total(f.yang_tao, code="vegetable_gardens", value="1200")
    _total(f.dak_pek)
    client.force_login(cast[who])

    response = client.get("/aggregates/")

    assert response.status_code == 200
    assert {row[2] for row in _rows(response, "aggregates")} == TOTALS_SEEN[who]


def test_totals_read_as_published(client, lak_clerk, records):
    _total(records.places.lak)
    client.force_login(lak_clerk)

    row = _rows(client.get("/aggregates/", {"indicator": "campaigns"}), "aggregates")[0]

    assert row[0] == "2004 - 2008 05/07/2004 → 31/12/2008"
    assert row[3] == "trên 5.700 đợt"
    assert row[4] == "45-BC/HU · 10/01/2009"


def _total_form(target, **extra):
    data = {
        "indicator": Indicator.objects.get(code="vegetable_gardens").pk,
        "unit": target.pk,
        "period_start": "2004-07-05",
        "period_end": "2008-12-31",
        "period_label": "2004 - 2008",
        "qualifier": "hon",
        "value": "1.200",
        "source_number": "12-BC/HU",
        "source_date": "2009-01-10",
    }
    return {**data, **extra}


def test_a_paper_total_is_entered(client, lak_clerk, records):
    client.force_login(lak_clerk)

    response = client.post("/aggregates/new/", _total_form(records.places.lak))

    assert response.status_code == 302
    entry = AggregateEntry.objects.get()
    assert (entry.unit, entry.qualifier, int(entry.value)) == (records.places.lak, "hon", 1200)


REFUSED_TOTALS = [
    ("lak_clerk", {}, 302),
    ("province_admin", {}, 302),
    ("commune_clerk", {}, 400),  # Lắk was never theirs
    ("commune_clerk", {"unit": "yang_tao"}, 302),
    (
        "lak_clerk",
        {"unit": "yang_tao", "period_start": "2025-07-01", "period_end": "2025-12-31"},
        400,
    ),
    ("outsider", {}, 400),
    ("leader", {}, 403),
    ("lak_clerk", {"indicator": "villages_reached"}, 302),  # places reached, as published
    ("lak_clerk", {"indicator": "awards_collective"}, 400),  # not offered: from award files
    ("lak_clerk", {"indicator": "campaigns"}, 302),  # up to 2012, over records: kept (ADR 0007)
    ("lak_clerk", {"value": "1200,5"}, 400),
    ("lak_clerk", {"period_end": "2004-01-01"}, 400),
]


def test_total_entry_is_scoped_and_checked(client, cast, records):
    f = records.places
    campaigns = Indicator.objects.get(code="campaigns").pk
    before = counts()
    for who, change, status in REFUSED_TOTALS:
        data = _total_form(f.lak, **change)
        if change.get("unit") == "yang_tao":
            data["unit"] = f.yang_tao.pk
        if change.get("indicator"):
            data["indicator"] = Indicator.objects.get(code=change["indicator"]).pk
        if data["indicator"] == campaigns:
            data["period_end"] = "2012-12-31"  # covers the 2012 records
        client.force_login(cast[who])

        with rolled_back():
            response = client.post("/aggregates/new/", data)
            written = counts() != before

        assert response.status_code == status, (who, change)
        assert written is (status == 302), (who, change)


def test_the_same_total_twice_names_the_rule(client, lak_clerk, records):
    client.force_login(lak_clerk)
    form = _total_form(
        records.places.lak,
        indicator=Indicator.objects.get(code="money_vnd").pk,
        period_start="2012-01-01",
        period_end="2012-12-31",
        value="100.000.000",
    )
    assert client.post("/aggregates/new/", form).status_code == 302

    response = client.post("/aggregates/new/", form)

    assert response.status_code == 400
    assert "trùng thời gian" in _html(response).select_one(".has-error").get_text()


# Works. -------------------------------------------------------------------------------------------------


def test_works_list_is_scoped(client, cast, records):
    f = records.places
    for name, place in (
        ("Đường buôn Yang Lah", f.yt_a),
        ("Cầu Nam Ka", f.nam_ka),
        ("Nhà văn hóa Đắk Pék", f.dak_pek),
    ):
        work_create(actor=None, name=name, kind="road", place=place)
    seen = {
        "province_admin": {"Đường buôn Yang Lah", "Cầu Nam Ka"},
        "lak_clerk": {"Đường buôn Yang Lah", "Cầu Nam Ka"},
        "commune_clerk": {"Đường buôn Yang Lah"},
        "leader": {"Đường buôn Yang Lah", "Cầu Nam Ka"},
        "outsider": {"Nhà văn hóa Đắk Pék"},
    }
    for who, names in seen.items():
        client.force_login(cast[who])
        assert {row[0] for row in _rows(client.get("/works/"), "works")} == names
    client.force_login(cast["province_admin"])
    assert _rows(client.get("/works/", {"kind": "bridge"}), "works") == [
        ["Không có công trình nào khớp trong địa bàn của bạn."]
    ]


WORKS = [
    ("commune_clerk", "yt_a", {}, 302),
    ("province_admin", "nam_ka", {}, 302),
    ("commune_clerk", "nam_ka", {}, 400),
    ("lak_clerk", "yt_a", {"started_on": "2026-01-05"}, 400),  # the village is no longer Lắk's
    ("lak_clerk", "yt_a", {"started_on": "2012-01-05"}, 302),
    ("outsider", "yt_a", {}, 400),
    ("leader", "yt_a", {}, 403),
    ("commune_clerk", "yt_a", {"name": "  "}, 400),
    ("commune_clerk", "yt_a", {"started_on": "2012-05-01", "completed_on": "2012-01-01"}, 400),
]


def test_work_entry_is_scoped_and_checked(client, cast, records):
    for who, place, change, status in WORKS:
        client.force_login(cast[who])
        data = {"name": "Đường liên thôn", "kind": "road", "status": "building"}
        data["place"] = getattr(records.places, place).pk

        with rolled_back():
            response = client.post("/works/new/", {**data, **change})
            written = Work.objects.count()

        assert response.status_code == status, (who, place, change)
        assert written == (status == 302), (who, place, change)

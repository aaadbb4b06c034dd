"""``gandan backup`` and ``gandan restore`` (ADR 0010): after a round trip the figures, the
attachments and the audit entries are what they were; a damaged archive changes nothing.

Through the commands, with the data written by a clerk through the API and the pages.
Transactional: SQLite's backup API copies the whole test database, which must be committed.
"""

import datetime
import gzip
import hashlib
import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gandan.core.models import AuditEntry
from gandan.field.tests.conftest import catalogue as _catalogue  # noqa: F401 - a fixture
from gandan.work.models import Activity, Attachment

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
PDF = b"%PDF-1.7\n" + b"bien ban hop dan\n" * 50


def _record(client, unit, day, participants, title):
    response = client.post(
        "/api/v1/activities",
        {
            "type": "pdqc",
            "unit_id": unit.pk,
            "start": day,
            "participants": participants,
            "title": title,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _attach(client, activity_id, name, content, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/activities/{activity_id}/attachments/",
        {"file": SimpleUploadedFile(name, content), "kind": kind},
    )
    assert response.status_code in (200, 302), response.content


def _figures(client, unit):
    response = client.get(
        "/api/v1/analytics",
        {"unit": unit.pk, "from": "2015-01-01", "to": "2015-12-31", "by": "quarter"},
    )
    assert response.status_code == 200, response.content
    return response.json()["rows"]


def _attachments():
    found = []
    for attachment in Attachment.objects.order_by("pk"):
        with attachment.file.open("rb") as stored:
            digest = hashlib.sha256(stored.read()).hexdigest()
        found.append((attachment.activity_id, attachment.original_name, digest))
    return found


def _audit():
    return list(
        # the test's own sign-ins (audited as auth.*) come after the backup: set aside
        AuditEntry.objects.exclude(action="core.restore")
        .exclude(action__startswith="auth.")
        .order_by("pk")
        .values_list("pk", "created_at", "actor_username", "action", "target_id", "message")
    )


@pytest.fixture
def recorded(request, real_units, client, lak_clerk, places, settings, tmp_path):
    """A clerk's activities in 2015 with a photo and minutes, in a media folder of its own
    (the catalogue seeded again: an earlier transactional test flushed it)."""
    request.getfixturevalue("_catalogue")
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(lak_clerk)
    first = _record(client, places.yang_tao, datetime.date(2015, 3, 1), 120, "Họp dân buôn")
    second = _record(client, places.nam_ka, datetime.date(2015, 8, 9), 45, "Tập huấn")
    _attach(client, first, "anh-hop-dan.png", PNG, "photo")
    _attach(client, second, "bien-ban.pdf", PDF, "minutes")
    return places


def test_a_round_trip_gives_back_figures_attachments_and_audit(client, recorded, tmp_path):
    figures, attachments = _figures(client, recorded.lak), _attachments()
    archive = tmp_path / "backups" / "gandan.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    audit = _audit()
    assert len(attachments) == 2
    assert any(row["value"] for row in figures)

    # when everything changes after the backup: a record deleted, a file lost, one more record
    Activity.objects.order_by("pk").first().delete()
    next(iter((tmp_path / "media" / "attachments").rglob("*.pdf"))).unlink()
    _record(client, recorded.yang_tao, datetime.date(2015, 9, 2), 999, "Sau sao lưu")
    assert _figures(client, recorded.lak) != figures

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())

    connection.close()  # a new connection reads the restored database
    client.force_login(_clerk())
    assert _figures(client, recorded.lak) == figures
    assert _attachments() == attachments
    assert _audit() == audit
    restored = AuditEntry.objects.filter(action="core.restore").get()
    assert "gandan.tar.gz" in restored.message
    assert any(p.name.startswith("media.before-restore-") for p in tmp_path.iterdir())


def _clerk():
    from gandan.accounts.models import User

    return User.objects.get(username="lak_clerk")


def _rewrite(archive, change):
    """The archive with its members passed through ``change(name, data) -> data``."""
    with tarfile.open(archive, "r:gz") as source:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers()]
    damaged = archive.with_name("damaged.tar.gz")
    with tarfile.open(damaged, "w:gz") as target:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return damaged


def _replace(archive, content):
    archive.write_bytes(content)
    return archive


def _flip_pdf(name, data):
    return data[:-1] + b"X" if name.endswith(".pdf") else data


def _drop_pdf_from_manifest(name, data):
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["files"] = [f for f in manifest["files"] if not f["path"].endswith(".pdf")]
    return json.dumps(manifest).encode()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda a: _rewrite(a, _flip_pdf), "sai mã kiểm tra SHA-256"),
        (lambda a: _rewrite(a, _drop_pdf_from_manifest), "danh sách tệp không khớp"),
        (lambda a: _replace(a, a.read_bytes()[: a.stat().st_size // 2]), "không đọc được"),
        (lambda a: _replace(a, gzip.compress(b"not a tar")), "không đọc được"),
    ],
    ids=["changed-file", "manifest-mismatch", "truncated", "not-a-tar"],
)
def test_a_damaged_archive_is_refused_and_nothing_changes(
    client, recorded, tmp_path, damage, message
):
    archive = tmp_path / "gandan.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    _record(client, recorded.yang_tao, datetime.date(2015, 9, 2), 999, "Sau sao lưu")
    figures, attachments, audit = _figures(client, recorded.lak), _attachments(), _audit()

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damage(archive)), yes=True, stdout=io.StringIO())

    assert _figures(client, recorded.lak) == figures
    assert _attachments() == attachments
    assert _audit() == audit


def test_restore_asks_for_confirmation(recorded, tmp_path):
    archive = tmp_path / "gandan.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    count = Activity.objects.count()
    Activity.objects.all().delete()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert not Activity.objects.exists()
    assert count == 2

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.core.errors import DomainError
from gandan.work.attachments import MAX_BYTES, attachment_add
from gandan.work.models import Attachment
from gandan.work.services import activity_create

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def activity(field, activity_input, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return activity_create(
        actor=None, data=activity_input(field.yang_tao, datetime.date(2015, 3, 1), [field.yt_a])
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"), [("anh.png", PNG, "photo"), ("bien-ban.pdf", PDF, "minutes")]
)
def test_allowed_files_are_stored(activity, name, content, kind):
    stored = attachment_add(
        actor=None, activity=activity, upload=SimpleUploadedFile(name, content), kind=kind
    )

    assert stored.size == len(content)
    with stored.file.open("rb") as saved:
        assert saved.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ" + b"0" * 10, "chỉ nhận ảnh JPG, PNG"),
        ("anh.png", PDF, "không đúng định dạng PNG"),
        ("khong-duoi", PNG, "chỉ nhận ảnh JPG, PNG"),
        ("lon.pdf", b"%PDF-" + b"0" * MAX_BYTES, "quá giới hạn 10 MB"),
    ],
)
def test_wrong_type_or_size_is_refused_and_nothing_is_stored(activity, name, content, message):
    with pytest.raises(DomainError, match=message):
        attachment_add(
            actor=None, activity=activity, upload=SimpleUploadedFile(name, content), kind="photo"
        )

    assert not Attachment.objects.exists()

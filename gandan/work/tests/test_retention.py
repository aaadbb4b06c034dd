"""Retention of uploads (``work.retention``, ADR 0010): rejected imports and orphaned files
older than the setting are deleted by the daily task of the queue, and audited; what is
recent or still referred to stays."""

import datetime
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gandan.core.models import AuditEntry
from gandan.tests.queue import run_tasks
from gandan.work.models import Attachment, ImportJob
from gandan.work.services import activity_create
from gandan.work.tasks import uploads_prune_task

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLD = timezone.now() - datetime.timedelta(days=31)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GANDAN_UPLOAD_RETENTION_DAYS = 30
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _rejected_import(client):
    response = client.post(
        "/activities/import/", {"file": SimpleUploadedFile("hong.xlsx", b"not a zip")}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    assert job.status == "rejected"
    return job


def _attachment(client, activity, name):
    response = client.post(
        f"/activities/{activity.pk}/attachments/",
        {"file": SimpleUploadedFile(name, PNG), "kind": "photo"},
    )
    assert response.status_code in (200, 302)
    return Attachment.objects.get(original_name=name)


def _age(path):
    stamp = OLD.timestamp()
    os.utime(path, (stamp, stamp))


def test_the_daily_task_deletes_old_rejected_imports_and_orphans_only(
    client, lak_clerk, field, activity_input, tmp_path, django_capture_on_commit_callbacks, settings
):
    # given: two rejected imports (one a month old), and three photos: one kept by its
    # record, one whose row was deleted a month ago, one whose row was deleted today
    client.force_login(lak_clerk)
    old_job, new_job = _rejected_import(client), None
    ImportJob.objects.filter(pk=old_job.pk).update(finished_at=OLD)
    new_job = _rejected_import(client)
    activity = activity_create(
        actor=lak_clerk,
        data=activity_input(field.yang_tao, datetime.date(2015, 3, 1), [field.yt_a]),
    )
    kept, old_orphan, new_orphan = (
        _attachment(client, activity, name) for name in ("giu.png", "cu.png", "moi.png")
    )
    for attachment in old_orphan, new_orphan:
        attachment.delete()  # the row goes, the file stays
    _age(tmp_path / old_orphan.file.name)
    _age(tmp_path / kept.file.name)

    # when the worker runs the daily task
    with django_capture_on_commit_callbacks(execute=True):
        uploads_prune_task.enqueue()
    run_tasks()

    # then the old rejected import and the old orphan are gone, the rest stays
    assert list(ImportJob.objects.all()) == [new_job]
    assert not (tmp_path / old_job.file.name).exists()
    assert (tmp_path / new_job.file.name).exists()
    assert not (tmp_path / old_orphan.file.name).exists()
    assert (tmp_path / new_orphan.file.name).exists()
    assert (tmp_path / kept.file.name).exists()
    entry = AuditEntry.objects.get(action="work.uploads_prune")
    assert entry.message.startswith("Tự động xóa 1 lượt nhập Excel bị từ chối và 1 tệp")
    assert entry.data["orphans"] == [old_orphan.file.name]


def test_the_task_runs_every_day():
    entries = {e["task"]: e for e in settings.GANDAN_PERIODIC_TASKS}

    assert entries["gandan.work.tasks.uploads_prune_task"]["every"] == datetime.timedelta(days=1)

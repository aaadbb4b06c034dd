"""The web import on the task queue (ADR 0009): the upload enqueues a task that a worker
runs; a worker that dies mid-import (a restart) leaves nothing written, and the job is run
again or failed with a clear message, never left "running"."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from gandan.core import queue
from gandan.tests.queue import run_tasks
from gandan.work.models import Activity, AggregateEntry, ImportJob
from gandan.work.tests.import_files import CAMPAIGN, GARDENS, TALK, filled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GANDAN_PERIODIC_TASKS = []


@pytest.fixture
def upload(client, lak_clerk, field):
    client.force_login(lak_clerk)
    template = client.get("/activities/import/template/").content
    data = filled(template, [CAMPAIGN, TALK], [GARDENS])

    def send():
        response = client.post(
            "/activities/import/", {"file": SimpleUploadedFile("lak-2012.xlsx", data)}
        )
        assert response.status_code == 302
        return ImportJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))

    return send


def _text(response):
    return BeautifulSoup(response.content.decode(), "html.parser").get_text(" ", strip=True)


def test_the_upload_waits_in_the_queue_then_a_worker_checks_and_imports_it(client, upload):
    # when the clerk uploads, the job and its task are stored, nothing is run yet
    job = upload()
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert (job.status, task.status, task.args_kwargs["args"]) == ("queued", "READY", [job.pk])
    page = _text(client.get(f"/activities/import/{job.pk}/progress/"))
    assert "Chưa có tiến trình xử lý nền nào đang chạy" in page

    # when a worker runs the queue, the dry run is done and its progress complete
    assert run_tasks() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.step) == ("checked", 100, 100, "Xong")
    assert not Activity.objects.exists()

    # when the clerk confirms, a second task imports and the job knows what it wrote
    assert client.post(f"/activities/import/{job.pk}/confirm/").status_code == 302
    job.refresh_from_db()
    assert job.status == "queued"
    run_tasks()
    job.refresh_from_db()
    assert job.status == "done"
    written = Activity.objects.order_by("pk").values_list("pk", flat=True)
    assert job.report["activity_ids"] == list(written)
    assert job.report["aggregate_ids"] == list(AggregateEntry.objects.values_list("pk", flat=True))
    assert len(job.report["activity_ids"]) == 2
    assert DBTaskResult.objects.get(pk=job.task_id).return_value == "done"


def _die_under(job, worker_id):
    """A worker claims the job's task, starts it, and is killed (its transaction rolled
    back: the import wrote nothing)."""
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim(worker_id)
    ImportJob.objects.filter(pk=job.pk).update(status="running", done=45, step="Kiểm tra")


def test_an_import_interrupted_by_a_restart_runs_again_when_the_worker_is_back(client, upload):
    job = upload()
    _die_under(job, "make-run")

    # the progress bar shows where it was
    assert "45%" in _text(client.get(f"/activities/import/{job.pk}/progress/"))

    # when the worker starts again under its id, it takes the task back and finishes it
    assert run_tasks("make-run") == 1
    job.refresh_from_db()
    assert job.status == "checked"
    assert DBTaskResult.objects.get(pk=job.task_id).worker_ids == ["make-run", "make-run"]


def test_an_import_interrupted_twice_is_failed_with_a_message_and_frees_the_user(client, upload):
    job = upload()
    _die_under(job, "first")
    DBTaskResult.objects.filter(pk=job.task_id).update(status="READY")  # queued again
    _die_under(job, "second")

    run_tasks("third")

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.report["failure"].startswith(queue.INTERRUPTED)
    assert "hãy tải tệp lên lại" in job.report["failure"]
    assert queue.INTERRUPTED in _text(client.get(f"/activities/import/{job.pk}/"))
    assert not Activity.objects.exists()
    # and the clerk may upload again
    assert upload().status == "queued"

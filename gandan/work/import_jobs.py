"""Excel import from the web: upload, a dry run with its row-by-row report, then the import
on the user's confirmation, each run as a background task (``core.queue``, ADR 0009) with a
progress bar.

The rules of the import are :func:`gandan.work.excel.work_import`'s (jurisdiction, all or
nothing, idempotence); this module only runs it twice for a stored upload and keeps the
outcome on an :class:`~gandan.work.models.ImportJob`. The task is enqueued in the same
transaction as the job's row, so there is never a job without its task; the job keeps the
task's id. A worker that dies mid-import (a restart) writes nothing, since the import is one
transaction; the task is started again once (:data:`ATTEMPTS`), then marked failed, and the
job with it (:func:`_task_finished`): never "running" for ever.

**Why progress lives in the cache as well as on the job row.** Most of an import (checking
the rules and writing) happens inside one database transaction. Writes to the job row made
from inside it would be invisible until the commit (and rolled back by a dry run), and on
SQLite a second connection cannot write at all while the import holds the write lock. So
the runner writes progress to the cache (at most :data:`PROGRESS_EVERY` seconds apart) and,
when it is not inside a transaction, to the row too. The page reads whichever is fresher.
With a cache shared between processes (file, Redis), the web process sees live progress;
otherwise it sees the row's progress, which advances between the stages. Status and report
are always on the row, written outside the import's transaction.

``GANDAN_TASKS_IMMEDIATE`` runs the task inside the request that enqueues it (tests,
deployments without a worker).
"""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from gandan.accounts.access import require_write, visible_unit_ids
from gandan.accounts.models import User
from gandan.core.audit import audit_log
from gandan.core.errors import DomainError
from gandan.core.numbers import format_number
from gandan.core.queue import background, task_failure_message, task_status, workers_alive
from gandan.work import excel
from gandan.work.excel_sheet import ACTIVITY_SHEET, MAX_BYTES, Catalogue, write_workbook
from gandan.work.models import ImportJob

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.3  # seconds between two progress writes
PROGRESS_KEPT = datetime.timedelta(minutes=30)  # a progress entry in the cache expires
ATTEMPTS = 2  # an import interrupted by a restart is run once more (it wrote nothing)
REPORT_LIMIT = 1000  # errors or rows kept on the job; the counts are always complete
LINK_LIMIT = 500  # imported records the result page links to
Status, Stage = ImportJob.Status, ImportJob.Stage


def import_template(*, user: User) -> bytes:
    """The empty workbook, its team dropdown limited to the user's jurisdiction."""
    catalogue = Catalogue.load()
    ids = visible_unit_ids(user)
    if ids is not None:
        catalogue.teams = [t for t in catalogue.teams if t.unit_id in ids]
    return write_workbook(catalogue, [], [])


# Starting and confirming. ------------------------------------------------------------------------


def import_job_start(*, actor: User, upload: UploadedFile) -> ImportJob:
    """Store the upload and check it in full (a dry run). Nothing is imported until the
    user confirms with :func:`import_job_confirm`."""
    job = _job_create(actor=actor, upload=upload)
    job.refresh_from_db()
    return job


@transaction.atomic
def _job_create(*, actor: User, upload: UploadedFile) -> ImportJob:
    require_write(actor)
    name = PurePath(upload.name or "").name
    if not name.lower().endswith(".xlsx"):
        raise DomainError("Chỉ nhận tệp Excel .xlsx (điền vào tệp mẫu rồi tải lên).", field="file")
    if (upload.size or 0) > MAX_BYTES:
        raise DomainError(f"Tệp lớn hơn {MAX_BYTES // 2**20} MB.", field="file")
    _fail_stale(actor)
    if ImportJob.objects.filter(user=actor, status__in=[Status.QUEUED, Status.RUNNING]).exists():
        raise DomainError(
            "Bạn đang có một tệp đang được xử lý; chờ xong rồi tải tệp khác.", field="file"
        )
    job = ImportJob(user=actor, unit=actor.unit, original_name=name[:255], size=upload.size or 0)
    job.file.save(name, upload, save=False)
    job.save()
    audit_log(
        actor=actor,
        action="work.import_upload",
        target=job,
        message=f"Tải lên tệp «{name}» ({format_number(job.size)} byte) để nhập hoạt động",
    )
    _enqueue(job)
    return job


def import_job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Import a checked file. Only its owner confirms, and only once."""
    job = _job_confirm(actor=actor, job=job)
    job.refresh_from_db()
    return job


@transaction.atomic
def _job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    require_write(actor)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.user_id != actor.pk:
        raise DomainError("Chỉ người tải tệp lên mới xác nhận nhập được.", field="job")
    if job.status != Status.CHECKED:
        raise DomainError(
            f"Tệp đang ở trạng thái «{job.get_status_display()}», không xác nhận nhập được.",
            field="job",
        )
    job.status, job.stage, job.done, job.step = Status.QUEUED, Stage.IMPORT, 0, ""
    job.save()
    audit_log(
        actor=actor,
        action="work.import_confirm",
        target=job,
        message=f"Xác nhận nhập tệp «{job.original_name}»",
    )
    _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    """In the caller's transaction: the task row commits with the job's. (Run immediately,
    the task has already finished when ``enqueue`` returns.)"""
    result = import_job_task.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def _fail_stale(actor: User) -> None:
    """A job whose task ended without it (pruned, failed before it could say so) would
    block the user's next upload."""
    for job in ImportJob.objects.filter(user=actor, status__in=[Status.QUEUED, Status.RUNNING]):
        if is_stale(job):
            job.status, job.finished_at = Status.FAILED, timezone.now()
            job.report = {"failure": "Việc xử lý bị gián đoạn; không có gì được ghi."}
            job.save()


# Running. -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    step: str

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _cache_key(job_id: int) -> str:
    return f"work:import-job:{job_id}"


class _Reporter:
    """The importer's ``progress(percent, message)``, written at most every PROGRESS_EVERY s."""

    def __init__(self, job: ImportJob, clock: Callable[[], float] = time.monotonic) -> None:
        self.job, self.clock, self.last = job, clock, -PROGRESS_EVERY

    def __call__(self, percent: int, message: str) -> None:
        now = self.clock()
        if now - self.last < PROGRESS_EVERY and percent < 100:
            return
        self.last = now
        done = max(0, min(self.job.total, percent))
        state = {"done": done, "total": self.job.total, "step": message[:100], "at": time.time()}
        cache.set(_cache_key(self.job.pk), state, timeout=int(PROGRESS_KEPT.total_seconds()))
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(
                done=done, step=message[:100], updated_at=timezone.now()
            )


@background(attempts=ATTEMPTS)
def import_job_task(job_id: int) -> str:
    """The queue's entry point; returns the job's status."""
    import_job_run(job_id)
    return str(ImportJob.objects.values_list("status", flat=True).get(pk=job_id))


def import_job_run(job_id: int) -> None:
    """Run the job's stage: the dry run (check) or the import. Never raises: a crash is
    logged and leaves the job "failed", with nothing written (the import is atomic). A job
    still "running" is one whose worker died: the queue runs it again."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.RUNNING, started_at=timezone.now(), done=0, step="Đọc tệp")
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        with job.file.open("rb") as stored:
            data = stored.read()
        result = excel.work_import(
            actor=job.user, data=data, dry_run=job.stage == Stage.CHECK, progress=_Reporter(job)
        )
    except Exception:
        logger.exception("Import job %s failed", job_id)
        _finish_failed(job)
    else:
        _finish(job, result)
    finally:
        cache.delete(_cache_key(job_id))


@transaction.atomic
def _finish(job: ImportJob, result: excel.ImportResult) -> None:
    job.report = _report(result)
    job.rows_created, job.rows_unchanged = result.created, result.unchanged
    job.done, job.step, job.finished_at = job.total, "Xong", timezone.now()
    name = job.original_name
    if not result.ok:
        job.status = Status.REJECTED
        message = f"Tệp «{name}» bị từ chối: {len(result.errors)} lỗi; không ghi gì"
    elif job.stage == Stage.CHECK and result.created:
        job.status = Status.CHECKED
        message = f"Kiểm tra tệp «{name}»: hợp lệ, {result.created} dòng mới, {result.unchanged} dòng không thay đổi"
    elif job.stage == Stage.CHECK:
        job.status = Status.DONE
        message = f"Kiểm tra tệp «{name}»: không có thay đổi ({result.unchanged} dòng đã có)"
    else:
        job.status = Status.DONE
        job.report |= {
            "activity_ids": result.activity_ids[:LINK_LIMIT],
            "aggregate_ids": result.aggregate_ids[:LINK_LIMIT],
        }
        message = f"Nhập tệp «{name}»: {result.created} dòng thêm mới, {result.unchanged} dòng không thay đổi"
    job.save()
    action = "work.import_check" if job.stage == Stage.CHECK else "work.import_done"
    audit_log(actor=job.user, action=action, target=job, message=message)


FAILURE = "Có lỗi khi xử lý tệp; không có gì được ghi. Hãy thử lại hoặc báo quản trị."


@transaction.atomic
def _finish_failed(job: ImportJob, failure: str = FAILURE) -> None:
    job.status, job.finished_at = Status.FAILED, timezone.now()
    job.report = {"failure": failure}
    job.save()
    audit_log(
        actor=job.user,
        action="work.import_failed",
        target=job,
        message=f"Lỗi khi xử lý tệp «{job.original_name}»; không ghi gì",
    )


def _report(result: excel.ImportResult) -> dict[str, Any]:
    errors = [
        {
            "sheet": e.sheet or (ACTIVITY_SHEET if e.line else ""),
            "line": e.line,
            "column": e.column or "",
            "message": e.message,
        }
        for e in result.errors[:REPORT_LIMIT]
    ]
    rows = [
        {"sheet": r.sheet, "line": r.line, "status": r.status, "summary": r.summary}
        for r in result.rows[:REPORT_LIMIT]
    ]
    return {
        "summary": result.summary() if result.ok else "",
        "errors": errors,
        "error_count": len(result.errors),
        "rows": rows,
        "row_count": len(result.rows),
        "activities_created": result.count("created", ACTIVITY_SHEET),
        "aggregates_created": result.created - result.count("created", ACTIVITY_SHEET),
    }


# Reading. -------------------------------------------------------------------------------------------


def import_job_progress(job: ImportJob) -> Progress:
    """The freshest progress of a job: the runner's cache entry, else the row."""
    if job.in_flight:
        state = cache.get(_cache_key(job.pk))
        if state and state["done"] >= job.done:
            return Progress(state["done"], state["total"], state["step"])
    return Progress(job.done, job.total, job.step)


def is_stale(job: ImportJob) -> bool:
    """In flight, but its task is over (or gone): nothing will move it any more."""
    if not job.in_flight or not job.task_id:
        return False
    status = task_status(job.task_id)
    return status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)


def is_waiting(job: ImportJob) -> bool:
    """Queued while no worker gives a sign of life: say so rather than spin in silence."""
    return (
        job.status == Status.QUEUED
        and task_status(job.task_id) == TaskResultStatus.READY
        and not workers_alive()
    )


@receiver(task_finished)
def _task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A task that failed outside the job's own handling (its worker died for good, or a
    hard stop) fails the job, with a message saying why."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != import_job_task.module_path:
        return
    job_id = task_result.args[0] if task_result.args else task_result.kwargs.get("job_id")
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is not None and job.in_flight:
        _finish_failed(
            job, f"{task_failure_message(task_result)} Không có gì được ghi; hãy tải tệp lên lại."
        )

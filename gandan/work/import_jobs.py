"""Excel import from the web: upload, a dry run with its row-by-row report, then the import
on the user's confirmation, each run in the background with a progress bar.

The rules of the import are :func:`gandan.work.excel.work_import`'s (jurisdiction, all or
nothing, idempotence); this module only runs it twice for a stored upload and keeps the
outcome on an :class:`~gandan.work.models.ImportJob`.

**Why progress lives in the cache as well as on the job row.** Most of an import (checking
the rules and writing) happens inside one database transaction. Writes to the job row made
from that thread inside it would be invisible until the commit (and rolled back by a dry
run), and on SQLite a second connection cannot write at all while the import holds the
write lock. So the runner writes progress to the cache (at most :data:`PROGRESS_EVERY`
seconds apart) and, when it is not inside a transaction, to the row too. The page reads
whichever is fresher. With a cache shared between worker processes (file, Redis), every
process sees live progress; with the default per-process cache, another process sees the
row's progress, which advances between the stages. Status and report are always on the
row, written outside the import's transaction.

``GANDAN_IMPORT_SYNC`` (setting, default False) runs the job inline in the request: tests,
and deployments that do not want threads.
"""

import datetime
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from gandan.accounts.access import require_write, visible_unit_ids
from gandan.core.audit import audit_log
from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.core.numbers import format_number
from gandan.work import excel
from gandan.work.excel_sheet import ACTIVITY_SHEET, MAX_BYTES, Catalogue, write_workbook
from gandan.work.models import Activity, ImportJob

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.3  # seconds between two progress writes
STALE_AFTER = datetime.timedelta(
    minutes=30
)  # a job in flight with no sign of life for this long died
REPORT_LIMIT = 1000  # errors or rows kept on the job; the counts are always complete
LINK_LIMIT = 500  # imported records the result page links to
Status, Stage = ImportJob.Status, ImportJob.Stage


def import_template(*, user: Any) -> bytes:
    """The empty workbook, its team dropdown limited to the user's jurisdiction."""
    catalogue = Catalogue.load()
    ids = visible_unit_ids(user)
    if ids is not None:
        catalogue.teams = [t for t in catalogue.teams if t.unit_id in ids]
    return write_workbook(catalogue, [], [])


# Starting and confirming. ------------------------------------------------------------------------


def import_job_start(*, actor: Any, upload: UploadedFile) -> ImportJob:
    """Store the upload and check it in full (a dry run). Nothing is imported until the
    user confirms with :func:`import_job_confirm`."""
    job = _job_create(actor=actor, upload=upload)
    _launch(job)
    job.refresh_from_db()
    return job


@transaction.atomic
def _job_create(*, actor: Any, upload: UploadedFile) -> ImportJob:
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
    return job


def import_job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Import a checked file. Only its owner confirms, and only once."""
    job = _job_confirm(actor=actor, job=job)
    _launch(job)
    job.refresh_from_db()
    return job


@transaction.atomic
def _job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
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
    return job


def _fail_stale(actor: Any) -> None:
    """A job whose process died (a restart) would block the user's next upload."""
    for job in ImportJob.objects.filter(user=actor, status__in=[Status.QUEUED, Status.RUNNING]):
        if is_stale(job):
            job.status, job.finished_at = Status.FAILED, timezone.now()
            job.report = {"failure": "Việc xử lý bị gián đoạn; không có gì được ghi."}
            job.save()


def _launch(job: ImportJob) -> None:
    if getattr(settings, "GANDAN_IMPORT_SYNC", False):
        import_job_run(job.pk)
        return
    worker = threading.Thread(
        target=_run_in_thread, args=(job.pk,), name=f"import-job-{job.pk}", daemon=True
    )
    transaction.on_commit(worker.start)


def _run_in_thread(job_id: int) -> None:
    try:
        import_job_run(job_id)
    finally:
        connection.close()  # the thread's own connection; Django does not close it


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
        cache.set(_cache_key(self.job.pk), state, timeout=int(STALE_AFTER.total_seconds()))
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(
                done=done, step=message[:100], updated_at=timezone.now()
            )


def import_job_run(job_id: int) -> None:
    """Run the job's stage: the dry run (check) or the import. Never raises: a crash is
    logged and leaves the job "failed", with nothing written (the import is atomic)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), done=0, step="Đọc tệp"
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    activity_mark = Activity.objects.aggregate(top=Max("pk"))["top"] or 0
    audit_mark = AuditEntry.objects.aggregate(top=Max("pk"))["top"] or 0
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
        _finish(job, result, activity_mark, audit_mark)
    finally:
        cache.delete(_cache_key(job_id))


@transaction.atomic
def _finish(
    job: ImportJob, result: excel.ImportResult, activity_mark: int, audit_mark: int
) -> None:
    job.report = _report(result)
    job.rows_created, job.rows_unchanged = result.created, result.unchanged
    job.done, job.step, job.finished_at = job.total, "Xong", timezone.now()
    name = job.original_name
    if not result.ok:
        job.status = Status.REJECTED
        message = f"Tệp «{name}» bị từ chối: {len(result.errors)} lỗi; không ghi gì"
    elif job.stage == Stage.CHECK and result.created:
        job.status = Status.CHECKED
        message = f"Kiểm tra tệp «{name}»: hợp lệ, {result.created} dòng mới, {result.unchanged} dòng không thay đổi"  # fmt: skip
    elif job.stage == Stage.CHECK:
        job.status = Status.DONE
        message = f"Kiểm tra tệp «{name}»: không có thay đổi ({result.unchanged} dòng đã có)"
    else:
        job.status = Status.DONE
        job.report |= _imported(job, activity_mark, audit_mark)
        message = f"Nhập tệp «{name}»: {result.created} dòng thêm mới, {result.unchanged} dòng không thay đổi"  # fmt: skip
    job.save()
    action = "work.import_check" if job.stage == Stage.CHECK else "work.import_done"
    audit_log(actor=job.user, action=action, target=job, message=message)


@transaction.atomic
def _finish_failed(job: ImportJob) -> None:
    job.status, job.finished_at = Status.FAILED, timezone.now()
    job.report = {"failure": "Có lỗi khi xử lý tệp; không có gì được ghi. Hãy thử lại hoặc báo quản trị."}  # fmt: skip
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


def _imported(job: ImportJob, activity_mark: int, audit_mark: int) -> dict[str, list[int]]:
    """The records this import wrote, for the result page's links. While the job ran it was
    the user's only one in flight, and the importer gives every record an import key."""
    activities = (
        Activity.objects.filter(pk__gt=activity_mark, created_by=job.user)
        .exclude(import_key="")
        .order_by("pk")
        .values_list("pk", flat=True)[:LINK_LIMIT]
    )
    totals = AuditEntry.objects.filter(
        pk__gt=audit_mark, actor_id=job.user.pk, action="work.aggregate_create"
    ).values_list("target_id", flat=True)[:LINK_LIMIT]
    return {"activity_ids": list(activities), "aggregate_ids": [int(pk) for pk in totals]}


# Reading. -------------------------------------------------------------------------------------------


def import_job_progress(job: ImportJob) -> Progress:
    """The freshest progress of a job: the runner's cache entry, else the row."""
    if job.in_flight:
        state = cache.get(_cache_key(job.pk))
        if state and state["done"] >= job.done:
            return Progress(state["done"], state["total"], state["step"])
    return Progress(job.done, job.total, job.step)


def is_stale(job: ImportJob) -> bool:
    if not job.in_flight:
        return False
    state = cache.get(_cache_key(job.pk))
    seen = job.updated_at
    if state:
        seen = max(seen, datetime.datetime.fromtimestamp(state["at"], tz=datetime.UTC))
    return timezone.now() - seen > STALE_AFTER

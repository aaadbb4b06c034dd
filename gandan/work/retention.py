"""Retention of uploaded files (issue 13, ADR 0010): what nobody will open again is deleted
after ``settings.GANDAN_UPLOAD_RETENTION_DAYS`` days, by a daily task of the queue
(``work.tasks.uploads_prune_task``), with one audit entry per run.

- **Rejected imports**: an import job refused by its check (or failed) and finished that
  long ago loses its workbook and its row; the audit entry keeps its name, owner and date.
- **Orphaned uploads**: a file under ``attachments/`` or ``imports/`` of ``MEDIA_ROOT`` that
  no attachment or import job refers to (its row deleted, or an upload interrupted), last
  changed that long ago. Files elsewhere under ``MEDIA_ROOT`` are left alone.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gandan.core.audit import audit_log
from gandan.work.models import Attachment, ImportJob

UPLOAD_FOLDERS = ("attachments", "imports")
_FINISHED_UNUSED = (ImportJob.Status.REJECTED, ImportJob.Status.FAILED)


@dataclass(frozen=True)
class Pruned:
    imports: int
    orphans: int


def _orphans(cutoff: datetime.datetime) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    referenced = set(Attachment.objects.values_list("file", flat=True)) | set(
        ImportJob.objects.values_list("file", flat=True)
    )
    found = []
    for folder in UPLOAD_FOLDERS:
        if not (root / folder).is_dir():
            continue
        for path in (root / folder).rglob("*"):
            if not path.is_file() or path.relative_to(root).as_posix() in referenced:
                continue
            changed = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if changed < cutoff:
                found.append(path)
    return sorted(found)


@transaction.atomic
def uploads_prune(*, days: int | None = None) -> Pruned:
    """Delete rejected or failed imports finished more than ``days`` days ago (default: the
    setting) with their workbooks, then orphaned upload files as old. Returns the counts."""
    keep = settings.GANDAN_UPLOAD_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=keep)
    jobs = list(
        ImportJob.objects.select_for_update()
        .filter(status__in=_FINISHED_UNUSED, finished_at__lt=cutoff)
        .select_related("user")
    )
    names = [
        f"«{job.original_name}» ({job.user.username}, {job.finished_at:%d/%m/%Y})" for job in jobs
    ]
    files = [job.file for job in jobs if job.file]
    ImportJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    orphans = _orphans(cutoff)
    if jobs or orphans:
        root = Path(settings.MEDIA_ROOT)
        audit_log(
            actor=None,
            action="work.uploads_prune",
            message=(
                f"Tự động xóa {len(jobs)} lượt nhập Excel bị từ chối và {len(orphans)} tệp "
                f"tải lên không còn dùng, cũ hơn {keep} ngày"
            ),
            data={
                "imports": names,
                "orphans": [p.relative_to(root).as_posix() for p in orphans],
            },
        )

    def delete_files() -> None:  # only once the rows are gone for good
        for stored in files:
            stored.storage.delete(stored.name)
        for path in orphans:
            path.unlink(missing_ok=True)

    transaction.on_commit(delete_files)
    return Pruned(imports=len(jobs), orphans=len(orphans))

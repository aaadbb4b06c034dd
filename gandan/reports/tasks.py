"""Background tasks of reports (``core.queue``): rendering a document that takes long (a
phase review's PDF), so that no request waits for it."""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gandan.core.queue import background, progress_report
from gandan.reports.documents import RENDERERS, build_document
from gandan.reports.downloads import export_filename
from gandan.reports.models import Report

RENDER_DIR = "reports/renders"


@background(attempts=2, takes_context=True)
def report_render_task(context: Any, report_id: int, fmt: str) -> str:
    """Render the report in ``fmt`` and store the file; returns its storage name. Rendering
    twice is harmless, so an interrupted render is run again."""
    task_id = str(context.task_result.id)
    progress_report(task_id, done=0, total=2, step="Tổng hợp số liệu")
    report = Report.objects.select_related("regime", "unit").get(pk=report_id)
    document = build_document(report)
    progress_report(task_id, done=1, total=2, step="Dàn trang văn bản")
    data = RENDERERS[fmt](document)
    name = default_storage.save(
        f"{RENDER_DIR}/{task_id}/{export_filename(report, fmt)}", ContentFile(data)
    )
    progress_report(task_id, done=2, total=2, step="Xong")
    return name

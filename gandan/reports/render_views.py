"""A report document rendered in the background (``reports.tasks``): ask, watch the progress,
download. Only the user who asked may watch and download it (the task's id is kept in their
session), and only while they may still see the report."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus

from gandan.accounts.access import user_of
from gandan.core.htmx import render_page_or_partial
from gandan.core.queue import progress_of, task_status
from gandan.reports.access import access_report
from gandan.reports.downloads import CONTENT_TYPES
from gandan.reports.tasks import report_render_task

SESSION_KEY = "reports:renders"  # {task id: [report id, format]}


@login_required
@require_POST
def render_start(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = access_report(user_of(request), pk)
    result = report_render_task.enqueue(report.pk, fmt)
    renders = request.session.get(SESSION_KEY, {})
    renders[str(result.id)] = [report.pk, fmt]
    request.session[SESSION_KEY] = renders
    return redirect("reports:render", task_id=str(result.id))


def _render_of(request: HttpRequest, task_id: str) -> tuple[int, str]:
    """The (report, format) of a render this session asked for; 404 otherwise, and 404 when
    the user may no longer see the report."""
    found = request.session.get(SESSION_KEY, {}).get(task_id)
    if found is None:
        raise Http404("Không tìm thấy văn bản đang xuất.")
    report_id, fmt = found
    access_report(user_of(request), report_id)
    return int(report_id), str(fmt)


@login_required
def render_page(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    report_id, fmt = _render_of(request, str(task_id))
    status = task_status(str(task_id))
    context = {
        "task_id": str(task_id),
        "report_id": report_id,
        "fmt": fmt,
        "status": status,
        "done": status == TaskResultStatus.SUCCESSFUL,
        "failed": status == TaskResultStatus.FAILED,
        "progress": progress_of(str(task_id)),
    }
    return render_page_or_partial(
        request, "reports/render.html", "reports/partials/render.html", context
    )


@login_required
def render_download(request: HttpRequest, task_id: uuid.UUID) -> HttpResponseBase:
    _report_id, fmt = _render_of(request, str(task_id))
    if task_status(str(task_id)) != TaskResultStatus.SUCCESSFUL:
        raise Http404("Văn bản chưa xuất xong.")
    name = report_render_task.get_result(str(task_id)).return_value
    if not isinstance(name, str) or not default_storage.exists(name):
        raise Http404("Văn bản đã xuất không còn.")
    filename = name.rsplit("/", 1)[-1]
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[fmt],
    )

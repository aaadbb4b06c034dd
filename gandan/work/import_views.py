"""Excel import pages: the template, the upload, the job page with its progress bar and
report, and the confirmation. Parse → access → ``work.import_jobs`` → render."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from gandan.accounts.access import require_write, user_of
from gandan.core.errors import DomainError
from gandan.work import import_jobs
from gandan.work.access import access_import_job, visible_activities, visible_aggregates
from gandan.work.forms import ImportUploadForm, add_domain_error
from gandan.work.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 10


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    response = HttpResponse(import_jobs.import_template(user=user), content_type=XLSX)
    response.headers["Content-Disposition"] = (
        content_disposition_header(True, "mau-nhap-hoat-dong.xlsx") or "attachment"
    )
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.import_job_start(actor=user, upload=form.cleaned_data["file"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("work:import-job", pk=job.pk)
    jobs = ImportJob.objects.filter(user=user)[:RECENT_JOBS]
    return render(
        request,
        "work/import_upload.html",
        {"form": form, "jobs": jobs},
        status=400 if form.errors else 200,
    )


def _job_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    user = user_of(request)
    report = job.report or {}
    return {
        "job": job,
        "progress": import_jobs.import_job_progress(job),
        "stale": import_jobs.is_stale(job),
        "waiting": import_jobs.is_waiting(job),
        "report": report,
        "errors_left_off": report.get("error_count", 0) - len(report.get("errors", [])),
        "rows_left_off": report.get("row_count", 0) - len(report.get("rows", [])),
        "activities": visible_activities(user)
        .filter(pk__in=report.get("activity_ids", []))
        .select_related("type", "unit")
        .order_by("pk"),
        "aggregates": visible_aggregates(user)
        .filter(pk__in=report.get("aggregate_ids", []))
        .select_related("indicator", "unit")
        .order_by("pk"),
    }


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(user_of(request), pk)
    return render(request, "work/import_job.html", _job_context(request, job))


@login_required
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx while the job runs; once it is over, the page
    reloads to show the report."""
    job = access_import_job(user_of(request), pk)
    if not job.in_flight and getattr(request, "htmx", False):
        return HttpResponseClientRedirect(reverse("work:import-job", args=[job.pk]))
    return render(request, "work/partials/import_progress.html", _job_context(request, job))


@login_required
@require_POST
def import_job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = access_import_job(user, pk)
    try:
        import_jobs.import_job_confirm(actor=user, job=job)
    except DomainError as error:
        context = _job_context(request, job) | {"confirm_error": error.message}
        return render(request, "work/import_job.html", context, status=409)
    return redirect("work:import-job", pk=job.pk)

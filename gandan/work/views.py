"""Activity records: the list with htmx filters, the record page, deletion and attachments
(entry is in ``entry_views``). Parse → access → selector/service → render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from gandan.accounts.access import user_of, visible_unit_ids
from gandan.core.downloads import xlsx_response
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.geo.models import AdminUnit, Level
from gandan.work import selectors, services
from gandan.work.access import access_activity, visible_activities
from gandan.work.attachments import attachment_add
from gandan.work.forms import ActivityFilterForm, AttachmentForm, add_domain_error
from gandan.work.list_export import ActivityListExporter
from gandan.work.models import PARTNERS, Activity

PAGE_SIZE = 25
PARTNER_LABELS = dict(PARTNERS)


# The list. --------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[ActivityFilterForm, QuerySet[Activity]]:
    """The filter form and the records it selects, within the user's jurisdiction."""
    user = user_of(request)
    ids = visible_unit_ids(user)
    form = ActivityFilterForm(
        request.GET,
        units=selectors.unit_options(ids, [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]),
        villages=selectors.unit_options(ids, [Level.VILLAGE]),
        teams=selectors.team_filter_options(ids),
    )
    activities = Activity.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        unit = AdminUnit.objects.get(pk=data["unit"]) if data["unit"] else None
        filters = selectors.ActivityFilters(
            team=data["team"],
            village=data["village"],
            type=data["type"] or None,
            movement=data["movement"] or None,
            unit=unit,
            start=data["date_from"],
            end=data["date_to"],
            status=data["status"] or None,
        )
        activities = selectors.activities_recent(visible_activities(user), filters)
    return form, activities


def _list_context(request: HttpRequest) -> dict[str, Any]:
    form, activities = _filtered(request)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    return render_page_or_partial(
        request,
        "work/activity_list.html",
        "work/partials/activity_results.html",
        context,
        status=400 if context["form"].errors else 200,
    )


@login_required
def activity_results(request: HttpRequest) -> HttpResponse:
    """The htmx fragment of the list; the address bar shows the full page's URL."""
    context = _list_context(request)
    status = 400 if context["form"].errors else 200
    response = render(request, "work/partials/activity_results.html", context, status=status)
    if getattr(request, "htmx", False):
        query = context["query"]
        push_url(response, reverse("work:activity-list") + (f"?{query}" if query else ""))
    return response


@login_required
def activity_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered on the page, in Excel."""
    form, activities = _filtered(request)
    if form.errors:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return HttpResponse(
            " ".join(problems), status=400, content_type="text/plain; charset=utf-8"
        )
    return xlsx_response(ActivityListExporter(activities))


# Changes from the record page. ---------------------------------------------------------------------


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    activity = access_activity(user, pk, write=True)
    label = str(activity)
    services.activity_delete(actor=user, activity=activity)
    messages.success(request, _("Đã xóa %(activity)s.") % {"activity": label})
    return redirect("work:activity-list")


# One record. ------------------------------------------------------------------------------------


def _detail(
    request: HttpRequest, activity: Activity, form: AttachmentForm | None, status: int = 200
) -> HttpResponse:
    loaded = selectors.activities_loaded(Activity.objects.filter(pk=activity.pk)).get()
    user = user_of(request)
    return render(
        request,
        "work/activity_detail.html",
        {
            "activity": loaded,
            "attachments": loaded.attachments.all(),
            "partners": [str(PARTNER_LABELS.get(p, p)) for p in loaded.partners],
            "form": form if form is not None else (AttachmentForm() if user.can_write else None),
        },
        status=status,
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_activity(user_of(request), pk), None)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    activity = access_activity(user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachment_add(
                actor=user,
                activity=activity,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã đính kèm %(name)s.") % {"name": attachment})
            return redirect("work:activity-detail", pk=activity.pk)
    return _detail(request, activity, form, status=400)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    activity = access_activity(user_of(request), pk)
    attachment = activity.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("Không tìm thấy tệp đính kèm.")
    return FileResponse(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
        as_attachment=not attachment.content_type.startswith("image/"),
    )

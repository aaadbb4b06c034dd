"""Inspections (kiểm tra, giám sát): plans, results, and follow-up actions with owners and
deadlines. A plan is for a team the user may write on the planned date."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.accounts.access import require_write, user_of, visible_unit_ids
from gandan.accounts.models import User
from gandan.cases import selectors, services
from gandan.cases.access import (
    access_follow_up,
    access_inspection,
    access_inspection_team,
    visible_inspections,
)
from gandan.cases.forms import (
    FollowUpDoneForm,
    InspectionFilterForm,
    InspectionPlanForm,
    InspectionResultForm,
    add_domain_error,
    first_error,
)
from gandan.cases.models import Inspection
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.work.selectors import team_filter_options

PAGE_SIZE = 25


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    inspections = visible_inspections(user)
    form = InspectionFilterForm(request.GET, teams=team_filter_options(visible_unit_ids(user)))
    found = Inspection.objects.none()
    if form.is_valid():
        found = inspections
        if form.cleaned_data["team"]:
            found = found.filter(team_id=form.cleaned_data["team"])
        if form.cleaned_data["state"] == "planned":
            found = found.filter(held_on__isnull=True)
        elif form.cleaned_data["state"] == "held":
            found = found.filter(held_on__isnull=False)
    page = Paginator(selectors.inspections_loaded(found), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "follow_ups": selectors.follow_ups_open(inspections)[:20],
        "today": today(),
    }
    return render(
        request, "cases/inspection_list.html", context, status=400 if form.errors else 200
    )


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    data = request.POST if request.method == "POST" else None
    form = InspectionPlanForm(
        data,
        initial={"team": request.GET.get("team"), "planned_on": today()},
        teams=team_filter_options(visible_unit_ids(user)),
    )
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            inspection = services.inspection_plan(
                actor=user,
                team=access_inspection_team(user, values["team"], values["planned_on"]),
                inspector=values["inspector"],
                planned_on=values["planned_on"],
                content=values["content"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Đã lập kế hoạch kiểm tra %(team)s.") % {"team": inspection.team}
            )
            return redirect("cases:inspection-detail", pk=inspection.pk)
    return render(
        request, "cases/inspection_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _detail(
    request: HttpRequest,
    user: User,
    inspection: Inspection,
    *,
    result_form: InspectionResultForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    loaded = selectors.inspections_loaded(Inspection.objects.filter(pk=inspection.pk)).get()
    context: dict[str, Any] = {
        "inspection": loaded,
        "follow_ups": list(loaded.follow_ups.all()),
        "can_write": user.can_write,
        "result_form": result_form or InspectionResultForm(),
        "done_form": FollowUpDoneForm(),
        "today": today(),
        "error": error,
    }
    return render(request, "cases/inspection_detail.html", context, status=status)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return _detail(request, user, access_inspection(user, pk))


@login_required
@require_POST
def inspection_result(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    inspection = access_inspection(user, pk, write=True)
    form = InspectionResultForm(request.POST)
    if form.is_valid():
        values = form.cleaned_data
        try:
            services.inspection_record(
                actor=user,
                inspection=inspection,
                held_on=values["held_on"],
                findings=values["findings"],
                rating=values["rating"],
                recommendations=values["recommendations"],
                follow_ups=form.follow_ups(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả kiểm tra."))
            return redirect("cases:inspection-detail", pk=inspection.pk)
    inspection = access_inspection(user, pk)
    return _detail(request, user, inspection, result_form=form, status=400)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    user = user_of(request)
    follow_up = access_follow_up(user, pk, follow_up_pk, write=True)
    form = FollowUpDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(first_error(form))
        services.follow_up_done(actor=user, follow_up=follow_up, on=form.cleaned_data["on"])
    except DomainError as error:
        return _detail(request, user, follow_up.inspection, error=error.message, status=400)
    messages.success(request, _("Đã ghi hoàn thành: %(action)s.") % {"action": follow_up.action})
    return redirect("cases:inspection-detail", pk=pk)

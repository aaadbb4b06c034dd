"""New-rural works (công trình nông thôn mới): the list, the page of one, and the forms to
add, correct and delete them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, require_write, user_of, visible_unit_ids
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import User
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.geo.models import Level
from gandan.work import selectors, services
from gandan.work.access import access_work, visible_works
from gandan.work.forms import WorkFilterForm, WorkForm, add_domain_error
from gandan.work.views import PAGE_SIZE


@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    form = WorkFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    works = selectors.works_listed(
        visible_works(user_of(request)),
        kind=data.get("kind") or None,
        status=data.get("status") or None,
    )
    page = Paginator(works, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {"form": form, "page": page, "query": query.urlencode()}
    return render_page_or_partial(
        request,
        "work/work_list.html",
        "work/partials/work_results.html",
        context,
        status=400 if form.errors else 200,
    )


def _form(request: HttpRequest, user: User, initial: dict[str, Any] | None = None) -> WorkForm:
    places = selectors.unit_options(visible_unit_ids(user), [Level.COMMUNE, Level.VILLAGE])
    return WorkForm(request.POST or None, places=places, initial=initial)


def _input(user: User, form: WorkForm) -> services.WorkInput | None:
    """The form's work, with a place that is the user's (on the start of works); None
    after naming the field when it is not."""
    data = form.cleaned_data
    started = data["started_on"]
    if started and not jurisdiction_for(user).covers(data["place"], started):
        form.add_error(
            "place",
            _("Địa điểm này không thuộc địa bàn của bạn vào ngày khởi công %(day)s.")
            % {"day": vn_date(started)},
        )
        return None
    return services.WorkInput(
        name=data["name"],
        kind=data["kind"],
        place=access_unit(user, data["place"], on=started, write=True),
        status=data["status"],
        started_on=started,
        completed_on=data["completed_on"],
    )


@login_required
def work_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    form = _form(request, user)
    if request.method == "POST" and form.is_valid() and (data := _input(user, form)):
        try:
            work = services.work_create(actor=user, **vars(data))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã thêm công trình %(work)s.") % {"work": work})
            return redirect("work:work-list")
    return render(
        request, "work/work_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = access_work(user_of(request), pk)
    contributions = work.contributions.select_related(
        "activity_value__indicator", "activity_value__activity__type"
    )
    return render(request, "work/work_detail.html", {"work": work, "contributions": contributions})


@login_required
def work_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    work = access_work(user, pk, write=True)
    initial = {
        f: getattr(work, f) for f in ("name", "kind", "status", "started_on", "completed_on")
    }
    form = _form(request, user, initial | {"place": work.place_id})
    if request.method == "POST" and form.is_valid() and (data := _input(user, form)):
        try:
            services.work_update(actor=user, work=work, data=data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã sửa công trình %(work)s.") % {"work": work})
            return redirect("work:work-detail", pk=work.pk)
    context = {"form": form, "work": work}
    return render(request, "work/work_form.html", context, status=400 if form.errors else 200)


@login_required
def work_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    user = user_of(request)
    work = access_work(user, pk, write=True)
    if request.method == "POST":
        label = str(work)
        services.work_delete(actor=user, work=work)
        messages.success(request, _("Đã xóa công trình %(work)s.") % {"work": label})
        return redirect("work:work-list")
    context = {
        "object": work,
        "kind": _("công trình"),
        "cancel": reverse("work:work-detail", args=[work.pk]),
        "links": work.contributions.count(),
    }
    return render(request, "work/confirm_delete.html", context)

"""New-rural works (công trình nông thôn mới): the list and the entry form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, require_write, visible_unit_ids
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.geo.models import Level
from gandan.work import selectors, services
from gandan.work.access import visible_works
from gandan.work.forms import WorkFilterForm, WorkForm, add_domain_error
from gandan.work.views import PAGE_SIZE, user_of


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


@login_required
def work_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    places = selectors.unit_options(visible_unit_ids(user), [Level.COMMUNE, Level.VILLAGE])
    form = WorkForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        started = data["started_on"]
        if started and not jurisdiction_for(user).covers(data["place"], started):
            form.add_error(
                "place",
                _("Địa điểm này không thuộc địa bàn của bạn vào ngày khởi công %(day)s.")
                % {"day": vn_date(started)},
            )
            return render(request, "work/work_form.html", {"form": form}, status=400)
        try:
            work = services.work_create(
                actor=user,
                name=data["name"],
                kind=data["kind"],
                place=access_unit(user, data["place"], on=started, write=True),
                status=data["status"],
                started_on=data["started_on"],
                completed_on=data["completed_on"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã thêm công trình %(work)s.") % {"work": work})
            return redirect("work:work-list")
    return render(
        request, "work/work_form.html", {"form": form}, status=400 if form.errors else 200
    )

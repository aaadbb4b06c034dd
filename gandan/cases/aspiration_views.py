"""Aspirations (tâm tư nguyện vọng): the list with htmx filters, and entry. Aggregates only:
a topic and a count for a village and period, never names."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, require_write, user_of, visible_unit_ids
from gandan.cases import selectors, services
from gandan.cases.access import access_aspiration_village, visible_aspirations
from gandan.cases.forms import AspirationFilterForm, AspirationForm, add_domain_error
from gandan.cases.models import Aspiration
from gandan.cases.views import PLACE_LEVELS, parse_day, place_choices
from gandan.core.errors import DomainError
from gandan.core.htmx import push_list_url, render_page_or_partial
from gandan.work.selectors import unit_options

PAGE_SIZE = 25


def _list_context(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    form = AspirationFilterForm(
        request.GET, places=unit_options(visible_unit_ids(user), PLACE_LEVELS)
    )
    found = Aspiration.objects.none()
    if form.is_valid():
        start, end = form.period_bounds()
        place = form.cleaned_data["place"]
        found = selectors.aspirations_listed(
            visible_aspirations(user),
            place=access_unit(user, place) if place else None,
            start=start,
            end=end,
            q=form.cleaned_data["q"],
        )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    by_topic = (
        found.values("topic").annotate(total=Sum("households")).order_by("-total", "topic")[:8]
    )
    return {"form": form, "page": page, "query": query.urlencode(), "by_topic": by_topic}


@login_required
def aspiration_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    return render_page_or_partial(
        request,
        "cases/aspiration_list.html",
        "cases/partials/aspiration_results.html",
        context,
        status=400 if context["form"].errors else 200,
    )


@login_required
def aspiration_results(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    status = 400 if context["form"].errors else 200
    response = render(request, "cases/partials/aspiration_results.html", context, status=status)
    return push_list_url(request, response, "cases:aspiration-list")


@login_required
def aspiration_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    data = request.POST if request.method == "POST" else None
    source: Any = data if data is not None else request.GET
    communes, villages, unit_id = place_choices(request, source, "period_start")
    form = AspirationForm(
        data,
        initial={"period_start": parse_day(source.get("period_start")), "unit": unit_id},
        communes=communes,
        villages=villages,
    )
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            aspiration = services.aspiration_record(
                actor=user,
                village=access_aspiration_village(user, values["village"], values["period_start"]),
                period_start=values["period_start"],
                period_end=values["period_end"],
                topic=values["topic"],
                households=values["households"],
                summary=values["summary"],
                response=values["response"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Đã ghi tâm tư nguyện vọng «%(topic)s».") % {"topic": aspiration.topic}
            )
            return redirect("cases:aspiration-list")
    return render(
        request, "cases/aspiration_form.html", {"form": form}, status=400 if form.errors else 200
    )

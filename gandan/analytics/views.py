"""Analytics pages: the pivot (page, htmx fragment, xlsx export) and the dashboard.

Parse → access → selector → render. Every question is a GET querystring, so every pivot
and dashboard has a shareable address; htmx fragments push the page's canonical address.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.analytics import excel
from gandan.analytics.access import CHILDREN, LEGACY, SELF, Scope, access_analysis, unit_choices
from gandan.analytics.dashboard import dashboard_build
from gandan.analytics.grid import figure_text
from gandan.analytics.selectors import (
    DIMENSIONS,
    GRANULARITIES,
    REGIMES,
    PivotParams,
    PivotView,
    analysis_query,
    figure_at,
    pivot_build,
    pivot_params_parse,
)
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.core.routing import replica_reads
from gandan.indicators.models import Group, Indicator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: AuthenticatedHttpRequest, params: PivotParams) -> Scope:
    return access_analysis(
        request.user,
        unit_id=params.unit_id,
        drill=params.drill,
        boundaries=params.boundaries,
        auto_boundaries=params.auto_boundaries,
        start=params.start,
        end=params.end,
    )


def _question(request: AuthenticatedHttpRequest) -> tuple[PivotParams, Scope, str | None]:
    """The question asked; for a question that cannot be answered, the default one and why."""
    try:
        params = pivot_params_parse(dict(request.GET.lists()))
        return params, _scope(request, params), None
    except DomainError as error:
        params = pivot_params_parse({})
        return params, _scope(request, params), error.message


def _form_context(
    request: AuthenticatedHttpRequest, params: PivotParams, scope: Scope
) -> dict[str, Any]:
    groups = dict(Group.choices)
    catalogue: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.all():
        catalogue.setdefault(str(groups.get(indicator.group, indicator.group)), []).append(
            indicator
        )
    return {
        "params": params,
        "scope": scope,
        "query": analysis_query(params, scope),
        "units": unit_choices(request.user, scope, params.end),
        "catalogue": catalogue,
        "indicators": [i for items in catalogue.values() for i in items],
        "dimensions": DIMENSIONS,
        "granularities": GRANULARITIES,
        "regimes": REGIMES,
        "drills": {
            SELF: _("Chỉ đơn vị này"),
            CHILDREN: _("Các đơn vị trực thuộc"),
            LEGACY: _("Đơn vị này và các đơn vị cũ hợp thành"),
        },
        "boundary_day": scope.boundaries or today(),
    }


def _respond(
    request: AuthenticatedHttpRequest,
    *,
    name: str,
    key: str,
    build: Callable[[PivotParams, Scope], object],
    fragment: bool,
) -> HttpResponse:
    """The page (or, for htmx and the results URL, its fragment) for the question asked."""
    params, scope, error = _question(request)
    built = None
    if error is None:
        try:
            built = build(params, scope)
        except DomainError as problem:
            error = problem.message
    if isinstance(built, PivotView):  # the default indicators, narrowed to those with data
        params = built.params
    context = _form_context(request, params, scope) | {"error": error, key: built}
    status = 400 if context["error"] else 200
    page, partial = f"analytics/{key}.html", f"analytics/partials/{key}.html"
    if fragment:
        response = render(request, partial, context, status=status)
    else:
        response = render_page_or_partial(request, page, partial, context, status=status)
    if getattr(request, "htmx", False):
        push_url(response, f"{reverse(name)}?{context['query']}")
    return response


def _pivot(request: AuthenticatedHttpRequest, *, fragment: bool) -> HttpResponse:
    return _respond(
        request,
        name="analytics:pivot",
        key="pivot",
        build=lambda params, scope: pivot_build(params=params, scope=scope, prefer_data=True),
        fragment=fragment,
    )


def _dashboard(request: AuthenticatedHttpRequest, *, fragment: bool) -> HttpResponse:
    return _respond(
        request,
        name="analytics:dashboard",
        key="dashboard",
        build=lambda params, scope: dashboard_build(user=request.user, params=params, scope=scope),
        fragment=fragment,
    )


@replica_reads
@login_required
def pivot_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _pivot(request, fragment=False)


@replica_reads
@login_required
def pivot_results(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The htmx fragment of the pivot page: the form and the tables."""
    return _pivot(request, fragment=True)


@replica_reads
@login_required
def pivot_sources(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where one cell's figure came from: its records and every paper total that reached it,
    used, covered by another or set aside, and why (ADR 0007)."""
    try:
        params = pivot_params_parse(dict(request.GET.lists()))
        scope = _scope(request, params)
        view = pivot_build(params=params, scope=scope)
    except DomainError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    figure = figure_at(view.result, request.GET.get("cell", ""))
    if figure is None:
        raise Http404
    context = {"figure": figure, "text": figure_text(figure), "scope": scope, "params": params}
    return render_page_or_partial(
        request, "analytics/sources.html", "analytics/partials/sources.html", context
    )


@replica_reads
@login_required
def pivot_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        params = pivot_params_parse(dict(request.GET.lists()))
        scope = _scope(request, params)
        view = pivot_build(params=params, scope=scope)
    except DomainError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(excel.pivot_workbook(view), content_type=XLSX)
    name = f"tong-hop-{scope.unit.code or scope.unit.pk}-{params.start:%Y%m%d}-{params.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@replica_reads
@login_required
def dashboard_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _dashboard(request, fragment=False)


@replica_reads
@login_required
def dashboard_results(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The htmx fragment of the dashboard: the form, the figures, the charts' data, the map."""
    return _dashboard(request, fragment=True)

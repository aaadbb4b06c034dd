"""Geo's pages: the unit browser, unit history and villages, reached through the
jurisdiction (`accounts.access`). Parse → access → selector/service → render."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gandan.accounts.access import (
    access_commune_for_village,
    access_unit,
    access_village,
    require_write,
    visible_unit_ids,
)
from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.core.dates import parse_date, today
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.geo import selectors, services
from gandan.geo.forms import VillageCreateForm, VillageEditForm
from gandan.geo.models import AdminUnit, Level, UnitVersion


def _on(request: AuthenticatedHttpRequest) -> tuple[datetime.date, str | None]:
    """The browsing date from ?on=, and an error message if it was malformed."""
    try:
        return parse_date(request.GET.get("on"), field="on", default=today()), None
    except DomainError as error:
        return today(), error.message


def _roots(request: AuthenticatedHttpRequest, on: datetime.date) -> list[UnitVersion]:
    """Top of the user's tree on a date: visible units whose parent is not visible."""
    ids = visible_unit_ids(request.user, on)
    versions = selectors.versions_on(on).exclude(unit__level=Level.VILLAGE)
    if ids is None:
        return list(versions.filter(parent__isnull=True).order_by("sort_key"))
    visible = list(versions.filter(unit_id__in=ids).order_by("unit__level", "sort_key"))
    return [v for v in visible if v.parent_id is None or v.parent_id not in ids]


def _browser_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    on, error = _on(request)
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"on": on, "q": query, "date_error": error}
    if query:
        found = selectors.search_versions(query, on=on, unit_ids=visible_unit_ids(request.user, on))
        chains = selectors.ancestors_on_many([v.unit for v in found], on)
        context["results"] = [(v, chains[v.unit_id][1:]) for v in found]
    else:
        context["roots"] = _roots(request, on)
    return context


@login_required
def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _browser_context(request)
    status = 400 if context["date_error"] else 200
    return render_page_or_partial(
        request, "geo/list.html", "geo/partials/results.html", context, status=status
    )


@login_required
def unit_results(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The htmx fragment of the unit browser: search results or the tree roots."""
    context = _browser_context(request)
    status = 400 if context["date_error"] else 200
    return render(request, "geo/partials/results.html", context, status=status)


@login_required
def unit_children(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    on, error = _on(request)
    if error:
        return HttpResponse(error, status=400)
    unit = access_unit(request.user, pk, on=on)
    ids = visible_unit_ids(request.user, on)
    children = selectors.children_on(unit, on)
    if ids is not None:
        children = children.filter(unit_id__in=ids)
    return render(request, "geo/partials/children.html", {"children": children, "on": on})


@login_required
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = access_unit(request.user, pk)
    on, error = _on(request)
    if error:
        return render(request, "geo/bad_date.html", {"date_error": error}, status=400)
    history = selectors.unit_history(unit)
    version = selectors.version_on(unit, on) if unit.is_valid_on(on) else None
    reference = on if version else (history.versions[-1].valid_from or on)
    return render(
        request,
        "geo/detail.html",
        {
            "unit": unit,
            "history": history,
            "on": on,
            "path": selectors.ancestors_on(unit, reference)[1:],
            "children": selectors.children_on(unit, reference)
            if unit.level != Level.VILLAGE
            else [],
            "can_add_village": unit.level == Level.COMMUNE and request.user.can_write,
        },
    )


def _commune_choices(request: AuthenticatedHttpRequest, on: datetime.date) -> list[tuple[int, str]]:
    ids = visible_unit_ids(request.user, None)
    communes = AdminUnit.objects.filter(level=Level.COMMUNE)
    if ids is not None:
        communes = communes.filter(pk__in=ids)
    return [
        (c.pk, f"{c} ({c.code})" + ("" if c.valid_to is None else f" – đến {c.valid_to:%d/%m/%Y}"))
        for c in communes.order_by("valid_to", "sort_key")
    ]


@login_required
def village_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_write(request.user)
    on, _error = _on(request)
    initial = {"valid_from": on, "commune": request.GET.get("commune"), "kind": "thon"}
    form = VillageCreateForm(
        request.POST or None, initial=initial, communes=_commune_choices(request, on)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commune = access_commune_for_village(request.user, data["commune"], data["valid_from"])
            village = services.village_create(
                actor=request.user,
                commune=commune,
                name=data["name"],
                kind=data["kind"],
                valid_from=data["valid_from"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": village})
            return redirect("geo:unit-detail", pk=village.pk)
    return render(
        request,
        "geo/village_form.html",
        {"form": form, "title": _("Thêm thôn, buôn")},
        status=400 if form.errors else 200,
    )


@login_required
def village_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    village = access_village(request.user, pk, write=True)
    form = VillageEditForm(
        request.POST or None, initial={"name": village.name, "kind": village.kind}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["renamed_on"]:
            access_village(request.user, pk, write=True, on=data["renamed_on"])
        try:
            services.village_update(
                actor=request.user,
                village=village,
                name=data["name"],
                kind=data["kind"],
                on=data["renamed_on"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Đã lưu %(name)s.") % {"name": village})
            return redirect("geo:unit-detail", pk=village.pk)
    return render(
        request,
        "geo/village_form.html",
        {"form": form, "village": village, "title": _("Sửa thôn, buôn")},
        status=400 if form.errors else 200,
    )

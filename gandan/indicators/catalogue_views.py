"""The catalogue pages for the province's administrators: list, create, edit, retire,
restore, delete. Parse → access → service → render; the rules are
``indicators.services``' and every refusal is its Vietnamese message on the form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.core.dates import today, vn_date
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.indicators import services
from gandan.indicators.access import access_indicator, require_catalogue_admin
from gandan.indicators.catalogue_selectors import STATUSES, catalogue_lines, next_position
from gandan.indicators.forms import (
    CatalogueFilterForm,
    IndicatorForm,
    RetireForm,
    indicator_initial,
)
from gandan.indicators.models import Group, Indicator
from gandan.indicators.usage import usage_of


def _add_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _list_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    form = CatalogueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or ""
    lines = catalogue_lines(
        on=today(),
        search=data.get("q") or "",
        group=data.get("group") or "",
        status=status if status in STATUSES else "",
    )
    return {"filters": form, "lines": lines, "today": today()}


@login_required
def catalogue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_catalogue_admin(request.user)
    return render_page_or_partial(
        request, "catalogue/list.html", "catalogue/partials/results.html", _list_context(request)
    )


@login_required
def catalogue_results(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The htmx fragment of the list: the table for the filters chosen."""
    require_catalogue_admin(request.user)
    return render(request, "catalogue/partials/results.html", _list_context(request))


@login_required
def indicator_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_catalogue_admin(request.user)
    group = request.GET.get("group") if request.GET.get("group") in Group.values else Group.PRODUCTION  # fmt: skip
    initial = {"group": group, "position": next_position(str(group)), "integer_only": True}
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(actor=request.user, data=form.indicator_input())
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Đã thêm chỉ tiêu «%(name)s» (mã %(code)s).")
                % {"name": indicator.name_vi, "code": indicator.code},
            )
            return redirect("catalogue:indicator-edit", pk=indicator.pk)
    return render(
        request,
        "catalogue/form.html",
        {"form": form, "indicator": None},
        status=400 if form.errors else 200,
    )


def _edit_page(
    request: AuthenticatedHttpRequest,
    indicator: Indicator,
    *,
    form: IndicatorForm | None = None,
    retire_form: RetireForm | None = None,
    status: int = 200,
) -> HttpResponse:
    used = usage_of(indicator)
    if form is None:
        form = IndicatorForm(initial=indicator_initial(indicator), indicator=indicator, in_use=bool(used))  # fmt: skip
    context = {
        "form": form,
        "indicator": indicator,
        "used": used,
        "retire_form": retire_form or RetireForm(initial={"retired_on": today()}),
        "parts": list(indicator.parts.all()),
    }
    return render(request, "catalogue/form.html", context, status=status)


@login_required
def indicator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk)
    if request.method != "POST":
        return _edit_page(request, indicator)
    used = bool(usage_of(indicator))
    form = IndicatorForm(
        request.POST, initial=indicator_initial(indicator), indicator=indicator, in_use=used
    )
    if form.is_valid():
        try:
            services.indicator_update(
                actor=request.user, indicator=indicator, data=form.indicator_input()
            )
        except DomainError as error:
            _add_error(form, error)
            indicator.refresh_from_db()
        else:
            messages.success(request, _("Đã lưu chỉ tiêu «%(name)s».") % {"name": indicator.name_vi})  # fmt: skip
            return redirect("catalogue:indicator-edit", pk=indicator.pk)
    return _edit_page(request, indicator, form=form, status=400)


@login_required
@require_POST
def indicator_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_retire(actor=request.user, indicator=indicator, on=form.day())
        except DomainError as error:
            _add_error(form, error)
            indicator.refresh_from_db()
        else:
            messages.success(
                request,
                _("Đã cho ngừng sử dụng «%(name)s» từ ngày %(day)s; số liệu đã có vẫn giữ nguyên.")
                % {"name": indicator.name_vi, "day": vn_date(form.day())},
            )
            return redirect("catalogue:indicator-list")
    return _edit_page(request, indicator, retire_form=form, status=400)


@login_required
@require_POST
def indicator_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk)
    try:
        services.indicator_restore(actor=request.user, indicator=indicator)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã dùng lại chỉ tiêu «%(name)s».") % {"name": indicator.name_vi})  # fmt: skip
    return redirect("catalogue:indicator-edit", pk=indicator.pk)


@login_required
def indicator_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (or says why it cannot be deleted); POST deletes."""
    indicator = access_indicator(request.user, pk)
    error = ""
    if request.method == "POST":
        name = indicator.name_vi
        try:
            services.indicator_delete(actor=request.user, indicator=indicator)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Đã xóa chỉ tiêu «%(name)s».") % {"name": name})
            return redirect("catalogue:indicator-list")
    context = {"indicator": indicator, "used": usage_of(indicator), "error": error}
    return render(request, "catalogue/confirm_delete.html", context, status=400 if error else 200)

"""The POST endpoints of a report (edit, adjust, submit, return, approve, un-approve) and
its exports. Each one: access (404 outside, 403 for a leader or for a level that may not do
it) → form → service. A broken rule of the workflow re-shows the report with the error
(400) and changes nothing."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gandan.accounts.access import access_unit, require_write, user_of
from gandan.accounts.models import User
from gandan.core.errors import DomainError
from gandan.core.numbers import format_number
from gandan.reports import services
from gandan.reports.access import REVIEW_ACTIONS, access_report
from gandan.reports.downloads import export_response
from gandan.reports.forms import (
    AdjustForm,
    ApproveForm,
    ReturnForm,
    SectionsForm,
    SubmitForm,
    UnapproveForm,
)
from gandan.reports.models import Regime, Report
from gandan.reports.selectors import child_states, report_indicators, report_or_draft
from gandan.reports.views import detail_context, period_of

DONE = {
    "sections": _("Đã lưu nội dung báo cáo."),
    "adjust": _("Đã điều chỉnh số liệu."),
    "submit": _("Đã gửi báo cáo lên cấp trên."),
    "return": _("Đã trả lại báo cáo."),
    "approve": _("Đã duyệt báo cáo."),
    "unapprove": _("Đã hủy duyệt báo cáo."),
}
ANCHORS = {"sections": "#sections", "adjust": "#figures"}


def _form(action: str, report: Report, data: Any) -> Form | None:
    if action == "sections":
        return SectionsForm(data, report=report)
    if action == "adjust":
        indicators = [(i.code, i.name_vi) for i in report_indicators(report)]
        return AdjustForm(data, indicators=indicators)
    forms: dict[str, type[Form]] = {
        "submit": SubmitForm,
        "return": ReturnForm,
        "approve": ApproveForm,
        "unapprove": UnapproveForm,
    }
    return forms[action](data) if action in forms else None


def _run(action: str, user: User, report: Report, data: dict[str, Any]) -> None:
    steps: dict[str, Callable[[], object]] = {
        "sections": lambda: services.report_update_sections(
            actor=user, report=report, sections=data
        ),
        "adjust": lambda: services.report_adjust(
            actor=user,
            report=report,
            indicator_code=data["indicator_code"],
            value=data["value"],
            reason=data["reason"],
        ),
        "submit": lambda: services.report_submit(
            actor=user, report=report, allow_empty_sections=data["allow_empty_sections"]
        ),
        "return": lambda: services.report_return(
            actor=user, report=report, comment=data["comment"]
        ),
        "approve": lambda: services.report_approve(
            actor=user, report=report, issued_on=data["issued_on"]
        ),
        "unapprove": lambda: services.report_unapprove(
            actor=user, report=report, reason=data["reason"]
        ),
    }
    steps[action]()


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = user_of(request)
    report = access_report(user, pk, write=True, review=action in REVIEW_ACTIONS)
    form = _form(action, report, request.POST)
    try:
        if form is not None and not form.is_valid():
            raise DomainError(_first_error(form))
        _run(action, user, report, form.cleaned_data if form is not None else {})
    except DomainError as error:
        report = access_report(user, pk)  # as it is now, not as the failed step left it
        context = detail_context(
            user, report, bound={action: form} if form else {}, error=(action, error.message)
        )
        return render(request, "reports/detail.html", context, status=400)
    messages.success(request, DONE[action])
    return redirect(report_url(report.pk) + ANCHORS.get(action, ""))


def _first_error(form: Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return str(_("Dữ liệu không hợp lệ."))


def report_url(pk: int) -> str:
    return reverse("reports:report-detail", args=[pk])


@login_required
@require_POST
def report_sections(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "sections")


@login_required
@require_POST
def report_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "adjust")


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "submit")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@login_required
@require_POST
def report_unapprove(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "unapprove")


@login_required
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as an official document: Word, Excel or PDF (a draft is marked so)."""
    report = access_report(user_of(request), pk)
    return export_response(report, fmt)


@login_required
@require_POST
def completeness_remind(request: HttpRequest) -> HttpResponse:
    """ "Nhắc nộp": the level above reminds the units below that have not sent the report.
    404 for a unit outside the user's jurisdiction on the period's last day, 403 for a
    leader."""
    user = user_of(request)
    require_write(user)
    regime = Regime.objects.filter(code=request.POST.get("regime", "")).first()
    period, error = period_of(regime, request.POST.get("period"))
    if regime is None or period is None:
        messages.error(request, error or _("Chế độ báo cáo không hợp lệ."))
        return redirect("reports:completeness")
    unit = access_unit(user, request.POST.get("unit", ""), on=period.end)
    parent = report_or_draft(regime=regime, unit=unit, period=period)
    told = services.reports_remind(actor=user, parent=parent, states=child_states(parent))
    messages.success(
        request, _("Đã nhắc nộp báo cáo: %(n)s người được thông báo.") % {"n": format_number(told)}
    )
    query = urlencode({"regime": regime.code, "period": period.code, "unit": unit.pk})
    return redirect(f"{reverse('reports:completeness')}?{query}")

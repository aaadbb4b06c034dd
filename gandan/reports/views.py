"""Report pages: the list (and its htmx fragment), a new report, one report, and the
completeness dashboard. Parse → access → selector/service → render. The workflow's POST
endpoints and the exports are in ``action_views``."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.accounts.access import access_unit, require_write, user_of, visible_unit_ids
from gandan.accounts.models import User
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.htmx import push_list_url, render_page_or_partial
from gandan.core.periods import CALENDAR, Period, parse_period
from gandan.geo.models import LEVEL_DEPTH, AdminUnit, Level, UnitVersion
from gandan.geo.selectors import units_on
from gandan.reports import selectors, services
from gandan.reports.access import (
    access_report,
    access_report_unit,
    allowed_actions,
    visible_reports,
)
from gandan.reports.forms import (
    AdjustForm,
    ApproveForm,
    CompletenessForm,
    ReportCreateForm,
    ReportFilterForm,
    ReturnForm,
    SectionsForm,
    SubmitForm,
    UnapproveForm,
)
from gandan.reports.models import Regime, Report

PAGE_SIZE = 50
INDENT = "\u00a0" * 4
REPORT_LEVELS: list[str] = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
EXPORTS = [("docx", "Word"), ("xlsx", "Excel"), ("pdf", "PDF")]
EVENT_LABELS = {
    "create": gettext_lazy("Tạo báo cáo"),
    "submit": gettext_lazy("Gửi lên cấp trên"),
    "return": gettext_lazy("Trả lại"),
    "approve": gettext_lazy("Duyệt"),
    "unapprove": gettext_lazy("Hủy duyệt"),
}


def unit_label(unit: AdminUnit | UnitVersion, depth: int = 0) -> str:
    """The unit's name, indented ``depth`` steps, with its last day if it has ended."""
    ended = unit.unit.valid_to if isinstance(unit, UnitVersion) else unit.valid_to
    until = f" ({_('đến')} {ended - datetime.timedelta(days=1):%d/%m/%Y})" if ended else ""
    return f"{INDENT * depth}{unit.full_name}{until}"


def tree_order(versions: list[UnitVersion]) -> list[tuple[UnitVersion, int]]:
    """Each unit, with its depth, followed by the listed units below it: the province, a
    district, its communes, the next district…"""
    listed = {v.unit_id for v in versions}
    below: dict[int | None, list[UnitVersion]] = {}
    for version in sorted(versions, key=lambda v: v.sort_key):
        parent = version.parent_id if version.parent_id in listed else None
        below.setdefault(parent, []).append(version)
    ordered: list[tuple[UnitVersion, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for version in below.get(parent, []):
            ordered.append((version, depth))
            walk(version.unit_id, depth + 1)

    walk(None, 0)
    return ordered


def unit_choices(user: User, on: datetime.date, levels: list[str]) -> list[tuple[int, str]]:
    """The user's units at ``levels`` on a date, as a tree."""
    versions = units_on(on).filter(unit__level__in=levels)
    ids = visible_unit_ids(user, on)
    if ids is not None:
        versions = versions.filter(unit_id__in=ids)
    return [(v.unit_id, unit_label(v, depth)) for v, depth in tree_order(list(versions))]


# The list and its fragment. ---------------------------------------------------------------------


def _list_context(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    reports = visible_reports(user)
    units = AdminUnit.objects.filter(pk__in=reports.values("unit_id"))
    choices = [
        (u.pk, unit_label(u))
        for u in sorted(units, key=lambda u: (LEVEL_DEPTH.get(u.level, 9), u.sort_key))  # type: ignore[call-overload]
    ]
    form = ReportFilterForm(request.GET or None, units=choices)
    if form.is_valid():
        data = form.cleaned_data
        if data["regime"]:
            reports = reports.filter(regime__code=data["regime"])
        if data["period"]:
            reports = reports.filter(period_code__startswith=_period_prefix(data["period"]))
        if data["status"]:
            reports = reports.filter(status=data["status"])
        if data["unit"] is not None:
            reports = reports.filter(unit_id=data["unit"])
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    return render_page_or_partial(
        request,
        "reports/list.html",
        "reports/partials/results.html",
        context,
        status=400 if context["form"].errors else 200,
    )


@login_required
def report_results(request: HttpRequest) -> HttpResponse:
    """The htmx fragment of the list; the address bar shows the full page's URL."""
    context = _list_context(request)
    status = 400 if context["form"].errors else 200
    response = render(request, "reports/partials/results.html", context, status=status)
    return push_list_url(request, response, "reports:report-list")


# A new report. ----------------------------------------------------------------------------------


def _period_prefix(text: str) -> str:
    """A code's beginning as typed ("2019-Q"), or the code of a period in words ("quý 3/2019")."""
    try:
        return parse_period(text).code
    except DomainError:
        return text.strip()


def period_of(regime: Regime | None, text: str | None) -> tuple[Period | None, str | None]:
    """The period of a regime from its text form, or the error in words."""
    try:
        return parse_period(text or "", regime=regime.period_regime if regime else CALENDAR), None
    except DomainError as error:
        return None, error.message


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    data = request.POST if request.method == "POST" else None
    raw = data if data is not None else request.GET
    regime = Regime.objects.filter(code=raw.get("regime") or "").first()
    period, period_error = period_of(regime, raw.get("period"))
    on = period.end if period else today()
    units = unit_choices(user, on, regime.levels if regime else REPORT_LEVELS)
    initial: dict[str, Any] = {key: raw.get(key) for key in ("regime", "period", "boundaries")}
    initial["unit"] = raw.get("unit") or user.unit_id
    form = ReportCreateForm(data, initial=initial, units=units)
    valid = data is not None and form.is_valid()
    if data is not None and period_error and regime is not None:
        form.add_error("period", period_error)
        form.errors.pop("unit", None)  # the units offered depend on a period we do not have
    if valid and regime is not None and period is not None:
        fields = form.cleaned_data
        try:
            report = services.report_create(
                actor=user,
                regime=regime,
                unit=access_report_unit(user, fields["unit"], on),
                period=fields["period"],
                boundaries=fields["boundaries"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Đã tạo %(report)s.") % {"report": report})
            return redirect("reports:report-detail", pk=report.pk)
    return render(
        request,
        "reports/create.html",
        {"form": form, "on": on, "period": period},
        status=400 if form.errors else 200,
    )


# One report. ------------------------------------------------------------------------------------


def detail_context(
    user: User,
    report: Report,
    *,
    bound: dict[str, Form] | None = None,
    error: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the report page shows; ``bound`` and ``error`` re-show a failed action."""
    actions = allowed_actions(user, report)
    lines = selectors.figure_lines(report)
    states = selectors.child_states(report)
    bound = bound or {}
    indicators = [(line.indicator.code, line.indicator.name_vi) for line in lines]
    events = list(report.events.select_related("actor"))
    sent_back = [e for e in events if e.action in {"return", "unapprove"}]
    return {
        "report": report,
        "actions": actions,
        "lines": lines,
        "changed": [line for line in lines if line.now is not None],
        "adjusted": any(line.adjustment for line in lines),
        "returned": sent_back[-1]
        if sent_back and report.status == Report.Status.RETURNED
        else None,
        "sections": [
            (key, title, report.sections.get(key, "")) for key, title in report.regime.sections
        ],
        "sections_form": bound.get("sections") or SectionsForm(report=report),
        "adjustments": report.adjustments.all(),
        "adjust_form": bound.get("adjust") or AdjustForm(indicators=indicators),
        "empty_sections": selectors.empty_sections(report),
        "submit_form": bound.get("submit") or SubmitForm(),
        "return_form": bound.get("return") or ReturnForm(),
        "approve_form": bound.get("approve") or ApproveForm(),
        "unapprove_form": bound.get("unapprove") or UnapproveForm(),
        "children": states,
        "completeness": selectors.completeness(report, states) if states else None,
        "events": [(event, EVENT_LABELS.get(event.action, event.action)) for event in events],
        "statuses": dict(Report.Status.choices),
        "exports": EXPORTS,
        "error": error,
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = access_report(user, pk)
    return render(request, "reports/detail.html", detail_context(user, report))


# Completeness and timeliness. -------------------------------------------------------------------


def _dashboard_defaults(user: User) -> tuple[str, str]:
    """The regime and period of the latest report the user can see, else this month."""
    latest = visible_reports(user).order_by("-period_end", "-id").first()
    if latest is not None:
        return latest.regime.code, latest.period_code
    return "monthly", f"{today():%Y-%m}"


@login_required
def completeness_page(request: HttpRequest) -> HttpResponse:
    """Who below the user's unit has not submitted, who was late, and the rates."""
    user = user_of(request)
    regime_code, period_text = _dashboard_defaults(user)
    regime_code = request.GET.get("regime") or regime_code
    period_text = request.GET.get("period") or period_text
    regime = Regime.objects.filter(code=regime_code).first()
    period, period_error = period_of(regime, period_text)
    on = period.end if period else today()
    levels = [lv for lv in (regime.levels if regime else []) if lv != Level.COMMUNE]
    units = unit_choices(user, on, levels)
    own = next((pk for pk, _label in units if pk == user.unit_id), None)
    unit_id = request.GET.get("unit") or own or (units[0][0] if units else "")
    if request.GET.get("unit"):
        access_unit(user, unit_id)  # a unit never in the user's jurisdiction: 404
    form = CompletenessForm(
        {"regime": regime_code, "period": period_text, "unit": unit_id}, units=units
    )
    valid = form.is_valid()
    if period_error:
        form.add_error("period", period_error)
    if period_error or not units:
        form.errors.pop("unit", None)  # no unit can be right or wrong without a level below
    context: dict[str, Any] = {"form": form, "period": period, "regime": regime, "units": units}
    if valid and regime is not None and period is not None:
        unit = access_unit(user, form.cleaned_data["unit"], on=on)
        parent = selectors.report_or_draft(regime=regime, unit=unit, period=period)
        states = selectors.child_states(parent)
        context |= {
            "unit": unit,
            "parent": parent,
            "children": states,
            "summary": selectors.completeness(parent, states),
            "late": [s for s in states if s.late],
            "missing": [s for s in states if not s.submitted],
        }
    return render(
        request,
        "reports/completeness.html",
        context,
        status=400 if form.errors else 200,
    )

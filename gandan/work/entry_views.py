"""Entering activities: the form, edits, validation as you type and the village choices.

The commune, village and team choices depend on the typed date and commune, so the form
is built with them for each request (``activity_form``); writes go through the services."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.accounts.access import require_write, user_of, visible_unit_ids
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.numbers import format_number
from gandan.geo.models import AdminUnit
from gandan.work import selectors, services
from gandan.work.access import (
    access_activity,
    access_activity_unit,
    access_teams,
    access_villages,
)
from gandan.work.forms import VALUE_PREFIX, ActivityForm, add_domain_error, field_name
from gandan.work.models import Activity
from gandan.work.services import ActivityInput
from gandan.work.validation import Checker


def _date(raw: object) -> datetime.date:
    """The date the form's choices are for: the typed start date, or today."""
    try:
        return datetime.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return today()


def _int(raw: object) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


def _ints(values: list[str]) -> list[int]:
    return [n for n in (_int(v) for v in values) if n is not None]


# Entry. -----------------------------------------------------------------------------------------


def activity_form(
    request: HttpRequest, *, data: QueryDict | None = None, initial: dict[str, Any] | None = None
) -> ActivityForm:
    """The entry form with choices for the typed (or initial) date and commune: communes
    of the user's jurisdiction valid that day, that commune's villages, teams working there."""
    source: Any = data if data is not None else (initial or {})
    on = _date(source.get("start"))
    ids = visible_unit_ids(user_of(request), on)
    communes = selectors.commune_options(on, ids)
    raw_unit = source.get("unit")
    unit_id = _int(raw_unit) if raw_unit else None
    if unit_id not in {pk for pk, _label in communes}:
        # One commune that day: chosen for the user, unless they emptied the choice.
        single = len(communes) == 1 and data is None and raw_unit != ""
        unit_id = communes[0][0] if single else None
    commune = AdminUnit.objects.filter(pk=unit_id).first() if unit_id else None
    if data is None:
        initial = {**(initial or {}), "start": on, "unit": unit_id}
    keep = {str(k).removeprefix(VALUE_PREFIX) for k in source if str(k).startswith(VALUE_PREFIX)}
    return ActivityForm(
        data,
        initial=initial,
        indicators=selectors.value_indicators(on, keep),
        communes=communes,
        villages=selectors.village_options(commune, on, ids),
        teams=selectors.team_options(commune, on, ids),
    )


def activity_input(request: HttpRequest, form: ActivityForm, status: str) -> ActivityInput:
    """What the service records: the commune, villages and teams reached through access."""
    user, data = user_of(request), form.cleaned_data
    return ActivityInput(
        type=data["type"],
        unit=access_activity_unit(user, data["unit"], data["start"]),
        start=data["start"],
        end=form.end_date(),
        villages=access_villages(user, data["villages"]),
        teams=access_teams(user, data["teams"]),
        movements=list(data["movements"]),
        partners=list(data["partners"]),
        participants=data["participants"] or 0,
        participants_female=data["participants_female"],
        participants_minority=data["participants_minority"],
        values=form.values(),
        title=data["title"],
        notes=data["notes"],
        status=status,
    )


def _warn(request: HttpRequest, form: ActivityForm) -> None:
    for warning in _warnings_of(form):
        messages.warning(request, _("Lưu ý: %(warning)s") % {"warning": warning})


def _status(request: HttpRequest) -> str:
    draft = request.POST.get("status") == Activity.Status.DRAFT
    return Activity.Status.DRAFT if draft else Activity.Status.RECORDED


def _saved_message(request: HttpRequest, activity: Activity, verb: str) -> None:
    url = reverse("work:activity-detail", args=[activity.pk])
    again = reverse("work:activity-create") + (
        f"?type={activity.type_id}&start={activity.start.isoformat()}&unit={activity.unit_id}"
    )
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
            verb,
            url,
            activity,
            again,
            _("Nhập tiếp ở địa bàn này"),
        ),
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    if request.method != "POST":
        initial = {k: request.GET[k] for k in ("type", "start", "unit") if request.GET.get(k)}
        form = activity_form(request, initial=initial)
    else:
        form = activity_form(request, data=request.POST)
        if form.is_valid():
            status = _status(request)
            try:
                activity = services.activity_create(
                    actor=user, data=activity_input(request, form, status)
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                _warn(request, form)
                verb = _("Đã lưu nháp") if status == Activity.Status.DRAFT else _("Đã ghi nhận")
                _saved_message(request, activity, verb)
                return redirect("work:activity-list")
    return render(
        request,
        "work/activity_form.html",
        {"form": form, "title": _("Ghi hoạt động")},
        status=400 if form.errors else 200,
    )


def _initial(activity: Activity) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "type": activity.type_id,
        "title": activity.title,
        "start": activity.start,
        "end": activity.end if activity.end != activity.start else None,
        "unit": activity.unit_id,
        "villages": [v.pk for v in activity.villages.all()],
        "teams": [t.pk for t in activity.teams.all()],
        "movements": [m.pk for m in activity.movements.all()],
        "partners": activity.partners,
        "participants": activity.participants,
        "participants_female": activity.participants_female,
        "participants_minority": activity.participants_minority,
        "notes": activity.notes,
    }
    for value in activity.values.select_related("indicator"):
        initial[VALUE_PREFIX + value.indicator.code] = format_number(value.value)
    return initial


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    activity = access_activity(user, pk, write=True)
    if request.method != "POST":
        form = activity_form(request, initial=_initial(activity))
    else:
        form = activity_form(request, data=request.POST)
        if form.is_valid():
            status = _status(request)
            try:
                services.activity_update(
                    actor=user, activity=activity, data=activity_input(request, form, status)
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                _warn(request, form)
                _saved_message(request, activity, _("Đã lưu"))
                return redirect("work:activity-detail", pk=activity.pk)
    return render(
        request,
        "work/activity_form.html",
        {"form": form, "activity": activity, "title": _("Sửa hoạt động")},
        status=400 if form.errors else 200,
    )


def _check(data: ActivityInput) -> None:
    Checker().check(
        type=data.type,
        unit_id=data.unit.pk,
        start=data.start,
        end=data.end,
        village_ids=[v.pk for v in data.villages],
        team_active=[(str(t), t.is_active_on(data.start)) for t in data.teams],
        partners=data.partners,
        participants=data.participants,
        female=data.participants_female,
        minority=data.participants_minority,
        values=dict(data.values or {}),
        status=data.status,
    )


@login_required
@require_POST
def activity_check(request: HttpRequest) -> HttpResponse:
    """Validation as you type: the first broken rule, in Vietnamese, naming the field, and
    plausibility warnings. Nothing is written; a fragment for htmx (always 200)."""
    user = user_of(request)
    require_write(user)
    form = activity_form(request, data=request.POST)
    problems: list[tuple[str, str]] = []
    missing: list[str] = []
    warnings: list[str] = []
    if form.is_valid():
        try:
            _check(activity_input(request, form, Activity.Status.RECORDED))
        except DomainError as error:
            name = field_name(error.field)
            label = form.fields[name].label if name in form.fields else ""
            problems.append((str(label or ""), error.message))
        except Http404:
            problems.append(("", _("Có mục không thuộc địa bàn của bạn.")))
        warnings = [] if problems else _warnings_of(form)
    else:
        for name, errors in form.errors.items():
            typed = any(v.strip() for v in request.POST.getlist(name))
            label = str(form.fields[name].label or "") if name in form.fields else ""
            if typed or name == "__all__":
                problems += [(label, str(e)) for e in errors]
            else:
                missing.append(label)
    context = {"problems": problems, "missing": missing, "warnings": warnings, "checked": True}
    return render(request, "work/partials/check.html", context)


def _warnings_of(form: ActivityForm) -> list[str]:
    data = form.cleaned_data
    return selectors.activity_warnings(
        type_code=data["type"].code,
        start=data["start"],
        end=data["end"],
        village_count=len(data["villages"]),
        participants=data["participants"] or 0,
        values=form.values(),
    )


@login_required
def village_options(request: HttpRequest) -> HttpResponse:
    """Villages of a commune valid on a date (htmx). When the date changed, the commune
    choices for that date come along out of band; the teams working there always do."""
    initial: dict[str, Any] = {
        "start": request.GET.get("start"),
        "unit": request.GET.get("unit"),
        "villages": _ints(request.GET.getlist("villages")),
        "teams": _ints(request.GET.getlist("teams")),
    }
    form = activity_form(request, initial=initial)
    htmx = getattr(request, "htmx", None)
    return render(
        request,
        "work/partials/places.html",
        {
            "form": form,
            "oob_teams": True,
            "with_communes": htmx is not None and htmx.trigger == "field-start",
        },
    )

"""Awards (thi đua khen thưởng): the filtered list with counts, and the award form."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, require_write, user_of, visible_unit_ids
from gandan.accounts.models import User
from gandan.core.errors import DomainError
from gandan.core.htmx import push_list_url, render_page_or_partial
from gandan.geo.models import AdminUnit, Level
from gandan.org import selectors, services
from gandan.org.access import access_member, access_team, member_choices
from gandan.org.forms import AwardFilterForm, AwardForm
from gandan.org.models import Award, Team


def _filtered(awards: QuerySet[Award], data: dict[str, Any]) -> QuerySet[Award]:
    if data.get("kind"):
        awards = awards.filter(kind=data["kind"])
    if data.get("body_level"):
        awards = awards.filter(body_level=data["body_level"])
    if data.get("recipient"):
        awards = awards.filter(member__isnull=data["recipient"] == "collective")
    return awards


def _award_context(request: HttpRequest) -> dict[str, Any]:
    form = AwardFilterForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    year_from, year_to = data.get("year_from"), data.get("year_to")
    awards = selectors.awards_in(
        unit_ids=visible_unit_ids(user_of(request)),
        date_from=datetime.date(year_from, 1, 1) if year_from else None,
        date_to=datetime.date(year_to, 12, 31) if year_to else None,
    )
    awards = _filtered(awards, data) if valid else awards.none()
    counts = selectors.award_counts(awards)
    rows = [
        (label, counts[kind]["collective"], counts[kind]["individual"])
        for kind, label in Award.Kind.choices
        if kind in counts
    ]
    return {
        "form": form,
        "awards": awards,
        "counts": rows,
        "total_collective": sum(row[1] for row in rows),
        "total_individual": sum(row[2] for row in rows),
    }


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    context = _award_context(request)
    return render_page_or_partial(
        request,
        "org/award_list.html",
        "org/partials/award_results.html",
        context,
        status=400 if context["form"].errors else 200,
    )


@login_required
def award_results(request: HttpRequest) -> HttpResponse:
    """The htmx fragment of the awards list: counts and rows."""
    context = _award_context(request)
    status = 400 if context["form"].errors else 200
    response = render(request, "org/partials/award_results.html", context, status=status)
    return push_list_url(request, response, "org:award-list")


def _team_choices(user: User) -> list[tuple[int, str]]:
    ids = visible_unit_ids(user)
    teams = Team.objects.select_related("unit").order_by("level", "sort_key")
    if ids is not None:
        teams = teams.filter(unit_id__in=ids)
    return [
        (t.pk, f"{t}" + (f" (đến {t.dissolved_on:%d/%m/%Y})" if t.dissolved_on else ""))
        for t in teams
    ]


def _unit_choices(user: User) -> list[tuple[int, str]]:
    ids = visible_unit_ids(user)
    units = AdminUnit.objects.exclude(level=Level.VILLAGE).order_by("level", "valid_to", "sort_key")
    if ids is not None:
        units = units.filter(pk__in=ids)
    return [(u.pk, f"{u}" + (f" (đến {u.valid_to:%d/%m/%Y})" if u.valid_to else "")) for u in units]


@login_required
def award_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    form = AwardForm(
        request.POST or None,
        teams=_team_choices(user),
        members=member_choices(user),
        units=_unit_choices(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.award_create(
                actor=user,
                kind=data["kind"],
                awarding_body=data["awarding_body"],
                body_level=data["body_level"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                team=access_team(user, data["team"], write=True) if data["team"] else None,
                member=access_member(user, data["member"], write=True) if data["member"] else None,
                unit=access_unit(user, data["unit"], write=True) if data["unit"] else None,
                collective_name=data["collective_name"],
                reason=data["reason"],
                phase=data["phase"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Đã ghi %(award)s cho %(recipient)s.")
                % {"award": award, "recipient": award.recipient},
            )
            return redirect("org:award-list")
    return render(
        request, "org/award_form.html", {"form": form}, status=400 if form.errors else 200
    )

"""Team tree, team and member pages, headcount. Parse → access → selector/service → render."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, default_unit, user_of, visible_unit_ids
from gandan.accounts.models import User
from gandan.core.dates import date_param
from gandan.core.downloads import xlsx_response
from gandan.core.errors import DomainError
from gandan.core.htmx import push_list_url, render_page_or_partial
from gandan.core.text import fold
from gandan.geo.models import Level
from gandan.geo.selectors import units_on
from gandan.org import selectors, services
from gandan.org.access import (
    access_member,
    access_team,
    can_see_ethnicity,
    member_choices,
    reveal_ethnicity,
)
from gandan.org.forms import MemberEditForm, MembershipCreateForm
from gandan.org.list_export import HeadcountExporter, members_export
from gandan.org.models import LANGUAGES, Assignment, Member, Team, TeamLevel

LEVEL_ORDER: dict[str, int] = {TeamLevel.PROVINCE: 0, TeamLevel.DISTRICT: 1, TeamLevel.COMMUNE: 2}
# Team tree. ------------------------------------------------------------------------------------


@dataclass
class TeamNode:
    team: Team
    headcount: int
    children: list["TeamNode"] = field(default_factory=list)

    @property
    def subtree(self) -> int:
        """Members of this team and of the listed teams below it."""
        return self.headcount + sum(child.subtree for child in self.children)


def _tree(teams: list[Team], counts: dict[int, int]) -> list[TeamNode]:
    """Nest teams under their parent; a team whose parent is not listed is a root."""
    nodes = {team.pk: TeamNode(team, counts.get(team.pk, 0)) for team in teams}
    roots: list[TeamNode] = []
    for team in teams:
        parent = nodes.get(team.parent_id) if team.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[team.pk])
    roots.sort(key=lambda n: (LEVEL_ORDER.get(n.team.level, 9), n.team.sort_key))
    return roots


@dataclass
class TeamFilter:
    on: datetime.date
    level: str
    q: str
    error: str | None
    teams: QuerySet[Team]  # active on ``on``, in the user's jurisdiction, filtered

    def described(self) -> str:
        """The filter in words, for the audit log."""
        parts = [str(dict(TeamLevel.choices)[self.level])] if self.level else []
        parts += [f"tìm «{self.q}»"] if self.q else []
        return ", ".join(parts) or "tất cả các đội trong địa bàn"


def _team_filter(request: HttpRequest) -> TeamFilter:
    on, error = date_param(request)
    level = request.GET.get("level", "")
    query = request.GET.get("q", "").strip()
    if level and level not in TeamLevel.values:
        error = _("Cấp không hợp lệ: «%(level)s».") % {"level": level}
        level = ""
    teams = selectors.teams_on(on, unit_ids=visible_unit_ids(user_of(request), on))
    if level:
        teams = teams.filter(level=level)
    if query:
        teams = teams.filter(search_name__contains=fold(query))
    return TeamFilter(on, level, query, error, teams)


def _team_tree_context(request: HttpRequest) -> dict[str, Any]:
    chosen = _team_filter(request)
    on, level, query, error, teams = (
        chosen.on,
        chosen.level,
        chosen.q,
        chosen.error,
        chosen.teams,
    )
    listed = list(teams)
    counts = selectors.team_headcounts(on, teams)
    return {
        "on": on,
        "level": level,
        "q": query,
        "levels": TeamLevel.choices,
        "date_error": error,
        "roots": _tree(listed, counts),
        "team_count": len(listed),
        "member_count": sum(counts.values()),
        "filtered": bool(level or query),
        "query": request.GET.urlencode(),
    }


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    context = _team_tree_context(request)
    status = 400 if context["date_error"] else 200
    return render_page_or_partial(
        request, "org/team_list.html", "org/partials/team_results.html", context, status=status
    )


@login_required
def team_results(request: HttpRequest) -> HttpResponse:
    """The htmx fragment of the team tree; the address bar shows the full page's URL."""
    context = _team_tree_context(request)
    status = 400 if context["date_error"] else 200
    response = render(request, "org/partials/team_results.html", context, status=status)
    return push_list_url(request, response, "org:team-list")


@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    """The members of the teams the list shows (date, level, search), in Excel; audited."""
    chosen = _team_filter(request)
    if chosen.error:
        return HttpResponse(chosen.error, status=400, content_type="text/plain; charset=utf-8")
    exporter = members_export(
        actor=user_of(request), teams=chosen.teams, on=chosen.on, described=chosen.described()
    )
    return xlsx_response(exporter)


# One team, and adding a member to it. ---------------------------------------------------------


def _membership_form(
    request: HttpRequest, team: Team, on: datetime.date, data: Any = None
) -> MembershipCreateForm:
    start = on
    if on < team.established_on:
        start = team.established_on
    elif team.dissolved_on is not None and on >= team.dissolved_on:
        start = team.dissolved_on - datetime.timedelta(days=1)
    return MembershipCreateForm(
        data, initial={"start": start}, members=member_choices(user_of(request))
    )


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    team = access_team(user, pk)
    on, error = date_param(request)
    if error:
        return render(request, "org/bad_date.html", {"date_error": error}, status=400)
    members = list(selectors.team_members(team, on))
    assignments = list(
        Assignment.objects.filter(membership__team=team)
        .select_related("membership__member")
        .prefetch_related("villages")
        .order_by("-start", "membership__member__sort_key")
    )
    current = [a for a in assignments if a.start <= on and (a.end is None or on < a.end)]
    return render(
        request,
        "org/team_detail.html",
        {
            "team": team,
            "on": on,
            "active": team.is_active_on(on),
            "members": members,
            "history": selectors.team_members(team),
            "assignments": assignments,
            "current_assignments": current,
            "villages_covered": len({v.pk for a in current for v in a.villages.all()}),
            "children": selectors.teams_on(on, unit_ids=visible_unit_ids(user, on)).filter(
                parent=team
            ),
            "events": team.events.select_related("basis", "target"),
            "awards": team.awards.select_related("member"),
            "form": _membership_form(request, team, on) if user.can_write else None,
        },
    )


def _new_member(user: User, data: dict[str, Any]) -> Member:
    return services.member_create(
        actor=user,
        identifier=data["identifier"],
        full_name=data["full_name"],
        gender=data["gender"],
        ethnicity=data["ethnicity"],
        birth_year=data["birth_year"],
        languages=data["languages"],
        phone=data["phone"],
        email=data["email"],
    )


@login_required
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    team = access_team(user, pk, write=True)
    on, _error = date_param(request)
    form = _membership_form(request, team, on, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # A new person and their membership are written together or not at all.
            with transaction.atomic():
                member = (
                    access_member(user, data["member"], write=True)
                    if data["member"] is not None
                    else _new_member(user, data)
                )
                membership = services.membership_start(
                    actor=user,
                    member=member,
                    team=team,
                    start=data["start"],
                    position=data["position"],
                    reason=data["reason"],
                    note=data["note"],
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Đã thêm %(member)s vào %(team)s từ %(day)s.")
                % {"member": member, "team": team, "day": f"{membership.start:%d/%m/%Y}"},
            )
            url = reverse("org:team-detail", args=[team.pk])
            return redirect(f"{url}?on={membership.start.isoformat()}")
    return render(
        request,
        "org/membership_form.html",
        {"form": form, "team": team, "on": on},
        status=400 if form.errors else 200,
    )


# Members. ---------------------------------------------------------------------------------------


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    member = access_member(user, pk)
    history = selectors.member_history_seen_by(member, user)
    return render(
        request,
        "org/member_detail.html",
        {
            "member": member,
            "ethnicity": reveal_ethnicity(user, member),
            "languages": _language_labels(member),
            "history": history,
            "has_assignments": any(m.assignments.all() for m in history),
            "awards": member.awards.select_related("team"),
            "visible_ids": visible_unit_ids(user),
        },
    )


def _language_labels(member: Member) -> list[str]:
    labels = dict(LANGUAGES)
    return [labels.get(code, code) for code in member.languages]


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    member = access_member(user, pk, write=True)
    show_ethnicity = can_see_ethnicity(user)
    initial = {
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_year": member.birth_year,
        "languages": member.languages,
        "phone": member.phone,
        "email": member.email,
    }
    if show_ethnicity and request.method != "POST":
        reveal_ethnicity(user, member)  # the form shows it: that is a logged view
        initial["ethnicity"] = member.ethnicity
    form = MemberEditForm(request.POST or None, initial=initial, show_ethnicity=show_ethnicity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_update(
                actor=user,
                member=member,
                full_name=data["full_name"],
                gender=data["gender"],
                ethnicity=data.get("ethnicity") or member.ethnicity,
                birth_year=data["birth_year"],
                languages=data["languages"],
                phone=data["phone"],
                email=data["email"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Đã lưu %(name)s.") % {"name": member})
            return redirect("org:member-detail", pk=member.pk)
    return render(
        request,
        "org/member_form.html",
        {"form": form, "member": member, "show_ethnicity": show_ethnicity},
        status=400 if form.errors else 200,
    )


# Headcount. -------------------------------------------------------------------------------------


def _unit_choices(user: User, on: datetime.date) -> list[tuple[int, str]]:
    ids = visible_unit_ids(user, on)
    versions = units_on(on).exclude(unit__level=Level.VILLAGE)
    if ids is not None:
        versions = versions.filter(unit_id__in=ids)
    indent: dict[str, str] = {Level.DISTRICT: "\u00a0" * 4, Level.COMMUNE: "\u00a0" * 8}
    return [(v.unit_id, f"{indent.get(v.unit.level, '')}{v.full_name}") for v in versions]


@login_required
def headcount_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    on, error = date_param(request)
    by = request.GET.get("by") or "level"
    if by not in selectors.BREAKDOWNS:
        error, by = _("Cách chia không hợp lệ: «%(by)s».") % {"by": by}, "level"
    unit_id = request.GET.get("unit")
    unit = access_unit(user, unit_id, on=on) if unit_id else default_unit(user, on)
    result = selectors.headcount(unit=unit, on=on, by=by) if unit and not error else None
    top = max((count for _key, _label, count in result.rows), default=0) if result else 0
    breakdowns = [
        ("level", _("Theo cấp")),
        ("unit", _("Theo đơn vị")),
        ("gender", _("Theo giới tính")),
        ("ethnicity", _("Theo dân tộc")),
        ("language", _("Theo tiếng dân tộc")),
    ]
    if request.GET.get("format") == "xlsx":  # "Xuất Excel": the same figures
        if result is None:
            message = error or _("Không có số liệu.")
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return xlsx_response(HeadcountExporter(result, dict(breakdowns)[by]))
    context = {
        "on": on,
        "by": by,
        "unit": unit,
        "result": result,
        "top": top or 1,
        "date_error": error,
        "units": _unit_choices(user, on),
        "breakdowns": breakdowns,
        "query": request.GET.urlencode(),
    }
    return render_page_or_partial(
        request,
        "org/headcount.html",
        "org/partials/headcount_results.html",
        context,
        status=400 if error else 200,
    )

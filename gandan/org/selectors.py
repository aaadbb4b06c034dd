"""Reads: the roster and headcount on any date, team trees, awards."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import User
from gandan.geo.models import LEVEL_DEPTH, AdminUnit, Level
from gandan.geo.selectors import descendant_ids_on
from gandan.org.models import (
    ETHNIC_GROUPS,
    LANGUAGES,
    MAJORITY,
    Award,
    Member,
    Membership,
    Team,
    TeamLevel,
)

BREAKDOWNS = ("level", "unit", "gender", "ethnicity", "language")


def held_on(on: datetime.date) -> Q:
    """Memberships held on ``on`` (half-open periods)."""
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))


def team_active_on(on: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}established_on__lte": on}) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": on})
    )


def unit_ids_within(unit: AdminUnit, on: datetime.date) -> set[int]:
    return {unit.pk} | descendant_ids_on([unit.pk], on)


def teams_on(
    on: datetime.date, *, within: AdminUnit | None = None, unit_ids: set[int] | None = None
) -> QuerySet[Team]:
    """Teams active on ``on``, under a unit (on that date) and/or among visible unit ids."""
    qs = Team.objects.filter(team_active_on(on)).select_related("unit", "parent")
    if within is not None:
        qs = qs.filter(unit_id__in=unit_ids_within(within, on))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs


def roster_on(on: datetime.date, *, teams: QuerySet[Team]) -> QuerySet[Membership]:
    """Memberships held on ``on`` in the given teams, with member and team loaded."""
    return (
        Membership.objects.filter(held_on(on), team__in=teams)
        .select_related("member", "team", "team__unit")
        .order_by("team__level", "team__sort_key", "member__sort_key")
    )


@dataclass
class Headcount:
    on: datetime.date
    unit: AdminUnit
    total: int
    by: str
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, count)
    teams: int = 0
    villages_covered: int = 0
    minority: int = 0

    @property
    def minority_share(self) -> float:
        return self.minority / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit.code or self.unit.pk,
            "on": self.on.isoformat(),
            "total": self.total,
            "teams": self.teams,
            "villages_covered": self.villages_covered,
            "minority": self.minority,
            "by": self.by,
            "rows": {key: count for key, _label, count in self.rows},
        }


def headcount(*, unit: AdminUnit, on: datetime.date, by: str = "level") -> Headcount:
    """Members on ``on`` in teams of ``unit`` and below, counted from membership records.

    Each person is counted once (memberships never overlap). ``by`` is level, unit, gender,
    ethnicity (minority vs Kinh, never individual groups below 1) or language.
    """
    if by not in BREAKDOWNS:
        raise ValueError(by)
    teams = teams_on(on, within=unit)
    memberships = Membership.objects.filter(held_on(on), team__in=teams)
    total = memberships.count()
    minority = memberships.exclude(member__ethnicity=MAJORITY).count()
    rows: list[tuple[str, str, int]] = []
    if by == "level":
        counts = dict(memberships.values_list("team__level").annotate(n=Count("id")))
        rows = [(lvl.value, str(lvl.label), counts.get(lvl.value, 0)) for lvl in TeamLevel]
    elif by == "unit":
        counts = dict(memberships.values_list("team__unit_id").annotate(n=Count("id")))
        units = sorted(
            AdminUnit.objects.filter(pk__in=counts),
            key=lambda u: (LEVEL_DEPTH[Level(u.level)], u.sort_key),
        )
        rows = [(u.code or str(u.pk), str(u), counts[u.pk]) for u in units]
    elif by == "gender":
        counts = dict(memberships.values_list("member__gender").annotate(n=Count("id")))
        rows = [(g.value, str(g.label), counts.get(g.value, 0)) for g in Member.Gender]
    elif by == "ethnicity":
        counts = dict(memberships.values_list("member__ethnicity").annotate(n=Count("id")))
        labels = dict(ETHNIC_GROUPS)
        rows = [(key, labels[key], n) for key, n in sorted(counts.items(), key=lambda kv: -kv[1])]
        rows.insert(0, ("dtts", "Dân tộc thiểu số", minority))
    elif by == "language":
        spoken: Counter[str] = Counter()
        for langs in memberships.values_list("member__languages", flat=True):
            spoken.update(langs or [])
        rows = [(key, label, spoken.get(key, 0)) for key, label in LANGUAGES]
    villages = (
        Membership.objects.filter(held_on(on), team__in=teams)
        .filter(
            Q(assignments__start__lte=on)
            & (Q(assignments__end__isnull=True) | Q(assignments__end__gt=on))
        )
        .values("assignments__villages")
        .distinct()
        .count()
    )
    return Headcount(
        on=on,
        unit=unit,
        total=total,
        by=by,
        rows=rows,
        teams=teams.count(),
        villages_covered=villages,
        minority=minority,
    )


def member_history(member: Member) -> QuerySet[Membership]:
    return (
        member.memberships.select_related("team", "team__unit")
        .prefetch_related("assignments__villages")
        .order_by("start")
    )


def member_history_seen_by(member: Member, user: User) -> list[Membership]:
    """The member's postings inside the user's jurisdiction in time, for the member page and
    the API alike: huyện Lắk's clerk does not see a member's 2025 posting in a commune team
    that is not theirs, nor a posting in another province (issue 13, item 5)."""
    scope = jurisdiction_for(user)
    return [m for m in member_history(member) if scope.overlaps(m.team.unit_id, m.start, m.end)]


def team_members(team: Team, on: datetime.date | None = None) -> QuerySet[Membership]:
    qs = team.memberships.select_related("member").order_by("-start", "member__sort_key")
    return qs.filter(held_on(on)) if on is not None else qs


def awards_in(
    *,
    unit_ids: set[int] | None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Award]:
    """Awards decided in [date_from, date_to] (inclusive dates, as published)."""
    qs = Award.objects.select_related("unit", "team", "member")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if date_from is not None:
        qs = qs.filter(decision_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(decision_date__lte=date_to)
    return qs


def award_counts(awards: QuerySet[Award]) -> dict[str, dict[str, int]]:
    """{kind: {"collective": n, "individual": n}} — e.g. Bằng khen for 12 tập thể, 13 cá nhân."""
    result: dict[str, dict[str, int]] = {}
    for key, subset in (
        ("collective", awards.filter(member__isnull=True)),
        ("individual", awards.filter(member__isnull=False)),
    ):
        for kind, n in subset.values_list("kind").annotate(n=Count("id")).order_by():
            result.setdefault(kind, {"collective": 0, "individual": 0})[key] = n
    return result


def team_headcounts(on: datetime.date, teams: QuerySet[Team]) -> dict[int, int]:
    """Members of each team on a date, in one query."""
    rows = (
        Membership.objects.filter(held_on(on), team__in=teams.values("pk"))
        .values_list("team_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)

"""The aggregation engine: indicator × unit × period, live from the records.

Sources, by ``Indicator.source``:
- records (activity counts, participants, distinct villages or communes, values);
- aggregate entries from paper reports, with their qualifiers;
- the organisation (members, teams, villages assigned: stock on the end date; awards).

Boundaries: ``boundaries=None`` counts "as recorded": a record counts under the units that
contained its place on the record's date. ``boundaries=D`` counts under the tree of date D:
a record on a legacy commune counts under that commune's successor on D (the default
successor for a split), and villages under the commune they belong to on D.

Qualifiers propagate: a total that includes a lower bound ("trên", "hơn") is a lower bound.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from gandan.geo.models import AdminUnit, Level, UnitVersion
from gandan.geo.selectors import default_successor_on, descendant_ids_on
from gandan.indicators.models import Aggregation, Indicator, Source
from gandan.org.models import Award, Membership, Team
from gandan.org.selectors import held_on, team_active_on
from gandan.work.models import Activity, ActivityValue, AggregateEntry, Qualifier

# Lower bounds dominate: a sum with any "trên"/"hơn"/"hàng trăm" part is at least that much.
_LOWER_BOUNDS = {Qualifier.OVER, Qualifier.MORE_THAN, Qualifier.HUNDREDS}


def combine_qualifiers(qualifiers: Iterable[str]) -> str:
    """The qualifier of a sum of parts: exact only if every part is exact; a lower bound if
    any part is; "gần" (nearly) if the inexact parts are all "gần"."""
    seen = set(qualifiers) - {Qualifier.EXACT}
    if not seen:
        return Qualifier.EXACT
    if seen & _LOWER_BOUNDS:
        return (
            Qualifier.OVER
            if Qualifier.OVER in seen or Qualifier.HUNDREDS in seen
            else Qualifier.MORE_THAN
        )
    return Qualifier.NEARLY


@dataclass
class Figure:
    indicator: Indicator
    value: Decimal
    qualifier: str = Qualifier.EXACT
    from_records: bool = False
    from_aggregates: bool = False
    breakdown: dict[str, Decimal] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return self.from_records or self.from_aggregates or self.value != 0


@dataclass(frozen=True)
class Scope:
    """Where to count: the unit ids inside ``unit``, per the boundary rule."""

    unit: AdminUnit
    start: datetime.date
    end: datetime.date
    boundaries: datetime.date | None

    def activities(self) -> QuerySet[Activity]:
        qs = Activity.objects.filter(
            status=Activity.Status.RECORDED, start__gte=self.start, start__lte=self.end
        )
        return qs.filter(unit_id__in=self.place_ids(Level.COMMUNE))

    def place_ids(self, level: str) -> set[int]:
        """Units (at ``level`` or above) whose records count inside ``unit``."""
        cache_key = f"_ids_{level}"
        cached: set[int] | None = getattr(self, cache_key, None)
        if cached is not None:
            return cached
        if self.boundaries is None:
            ids = _subtree_through(self.unit, self.start, self.end)
        else:
            ids = _mapped_into(self.unit, self.boundaries, self.start, self.end)
        object.__setattr__(self, cache_key, ids)
        return ids


def _subtree_through(unit: AdminUnit, start: datetime.date, end: datetime.date) -> set[int]:
    """Units that were below ``unit`` at some time in [start, end] (as recorded)."""
    ids = {unit.pk}
    frontier = {unit.pk}
    window = Q(valid_from__isnull=True) | Q(valid_from__lte=end)
    window &= Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    while frontier:
        frontier = (
            set(
                UnitVersion.objects.filter(window, parent_id__in=frontier).values_list(
                    "unit_id", flat=True
                )
            )
            - ids
        )
        ids |= frontier
    return ids


def _mapped_into(
    unit: AdminUnit, on: datetime.date, start: datetime.date, end: datetime.date
) -> set[int]:
    """Units whose territory lies in ``unit`` under the boundaries of ``on``: the units of
    ``unit``'s subtree on ``on`` and every earlier unit whose default successor is one of them."""
    inside = {unit.pk} | descendant_ids_on([unit.pk], on)
    candidates = _subtree_through_any(start, end)
    ids = set(inside)
    for candidate in AdminUnit.objects.filter(pk__in=candidates - inside).exclude(
        level=Level.VILLAGE
    ):
        successor = candidate if candidate.is_valid_on(on) else default_successor_on(candidate, on)
        if successor is not None and successor.pk in inside:
            ids.add(candidate.pk)
    return ids


def _subtree_through_any(start: datetime.date, end: datetime.date) -> set[int]:
    window = (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    return set(
        AdminUnit.objects.filter(window).exclude(level=Level.VILLAGE).values_list("pk", flat=True)
    )


def aggregate(
    *,
    unit: AdminUnit,
    start: datetime.date,
    end: datetime.date,
    boundaries: datetime.date | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> dict[str, Figure]:
    """Every requested indicator for ``unit`` over [start, end] (inclusive dates)."""
    scope = Scope(unit, start, end, boundaries)
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    return {indicator.code: _figure(indicator, scope) for indicator in chosen}


def _figure(indicator: Indicator, scope: Scope) -> Figure:
    figure = Figure(indicator, Decimal(0))
    if indicator.source in {Source.MEMBERS, Source.TEAMS, Source.VILLAGES_ASSIGNED}:
        figure.value = Decimal(_stock(indicator, scope))
        figure.from_records = figure.value > 0
        return figure
    if indicator.source in {Source.AWARDS_COLLECTIVE, Source.AWARDS_INDIVIDUAL}:
        awards = Award.objects.filter(
            decision_date__gte=scope.start,
            decision_date__lte=scope.end,
            unit_id__in=scope.place_ids(Level.COMMUNE),
        )
        awards = awards.filter(member__isnull=indicator.source == Source.AWARDS_COLLECTIVE)
        figure.value = Decimal(awards.count())
        figure.from_records = figure.value > 0
        return figure
    activities = scope.activities()
    if indicator.activity_types:
        activities = activities.filter(type__code__in=indicator.activity_types)
    if indicator.source == Source.ACTIVITIES:
        figure.value = Decimal(activities.count())
    elif indicator.source == Source.PARTICIPANTS:
        sums = activities.aggregate(
            total=Sum("participants"),
            female=Sum("participants_female"),
            minority=Sum("participants_minority"),
        )
        figure.value = Decimal(sums["total"] or 0)
        figure.breakdown = {
            k: Decimal(sums[k] or 0) for k in ("female", "minority") if sums[k] is not None
        }
    elif indicator.source == Source.VILLAGES:
        figure.value = Decimal(_distinct_villages(activities, scope))
    elif indicator.source == Source.COMMUNES:
        figure.value = Decimal(_distinct_communes(activities, scope))
    else:
        total = ActivityValue.objects.filter(
            activity__in=scope.activities(), indicator=indicator
        ).aggregate(total=Sum("value"))["total"]
        figure.value = Decimal(total or 0)
    figure.from_records = figure.value > 0
    if indicator.aggregation != Aggregation.DISTINCT_PLACES:
        _add_aggregates(figure, scope)
    return figure


def _distinct_villages(activities: QuerySet[Activity], _scope: Scope) -> int:
    """Distinct villages reached. Villages keep their identity across mergers, so the
    village ids are the places under either boundary rule."""
    return (
        Activity.villages.through.objects.filter(activity__in=activities)
        .values("adminunit_id")
        .distinct()
        .count()
    )


def _distinct_communes(activities: QuerySet[Activity], scope: Scope) -> int:
    """Distinct communes reached: the activity's commune as recorded, or its successor on
    the boundary date."""
    commune_ids = set(activities.values_list("unit_id", flat=True).distinct())
    if scope.boundaries is None:
        return len(commune_ids)
    mapped: set[int] = set()
    for commune in AdminUnit.objects.filter(pk__in=commune_ids):
        successor = (
            commune
            if commune.is_valid_on(scope.boundaries)
            else default_successor_on(commune, scope.boundaries)
        )
        mapped.add((successor or commune).pk)
    return len(mapped)


def _stock(indicator: Indicator, scope: Scope) -> int:
    """Stock on the end date, within the unit's subtree on that date."""
    on = scope.end
    ids = {scope.unit.pk} | descendant_ids_on([scope.unit.pk], on)
    teams = Team.objects.filter(team_active_on(on), unit_id__in=ids)
    if indicator.source == Source.TEAMS:
        return teams.count()
    memberships = Membership.objects.filter(held_on(on), team__in=teams)
    if indicator.source == Source.MEMBERS:
        return memberships.count()
    assigned = memberships.filter(
        Q(assignments__start__lte=on)
        & (Q(assignments__end__isnull=True) | Q(assignments__end__gt=on))
    )
    return assigned.values("assignments__villages").distinct().count()


def _add_aggregates(figure: Figure, scope: Scope) -> None:
    """Paper-report totals for periods inside [start, end] and units inside the scope."""
    entries = AggregateEntry.objects.filter(
        indicator=figure.indicator,
        unit_id__in=scope.place_ids(Level.COMMUNE),
        period_start__gte=scope.start,
        period_end__lte=scope.end,
    )
    rows = list(entries.values_list("value", "qualifier"))
    if not rows:
        return
    figure.value += sum((value for value, _q in rows), Decimal(0))
    figure.qualifier = combine_qualifiers(q for _v, q in rows)
    figure.from_aggregates = True

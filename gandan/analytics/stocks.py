"""Stock indicators from the roster: members, teams and villages assigned on a day.

A stock's figure for a period is its value on the period's last day; a team counts under
the target its unit counts under on that day (as recorded, or under the question's
boundaries, like a record), so a 2025 commune asked under 2025 boundaries counts the
members of the legacy communes merged into it. One query per indicator answers every unit
and period of a pivot.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Q

from gandan.analytics.figures import Cell, Mapper
from gandan.core.periods import Period
from gandan.indicators.models import Indicator, Source
from gandan.org.models import MAJORITY, Assignment, Membership, Team

MEMBERS_MINORITY = "members_minority"  # the roster's members of an ethnic minority
STOCK = {Source.MEMBERS, Source.TEAMS, Source.VILLAGES_ASSIGNED, MEMBERS_MINORITY}


def _held(start: datetime.date | None, end: datetime.date | None, on: datetime.date) -> bool:
    return (start is None or start <= on) and (end is None or on < end)


def _overlapping(first: datetime.date, last: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": last}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": first})
    )


def read_stocks(
    indicator: Indicator,
    cells: dict[tuple[int, str], Cell],
    mapper: Mapper,
    periods: Sequence[Period],
) -> None:
    """Fill ``cells`` with the stock on each period's last day."""
    days = {p.code: p.end for p in periods}
    first, last = min(days.values()), max(days.values())
    if indicator.source == Source.TEAMS:
        teams = Team.objects.filter(
            Q(established_on__lte=last) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=first))
        ).values_list("unit_id", "established_on", "dissolved_on")
        for code, on in days.items():
            for unit_id, established, dissolved in teams:
                if _held(established, dissolved, on):
                    _add(cells, mapper, unit_id, on, code, 1)
        return
    memberships = Membership.objects.filter(_overlapping(first, last)).filter(
        Q(team__established_on__lte=last)
        & (Q(team__dissolved_on__isnull=True) | Q(team__dissolved_on__gt=first))
    )
    if indicator.source in (Source.MEMBERS, MEMBERS_MINORITY):
        if indicator.source == MEMBERS_MINORITY:
            memberships = memberships.exclude(member__ethnicity=MAJORITY)
        rows = list(
            memberships.values_list(
                "team__unit_id", "start", "end", "team__established_on", "team__dissolved_on"
            )
        )
        for code, on in days.items():
            for unit_id, start, end, established, dissolved in rows:
                if _held(start, end, on) and _held(established, dissolved, on):
                    _add(cells, mapper, unit_id, on, code, 1)
        return
    assignments = Assignment.objects.filter(
        _overlapping(first, last), membership__in=memberships
    ).values_list(
        "membership__team__unit_id",
        "start",
        "end",
        "membership__start",
        "membership__end",
        "membership__team__established_on",
        "membership__team__dissolved_on",
        "villages",
    )
    placed = list(assignments)
    for code, on in days.items():
        villages: dict[int, set[int]] = defaultdict(set)
        for unit_id, start, end, m_start, m_end, established, dissolved, village in placed:
            if (
                village is not None
                and _held(start, end, on)
                and _held(m_start, m_end, on)
                and _held(established, dissolved, on)
            ):
                target = mapper.target(unit_id, on)
                if target is not None:
                    villages[target].add(village)
        for target, found in villages.items():
            cell = cells[(target, code)]
            cell.total = Decimal(len(found))
            cell.records = True


def _add(
    cells: dict[tuple[int, str], Cell],
    mapper: Mapper,
    unit_id: int,
    on: datetime.date,
    code: str,
    amount: int,
) -> None:
    target = mapper.target(unit_id, on)
    if target is not None:
        cell = cells[(target, code)]
        cell.total += amount
        cell.records = True

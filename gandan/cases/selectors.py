"""Reads: case queues, overdue cases, time to resolve, aspirations, inspections, and the
cases the analytics engine counts (issues received and resolved)."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from statistics import median

from django.db.models import Prefetch, Q, QuerySet

from gandan.accounts.jurisdiction import jurisdiction_of_unit
from gandan.cases.models import Aspiration, Case, CaseEvent, CaseKind, FollowUp, Inspection
from gandan.core.dates import today
from gandan.core.text import fold
from gandan.geo.models import AdminUnit

OPEN = [Case.Status.RECEIVED, Case.Status.ADVISING, Case.Status.ESCALATED, Case.Status.PAUSED]


def cases_received_between(
    start: datetime.date, end: datetime.date
) -> Iterator[tuple[int, datetime.date]]:
    """(unit, day) of every case received in [start, end]: ``issues_received``."""
    yield from Case.objects.filter(received_on__gte=start, received_on__lte=end).values_list(
        "unit_id", "received_on"
    )


def cases_resolved_between(
    start: datetime.date, end: datetime.date
) -> Iterator[tuple[int, datetime.date]]:
    """(unit, day) of every case resolved in [start, end]: ``issues_resolved``."""
    done = Case.objects.filter(
        status=Case.Status.RESOLVED, closed_on__gte=start, closed_on__lte=end
    )
    for unit_id, closed_on in done.values_list("unit_id", "closed_on"):
        if closed_on is not None:
            yield unit_id, closed_on


TABS = ("mine", "overdue", "escalated", "all")


@dataclass(frozen=True)
class CaseFilters:
    """What the queue page and the API filter on. ``q`` searches kinds and places only:
    never descriptions or people."""

    tab: str = "mine"
    kind: int | None = None
    place: AdminUnit | None = None
    status: str = ""  # "", "open" or a Case.Status
    start: datetime.date | None = None
    end: datetime.date | None = None
    q: str = ""


def kinds_matching(text: str) -> list[int]:
    """Case kinds whose name contains the words, ignoring case and diacritics."""
    words = fold(text).split()
    return [k.pk for k in CaseKind.objects.all() if all(w in fold(k.name) for w in words)]


def search_q(text: str) -> Q:
    """Kinds and places (commune, village, handling unit) matching every word."""
    q = Q()
    for word in fold(text).split():
        q &= (
            Q(kind_id__in=kinds_matching(word))
            | Q(unit__search_name__contains=word)
            | Q(village__search_name__contains=word)
            | Q(handler__search_name__contains=word)
        )
    return q


def place_q(place: AdminUnit) -> Q:
    """Cases at a place: received in it or in a unit inside it that day, through boundary
    changes (a 2025 commune includes the legacy communes merged into it), or in its village."""
    inside = jurisdiction_of_unit(place)
    return inside.filter_dated("unit_id", "received_on") | Q(village_id=place.pk)


def cases_listed(
    cases: QuerySet[Case],
    filters: CaseFilters,
    *,
    own_ids: set[int] | None,
    on: datetime.date | None = None,
) -> QuerySet[Case]:
    """The queue: ``cases`` (already scoped to the user) narrowed by tab and filters.

    - ``mine``: handled by the user's unit (or a unit merged into it);
    - ``overdue``: open and past the deadline, anywhere the user sees;
    - ``escalated``: escalated up to the user's unit (waiting, or taken up there);
    - ``all``: everything the user sees.
    """
    day = on or today()
    qs = cases.select_related("kind", "unit", "village", "handler")
    mine = Q() if own_ids is None else Q(handler_id__in=own_ids)
    if filters.tab == "mine":
        qs = qs.filter(mine)
    elif filters.tab == "overdue":
        qs = overdue(qs, day)
    elif filters.tab == "escalated":
        escalated = CaseEvent.objects.filter(action="escalate").values("case_id")
        qs = qs.filter(mine, Q(status=Case.Status.ESCALATED) | Q(pk__in=escalated))
    if filters.kind is not None:
        qs = qs.filter(kind_id=filters.kind)
    if filters.place is not None:
        qs = qs.filter(place_q(filters.place))
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.start is not None:
        qs = qs.filter(received_on__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(received_on__lte=filters.end)
    if filters.q.strip():
        qs = qs.filter(search_q(filters.q))
    return qs.order_by("-received_on", "-id")


def case_counts(cases: QuerySet[Case], on: datetime.date | None = None) -> dict[str, int]:
    """Counts for a leader's overview: open, overdue, resolved."""
    day = on or today()
    return {
        "open": cases.filter(status__in=OPEN).count(),
        "overdue": overdue(cases, day).count(),
        "resolved": cases.filter(status=Case.Status.RESOLVED).count(),
    }


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("unit", "actor")


def is_overdue(case: Case, on: datetime.date | None = None) -> bool:
    return case.status in OPEN and case.deadline < (on or today())


def aspirations_listed(
    aspirations: QuerySet[Aspiration],
    *,
    place: AdminUnit | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    q: str = "",
) -> QuerySet[Aspiration]:
    """Aspirations overlapping a period, at a place; ``q`` searches topics and villages."""
    qs = aspirations.select_related("village")
    if place is not None:
        qs = qs.filter(jurisdiction_of_unit(place).filter_dated("village_id", "period_start"))
    if start is not None:
        qs = qs.filter(period_end__gte=start)
    if end is not None:
        qs = qs.filter(period_start__lte=end)
    for word in fold(q).split():
        topics = [pk for pk, topic in qs.values_list("pk", "topic") if word in fold(topic)]
        qs = qs.filter(Q(pk__in=topics) | Q(village__search_name__contains=word))
    return qs


def inspections_loaded(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    follow_ups = FollowUp.objects.order_by("deadline", "id")
    return inspections.select_related("team", "team__unit").prefetch_related(
        Prefetch("follow_ups", queryset=follow_ups)
    )


def team_inspections(team_id: int) -> QuerySet[Inspection]:
    """A team's inspection history (for the team page), newest plan first."""
    return inspections_loaded(Inspection.objects.filter(team_id=team_id))


def follow_ups_open(inspections: QuerySet[Inspection]) -> QuerySet[FollowUp]:
    """Follow-up actions not done yet, late first."""
    return (
        FollowUp.objects.filter(inspection__in=inspections, done_on__isnull=True)
        .select_related("inspection", "inspection__team")
        .order_by("deadline", "id")
    )


def overdue(cases: QuerySet[Case], on: datetime.date | None = None) -> QuerySet[Case]:
    return cases.filter(status__in=OPEN, deadline__lt=on or today())


def days_to_resolve(cases: QuerySet[Case]) -> float | None:
    """Median days from reception to resolution."""
    spans = [
        (closed - received).days
        for received, closed in cases.filter(status=Case.Status.RESOLVED).values_list(
            "received_on", "closed_on"
        )
        if closed is not None
    ]
    return float(median(spans)) if spans else None

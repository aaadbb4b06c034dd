"""Reads: case queues, overdue cases, time to resolve, and the engine's case readers."""

import datetime
from collections.abc import Iterator
from statistics import median

from django.db.models import Q, QuerySet

from gandan.cases.models import Case
from gandan.core.dates import today
from gandan.indicators.aggregation import register_reader
from gandan.indicators.models import Indicator, Source

OPEN = [Case.Status.RECEIVED, Case.Status.ADVISING, Case.Status.ESCALATED, Case.Status.PAUSED]


def _received(
    _indicator: Indicator, start: datetime.date, end: datetime.date
) -> Iterator[tuple[int, datetime.date]]:
    yield from Case.objects.filter(received_on__gte=start, received_on__lte=end).values_list(
        "unit_id", "received_on"
    )


def _resolved(
    _indicator: Indicator, start: datetime.date, end: datetime.date
) -> Iterator[tuple[int, datetime.date]]:
    done = Case.objects.filter(
        status=Case.Status.RESOLVED, closed_on__gte=start, closed_on__lte=end
    )
    for unit_id, closed_on in done.values_list("unit_id", "closed_on"):
        if closed_on is not None:
            yield unit_id, closed_on


def register_case_readers() -> None:
    """Cases feed issues_received and issues_resolved through the aggregation service."""
    register_reader(Source.CASES_RECEIVED, _received)
    register_reader(Source.CASES_RESOLVED, _resolved)


def queue(*, handler_ids: set[int] | None, which: str = "all") -> QuerySet[Case]:
    """A unit's queue: all open cases, only overdue ones, or those escalated to it."""
    qs = Case.objects.select_related("kind", "unit", "village", "handler")
    if handler_ids is not None:
        qs = qs.filter(handler_id__in=handler_ids)
    if which == "overdue":
        qs = qs.filter(status__in=OPEN, deadline__lt=today())
    elif which == "escalated":
        qs = qs.filter(Q(status=Case.Status.ESCALATED) | Q(events__action="escalate")).distinct()
    elif which == "open":
        qs = qs.filter(status__in=OPEN)
    return qs


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

"""Which reports a unit owes, and by when, under its regimes: the regime's period (calendar or
the Decree 09 cut-off), the deadline of the unit's level (days after the period's last day)
and the unit's report, if it has one. For the home page and the daily reminders.

Weekly and free-range regimes have no fixed calendar of periods to owe and are left out."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from gandan.core.periods import Period, parse_period
from gandan.geo.models import AdminUnit
from gandan.reports.models import Regime, Report

KINDS = ("month", "quarter", "half", "year")
SENT = frozenset({Report.Status.SUBMITTED, Report.Status.APPROVED})


@dataclass(frozen=True)
class Due:
    regime: Regime
    unit: AdminUnit
    period: Period
    deadline: datetime.date
    report: Report | None

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.status in SENT

    @property
    def name(self) -> str:
        return f"«{self.regime.name}» {self.period.label} của {self.unit}"

    @property
    def key(self) -> str:
        return f"report_due:{self.regime.code}:{self.unit.pk}:{self.period.code}"

    @property
    def link(self) -> str:
        if self.report is not None:
            return reverse("reports:report-detail", args=[self.report.pk])
        query = {"regime": self.regime.code, "period": self.period.code, "unit": self.unit.pk}
        return f"{reverse('reports:report-create')}?{urlencode(query)}"

    def days_left(self, on: datetime.date) -> int:
        return (self.deadline - on).days


def _codes(kind: str, year: int) -> list[str]:
    if kind == "year":
        return [str(year)]
    if kind == "half":
        return [f"{year}-H1", f"{year}-H2"]
    if kind == "quarter":
        return [f"{year}-Q{q}" for q in range(1, 5)]
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def periods_with_deadline(
    regime: Regime, level: str, first: datetime.date, last: datetime.date
) -> list[tuple[Period, datetime.date]]:
    """The regime's periods whose deadline for ``level`` falls in [first, last]."""
    days = datetime.timedelta(days=int(regime.deadlines.get(level, 0)))
    found = []
    for year in range(first.year - 1, last.year + 1):
        for code in _codes(regime.period_kind, year):
            period = parse_period(code, regime=regime.period_regime)
            if first <= period.end + days <= last:
                found.append((period, period.end + days))
    return found


def units_dues(
    units: Iterable[AdminUnit], *, first: datetime.date, last: datetime.date
) -> list[Due]:
    """The reports the units owe with a deadline in [first, last], soonest first, with the
    unit's report where there is one (sent or not)."""
    regimes = [r for r in Regime.objects.order_by("id") if r.period_kind in KINDS]
    owed: list[tuple[Regime, AdminUnit, Period, datetime.date]] = []
    for unit in units:
        for regime in regimes:
            if unit.level not in regime.levels:
                continue
            for period, deadline in periods_with_deadline(regime, unit.level, first, last):
                if unit.is_valid_on(period.end):
                    owed.append((regime, unit, period, deadline))
    if not owed:
        return []
    saved = Report.objects.filter(
        unit__in={o[1].pk for o in owed}, period_code__in={o[2].code for o in owed}
    )
    reports = {(r.regime_id, r.unit_id, r.period_code): r for r in saved}
    dues = [
        Due(regime, unit, period, deadline, reports.get((regime.pk, unit.pk, period.code)))
        for regime, unit, period, deadline in owed
    ]
    return sorted(dues, key=lambda d: (d.deadline, d.regime.pk, d.unit.pk))

"""Reads for reports: live figures from the aggregation engine, the locked snapshot and its
discrepancies, the reports of the level below, and completeness and timeliness."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from gandan.geo.models import AdminUnit
from gandan.geo.selectors import children_on
from gandan.indicators.aggregation import aggregate
from gandan.indicators.models import Indicator
from gandan.reports.models import Report


def report_indicators(report: Report) -> list[Indicator]:
    order = {code: i for i, code in enumerate(report.regime.indicator_codes)}
    indicators = Indicator.objects.filter(code__in=order)
    return sorted(indicators, key=lambda i: order[i.code])


def live_figures(report: Report) -> dict[str, tuple[Decimal, str]]:
    """The report's figures now: the aggregation service, then manual adjustments."""
    figures = aggregate(
        unit=report.unit,
        start=report.period_start,
        end=report.period_end,
        boundaries=report.boundaries,
        indicators=report_indicators(report),
    )
    values = {code: (f.value, f.qualifier) for code, f in figures.items()}
    for adjustment in report.adjustments.all() if report.pk else []:
        values[adjustment.indicator_code] = (adjustment.value, "exact")
    return values


@dataclass(frozen=True)
class Discrepancy:
    code: str
    approved: Decimal
    now: Decimal


def discrepancies(report: Report) -> list[Discrepancy]:
    """Figures of an approved report that the records no longer give: shown, never applied."""
    if not report.snapshot:
        return []
    now = live_figures(report)
    out = []
    for code, kept in report.snapshot.items():
        approved = Decimal(kept["value"])
        current = now.get(code, (Decimal(0), "exact"))[0]
        if current != approved:
            out.append(Discrepancy(code, approved, current))
    return out


def child_reports(report: Report) -> list[tuple[AdminUnit, Report | None]]:
    """The units of the level below (on the period's last day) and their report, if any."""
    children = [
        v.unit
        for v in children_on(report.unit, report.period_end)
        if v.unit.level in report.regime.levels
    ]
    found = {
        r.unit_id: r
        for r in Report.objects.filter(
            regime=report.regime, period_code=report.period_code, unit__in=children
        )
    }
    return [(unit, found.get(unit.pk)) for unit in children]


@dataclass(frozen=True)
class Completeness:
    expected: int
    submitted: int
    approved: int
    late: int
    missing: list[AdminUnit]

    @property
    def rate(self) -> float:
        return self.submitted / self.expected if self.expected else 1.0

    @property
    def on_time_rate(self) -> float:
        return (self.submitted - self.late) / self.expected if self.expected else 1.0


def completeness(report: Report) -> Completeness:
    rows = child_reports(report)
    deadline_days = 0
    late = 0
    submitted = approved = 0
    missing = []
    for unit, child in rows:
        if child is None or (
            child.status in {Report.Status.DRAFT, Report.Status.RETURNED}
            and child.submitted_at is None
        ):
            missing.append(unit)
            continue
        submitted += 1
        approved += child.status == Report.Status.APPROVED
        deadline_days = int(report.regime.deadlines.get(unit.level, 0))
        deadline = report.period_end + datetime.timedelta(days=deadline_days)
        if child.submitted_at is not None and child.submitted_at.date() > deadline:
            late += 1
    return Completeness(len(rows), submitted, approved, late, missing)


def results_text(
    *, unit: AdminUnit, start: datetime.date, end: datetime.date, boundaries: datetime.date | None
) -> str:
    """The "Kết quả đạt được" paragraph, from the aggregation service and the records."""
    from gandan.org.selectors import awards_in, headcount, unit_ids_within
    from gandan.reports.narrative import narrative

    figures = aggregate(unit=unit, start=start, end=end, boundaries=boundaries)
    staff = headcount(unit=unit, on=end, by="level")
    awards = list(
        awards_in(unit_ids=unit_ids_within(unit, end), date_from=start, date_to=end).order_by("id")
    )
    return narrative(
        unit=unit, start=start, end=end, figures=figures, headcount=staff, awards=awards
    )

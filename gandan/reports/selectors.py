"""Reads for reports: live figures from the aggregation engine, the locked snapshot and its
discrepancies, the reports of the level below, and completeness and timeliness."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from gandan.analytics.engine import aggregate
from gandan.core.numbers import format_number
from gandan.core.periods import Period
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import children_on
from gandan.indicators.models import Indicator
from gandan.reports.models import Adjustment, Regime, Report

EDITABLE = {Report.Status.DRAFT, Report.Status.RETURNED}


def report_indicators(report: Report) -> list[Indicator]:
    order = {code: i for i, code in enumerate(report.regime.indicator_codes)}
    indicators = Indicator.objects.filter(code__in=order)
    return sorted(indicators, key=lambda i: order[i.code])


@dataclass(frozen=True)
class Result:
    """A figure of a report with where it came from: the engine's sources (records and paper
    totals, used, covered by another or set aside, ``SourceNote.as_json``), or the manual
    adjustment that replaced it."""

    value: Decimal
    qualifier: str
    sources: tuple[dict[str, object], ...] = ()


def empty_sections(report: Report) -> list[str]:
    """The titles of the report's narrative sections that have no text yet, in the regime's
    order: what the clerk is warned about before submitting."""
    return [
        title
        for key, title in report.regime.sections
        if not str(report.sections.get(key) or "").strip()
    ]


def live_results(report: Report) -> dict[str, Result]:
    """The report's figures now, with their sources: the aggregation service, then manual
    adjustments (which replace the figure and say so)."""
    figures = aggregate(
        unit=report.unit,
        start=report.period_start,
        end=report.period_end,
        boundaries=report.boundaries,
        indicators=report_indicators(report),
    )
    results = {
        code: Result(f.value, f.qualifier, tuple(s.as_json() for s in f.sources))
        for code, f in figures.items()
    }
    for adjustment in report.adjustments.all() if report.pk else []:
        note: dict[str, object] = {
            "kind": "adjustment",
            "label": "Điều chỉnh thủ công",
            "value": str(adjustment.value),
            "qualifier": "exact",
            "status": "used",
            "reason": adjustment.reason,
            "entry": None,
        }
        results[adjustment.indicator_code] = Result(adjustment.value, "exact", (note,))
    return results


def live_figures(report: Report) -> dict[str, tuple[Decimal, str]]:
    """The report's figures now, as (value, qualifier)."""
    return {code: (r.value, r.qualifier) for code, r in live_results(report).items()}


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


def report_or_draft(*, regime: Regime, unit: AdminUnit, period: Period) -> Report:
    """The unit's saved report for the period, or an unsaved one: enough to follow the
    level below before the unit has written its own report."""
    saved = Report.objects.filter(regime=regime, unit=unit, period_code=period.code).first()
    return saved or Report(
        regime=regime,
        unit=unit,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
    )


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
class ChildState:
    """One unit of the level below: its report (if any), deadline and timeliness."""

    unit: AdminUnit
    report: Report | None
    deadline: datetime.date
    submitted: bool
    late: bool


def child_states(report: Report) -> list[ChildState]:
    """A report counts as submitted once it has been sent up (a returned one too); it is
    late if its last submission came after its level's deadline (local date)."""
    states = []
    for unit, child in child_reports(report):
        days = int(report.regime.deadlines.get(unit.level, 0))
        deadline = report.period_end + datetime.timedelta(days=days)
        sent = child.submitted_at if child is not None else None
        states.append(
            ChildState(
                unit=unit,
                report=child,
                deadline=deadline,
                submitted=sent is not None or (child is not None and child.status not in EDITABLE),
                late=sent is not None and timezone.localdate(sent) > deadline,
            )
        )
    return states


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


def completeness(report: Report, states: list[ChildState] | None = None) -> Completeness:
    rows = child_states(report) if states is None else states
    return Completeness(
        expected=len(rows),
        submitted=sum(row.submitted for row in rows),
        approved=sum(
            row.report is not None and row.report.status == Report.Status.APPROVED for row in rows
        ),
        late=sum(row.late for row in rows),
        missing=[row.unit for row in rows if not row.submitted],
    )


@dataclass(frozen=True)
class FigureLine:
    """A figure as the report states it; ``now`` is today's value where the records have
    changed since approval (shown, never applied)."""

    indicator: Indicator
    value: Decimal
    qualifier: str
    adjustment: Adjustment | None = None
    now: Decimal | None = None


def figure_lines(report: Report) -> list[FigureLine]:
    """The approved snapshot for an approved report, else the live figures, in the
    regime's order, with the manual adjustments and the discrepancies."""
    live = live_figures(report)
    adjustments = {a.indicator_code: a for a in report.adjustments.all()} if report.pk else {}
    kept = report.snapshot if report.status == Report.Status.APPROVED else None
    lines = []
    for indicator in report_indicators(report):
        value, qualifier = live.get(indicator.code, (Decimal(0), "exact"))
        now = None
        if kept:
            current = value
            stored = kept.get(indicator.code, {"value": "0", "qualifier": "exact"})
            value, qualifier = Decimal(stored["value"]), stored["qualifier"]
            now = current if current != value else None
        lines.append(FigureLine(indicator, value, qualifier, adjustments.get(indicator.code), now))
    return lines


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


def indicator_references(codes: Sequence[str]) -> dict[str, list[str]]:
    """What of the reports names these indicator codes: approved snapshots, adjustments and
    regimes (``indicators.usage`` asks, through ``ReportsConfig.indicator_references``)."""
    wanted = set(codes)
    found: dict[str, list[str]] = defaultdict(list)
    snapshots: Counter[str] = Counter()
    for snapshot in Report.objects.exclude(snapshot={}).values_list("snapshot", flat=True):
        snapshots.update(code for code in snapshot if code in wanted)
    for code, n in sorted(snapshots.items()):
        found[code].append(f"{format_number(n)} báo cáo đã duyệt lưu số liệu")
    adjusted = Adjustment.objects.filter(indicator_code__in=wanted).values("indicator_code")
    for row in adjusted.annotate(n=Count("id")).order_by("indicator_code"):
        found[row["indicator_code"]].append(f"{format_number(row['n'])} điều chỉnh trong báo cáo")
    for regime in Regime.objects.all():
        for code in dict.fromkeys(c for c in regime.indicator_codes if c in wanted):
            found[code].append(f"chế độ báo cáo «{regime.name}»")
    return dict(found)

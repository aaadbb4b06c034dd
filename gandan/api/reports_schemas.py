"""Request and response shapes of the reports API (``gandan.api.reports``)."""

import datetime
from decimal import Decimal

from ninja import Schema

from gandan.api.inputs import In
from gandan.reports.models import Adjustment, Report, ReportEvent
from gandan.reports.selectors import ChildState, Completeness, FigureLine


def plain(value: Decimal) -> str:
    """120.000 → "120", 1.50 → "1.5": the exact value, without trailing zeros."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class ReportOut(Schema):
    id: int
    regime: str
    regime_name: str
    unit_id: int
    unit: str
    period_code: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    boundaries: datetime.date | None
    status: str
    status_label: str
    number_text: str
    issued_on: datetime.date | None
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None


class SectionOut(Schema):
    key: str
    title: str
    text: str


class FigureOut(Schema):
    code: str
    name: str
    unit: str
    value: str
    qualifier: str
    now: str | None
    adjustment_reason: str | None


class AdjustmentOut(Schema):
    indicator_code: str
    value: str
    reason: str
    by: str | None
    at: datetime.datetime


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str | None
    comment: str
    at: datetime.datetime


class ChildOut(Schema):
    unit_id: int
    unit: str
    report_id: int | None
    status: str | None
    deadline: datetime.date
    submitted: bool
    late: bool


class CompletenessOut(Schema):
    expected: int
    submitted: int
    approved: int
    late: int
    rate: float
    on_time_rate: float
    missing: list[str]


class ReportDetailOut(Schema):
    report: ReportOut
    actions: list[str]
    sections: list[SectionOut]
    figures: list[FigureOut]
    adjustments: list[AdjustmentOut]
    children: list[ChildOut]
    completeness: CompletenessOut | None
    events: list[EventOut]


class DashboardOut(Schema):
    regime: str
    period_code: str
    period_label: str
    unit_id: int
    unit: str
    report_id: int | None
    children: list[ChildOut]
    completeness: CompletenessOut


class ReportIn(In):
    regime: str
    unit_id: int
    period: str
    boundaries: datetime.date | None = None


class SectionsIn(In):
    MULTILINE = frozenset({"sections"})
    sections: dict[str, str]


class ReturnIn(In):
    MULTILINE = frozenset({"comment"})
    comment: str


class ApproveIn(In):
    issued_on: datetime.date | None = None


class UnapproveIn(In):
    MULTILINE = frozenset({"reason"})
    reason: str


class AdjustIn(In):
    indicator_code: str
    value: Decimal
    reason: str


def report_out(report: Report) -> ReportOut:
    return ReportOut(
        id=report.pk,
        regime=report.regime.code,
        regime_name=report.regime.name,
        unit_id=report.unit_id,
        unit=str(report.unit),
        period_code=report.period_code,
        period_label=report.period_label,
        period_start=report.period_start,
        period_end=report.period_end,
        boundaries=report.boundaries,
        status=report.status,
        status_label=report.get_status_display(),
        number_text=report.number_text,
        issued_on=report.issued_on,
        submitted_at=report.submitted_at,
        approved_at=report.approved_at,
    )


def figure_out(line: FigureLine) -> FigureOut:
    return FigureOut(
        code=line.indicator.code,
        name=line.indicator.name_vi,
        unit=line.indicator.unit,
        value=plain(line.value),
        qualifier=line.qualifier,
        now=plain(line.now) if line.now is not None else None,
        adjustment_reason=line.adjustment.reason if line.adjustment else None,
    )


def adjustment_out(adjustment: Adjustment) -> AdjustmentOut:
    return AdjustmentOut(
        indicator_code=adjustment.indicator_code,
        value=plain(adjustment.value),
        reason=adjustment.reason,
        by=str(adjustment.created_by) if adjustment.created_by else None,
        at=adjustment.created_at,
    )


def event_out(event: ReportEvent) -> EventOut:
    return EventOut(
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        actor=str(event.actor) if event.actor else None,
        comment=event.comment,
        at=event.at,
    )


def child_out(state: ChildState) -> ChildOut:
    return ChildOut(
        unit_id=state.unit.pk,
        unit=str(state.unit),
        report_id=state.report.pk if state.report else None,
        status=state.report.status if state.report else None,
        deadline=state.deadline,
        submitted=state.submitted,
        late=state.late,
    )


def completeness_out(summary: Completeness) -> CompletenessOut:
    return CompletenessOut(
        expected=summary.expected,
        submitted=summary.submitted,
        approved=summary.approved,
        late=summary.late,
        rate=summary.rate,
        on_time_rate=summary.on_time_rate,
        missing=[str(unit) for unit in summary.missing],
    )

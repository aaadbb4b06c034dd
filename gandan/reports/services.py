"""Report workflow: create, edit, submit, return, approve (with a snapshot and a number),
un-approve. Each step goes through the workflow's table (``reports.workflow``): it guards the
current state with a conditional UPDATE, so two concurrent approvals cannot both succeed,
and writes a ``ReportEvent`` and an audit entry.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import today, vn_date
from gandan.core.errors import DomainError
from gandan.core.periods import Period, parse_period
from gandan.geo.models import AdminUnit
from gandan.reports.models import (
    Adjustment,
    DocumentStyle,
    NumberSequence,
    Regime,
    Report,
)
from gandan.reports.notices import (
    report_approved_notify,
    report_due_notify,
    report_returned_notify,
    report_submitted_notify,
    unit_writers,
)
from gandan.reports.selectors import ChildState, empty_sections, live_results, results_text
from gandan.reports.workflow import EDITABLE, WORKFLOW, report_event

Status = Report.Status


def party_term(day: datetime.date) -> str:
    """The Party committee's term (nhiệm kỳ) of a date: 2015-2020, 2020-2025, 2025-2030 …"""
    start = 2010 + (day.year - 2010) // 5 * 5
    return f"{start}-{start + 5}"


def _checked_span(regime: Regime, unit: AdminUnit, period: str) -> Period:
    span = parse_period(period, regime=regime.period_regime)
    if regime.period_kind != "range" and span.kind != regime.period_kind:
        raise DomainError(
            f"Chế độ «{regime.name}» báo cáo theo kỳ «{regime.period_kind}», không theo «{period}».",
            field="period",
        )
    if unit.level not in regime.levels:
        raise DomainError(
            f"{unit} không thuộc cấp báo cáo của chế độ «{regime.name}».", field="unit"
        )
    if not unit.is_valid_on(span.end):
        raise DomainError(
            f"{unit} không có hiệu lực vào ngày cuối kỳ {span.end:%d/%m/%Y}.", field="unit"
        )
    return span


def _draft(
    regime: Regime, unit: AdminUnit, span: Period, boundaries: datetime.date | None
) -> Report:
    return Report(
        regime=regime,
        unit=unit,
        period_code=span.code,
        period_start=span.start,
        period_end=span.end,
        period_label=span.label,
        boundaries=boundaries,
        sections={key: "" for key, _title in regime.sections}
        | {
            "ket_qua": results_text(
                unit=unit, start=span.start, end=span.end, boundaries=boundaries
            )
        },
    )


def report_draft(
    *, regime: Regime, unit: AdminUnit, period: str, boundaries: datetime.date | None = None
) -> Report:
    """The report :func:`report_create` would make, with the same checks, not saved: what
    ``gandan report export`` renders when the report does not exist yet."""
    return _draft(regime, unit, _checked_span(regime, unit, period), boundaries)


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    regime: Regime,
    unit: AdminUnit,
    period: str,
    boundaries: datetime.date | None = None,
) -> Report:
    span = _checked_span(regime, unit, period)
    if Report.objects.filter(regime=regime, unit=unit, period_code=span.code).exists():
        raise DomainError(f"Đã có báo cáo «{regime.name}» {span.label} của {unit}.", field="period")
    report = _draft(regime, unit, span, boundaries)
    report.created_by = actor if getattr(actor, "pk", None) else None
    report.save()
    report_event(report, actor, "create", "")
    return report


@transaction.atomic
def report_update_sections(*, actor: Actor, report: Report, sections: dict[str, str]) -> Report:
    if report.status not in EDITABLE:
        raise DomainError(
            f"Báo cáo đang ở trạng thái «{report.get_status_display()}», không sửa được."
        )
    known = {key for key, _title in report.regime.sections}
    if unknown := set(sections) - known:
        raise DomainError(
            f"Đề mục không có trong chế độ báo cáo: {', '.join(sorted(unknown))}.", field="sections"
        )
    report.sections = {**report.sections, **{k: v.strip() for k, v in sections.items()}}
    report.save(update_fields=["sections", "updated_at"])
    audit_log(actor=actor, action="reports.edit", target=report, message=f"Sửa nội dung {report}")
    return report


@transaction.atomic
def report_adjust(
    *, actor: Actor, report: Report, indicator_code: str, value: Decimal, reason: str
) -> Adjustment:
    if report.status not in EDITABLE:
        raise DomainError("Chỉ điều chỉnh số liệu khi báo cáo còn là nháp hoặc bị trả lại.")
    if indicator_code not in report.regime.indicator_codes:
        raise DomainError(
            f"Chỉ tiêu «{indicator_code}» không có trong báo cáo.", field="indicator_code"
        )
    if not reason.strip():
        raise DomainError("Điều chỉnh số liệu phải ghi lý do.", field="reason")
    if value < 0:
        raise DomainError("Số liệu điều chỉnh không được âm.", field="value")
    adjustment, _created = Adjustment.objects.update_or_create(
        report=report,
        indicator_code=indicator_code,
        defaults={
            "value": value,
            "reason": reason.strip(),
            "created_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    audit_log(
        actor=actor,
        action="reports.adjust",
        target=report,
        message=f"Điều chỉnh {indicator_code} = {value}: {reason}",
    )
    return adjustment


@transaction.atomic
def report_submit(*, actor: Actor, report: Report, allow_empty_sections: bool = False) -> Report:
    """Send the report up. A report whose narrative sections are empty is refused unless the
    clerk confirms (``allow_empty_sections``): the unit may truly have nothing to say there,
    but that is the clerk's statement, kept in the report's history, not an accident."""
    empty = empty_sections(report)
    if empty and not allow_empty_sections:
        titles = ", ".join(f"«{title}»" for title in empty)
        raise DomainError(
            f"Báo cáo còn {len(empty)} đề mục trống: {titles}. Hãy viết nội dung, hoặc "
            "xác nhận vẫn gửi nếu đơn vị không có gì để báo cáo ở các đề mục đó.",
            field="allow_empty_sections",
        )
    comment = f"Gửi khi còn đề mục trống: {', '.join(empty)}" if empty else ""
    report = WORKFLOW.move(
        report, "submit", actor=actor, fields={"submitted_at": timezone.now()}, comment=comment
    )
    report_submitted_notify(actor=actor, report=report)
    return report


@transaction.atomic
def report_return(*, actor: Actor, report: Report, comment: str) -> Report:
    if not comment.strip():
        raise DomainError("Trả lại báo cáo phải ghi ý kiến.", field="comment")
    report = WORKFLOW.move(report, "return", actor=actor, comment=comment.strip())
    report_returned_notify(actor=actor, report=report, comment=comment.strip())
    return report


@transaction.atomic
def report_approve(
    *, actor: Actor, report: Report, issued_on: datetime.date | None = None
) -> Report:
    """Lock the report, keep a snapshot of its figures and give it the next number."""
    snapshot = {
        code: {"value": str(r.value), "qualifier": r.qualifier, "sources": list(r.sources)}
        for code, r in live_results(report).items()
    }
    fields = {"approved_at": timezone.now(), "snapshot": snapshot}
    report = WORKFLOW.move(report, "approve", actor=actor, fields=fields)
    if report.number is None:
        day = issued_on or timezone.localdate()
        number, text = _next_number(report, day)
        Report.objects.filter(pk=report.pk).update(number=number, number_text=text, issued_on=day)
        report.refresh_from_db()
    report_approved_notify(actor=actor, report=report)
    return report


@transaction.atomic
def report_unapprove(*, actor: Actor, report: Report, reason: str) -> Report:
    """Only a higher level may re-open an approved report, with a reason (checked by access)."""
    if not reason.strip():
        raise DomainError("Hủy duyệt phải ghi lý do.", field="reason")
    report = WORKFLOW.move(report, "unapprove", actor=actor, comment=reason.strip())
    report_returned_notify(actor=actor, report=report, comment=reason.strip())
    return report


@transaction.atomic
def reports_remind(*, actor: Actor, parent: Report, states: list[ChildState]) -> int:
    """ "Nhắc nộp": tell the writers of each unit below that has not sent its report (the
    completeness page's rows) to submit it, once a day per unit; audited on the level above.
    Returns how many people were told."""
    missing = [s for s in states if not s.submitted]
    told, units = 0, []
    for state in missing:
        link = (
            reverse("reports:report-detail", args=[state.report.pk])
            if state.report is not None
            else f"{reverse('reports:report-create')}?"
            + urlencode(
                {"regime": parent.regime.code, "period": parent.period_code, "unit": state.unit.pk}
            )
        )
        name = f"«{parent.regime.name}» {parent.period_label} của {state.unit}"
        told += report_due_notify(
            actor=actor,
            users=unit_writers(state.unit, parent.period_end),
            report_name=name,
            deadline_text=vn_date(state.deadline),
            link=link,
            key=f"remind:{parent.regime.code}:{state.unit.pk}:{parent.period_code}:{today()}",
        )
        units.append(str(state.unit))
    audit_log(
        actor=actor,
        action="reports.remind",
        target=parent.unit,
        message=f"Nhắc nộp báo cáo «{parent.regime.name}» {parent.period_label}: "
        + (", ".join(units) or "không có đơn vị nào chưa gửi"),
        data={"units": [s.unit.pk for s in missing], "told": told},
    )
    return told


def _next_number(report: Report, day: datetime.date) -> tuple[int, str]:
    regime = report.regime
    scope = party_term(day) if regime.style == DocumentStyle.PARTY else str(day.year)
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        unit=report.unit, document_type=regime.document_type, style=regime.style, scope=scope
    )
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    number = sequence.last
    issuer = "ĐCT"  # Đội công tác phát động quần chúng
    if regime.style == DocumentStyle.PARTY:
        return number, f"Số {number}-{regime.document_type}/{issuer}"
    return number, f"Số: {number}/{regime.document_type}-{issuer}"

"""Report endpoints: list, create, read, edit the sections, adjust a figure, the workflow
(submit, return, approve, un-approve), the documents and the completeness dashboard.

The same access rules as the pages (``reports.access``): outside the jurisdiction 404, a
leader writing 403, a level that may not review 403, a broken rule of the workflow 422
(see ``api/urls.py``) that changes nothing.
"""

from django.http import HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate

from gandan.accounts.access import access_unit
from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.api.inputs import In, Text
from gandan.api.pagination import Mapped, ObjectId, limit_offset
from gandan.api.reports_schemas import (
    AdjustIn,
    AdjustmentOut,
    ApproveIn,
    DashboardOut,
    ReportDetailOut,
    ReportIn,
    ReportOut,
    ReturnIn,
    SectionOut,
    SectionsIn,
    UnapproveIn,
    adjustment_out,
    child_out,
    completeness_out,
    event_out,
    figure_out,
    report_out,
)
from gandan.core.errors import DomainError
from gandan.core.periods import parse_period
from gandan.reports import selectors, services
from gandan.reports.access import (
    REVIEW_ACTIONS,
    access_report,
    access_report_unit,
    allowed_actions,
    visible_reports,
)
from gandan.reports.downloads import export_response
from gandan.reports.models import Regime, Report

router = Router(tags=["Báo cáo"])


def _regime(code: str) -> Regime:
    regime = Regime.objects.filter(code=code).first()
    if regime is None:
        codes = ", ".join(Regime.objects.values_list("code", flat=True))
        raise DomainError(f"Không có chế độ báo cáo «{code}» (có: {codes}).", field="regime")
    return regime


def _sections(report: Report) -> list[SectionOut]:
    return [
        SectionOut(key=key, title=title, text=report.sections.get(key, ""))
        for key, title in report.regime.sections
    ]


class ReportFilters(In):
    regime: str | None = None
    period: str | None = None
    status: Report.Status | None = None
    unit_id: ObjectId | None = None


@router.get("/reports", response=list[ReportOut], summary="Báo cáo trong địa bàn")
@paginate(limit_offset(500))
def list_reports(
    request: AuthenticatedHttpRequest, filters: Query[ReportFilters]
) -> Mapped[Report, ReportOut]:
    reports = visible_reports(request.user)
    if filters.regime:
        reports = reports.filter(regime__code=filters.regime)
    if filters.period:
        reports = reports.filter(period_code__startswith=filters.period.strip())
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.unit_id is not None:
        reports = reports.filter(unit_id=filters.unit_id)
    return Mapped(reports, report_out)


@router.post("/reports", response={201: ReportOut}, summary="Lập báo cáo của một đơn vị, một kỳ")
def create_report(request: AuthenticatedHttpRequest, payload: ReportIn) -> ReportOut:
    regime = _regime(payload.regime)
    period = parse_period(payload.period, regime=regime.period_regime)
    unit = access_report_unit(request.user, payload.unit_id, period.end)
    report = services.report_create(
        actor=request.user,
        regime=regime,
        unit=unit,
        period=payload.period,
        boundaries=payload.boundaries,
    )
    return report_out(report)


@router.get(
    "/reports/completeness",
    response=DashboardOut,
    summary="Tình hình nộp báo cáo của cấp dưới: chưa gửi, trễ hạn, tỷ lệ",
)
def completeness(
    request: AuthenticatedHttpRequest, regime: Text, period: Text, unit_id: int | None = None
) -> DashboardOut:
    found = _regime(regime)
    span = parse_period(period, regime=found.period_regime)
    chosen = unit_id if unit_id is not None else getattr(request.user, "unit_id", None)
    if chosen is None:
        raise DomainError("Cần chọn đơn vị (unit_id).", field="unit_id")
    unit = access_unit(request.user, chosen)
    if not unit.is_valid_on(span.end):
        raise DomainError(
            f"{unit} không có hiệu lực vào ngày cuối kỳ {span.end:%d/%m/%Y}.", field="unit_id"
        )
    access_unit(request.user, unit.pk, on=span.end)
    parent = selectors.report_or_draft(regime=found, unit=unit, period=span)
    states = selectors.child_states(parent)
    return DashboardOut(
        regime=found.code,
        period_code=span.code,
        period_label=span.label,
        unit_id=unit.pk,
        unit=str(unit),
        report_id=parent.pk,
        children=[child_out(s) for s in states],
        completeness=completeness_out(selectors.completeness(parent, states)),
    )


@router.get("/reports/{report_id}", response=ReportDetailOut, summary="Một báo cáo")
def get_report(request: AuthenticatedHttpRequest, report_id: int) -> ReportDetailOut:
    report = access_report(request.user, report_id)
    states = selectors.child_states(report)
    return ReportDetailOut(
        report=report_out(report),
        actions=sorted(allowed_actions(request.user, report)),
        sections=_sections(report),
        figures=[figure_out(line) for line in selectors.figure_lines(report)],
        adjustments=[adjustment_out(a) for a in report.adjustments.select_related("created_by")],
        children=[child_out(s) for s in states],
        completeness=completeness_out(selectors.completeness(report, states)) if states else None,
        events=[event_out(e) for e in report.events.select_related("actor")],
    )


@router.patch(
    "/reports/{report_id}/sections",
    response=list[SectionOut],
    summary="Sửa nội dung các đề mục (khi còn là nháp hoặc bị trả lại)",
)
def update_sections(
    request: AuthenticatedHttpRequest, report_id: int, payload: SectionsIn
) -> list[SectionOut]:
    report = access_report(request.user, report_id, write=True)
    report = services.report_update_sections(
        actor=request.user, report=report, sections=payload.sections
    )
    return _sections(report)


@router.post(
    "/reports/{report_id}/adjustments",
    response={201: AdjustmentOut},
    summary="Điều chỉnh một số liệu, có lý do",
)
def adjust(request: AuthenticatedHttpRequest, report_id: int, payload: AdjustIn) -> AdjustmentOut:
    report = access_report(request.user, report_id, write=True)
    adjustment = services.report_adjust(
        actor=request.user,
        report=report,
        indicator_code=payload.indicator_code,
        value=payload.value,
        reason=payload.reason,
    )
    return adjustment_out(adjustment)


def _transition(request: AuthenticatedHttpRequest, report_id: int, action: str) -> Report:
    return access_report(request.user, report_id, write=True, review=action in REVIEW_ACTIONS)


@router.post("/reports/{report_id}/submit", response=ReportOut, summary="Gửi lên cấp trên")
def submit(
    request: AuthenticatedHttpRequest, report_id: int, allow_empty_sections: bool = False
) -> ReportOut:
    """A report with empty narrative sections is refused (422, ``field`` =
    ``allow_empty_sections``) unless ``allow_empty_sections=true`` confirms that the unit has
    nothing to report there."""
    report = _transition(request, report_id, "submit")
    return report_out(
        services.report_submit(
            actor=request.user, report=report, allow_empty_sections=allow_empty_sections
        )
    )


@router.post("/reports/{report_id}/return", response=ReportOut, summary="Trả lại, có ý kiến")
def return_report(
    request: AuthenticatedHttpRequest, report_id: int, payload: ReturnIn
) -> ReportOut:
    report = _transition(request, report_id, "return")
    return report_out(
        services.report_return(actor=request.user, report=report, comment=payload.comment)
    )


@router.post(
    "/reports/{report_id}/approve",
    response=ReportOut,
    summary="Duyệt: khóa báo cáo, lưu số liệu, cấp số văn bản",
)
def approve(request: AuthenticatedHttpRequest, report_id: int, payload: ApproveIn) -> ReportOut:
    report = _transition(request, report_id, "approve")
    return report_out(
        services.report_approve(actor=request.user, report=report, issued_on=payload.issued_on)
    )


@router.post("/reports/{report_id}/unapprove", response=ReportOut, summary="Hủy duyệt, có lý do")
def unapprove(request: AuthenticatedHttpRequest, report_id: int, payload: UnapproveIn) -> ReportOut:
    report = _transition(request, report_id, "unapprove")
    return report_out(
        services.report_unapprove(actor=request.user, report=report, reason=payload.reason)
    )


@router.get(
    "/reports/{report_id}/export/{fmt}",
    summary="Tải văn bản: docx, xlsx hoặc pdf",
    openapi_extra={"responses": {200: {"description": "Tệp văn bản"}}},
)
def export(request: AuthenticatedHttpRequest, report_id: int, fmt: Text) -> HttpResponse:
    return export_response(access_report(request.user, report_id), fmt)

"""Grassroots cases, aspirations and inspections: the same access rules and services as the
pages (``cases.access``, ``cases.services``, ``cases.privacy``).

A case outside the user's jurisdiction is 404; a leader writing, or a writer who is not
the case's handler, gets 403; a broken rule is 422 with a Vietnamese ``detail`` naming the
``field``. Contacts never appear in case payloads, only their count; a handler reads them
with ``POST /cases/{id}/contacts``, and every such read is audited."""

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router
from ninja.pagination import paginate

from gandan.accounts.access import access_unit
from gandan.accounts.models import User
from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.api.cases_schemas import (
    AdviseIn,
    AspirationIn,
    AspirationOut,
    CaseDetailOut,
    CaseIn,
    CaseKindOut,
    CaseOut,
    ContactOut,
    EscalateIn,
    FollowUpDoneIn,
    FollowUpOut,
    InspectionIn,
    InspectionOut,
    InspectionResultIn,
    PauseIn,
    ReferIn,
    ResolveIn,
    aspiration_out,
    case_detail_out,
    case_out,
    follow_up_out,
    inspection_out,
)
from gandan.api.inputs import Text
from gandan.api.pagination import Mapped, ObjectId, limit_offset
from gandan.cases import selectors, services
from gandan.cases.access import (
    access_aspiration_village,
    access_case,
    access_case_commune,
    access_follow_up,
    access_inspection,
    access_inspection_team,
    access_village_of,
    allowed_actions,
    own_unit_ids,
    visible_aspirations,
    visible_cases,
    visible_inspections,
)
from gandan.cases.models import Aspiration, Case, CaseKind, Inspection
from gandan.cases.privacy import contacts_view
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.periods import parse_period

router = Router(tags=["Vụ việc, tâm tư nguyện vọng, kiểm tra"])
PAGE = limit_offset(1000)


def _period(text: str | None) -> tuple[datetime.date | None, datetime.date | None]:
    if not text:
        return None, None
    span = parse_period(text)
    return span.start, span.end


def _detail(user: User, case: Case) -> CaseDetailOut:
    return case_detail_out(
        case,
        overdue=selectors.is_overdue(case),
        contact_count=case.contacts.filter(erased_at__isnull=True).count(),
        allowed=allowed_actions(user, case),
        events=list(selectors.case_timeline(case)),
    )


# Cases. -----------------------------------------------------------------------------------------


@router.get("/case-kinds", response=list[CaseKindOut], summary="Loại vụ việc và thời hạn")
def list_case_kinds(request: AuthenticatedHttpRequest) -> list[CaseKind]:
    return list(CaseKind.objects.all())


@router.get("/cases", response=list[CaseOut], summary="Hàng đợi vụ việc, có lọc")
@paginate(PAGE)
def list_cases(
    request: AuthenticatedHttpRequest,
    tab: Text = "all",
    kind: Text | None = None,
    place: int | None = None,
    status: Text = "",
    period: Text | None = None,
    q: Text = "",
) -> Mapped[Case, CaseOut]:
    """``tab``: mine (handled by my unit), overdue, escalated (to my unit) or all. ``q``
    searches kinds and places only, never people. No contacts in the payload."""
    if tab not in selectors.TABS:
        raise DomainError(f"tab phải là một trong: {', '.join(selectors.TABS)}.", field="tab")
    if status and status != "open" and status not in Case.Status.values:
        raise DomainError(f"Trạng thái không hợp lệ: «{status}».", field="status")
    kind_id = None
    if kind:
        found = CaseKind.objects.filter(code=kind).first()
        if found is None:
            raise DomainError(f"Không có loại vụ việc mã «{kind}».", field="kind")
        kind_id = found.pk
    start, end = _period(period)
    filters = selectors.CaseFilters(
        tab=tab,
        kind=kind_id,
        place=access_unit(request.user, place) if place is not None else None,
        status=status,
        start=start,
        end=end,
        q=q,
    )
    cases = selectors.cases_listed(
        visible_cases(request.user), filters, own_ids=own_unit_ids(request.user)
    )
    day = today()
    return Mapped(cases, lambda c: case_out(c, overdue=selectors.is_overdue(c, day)))


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="Một vụ việc và quá trình xử lý")
def get_case(request: AuthenticatedHttpRequest, case_id: int) -> CaseDetailOut:
    return _detail(request.user, access_case(request.user, case_id))


@router.post("/cases", response={201: CaseDetailOut}, summary="Tiếp nhận vụ việc")
def create_case(request: AuthenticatedHttpRequest, payload: CaseIn) -> CaseDetailOut:
    """The commune must be the user's on the date received (404, or 403 for a leader)."""
    user = request.user
    unit = access_case_commune(user, payload.unit_id, payload.received_on)
    kind = CaseKind.objects.filter(code=payload.kind).first()
    if kind is None:
        raise DomainError(f"Không có loại vụ việc mã «{payload.kind}».", field="kind")
    case = services.case_receive(
        actor=user,
        kind=kind,
        unit=unit,
        village=access_village_of(user, payload.village_id) if payload.village_id else None,
        received_on=payload.received_on,
        source=payload.source,
        description=payload.description,
        households=payload.households,
        contacts=[(c.name, c.phone) for c in payload.contacts],
    )
    return _detail(user, access_case(user, case.pk))


@router.post("/cases/{case_id}/contacts", response=list[ContactOut], summary="Xem người liên hệ")
def read_contacts(request: AuthenticatedHttpRequest, case_id: int) -> list[ContactOut]:
    """For the case's handlers only (403 for others who see the case); audited."""
    case = access_case(request.user, case_id)
    contacts = contacts_view(request.user, case)
    if contacts is None:
        raise PermissionDenied("Chỉ cán bộ đang xử lý vụ việc mới được xem người liên hệ.")
    return [ContactOut(name=c.name, phone=c.phone) for c in contacts]


@router.post("/cases/{case_id}/advise", response=CaseDetailOut, summary="Tham mưu, phối hợp")
def advise_case(
    request: AuthenticatedHttpRequest, case_id: int, payload: AdviseIn
) -> CaseDetailOut:
    case = access_case(request.user, case_id, write=True)
    services.case_advise(
        actor=request.user,
        case=case,
        agencies=payload.agencies,
        advice=payload.advice,
        on=payload.on,
    )
    return _detail(request.user, access_case(request.user, case_id))


@router.post("/cases/{case_id}/resolve", response=CaseDetailOut, summary="Đã giải quyết")
def resolve_case(
    request: AuthenticatedHttpRequest, case_id: int, payload: ResolveIn
) -> CaseDetailOut:
    case = access_case(request.user, case_id, write=True)
    services.case_resolve(actor=request.user, case=case, outcome=payload.outcome, on=payload.on)
    return _detail(request.user, access_case(request.user, case_id))


@router.post("/cases/{case_id}/escalate", response=CaseDetailOut, summary="Chuyển cấp trên")
def escalate_case(
    request: AuthenticatedHttpRequest, case_id: int, payload: EscalateIn
) -> CaseDetailOut:
    """To the handler's parent on ``on``: a district before 1-7-2025, the province after."""
    case = access_case(request.user, case_id, write=True)
    services.case_escalate(actor=request.user, case=case, note=payload.note, on=payload.on)
    return _detail(request.user, access_case(request.user, case_id))


@router.post("/cases/{case_id}/refer", response=CaseDetailOut, summary="Không thuộc thẩm quyền")
def refer_case(request: AuthenticatedHttpRequest, case_id: int, payload: ReferIn) -> CaseDetailOut:
    case = access_case(request.user, case_id, write=True)
    services.case_refer(actor=request.user, case=case, referral=payload.referral, on=payload.on)
    return _detail(request.user, access_case(request.user, case_id))


@router.post("/cases/{case_id}/pause", response=CaseDetailOut, summary="Tạm dừng")
def pause_case(request: AuthenticatedHttpRequest, case_id: int, payload: PauseIn) -> CaseDetailOut:
    case = access_case(request.user, case_id, write=True)
    services.case_pause(actor=request.user, case=case, note=payload.note, on=payload.on)
    return _detail(request.user, access_case(request.user, case_id))


# Aspirations. -----------------------------------------------------------------------------------


@router.get("/aspirations", response=list[AspirationOut], summary="Tâm tư nguyện vọng (tổng hợp)")
@paginate(PAGE)
def list_aspirations(
    request: AuthenticatedHttpRequest,
    place: int | None = None,
    period: Text | None = None,
    q: Text = "",
) -> Mapped[Aspiration, AspirationOut]:
    start, end = _period(period)
    aspirations = selectors.aspirations_listed(
        visible_aspirations(request.user),
        place=access_unit(request.user, place) if place is not None else None,
        start=start,
        end=end,
        q=q,
    )
    return Mapped(aspirations, aspiration_out)


@router.post("/aspirations", response={201: AspirationOut}, summary="Ghi tâm tư nguyện vọng")
def create_aspiration(request: AuthenticatedHttpRequest, payload: AspirationIn) -> AspirationOut:
    """Aggregated only; the village must be the user's at the start of the period."""
    village = access_aspiration_village(request.user, payload.village_id, payload.period_start)
    aspiration = services.aspiration_record(
        actor=request.user,
        village=village,
        period_start=payload.period_start,
        period_end=payload.period_end,
        topic=payload.topic,
        households=payload.households,
        summary=payload.summary,
        response=payload.response,
    )
    return aspiration_out(aspiration)


# Inspections. -----------------------------------------------------------------------------------


def _inspection(inspection_id: int) -> InspectionOut:
    return inspection_out(
        selectors.inspections_loaded(Inspection.objects.filter(pk=inspection_id)).get()
    )


@router.get("/inspections", response=list[InspectionOut], summary="Kiểm tra, giám sát")
@paginate(PAGE)
def list_inspections(
    request: AuthenticatedHttpRequest, team: ObjectId | None = None
) -> Mapped[Inspection, InspectionOut]:
    inspections = visible_inspections(request.user)
    if team is not None:
        inspections = inspections.filter(team_id=team)
    return Mapped(selectors.inspections_loaded(inspections), inspection_out)


@router.get("/inspections/{inspection_id}", response=InspectionOut, summary="Một cuộc kiểm tra")
def get_inspection(request: AuthenticatedHttpRequest, inspection_id: int) -> InspectionOut:
    return _inspection(access_inspection(request.user, inspection_id).pk)


@router.post("/inspections", response={201: InspectionOut}, summary="Lập kế hoạch kiểm tra")
def create_inspection(request: AuthenticatedHttpRequest, payload: InspectionIn) -> InspectionOut:
    team = access_inspection_team(request.user, payload.team_id, payload.planned_on)
    inspection = services.inspection_plan(
        actor=request.user,
        team=team,
        inspector=payload.inspector,
        planned_on=payload.planned_on,
        content=payload.content,
    )
    return _inspection(inspection.pk)


@router.post(
    "/inspections/{inspection_id}/result", response=InspectionOut, summary="Ghi kết quả kiểm tra"
)
def record_inspection(
    request: AuthenticatedHttpRequest, inspection_id: int, payload: InspectionResultIn
) -> InspectionOut:
    inspection = access_inspection(request.user, inspection_id, write=True)
    services.inspection_record(
        actor=request.user,
        inspection=inspection,
        held_on=payload.held_on,
        findings=payload.findings,
        rating=payload.rating,
        recommendations=payload.recommendations,
        follow_ups=[(f.action, f.owner, f.deadline) for f in payload.follow_ups],
    )
    return _inspection(inspection.pk)


@router.post(
    "/inspections/{inspection_id}/follow-ups/{follow_up_id}/done",
    response=FollowUpOut,
    summary="Ghi hoàn thành việc sau kiểm tra",
)
def complete_follow_up(
    request: AuthenticatedHttpRequest,
    inspection_id: int,
    follow_up_id: int,
    payload: FollowUpDoneIn,
) -> FollowUpOut:
    follow_up = access_follow_up(request.user, inspection_id, follow_up_id, write=True)
    return follow_up_out(
        services.follow_up_done(actor=request.user, follow_up=follow_up, on=payload.on)
    )

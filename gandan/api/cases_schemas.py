"""Request and response shapes of the cases API (``gandan.api.cases``).

Contacts never appear in a case's payload: only their count. A handler reads them through
``POST /cases/{id}/contacts``, which is audited like the page's "xem liên hệ" button."""

import datetime
from typing import Literal

from ninja import Schema

from gandan.api.inputs import In
from gandan.cases.models import Aspiration, Case, CaseEvent, FollowUp, Inspection


class CaseKindOut(Schema):
    code: str
    name: str
    deadline_days: int


class CaseEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    unit_id: int
    unit: str
    note: str
    on: datetime.date
    at: datetime.datetime


class CaseOut(Schema):
    id: int
    kind: str
    kind_name: str
    unit_id: int
    unit: str
    village_id: int | None
    village: str | None
    handler_id: int
    handler: str
    received_on: datetime.date
    source: str
    households: int
    status: str
    status_name: str
    deadline: datetime.date
    overdue: bool
    closed_on: datetime.date | None


class CaseDetailOut(CaseOut):
    description: str
    agencies: list[str]
    advice: str
    outcome: str
    contact_count: int
    allowed_actions: list[str]
    events: list[CaseEventOut]


class ContactIn(In):
    name: str
    phone: str = ""


class ContactOut(Schema):
    name: str
    phone: str


class CaseIn(In):
    MULTILINE = frozenset({"description"})
    """A case received in a commune (valid on ``received_on``), optionally in one of its
    villages; at most a name and a phone per contact."""

    kind: str
    unit_id: int
    village_id: int | None = None
    received_on: datetime.date
    source: Literal["campaign", "home_visit", "briefing", "other"] = "campaign"
    description: str
    households: int = 0
    contacts: list[ContactIn] = []


class AdviseIn(In):
    MULTILINE = frozenset({"advice"})
    agencies: list[str]
    advice: str
    on: datetime.date | None = None


class ResolveIn(In):
    MULTILINE = frozenset({"outcome"})
    outcome: str
    on: datetime.date


class EscalateIn(In):
    MULTILINE = frozenset({"note"})
    note: str = ""
    on: datetime.date


class ReferIn(In):
    MULTILINE = frozenset({"referral"})
    referral: str
    on: datetime.date


class PauseIn(In):
    MULTILINE = frozenset({"note"})
    note: str
    on: datetime.date | None = None


class AspirationIn(In):
    MULTILINE = frozenset({"summary", "response"})
    village_id: int
    period_start: datetime.date
    period_end: datetime.date
    topic: str
    households: int
    summary: str
    response: str = ""


class AspirationOut(Schema):
    id: int
    village_id: int
    village: str
    period_start: datetime.date
    period_end: datetime.date
    topic: str
    households: int
    summary: str
    response: str


class FollowUpIn(In):
    action: str
    owner: str
    deadline: datetime.date


class FollowUpOut(Schema):
    id: int
    action: str
    owner: str
    deadline: datetime.date
    done_on: datetime.date | None


class FollowUpDoneIn(In):
    on: datetime.date


class InspectionIn(In):
    MULTILINE = frozenset({"content"})
    team_id: int
    inspector: str
    planned_on: datetime.date
    content: str


class InspectionResultIn(In):
    MULTILINE = frozenset({"findings", "recommendations"})
    held_on: datetime.date
    findings: str
    rating: Literal["excellent", "good", "done", "not_done"]
    recommendations: str = ""
    follow_ups: list[FollowUpIn] = []


class InspectionOut(Schema):
    id: int
    team_id: int
    team: str
    inspector: str
    planned_on: datetime.date
    content: str
    held_on: datetime.date | None
    findings: str
    rating: str
    recommendations: str
    follow_ups: list[FollowUpOut]


def case_out(case: Case, *, overdue: bool) -> CaseOut:
    return CaseOut(
        id=case.pk,
        kind=case.kind.code,
        kind_name=case.kind.name,
        unit_id=case.unit_id,
        unit=str(case.unit),
        village_id=case.village_id,
        village=str(case.village) if case.village is not None else None,
        handler_id=case.handler_id,
        handler=str(case.handler),
        received_on=case.received_on,
        source=case.source,
        households=case.households,
        status=case.status,
        status_name=case.get_status_display(),
        deadline=case.deadline,
        overdue=overdue,
        closed_on=case.closed_on,
    )


def case_detail_out(
    case: Case,
    *,
    overdue: bool,
    contact_count: int,
    allowed: list[str],
    events: list[CaseEvent],
) -> CaseDetailOut:
    return CaseDetailOut(
        **case_out(case, overdue=overdue).model_dump(),
        description=case.description,
        agencies=list(case.agencies),
        advice=case.advice,
        outcome=case.outcome,
        contact_count=contact_count,
        allowed_actions=allowed,
        events=[
            CaseEventOut(
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                unit_id=e.unit_id,
                unit=str(e.unit),
                note=e.note,
                on=e.on,
                at=e.at,
            )
            for e in events
        ],
    )


def aspiration_out(aspiration: Aspiration) -> AspirationOut:
    return AspirationOut(
        id=aspiration.pk,
        village_id=aspiration.village_id,
        village=str(aspiration.village),
        period_start=aspiration.period_start,
        period_end=aspiration.period_end,
        topic=aspiration.topic,
        households=aspiration.households,
        summary=aspiration.summary,
        response=aspiration.response,
    )


def follow_up_out(follow_up: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=follow_up.pk,
        action=follow_up.action,
        owner=follow_up.owner,
        deadline=follow_up.deadline,
        done_on=follow_up.done_on,
    )


def inspection_out(inspection: Inspection) -> InspectionOut:
    """Expects ``cases.selectors.inspections_loaded`` (team, follow-ups)."""
    return InspectionOut(
        id=inspection.pk,
        team_id=inspection.team_id,
        team=str(inspection.team),
        inspector=inspection.inspector,
        planned_on=inspection.planned_on,
        content=inspection.content,
        held_on=inspection.held_on,
        findings=inspection.findings,
        rating=inspection.rating,
        recommendations=inspection.recommendations,
        follow_ups=[follow_up_out(f) for f in inspection.follow_ups.all()],
    )

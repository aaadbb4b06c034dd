"""Request and response shapes of the organisation API (``gandan.api.org``)."""

import datetime

from ninja import Schema

from gandan.api.inputs import In
from gandan.org.models import Assignment, Award, Member, Membership, Position, Team


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    unit_id: int
    unit: str
    parent_id: int | None
    established_on: datetime.date
    established_basis: str | None
    dissolved_on: datetime.date | None
    dissolved_basis: str | None
    headcount: int | None = None


class MembershipOut(Schema):
    id: int
    member_id: int
    member: str
    team_id: int
    team: str
    position: str
    start: datetime.date
    end: datetime.date | None
    start_reason: str
    end_reason: str
    note: str


class AssignmentOut(Schema):
    id: int
    membership_id: int
    village_ids: list[int]
    villages: list[str]
    start: datetime.date
    end: datetime.date | None


class EventOut(Schema):
    type: str
    on: datetime.date
    basis: str | None
    target_id: int | None
    members_transferred: int
    note: str


class AwardOut(Schema):
    id: int
    kind: str
    awarding_body: str
    body_level: str
    decision_number: str
    decision_date: datetime.date
    unit_id: int
    team_id: int | None
    member_id: int | None
    recipient: str
    individual: bool
    reason: str
    phase: str


class TeamDetailOut(Schema):
    team: TeamOut
    on: datetime.date
    members: list[MembershipOut]
    history: list[MembershipOut]
    assignments: list[AssignmentOut]
    events: list[EventOut]
    awards: list[AwardOut]


class MemberOut(Schema):
    id: int
    identifier: str
    full_name: str
    gender: str
    birth_year: int | None
    languages: list[str]
    phone: str
    email: str


class MemberDetailOut(MemberOut):
    ethnicity: str | None  # only for roles allowed to see it; each view is logged
    memberships: list[MembershipOut]
    assignments: list[AssignmentOut]


class TeamIn(In):
    name: str
    unit_id: int
    established_on: datetime.date
    kind: str = Team.Kind.DOI
    parent_id: int | None = None
    basis_number: str | None = None
    basis_issued_on: datetime.date | None = None


class MemberIn(In):
    identifier: str
    full_name: str
    gender: str
    ethnicity: str
    birth_year: int | None = None
    languages: list[str] = []
    phone: str = ""
    email: str = ""


class MemberPatch(In):
    full_name: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    birth_year: int | None = None
    languages: list[str] | None = None
    phone: str | None = None
    email: str | None = None


class MembershipIn(In):
    team_id: int
    member_id: int | None = None
    member: MemberIn | None = None
    start: datetime.date
    position: str = Position.MEMBER
    reason: str = Membership.StartReason.JOIN
    note: str = ""


class MembershipEndIn(In):
    last_day: datetime.date
    reason: str = Membership.EndReason.LEAVE


class TransferIn(In):
    to_team_id: int
    on: datetime.date
    position: str = Position.MEMBER


class AssignmentIn(In):
    membership_id: int
    village_ids: list[int]
    start: datetime.date
    end: datetime.date | None = None


class AwardIn(In):
    kind: str
    awarding_body: str
    body_level: str
    decision_number: str
    decision_date: datetime.date
    team_id: int | None = None
    member_id: int | None = None
    unit_id: int | None = None
    collective_name: str = ""
    reason: str = ""
    phase: str = ""


class AwardCountOut(Schema):
    kind: str
    collective: int
    individual: int


class AwardListOut(Schema):
    counts: list[AwardCountOut]
    awards: list[AwardOut]


class HeadcountRowOut(Schema):
    key: str
    label: str
    count: int


class HeadcountOut(Schema):
    unit_id: int
    unit: str
    on: datetime.date
    by: str
    total: int
    teams: int
    villages_covered: int
    minority: int
    rows: list[HeadcountRowOut]


def team_out(team: Team, headcount: int | None = None) -> TeamOut:
    return TeamOut(
        id=team.pk,
        name=team.name,
        kind=team.kind,
        level=team.level,
        unit_id=team.unit_id,
        unit=str(team.unit),
        parent_id=team.parent_id,
        established_on=team.established_on,
        established_basis=str(team.established_basis) if team.established_basis else None,
        dissolved_on=team.dissolved_on,
        dissolved_basis=str(team.dissolved_basis) if team.dissolved_basis else None,
        headcount=headcount,
    )


def membership_out(membership: Membership) -> MembershipOut:
    return MembershipOut(
        id=membership.pk,
        member_id=membership.member_id,
        member=str(membership.member),
        team_id=membership.team_id,
        team=str(membership.team),
        position=membership.position,
        start=membership.start,
        end=membership.end,
        start_reason=membership.start_reason,
        end_reason=membership.end_reason,
        note=membership.note,
    )


def assignment_out(assignment: Assignment) -> AssignmentOut:
    villages = list(assignment.villages.all())
    return AssignmentOut(
        id=assignment.pk,
        membership_id=assignment.membership_id,
        village_ids=[v.pk for v in villages],
        villages=[str(v) for v in villages],
        start=assignment.start,
        end=assignment.end,
    )


def award_out(award: Award) -> AwardOut:
    return AwardOut(
        id=award.pk,
        kind=award.kind,
        awarding_body=award.awarding_body,
        body_level=award.body_level,
        decision_number=award.decision_number,
        decision_date=award.decision_date,
        unit_id=award.unit_id,
        team_id=award.team_id,
        member_id=award.member_id,
        recipient=award.recipient,
        individual=award.is_individual,
        reason=award.reason,
        phase=award.phase,
    )


def member_fields(member: Member) -> dict[str, object]:
    return {
        "id": member.pk,
        "identifier": member.identifier,
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_year": member.birth_year,
        "languages": list(member.languages),
        "phone": member.phone,
        "email": member.email,
    }

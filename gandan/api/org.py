"""Organisation endpoints: teams, members, memberships, assignments, awards, headcount.

The same access rules as the pages: outside the jurisdiction 404, a leader writing 403, a
broken rule of the domain 422 (see ``api/urls.py``). Ethnicity is returned only to roles
allowed to see it, and each such read is logged.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from ninja import Router

from gandan.accounts.access import (
    access_unit,
    access_village,
    default_unit,
    require_write,
    user_of,
    visible_unit_ids,
)
from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.api.inputs import Text
from gandan.api.org_schemas import (
    AssignmentIn,
    AssignmentOut,
    AwardCountOut,
    AwardIn,
    AwardListOut,
    AwardOut,
    EventOut,
    HeadcountOut,
    HeadcountRowOut,
    MemberDetailOut,
    MemberOut,
    MemberPatch,
    MembershipEndIn,
    MembershipIn,
    MembershipOut,
    TeamDetailOut,
    TeamIn,
    TeamOut,
    TransferIn,
    assignment_out,
    award_out,
    member_fields,
    membership_out,
    team_out,
)
from gandan.api.pagination import Year
from gandan.core.dates import parse_date, today
from gandan.core.errors import DomainError
from gandan.core.text import fold
from gandan.geo.services import legal_document_get_or_create
from gandan.org import selectors, services
from gandan.org.access import (
    access_member,
    access_team,
    can_see_ethnicity,
    reveal_ethnicity,
    visible_members,
)
from gandan.org.models import Assignment, Award, Member, Membership, TeamLevel

router = Router(tags=["Đội công tác"])


def _membership(
    request: AuthenticatedHttpRequest, membership_id: int, *, write: bool
) -> Membership:
    """A membership is reached through its team's jurisdiction."""
    membership = (
        Membership.objects.select_related("member", "team").filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404("Không tìm thấy thời gian công tác.")
    access_team(request.user, membership.team_id, write=write)
    return membership


# Teams. ----------------------------------------------------------------------------------------


@router.get("/teams", response=list[TeamOut], summary="Đội, tổ công tác hoạt động vào một ngày")
def list_teams(
    request: AuthenticatedHttpRequest,
    on: Text | None = None,
    level: Text | None = None,
    q: Text | None = None,
) -> list[TeamOut]:
    day = parse_date(on, field="on", default=today())
    if level is not None and level not in TeamLevel.values:
        raise DomainError(f"Cấp không hợp lệ: «{level}».", field="level")
    teams = selectors.teams_on(day, unit_ids=visible_unit_ids(request.user, day)).select_related(
        "established_basis", "dissolved_basis"
    )
    if level:
        teams = teams.filter(level=level)
    if q:
        teams = teams.filter(search_name__contains=fold(q))
    counts = selectors.team_headcounts(day, teams)
    return [team_out(team, counts.get(team.pk, 0)) for team in teams]


@router.post("/teams", response={201: TeamOut}, summary="Thành lập đội, tổ công tác")
def create_team(request: AuthenticatedHttpRequest, payload: TeamIn) -> TeamOut:
    unit = access_unit(request.user, payload.unit_id, write=True)
    if unit.is_valid_on(payload.established_on):  # otherwise the service names the unit's life
        access_unit(request.user, unit.pk, on=payload.established_on)
    parent = access_team(request.user, payload.parent_id) if payload.parent_id else None
    if payload.basis_number and payload.basis_issued_on is None:
        raise DomainError("Cần ghi ngày ban hành của văn bản.", field="basis_issued_on")
    with transaction.atomic():
        basis = (
            legal_document_get_or_create(
                number=payload.basis_number, issued_on=payload.basis_issued_on
            )
            if payload.basis_number and payload.basis_issued_on
            else None
        )
        team = services.team_create(
            actor=request.user,
            name=payload.name,
            unit=unit,
            established_on=payload.established_on,
            kind=payload.kind,
            basis=basis,
            parent=parent,
        )
    return team_out(team, 0)


@router.get("/teams/{team_id}", response=TeamDetailOut, summary="Một đội: thành viên, lịch sử")
def get_team(
    request: AuthenticatedHttpRequest, team_id: int, on: Text | None = None
) -> TeamDetailOut:
    team = access_team(request.user, team_id)
    day = parse_date(on, field="on", default=today())
    members = [membership_out(m) for m in selectors.team_members(team, day)]
    assignments = Assignment.objects.filter(membership__team=team).prefetch_related("villages")
    return TeamDetailOut(
        team=team_out(team, len(members)),
        on=day,
        members=members,
        history=[membership_out(m) for m in selectors.team_members(team)],
        assignments=[assignment_out(a) for a in assignments],
        events=[
            EventOut(
                type=e.type,
                on=e.on,
                basis=str(e.basis) if e.basis else None,
                target_id=e.target_id,
                members_transferred=e.members_transferred,
                note=e.note,
            )
            for e in team.events.select_related("basis")
        ],
        awards=[award_out(a) for a in team.awards.select_related("unit", "member")],
    )


# Members. ---------------------------------------------------------------------------------------


@router.get("/members", response=list[MemberOut], summary="Thành viên trong địa bàn")
def list_members(request: AuthenticatedHttpRequest, q: Text | None = None) -> list[MemberOut]:
    members = visible_members(request.user)
    if q:
        members = members.filter(search_name__contains=fold(q))
    return [MemberOut(**member_fields(m)) for m in members]  # type: ignore[arg-type]


def _member_detail(request: AuthenticatedHttpRequest, member: Member) -> MemberDetailOut:
    history = selectors.member_history_seen_by(member, request.user)
    return MemberDetailOut(
        **member_fields(member),  # type: ignore[arg-type]
        ethnicity=member.ethnicity if reveal_ethnicity(request.user, member) else None,
        memberships=[membership_out(m) for m in history],
        assignments=[assignment_out(a) for m in history for a in m.assignments.all()],
    )


@router.get("/members/{member_id}", response=MemberDetailOut, summary="Một thành viên")
def get_member(request: AuthenticatedHttpRequest, member_id: int) -> MemberDetailOut:
    return _member_detail(request, access_member(request.user, member_id))


@router.patch("/members/{member_id}", response=MemberDetailOut, summary="Sửa thông tin")
def update_member(
    request: AuthenticatedHttpRequest, member_id: int, payload: MemberPatch
) -> MemberDetailOut:
    member = access_member(request.user, member_id, write=True)
    if payload.ethnicity is not None and not can_see_ethnicity(request.user):
        raise PermissionDenied("Chỉ quản trị được xem và sửa thông tin dân tộc.")
    given = payload.model_dump(exclude_unset=True)
    services.member_update(
        actor=request.user,
        member=member,
        full_name=member.full_name if payload.full_name is None else payload.full_name,
        gender=member.gender if payload.gender is None else payload.gender,
        ethnicity=payload.ethnicity or member.ethnicity,
        # An explicit null clears the birth year; the other fields keep their value.
        birth_year=given.get("birth_year", member.birth_year),
        languages=member.languages if payload.languages is None else payload.languages,
        phone=member.phone if payload.phone is None else payload.phone,
        email=member.email if payload.email is None else payload.email,
    )
    return _member_detail(request, member)


# Memberships and assignments. -------------------------------------------------------------------


@router.post("/memberships", response={201: MembershipOut}, summary="Thêm thành viên vào đội")
def create_membership(request: AuthenticatedHttpRequest, payload: MembershipIn) -> MembershipOut:
    team = access_team(request.user, payload.team_id, write=True)
    if (payload.member_id is None) == (payload.member is None):
        raise DomainError("Cần ghi member_id hoặc member (người mới), chỉ một.", field="member")
    with transaction.atomic():
        if payload.member_id is not None:
            member = access_member(request.user, payload.member_id, write=True)
        else:
            assert payload.member is not None  # noqa: S101 - checked above
            member = services.member_create(actor=request.user, **payload.member.model_dump())
        membership = services.membership_start(
            actor=request.user,
            member=member,
            team=team,
            start=payload.start,
            position=payload.position,
            reason=payload.reason,
            note=payload.note,
        )
    return membership_out(membership)


@router.post(
    "/memberships/{membership_id}/end", response=MembershipOut, summary="Thôi tham gia đội"
)
def end_membership(
    request: AuthenticatedHttpRequest, membership_id: int, payload: MembershipEndIn
) -> MembershipOut:
    membership = _membership(request, membership_id, write=True)
    services.membership_end(
        actor=request.user, membership=membership, last_day=payload.last_day, reason=payload.reason
    )
    return membership_out(membership)


@router.post(
    "/members/{member_id}/transfer", response={201: MembershipOut}, summary="Điều động sang đội"
)
def transfer_member(
    request: AuthenticatedHttpRequest, member_id: int, payload: TransferIn
) -> MembershipOut:
    member = access_member(request.user, member_id, write=True)
    team = access_team(request.user, payload.to_team_id, write=True)
    membership = services.member_transfer(
        actor=request.user, member=member, to_team=team, on=payload.on, position=payload.position
    )
    return membership_out(membership)


@router.post("/assignments", response={201: AssignmentOut}, summary="Phân công bám thôn, buôn")
def create_assignment(request: AuthenticatedHttpRequest, payload: AssignmentIn) -> AssignmentOut:
    membership = _membership(request, payload.membership_id, write=True)
    villages = [access_village(request.user, pk) for pk in payload.village_ids]
    assignment = services.assignment_create(
        actor=request.user,
        membership=membership,
        villages=villages,
        start=payload.start,
        end=payload.end,
    )
    return assignment_out(assignment)


# Awards and headcount. --------------------------------------------------------------------------


@router.get("/awards", response=AwardListOut, summary="Khen thưởng, với số lượng theo hình thức")
def list_awards(
    request: AuthenticatedHttpRequest,
    kind: Text | None = None,
    body_level: Text | None = None,
    recipient: Text | None = None,
    year_from: Year | None = None,
    year_to: Year | None = None,
) -> AwardListOut:
    if recipient not in {None, "collective", "individual"}:
        raise DomainError(f"Đối tượng không hợp lệ: «{recipient}».", field="recipient")
    awards = selectors.awards_in(
        unit_ids=visible_unit_ids(request.user),
        date_from=datetime.date(year_from, 1, 1) if year_from else None,
        date_to=datetime.date(year_to, 12, 31) if year_to else None,
    )
    if kind:
        awards = awards.filter(kind=kind)
    if body_level:
        awards = awards.filter(body_level=body_level)
    if recipient:
        awards = awards.filter(member__isnull=recipient == "collective")
    counts = selectors.award_counts(awards)
    return AwardListOut(
        counts=[
            AwardCountOut(
                kind=k, collective=counts[k]["collective"], individual=counts[k]["individual"]
            )
            for k in Award.Kind.values
            if k in counts
        ],
        awards=[award_out(a) for a in awards],
    )


@router.post("/awards", response={201: AwardOut}, summary="Ghi khen thưởng")
def create_award(request: AuthenticatedHttpRequest, payload: AwardIn) -> AwardOut:
    user = request.user
    team = access_team(user, payload.team_id, write=True) if payload.team_id else None
    member = access_member(user, payload.member_id, write=True) if payload.member_id else None
    unit = access_unit(user, payload.unit_id, write=True) if payload.unit_id else None
    require_write(user)  # also without a recipient: outside first (404), then read-only (403)
    award = services.award_create(
        actor=user,
        kind=payload.kind,
        awarding_body=payload.awarding_body,
        body_level=payload.body_level,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        team=team,
        member=member,
        unit=unit,
        collective_name=payload.collective_name,
        reason=payload.reason,
        phase=payload.phase,
    )
    return award_out(award)


@router.get("/headcount", response=HeadcountOut, summary="Quân số vào một ngày")
def get_headcount(
    request: AuthenticatedHttpRequest,
    unit: int | None = None,
    on: Text | None = None,
    by: Text = "level",
) -> HeadcountOut:
    day = parse_date(on, field="on", default=today())
    if by not in selectors.BREAKDOWNS:
        raise DomainError(f"Cách chia không hợp lệ: «{by}».", field="by")
    target = (
        access_unit(request.user, unit, on=day) if unit else default_unit(user_of(request), day)
    )
    if target is None:
        raise DomainError(
            "Đơn vị của bạn không có hiệu lực vào ngày này; hãy chọn unit.", field="unit"
        )
    result = selectors.headcount(unit=target, on=day, by=by)
    return HeadcountOut(
        unit_id=target.pk,
        unit=str(target),
        on=day,
        by=by,
        total=result.total,
        teams=result.teams,
        villages_covered=result.villages_covered,
        minority=result.minority,
        rows=[HeadcountRowOut(key=k, label=label, count=n) for k, label, n in result.rows],
    )

"""Writes for teams, members, memberships, assignments and awards. Each is audited."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from gandan.accounts.jurisdiction import jurisdiction_of_unit, require_within
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import today, vn_date
from gandan.core.errors import DomainError
from gandan.core.models import LegalDocument
from gandan.core.text import clean, fold, sort_key
from gandan.geo.models import AdminUnit, Level
from gandan.org.models import (
    ETHNIC_GROUPS,
    LANGUAGES,
    Assignment,
    Award,
    Member,
    Membership,
    Position,
    Team,
    TeamEvent,
    TeamLevel,
)

DAY = datetime.timedelta(days=1)
TEAM_LEVELS = {
    Level.PROVINCE: TeamLevel.PROVINCE,
    Level.DISTRICT: TeamLevel.DISTRICT,
    Level.COMMUNE: TeamLevel.COMMUNE,
}


def _overlaps(start: datetime.date, end: datetime.date | None) -> Q:
    """Rows with a half-open [start, end) period that meets [start, end)."""
    q = Q(end__isnull=True) | Q(end__gt=start)
    if end is not None:
        q &= Q(start__lt=end)
    return q


def _earliest(*dates: datetime.date | None) -> datetime.date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def _team_within(
    actor: Actor, team: Team, start: datetime.date, end: datetime.date | None, *, field: str
) -> None:
    """A write on a team over [start, end) (None: while the team and its unit last) must be
    inside the actor's jurisdiction for all of it."""
    until = _earliest(end, team.dissolved_on, team.unit.valid_to)
    require_within(actor, team.unit, start, until, field=field)


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    name: str,
    unit: AdminUnit,
    established_on: datetime.date,
    kind: str = Team.Kind.DOI,
    basis: LegalDocument | None = None,
    parent: Team | None = None,
) -> Team:
    name = clean(name)
    if not name:
        raise DomainError("Tên đội không được để trống.", field="name")
    if unit.level not in TEAM_LEVELS:
        raise DomainError("Đội công tác thuộc cấp tỉnh, huyện hoặc xã.", field="unit")
    if not unit.is_valid_on(established_on):
        raise DomainError(
            f"{unit} không có hiệu lực vào ngày {vn_date(established_on)}.", field="established_on"
        )
    require_within(actor, unit, established_on, unit.valid_to, field="unit")
    if parent is not None and not parent.is_active_on(established_on):
        raise DomainError(
            f"Đội cấp trên {parent} không hoạt động vào ngày {vn_date(established_on)}.",
            field="parent",
        )
    team = Team.objects.create(
        name=name,
        kind=kind,
        unit=unit,
        level=TEAM_LEVELS[unit.level],  # type: ignore[index]
        parent=parent,
        established_on=established_on,
        established_basis=basis,
        search_name=fold(name),
        sort_key=sort_key(name),
    )
    TeamEvent.objects.create(
        team=team, type=TeamEvent.Type.ESTABLISH, on=established_on, basis=basis
    )
    audit_log(
        actor=actor,
        action="org.team_create",
        target=team,
        message=f"Thành lập {team} ({unit}) từ {vn_date(established_on)}",
    )
    return team


@transaction.atomic
def team_dissolve(
    *,
    actor: Actor,
    team: Team,
    on: datetime.date,
    basis: LegalDocument | None = None,
    transfer_to: Team | None = None,
    note: str = "",
) -> TeamEvent:
    """End a team on ``on``. Its members leave that day, or move to ``transfer_to``."""
    if not team.is_active_on(on - DAY) or on <= team.established_on:
        raise DomainError(f"{team} không hoạt động trước ngày {vn_date(on)}.", field="on")
    if transfer_to is not None and transfer_to.pk == team.pk:
        raise DomainError(
            "Đội nhận thành viên không được là chính đội đang giải thể.", field="transfer_to"
        )
    if transfer_to is not None and not transfer_to.is_active_on(on):
        raise DomainError(
            f"{transfer_to} không hoạt động vào ngày {vn_date(on)}.", field="transfer_to"
        )
    _team_within(actor, team, on, None, field="on")
    if transfer_to is not None:
        _team_within(actor, transfer_to, on, None, field="transfer_to")
    active = list(team.memberships.filter(_overlaps(on, None)).select_related("member"))
    for membership in active:
        _end(
            membership,
            on,
            Membership.EndReason.TRANSFER if transfer_to else Membership.EndReason.DISSOLVED,
        )
        if transfer_to is not None:
            _start(
                membership.member,
                transfer_to,
                on,
                position=Position.MEMBER,
                reason=Membership.StartReason.TRANSFER,
            )
    team.dissolved_on, team.dissolved_basis = on, basis
    team.save(update_fields=["dissolved_on", "dissolved_basis"])
    event = TeamEvent.objects.create(
        team=team,
        type=TeamEvent.Type.MERGE if transfer_to else TeamEvent.Type.DISSOLVE,
        on=on,
        basis=basis,
        target=transfer_to,
        members_transferred=len(active) if transfer_to else 0,
        note=note,
    )
    where = f", chuyển {len(active)} thành viên sang {transfer_to}" if transfer_to else ""
    audit_log(
        actor=actor,
        action="org.team_dissolve",
        target=team,
        message=f"Giải thể {team} từ {vn_date(on)}{where}",
    )
    return event


def _clean_member_fields(
    *, full_name: str, gender: str, ethnicity: str, birth_year: int | None, languages: Iterable[str]
) -> tuple[str, list[str]]:
    full_name = clean(full_name)
    if not full_name:
        raise DomainError("Họ và tên không được để trống.", field="full_name")
    if gender not in Member.Gender.values:
        raise DomainError(f"Giới tính không hợp lệ: «{gender}».", field="gender")
    if ethnicity not in dict(ETHNIC_GROUPS):
        raise DomainError(f"Dân tộc không hợp lệ: «{ethnicity}».", field="ethnicity")
    if birth_year is not None and not 1930 <= birth_year <= today().year - 16:
        raise DomainError(f"Năm sinh không hợp lệ: {birth_year}.", field="birth_year")
    known = dict(LANGUAGES)
    langs = sorted(set(languages))
    unknown = [lang for lang in langs if lang not in known]
    if unknown:
        raise DomainError(f"Tiếng dân tộc không hợp lệ: {', '.join(unknown)}.", field="languages")
    return full_name, langs


@transaction.atomic
def member_create(
    *,
    actor: Actor,
    identifier: str,
    full_name: str,
    gender: str,
    ethnicity: str,
    birth_year: int | None = None,
    languages: Iterable[str] = (),
    phone: str = "",
    email: str = "",
) -> Member:
    identifier = clean(identifier).upper()
    if not identifier:
        raise DomainError("Mã cán bộ không được để trống.", field="identifier")
    if Member.objects.filter(identifier=identifier).exists():
        raise DomainError(f"Mã cán bộ «{identifier}» đã có.", field="identifier")
    full_name, langs = _clean_member_fields(
        full_name=full_name,
        gender=gender,
        ethnicity=ethnicity,
        birth_year=birth_year,
        languages=languages,
    )
    member = Member.objects.create(
        identifier=identifier,
        full_name=full_name,
        gender=gender,
        ethnicity=ethnicity,
        birth_year=birth_year,
        languages=langs,
        phone=clean(phone),
        email=clean(email),
        search_name=fold(full_name),
        sort_key=sort_key(full_name),
    )
    audit_log(
        actor=actor,
        action="org.member_create",
        target=member,
        message=f"Thêm thành viên {member} ({identifier})",
    )
    return member


@transaction.atomic
def member_update(
    *,
    actor: Actor,
    member: Member,
    full_name: str,
    gender: str,
    ethnicity: str,
    birth_year: int | None,
    languages: Iterable[str],
    phone: str,
    email: str,
) -> Member:
    full_name, langs = _clean_member_fields(
        full_name=full_name,
        gender=gender,
        ethnicity=ethnicity,
        birth_year=birth_year,
        languages=languages,
    )
    member.full_name, member.gender, member.ethnicity = full_name, gender, ethnicity
    member.birth_year, member.languages = birth_year, langs
    member.phone, member.email = clean(phone), clean(email)
    member.search_name, member.sort_key = fold(full_name), sort_key(full_name)
    member.save()
    audit_log(
        actor=actor,
        action="org.member_update",
        target=member,
        message=f"Sửa thông tin thành viên {member}",
    )
    return member


def _start(
    member: Member,
    team: Team,
    start: datetime.date,
    *,
    position: str,
    reason: str,
    note: str = "",
    end: datetime.date | None = None,
    end_reason: str = "",
) -> Membership:
    """A membership from ``start`` until ``end`` (exclusive), or until the team ends."""
    if not team.is_active_on(start):
        raise DomainError(f"{team} không hoạt động vào ngày {vn_date(start)}.", field="start")
    if position not in Position.values:
        raise DomainError(f"Chức vụ không hợp lệ: «{position}».", field="position")
    if end is not None and end <= start:
        raise DomainError(f"Ngày kết thúc phải sau ngày bắt đầu ({vn_date(start)}).", field="end")
    if end is not None and team.dissolved_on is not None and end > team.dissolved_on:
        raise DomainError(f"{team} đã giải thể từ {vn_date(team.dissolved_on)}.", field="end")
    until = end if end is not None else team.dissolved_on
    clash = member.memberships.filter(_overlaps(start, until)).select_related("team").first()
    if clash is not None:
        then = f" đến trước {vn_date(clash.end)}" if clash.end else ""
        raise DomainError(
            f"{member} đang là thành viên {clash.team} từ {vn_date(clash.start)}{then}; "
            "không thể có hai thời gian công tác chồng nhau.",
            field="start",
        )
    if end is not None:
        end_reason = end_reason or Membership.EndReason.LEAVE
    elif team.dissolved_on is not None:
        end_reason = Membership.EndReason.DISSOLVED
    return Membership.objects.create(
        member=member,
        team=team,
        start=start,
        end=until,
        position=position,
        start_reason=reason,
        end_reason=end_reason,
        note=clean(note),
    )


def _end(membership: Membership, end: datetime.date, reason: str) -> None:
    if end <= membership.start:
        raise DomainError(
            f"Ngày kết thúc phải sau ngày bắt đầu ({vn_date(membership.start)}).", field="end"
        )
    membership.end, membership.end_reason = end, reason
    membership.save(update_fields=["end", "end_reason"])
    membership.assignments.filter(Q(end__isnull=True) | Q(end__gt=end)).update(end=end)


@transaction.atomic
def membership_start(
    *,
    actor: Actor,
    member: Member,
    team: Team,
    start: datetime.date,
    position: str = Position.MEMBER,
    reason: str = Membership.StartReason.JOIN,
    note: str = "",
    end: datetime.date | None = None,
    end_reason: str = "",
) -> Membership:
    """Add a period in a team; with ``end`` (exclusive) a closed period, which may also lie
    before one already on record."""
    membership = _start(
        member,
        team,
        start,
        position=position,
        reason=reason,
        note=note,
        end=end,
        end_reason=end_reason,
    )
    _team_within(actor, team, start, membership.end, field="team")  # rolls back if outside
    audit_log(
        actor=actor,
        action="org.membership_start",
        target=membership,
        message=f"{member} vào {team} từ {vn_date(start)}"
        + (f", ngày làm việc cuối {vn_date(end - DAY)}" if end else "")
        + f" ({membership.get_position_display()})",
    )
    return membership


@transaction.atomic
def membership_end(
    *,
    actor: Actor,
    membership: Membership,
    last_day: datetime.date,
    reason: str = Membership.EndReason.LEAVE,
) -> Membership:
    """The member worked on ``last_day`` and is not counted from the day after."""
    if membership.end is not None and membership.end <= last_day:
        raise DomainError(
            f"Thời gian công tác này đã kết thúc trước {vn_date(membership.end)}.", field="end"
        )
    was = membership.end
    _end(membership, last_day + DAY, reason)
    _team_within(actor, membership.team, last_day + DAY, was, field="end")  # rolls back if outside
    audit_log(
        actor=actor,
        action="org.membership_end",
        target=membership,
        message=f"{membership.member} thôi tham gia {membership.team}, ngày làm việc cuối {vn_date(last_day)}",
    )
    return membership


@transaction.atomic
def member_transfer(
    *,
    actor: Actor,
    member: Member,
    to_team: Team,
    on: datetime.date,
    position: str = Position.MEMBER,
) -> Membership:
    """From ``on`` the member is in ``to_team``; counted once on that day."""
    current = (
        member.memberships.filter(start__lt=on).filter(Q(end__isnull=True) | Q(end__gt=on)).first()
    )
    if current is None:
        raise DomainError(
            f"{member} không có thời gian công tác nào vào ngày {vn_date(on)}.", field="on"
        )
    if current.team_id == to_team.pk:
        raise DomainError(f"{member} đã ở {to_team}.", field="to_team")
    _team_within(actor, current.team, on, current.end, field="on")
    _end(current, on, Membership.EndReason.TRANSFER)
    membership = _start(
        member, to_team, on, position=position, reason=Membership.StartReason.TRANSFER
    )
    _team_within(actor, to_team, on, membership.end, field="to_team")  # rolls back if outside
    audit_log(
        actor=actor,
        action="org.member_transfer",
        target=membership,
        message=f"Điều động {member} từ {current.team} sang {to_team} từ {vn_date(on)}",
    )
    return membership


@transaction.atomic
def assignment_create(
    *,
    actor: Actor,
    membership: Membership,
    villages: list[AdminUnit],
    start: datetime.date,
    end: datetime.date | None = None,
) -> Assignment:
    """Assign a member to villages. Each village must be inside the team's unit for the
    whole period, and the period inside the membership."""
    if not villages:
        raise DomainError("Cần chọn ít nhất một thôn, buôn.", field="villages")
    if end is not None and end <= start:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    if start < membership.start or (
        membership.end is not None and (end is None or end > membership.end)
    ):
        raise DomainError(
            f"Thời gian phân công phải nằm trong thời gian công tác trong đội "
            f"(từ {vn_date(membership.start)}{' đến trước ' + vn_date(membership.end) if membership.end else ''}).",
            field="start",
        )
    _team_within(actor, membership.team, start, end, field="start")
    spans = jurisdiction_of_unit(membership.team.unit, with_predecessors=False).spans
    for village in villages:
        span = spans.get(village.pk)
        if village.level != Level.VILLAGE:
            raise DomainError(f"{village} không phải thôn, buôn.", field="villages")
        inside = span is not None and span.includes(start, end)
        if not inside:
            raise DomainError(
                f"{village} không thuộc địa bàn của {membership.team} trong suốt thời gian phân công.",
                field="villages",
            )
    assignment = Assignment.objects.create(membership=membership, start=start, end=end)
    assignment.villages.set(villages)
    audit_log(
        actor=actor,
        action="org.assignment_create",
        target=assignment,
        message=f"Phân công {membership.member} bám {', '.join(str(v) for v in villages)} từ {vn_date(start)}",
    )
    return assignment


@transaction.atomic
def award_create(
    *,
    actor: Actor,
    kind: str,
    awarding_body: str,
    body_level: str,
    decision_number: str,
    decision_date: datetime.date,
    team: Team | None = None,
    member: Member | None = None,
    unit: AdminUnit | None = None,
    collective_name: str = "",
    reason: str = "",
    phase: str = "",
) -> Award:
    """An award to a collective (a team, or a named collective of a unit) or to a member."""
    if kind not in Award.Kind.values:
        raise DomainError(f"Hình thức khen thưởng không hợp lệ: «{kind}».", field="kind")
    if body_level not in Award.BodyLevel.values:
        raise DomainError(f"Cấp khen thưởng không hợp lệ: «{body_level}».", field="body_level")
    if not clean(decision_number):
        raise DomainError("Số quyết định không được để trống.", field="decision_number")
    if team is not None and member is not None:
        raise DomainError("Chỉ chọn một: tập thể hoặc cá nhân.", field="member")
    if member is not None:
        held = (
            member.memberships.filter(_overlaps(decision_date, decision_date + DAY))
            .select_related("team")
            .first()
        )
        held = (
            held
            or member.memberships.filter(start__lte=decision_date)
            .select_related("team")
            .order_by("-start")
            .first()
        )
        if held is None:
            raise DomainError(
                f"{member} chưa tham gia đội nào vào ngày quyết định.", field="member"
            )
        unit = held.team.unit
    elif team is not None:
        unit = team.unit
    elif unit is None or not clean(collective_name):
        raise DomainError("Cần chọn đội, cá nhân, hoặc ghi tên tập thể và đơn vị.", field="team")
    require_within(actor, unit, decision_date, decision_date + DAY, field="decision_date")
    award = Award.objects.create(
        kind=kind,
        awarding_body=clean(awarding_body),
        body_level=body_level,
        decision_number=clean(decision_number),
        decision_date=decision_date,
        unit=unit,
        team=team,
        member=member,
        collective_name=clean(collective_name),
        reason=clean(reason),
        phase=clean(phase),
    )
    audit_log(
        actor=actor,
        action="org.award_create",
        target=award,
        message=f"{award.get_kind_display()} cho {award.recipient} (QĐ {award.decision_number} ngày {vn_date(decision_date)})",
    )
    return award

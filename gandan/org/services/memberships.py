"""Memberships of members in teams and their assignments to villages, over half-open
[start, end) periods inside the actor's jurisdiction for the whole period. Each is audited."""

import datetime

from django.db import transaction
from django.db.models import Q

from gandan.accounts.jurisdiction import jurisdiction_of_unit, require_within
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit, Level
from gandan.org.models import (
    Assignment,
    Member,
    Membership,
    Position,
    Team,
)

DAY = datetime.timedelta(days=1)


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

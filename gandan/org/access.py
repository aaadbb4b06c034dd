"""The only way views and the API reach teams, members and awards: through jurisdiction.

Ethnicity is sensitive: only administrators (and superusers) see it per person, and every
such view is written to the audit log.
"""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from gandan.accounts.access import require_write, visible_unit_ids
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import Role, User
from gandan.core.audit import audit_log
from gandan.core.dates import today
from gandan.org.models import Award, Member, Team
from gandan.org.selectors import held_on


def _last_day(end: datetime.date | None) -> datetime.date:
    """Today for something still running, else its last day (periods end exclusive)."""
    return today() if end is None or end > today() else end - datetime.timedelta(days=1)


def access_team(
    user: User, team_id: int | str, *, write: bool = False, on: datetime.date | None = None
) -> Team:
    """A team the user may see. To write, its unit must be theirs on the date of the change
    (``on``), or, without a date, on the team's latest day."""
    ids = visible_unit_ids(user)
    team = Team.objects.select_related("unit", "parent").filter(pk=_pk(team_id)).first()
    if team is None or (ids is not None and team.unit_id not in ids):
        raise Http404("Không tìm thấy đội.")
    if write:
        day = on or _last_day(team.dissolved_on)
        if team.is_active_on(day) and not jurisdiction_for(user).covers(team.unit_id, day):
            raise Http404("Không tìm thấy đội.")
        require_write(user)
    return team


def visible_members(user: User) -> QuerySet[Member]:
    ids = visible_unit_ids(user)
    qs = Member.objects.all()
    if ids is not None:
        qs = qs.filter(memberships__team__unit_id__in=ids).distinct()
    return qs


def access_member(
    user: User, member_id: int | str, *, write: bool = False, on: datetime.date | None = None
) -> Member:
    """A member the user may see. To write, the member's team on ``on`` (default: their
    latest period) must be in the user's jurisdiction that day: a district clerk cannot
    edit someone who moved to a 2025 commune of another area."""
    member = visible_members(user).filter(pk=_pk(member_id)).first()
    if member is None:
        raise Http404("Không tìm thấy thành viên.")
    if write:
        latest = member.memberships.order_by("-start").first()
        if latest is not None:
            day = on or _last_day(latest.end)
            held = member.memberships.filter(held_on(day)).first() or latest
            if not jurisdiction_for(user).covers(
                held.team.unit_id, max(min(day, _last_day(held.end)), held.start)
            ):
                raise Http404("Không tìm thấy thành viên.")
        require_write(user)
    return member


def access_award(user: User, award_id: int | str) -> Award:
    ids = visible_unit_ids(user)
    award = Award.objects.filter(pk=_pk(award_id)).first()
    if award is None or (ids is not None and award.unit_id not in ids):
        raise Http404("Không tìm thấy khen thưởng.")
    return award


def can_see_ethnicity(user: User) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) == Role.ADMIN)


def reveal_ethnicity(user: User, member: Member) -> str | None:
    """The member's ethnicity for an administrator whose jurisdiction holds the member,
    logged; None otherwise."""
    if not can_see_ethnicity(user) or not visible_members(user).filter(pk=member.pk).exists():
        return None
    audit_log(
        actor=user,
        action="org.view_ethnicity",
        target=member,
        message=f"{user} xem thông tin dân tộc của {member}",
    )
    return member.get_ethnicity_display()


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None


def member_choices(user: User) -> list[tuple[int, str]]:
    """The members a user may pick in a form, labelled with their identifier."""
    return [(m.pk, f"{m.full_name} ({m.identifier})") for m in visible_members(user)]

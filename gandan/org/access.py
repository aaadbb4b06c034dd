"""The only way views and the API reach teams, members and awards: through jurisdiction.

Ethnicity is sensitive: only administrators (and superusers) see it per person, and every
such view is written to the audit log.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gandan.accounts.access import require_write, visible_unit_ids
from gandan.accounts.models import Role
from gandan.core.audit import audit_log
from gandan.org.models import Award, Member, Team


def access_team(user: Any, team_id: int | str, *, write: bool = False) -> Team:
    ids = visible_unit_ids(user)
    team = Team.objects.select_related("unit", "parent").filter(pk=_pk(team_id)).first()
    if team is None or (ids is not None and team.unit_id not in ids):
        raise Http404("Không tìm thấy đội.")
    if write:
        require_write(user)
    return team


def visible_members(user: Any) -> QuerySet[Member]:
    ids = visible_unit_ids(user)
    qs = Member.objects.all()
    if ids is not None:
        qs = qs.filter(memberships__team__unit_id__in=ids).distinct()
    return qs


def access_member(user: Any, member_id: int | str, *, write: bool = False) -> Member:
    member = visible_members(user).filter(pk=_pk(member_id)).first()
    if member is None:
        raise Http404("Không tìm thấy thành viên.")
    if write:
        require_write(user)
    return member


def access_award(user: Any, award_id: int | str) -> Award:
    ids = visible_unit_ids(user)
    award = Award.objects.filter(pk=_pk(award_id)).first()
    if award is None or (ids is not None and award.unit_id not in ids):
        raise Http404("Không tìm thấy khen thưởng.")
    return award


def can_see_ethnicity(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) == Role.ADMIN)


def reveal_ethnicity(user: Any, member: Member) -> str | None:
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

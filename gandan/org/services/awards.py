"""Awards to a team, a named collective of a unit, or a member. Audited."""

import datetime

from django.db import transaction

from gandan.accounts.jurisdiction import require_within
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit
from gandan.org.models import (
    Award,
    Member,
    Team,
)
from gandan.org.services.memberships import DAY, _overlaps


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

"""Teams: founding and dissolving (members leave, or move to the receiving team). Audited."""

import datetime

from django.db import transaction

from gandan.accounts.jurisdiction import require_within
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.models import LegalDocument
from gandan.core.text import clean, fold, sort_key
from gandan.geo.models import AdminUnit, Level
from gandan.org.models import (
    Membership,
    Position,
    Team,
    TeamEvent,
    TeamLevel,
)
from gandan.org.services.memberships import DAY, _end, _overlaps, _start, _team_within

TEAM_LEVELS = {
    Level.PROVINCE: TeamLevel.PROVINCE,
    Level.DISTRICT: TeamLevel.DISTRICT,
    Level.COMMUNE: TeamLevel.COMMUNE,
}


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

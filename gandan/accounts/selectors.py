"""Reads for the account and audit pages, scoped to the viewer's jurisdiction."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import User
from gandan.core.dates import today
from gandan.core.models import AuditEntry
from gandan.geo.models import AdminUnit, Level


def accounts_for(actor: User, *, query: str = "") -> QuerySet[User]:
    """Accounts of the units that are, or were, in the administrator's jurisdiction
    (every account for the superuser); superusers only for the superuser."""
    rows = User.objects.select_related("unit")
    ids = jurisdiction_for(actor).unit_ids()
    if ids is not None:
        rows = rows.filter(unit_id__in=ids, is_superuser=False)
    if query:
        rows = rows.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return rows.order_by("username")


def account_units(actor: User, on: datetime.date | None = None) -> list[AdminUnit]:
    """Units an administrator may give an account to: those of their jurisdiction on
    ``on`` (today), above village level, province first."""
    rows = AdminUnit.objects.exclude(level=Level.VILLAGE).filter(
        jurisdiction_for(actor).filter_units(on=on or today())
    )
    return list(rows.order_by("level", "sort_key", "id"))


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    target: str = ""  # "type" or "type:id", e.g. "accounts.user:12"
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # inclusive


def audit_entries_for(viewer: User, chosen: AuditFilter) -> QuerySet[AuditEntry]:
    """Audit entries an administrator may read: those by (or, for failed sign-ins, in the
    name of) the accounts of their jurisdiction; everything for the superuser."""
    rows = AuditEntry.objects.all()
    ids = jurisdiction_for(viewer).unit_ids()
    if ids is not None:
        actors = User.objects.filter(unit_id__in=ids, is_superuser=False).values("pk")
        rows = rows.filter(actor_id__in=actors)
    if chosen.actor:
        rows = rows.filter(actor_username__icontains=chosen.actor.strip())
    if chosen.action:
        rows = rows.filter(action__startswith=chosen.action.strip())
    if chosen.target:
        kind, _sep, pk = chosen.target.strip().partition(":")
        rows = rows.filter(target_type=kind.strip().lower())
        if pk.strip():
            rows = rows.filter(target_id=pk.strip())
    if chosen.date_from:
        rows = rows.filter(created_at__date__gte=chosen.date_from)
    if chosen.date_to:
        rows = rows.filter(created_at__date__lte=chosen.date_to)
    return rows.order_by("-created_at", "-id")


def audit_actions() -> list[str]:
    return list(
        AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()[:200]
    )

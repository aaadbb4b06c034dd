"""The audit log. Every service that writes calls :func:`audit_log` inside its transaction."""

from typing import Any, Protocol, TypeAlias

from django.db import models

from gandan.core.models import AuditEntry


class AuditedUser(Protocol):
    """Who an entry is filed under: what ``audit_log`` reads of a user. ``accounts.User``
    fits, and so does Django's ``AnonymousUser`` (the admin site passes ``request.user``)
    and a failed sign-in's attempt (the account it named, and the name typed)."""

    @property
    def pk(self) -> object: ...

    @property
    def username(self) -> str: ...


#: The ``actor`` of a write as ``core`` and ``geo`` take it: a user, or ``None`` for the
#: system (migrations, loaders, the demo, periodic tasks). Apps above ``accounts`` pass
#: ``accounts.types.Actor`` (``User | None``), which fits.
AuditActor: TypeAlias = AuditedUser | None


def audit_log(
    *,
    actor: AuditActor,
    action: str,
    message: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record who did what to which object, in words a provincial official can read."""
    return AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        message=message,
        data=data or {},
    )

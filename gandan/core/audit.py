"""The audit log. Every service that writes calls :func:`audit_log` inside its transaction."""

from typing import Any

from django.db import models

from gandan.core.models import AuditEntry


def audit_log(
    *,
    actor: Any,
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

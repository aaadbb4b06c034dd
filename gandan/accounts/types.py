"""The types of who acts, once for every app above ``accounts``.

- :data:`Actor` is what a service takes as ``actor``: a signed-in :class:`User`, or ``None``
  for the system itself (migrations, the demo loader, the geo importer, periodic tasks on the
  queue). A service that receives ``None`` skips the jurisdiction checks and audits the write
  without a user (``core.audit.audit_log``).
- :class:`User` itself where a signed-in user is required: access gatekeepers (``access.py``)
  and selectors scoped by jurisdiction.
- :data:`AnyUser` where a visitor who has not signed in can reach the code (template filters,
  middleware): ``request.user`` before ``login_required`` has run.
- :class:`AuthenticatedHttpRequest` for pages behind ``login_required`` and API calls behind
  the session check: its ``user`` is a :class:`User` (the django-stubs pattern; it narrows
  the type only, and Django passes the same ``HttpRequest`` object).

Apps below ``accounts`` (``core``, ``geo``) only audit their actor; they take
``core.audit.AuditActor`` (any user model, or ``None``), which a ``User`` satisfies.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from gandan.accounts.models import User

Actor: TypeAlias = User | None
AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """An ``HttpRequest`` whose user has signed in (only as a type: views annotate their
    ``request`` with it; ``login_required`` is what makes it true)."""

    user: User


__all__ = ["Actor", "AnyUser", "AuthenticatedHttpRequest", "User"]

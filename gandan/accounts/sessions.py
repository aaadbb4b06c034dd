"""Sessions with limits, and the list of a user's own sessions.

A session ends after ``GANDAN_SESSION_IDLE_MINUTES`` without a request and, in any case,
``GANDAN_SESSION_MAX_HOURS`` after signing in (:class:`~gandan.accounts.middleware.
SessionLimitsMiddleware`). Each signed-in session has a :class:`UserSession` row, so that a
user can see theirs and sign out of the others.
"""

import datetime

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from gandan.accounts.models import User, UserSession

LOGIN_AT = "gandan_login_at"
SEEN_AT = "gandan_seen_at"
EXPIRED = "gandan_session_expired"
# The last-seen time is written at most this often, not on every request.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``GANDAN_PROXY_COUNT`` proxies the
    X-Forwarded-For entry that the outermost trusted proxy added (never one the client
    could have written itself)."""
    count = settings.GANDAN_PROXY_COUNT
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= count:
            return str(forwarded[-count])
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def session_started(request: HttpRequest, user: User) -> None:
    """Called on signing in: stamp the session and record it."""
    now = timezone.now()
    request.session[LOGIN_AT] = now.timestamp()
    request.session[SEEN_AT] = now.timestamp()
    key = request.session.session_key
    if key is None:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "started_at": now,
            "seen_at": now,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
            "ended_at": None,
        },
    )


def session_ended(key: str | None) -> None:
    if key:
        UserSession.objects.filter(session_key=key, ended_at=None).update(ended_at=timezone.now())


def session_expired(session: SessionBase, now: datetime.datetime) -> bool:
    """True when the session was idle too long or is older than the absolute limit."""
    started = session.get(LOGIN_AT)
    if started is None:
        return False
    seen = session.get(SEEN_AT) or started
    idle = datetime.timedelta(minutes=settings.GANDAN_SESSION_IDLE_MINUTES)
    limit = datetime.timedelta(hours=settings.GANDAN_SESSION_MAX_HOURS)
    stamp = now.timestamp()
    return bool(stamp - seen > idle.total_seconds() or stamp - started > limit.total_seconds())


def session_touch(request: HttpRequest, now: datetime.datetime) -> None:
    seen = request.session.get(SEEN_AT)
    if seen is None:  # signed in before the limits existed: the limits start now
        request.session[LOGIN_AT] = now.timestamp()
    elif now.timestamp() - seen < TOUCH_EVERY.total_seconds():
        return
    request.session[SEEN_AT] = now.timestamp()
    UserSession.objects.filter(session_key=request.session.session_key).update(seen_at=now)


def sessions_of(user: User) -> list[UserSession]:
    """The user's sessions that are still signed in, the newest first."""
    store = import_string(settings.SESSION_ENGINE).SessionStore()
    rows = UserSession.objects.filter(user=user, ended_at=None)
    return [row for row in rows if store.exists(row.session_key)]

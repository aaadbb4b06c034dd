"""Reads that may go to a replica (issue 16, docs/deploy.md).

With ``DATABASE_REPLICA_URL`` set (a national deployment: PgBouncer's ``gandan_replica``,
which HAProxy spreads over the Patroni replicas), the database alias ``replica`` exists and
:class:`ReplicaRouter` sends reads there only when all of these hold:

- the request is a read that may be slightly behind: a GET or HEAD of the API's read-only
  operations (``/api/``), or of a page marked :func:`replica_reads` (analytics, exports);
- the replica's replay lag is within ``GANDAN_REPLICA_MAX_LAG`` seconds (1 by default);
- the replica has replayed this browser's own last write: after every write request the
  primary's WAL position is kept in a signed cookie, and a replica that has not reached it
  is not used — a user always sees their own writes;
- the replica answers at all.

Everything else (writes, reads inside a write, reads that follow a write in the same
request, every page not marked) goes to the primary. Without a replica nothing changes.
"""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
COOKIE = "gd_lsn"
_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)

V = TypeVar("V", bound=Callable[..., HttpResponse])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_reads(view: V) -> V:
    """Mark a page whose reads may come from a replica (lag within the bound, own writes seen)."""
    view.replica_reads = True  # type: ignore[attr-defined]
    return view


@contextmanager
def reading_from_replica(allowed: bool = True) -> Iterator[None]:
    token = _use_replica.set(allowed)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """Reads to ``replica`` inside :func:`reading_from_replica`; writes always to ``default``."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return REPLICA if _use_replica.get() else "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: object, obj2: object, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


def replica_ready(seen_lsn: str | None) -> bool:
    """Is the replica within the lag bound and past ``seen_lsn`` (this browser's last write)?
    Asked on the request's own replica connection (PgBouncer pins it for the session), so
    the check and the reads see the same server."""
    max_lag = float(getattr(settings, "GANDAN_REPLICA_MAX_LAG", 1.0))
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
                "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END, "
                "CASE WHEN %s::text IS NULL THEN true "
                "ELSE COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) >= %s::pg_lsn END",
                [seen_lsn, seen_lsn],
            )
            lag, caught_up = cursor.fetchone()
    except DatabaseError:
        connections[REPLICA].close()
        return False
    return bool(caught_up) and lag is not None and float(lag) <= max_lag


def _primary_lsn() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return str(cursor.fetchone()[0])
    except DatabaseError:
        return None


def _seen_lsn(request: HttpRequest) -> str | None:
    try:
        return str(signing.loads(request.COOKIES[COOKIE], salt=COOKIE))
    except (KeyError, signing.BadSignature):
        return None


class ReplicaReadsMiddleware:
    """Decides per request whether its reads may use the replica, and after a write keeps the
    primary's WAL position in a signed cookie (read-your-writes across app processes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = replica_configured()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if response.status_code < 400 and (lsn := _primary_lsn()):
                response.set_signed_cookie(COOKIE, lsn, salt=COOKIE, httponly=True, samesite="Lax")  # fmt: skip
            return response
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not self.enabled or request.method not in ("GET", "HEAD"):
            return None
        eligible = getattr(view, "replica_reads", False) or request.path.startswith("/api/")
        if not eligible or not replica_ready(_seen_lsn(request)):
            return None

        with reading_from_replica():
            response: HttpResponse = view(request, *args, **kwargs)
        response["X-Gandan-Read-From"] = REPLICA
        return response

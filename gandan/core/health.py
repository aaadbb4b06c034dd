"""Health endpoints for load balancers and orchestrators (HAProxy checks ``/healthz``).

- ``/healthz``: the process answers (no database): a liveness check.
- ``/readyz``: it can serve: the primary answers and takes writes (not in recovery), and,
  where a replica is configured, whether reads may use it now. 503 when not ready.
Both are JSON, need no login and are never cached.
"""

from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from gandan.core.routing import replica_configured, replica_ready


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {}
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_is_in_recovery()")
                checks["primary"] = "ok" if not cursor.fetchone()[0] else "read-only"
            else:
                cursor.execute("SELECT 1")
                checks["primary"] = "ok"
    except DatabaseError as error:
        connection.close()
        checks["primary"] = f"error: {error.__class__.__name__}"
    if replica_configured():
        checks["replica"] = "ok" if replica_ready(None) else "behind-or-down"
    ready = checks["primary"] == "ok"
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)  # fmt: skip

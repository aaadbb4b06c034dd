"""Losing an application process under load (issue 16): `make cluster-test`.

Four officials record activities through HAProxy (8100), which spreads them over the two
application processes. One process is killed with SIGKILL, as when its machine dies. HAProxy
marks it down and sends the rest to the other. Every activity the app acknowledged (201 with
its id) must be in the database afterwards: 0 lost is the pass mark. Requests cut in flight
are counted as failed; the official sees an error and types again. Results go to
``$CLUSTER_DIR/app_failover.json`` and are printed (docs/benchmarks.md keeps them).
"""

import http.cookiejar
import itertools
import json
import re
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import psycopg
import pytest

from deploy.cluster import cluster

pytestmark = pytest.mark.cluster

BASE = f"http://127.0.0.1:{cluster.HTTP_PORT}"
WRITERS = 4
BEFORE, AFTER = 4.0, 8.0  # seconds of traffic before the loss and after it
PRIMARY = f"host=127.0.0.1 port={cluster.BOUNCER_PORT} dbname=gandan user=gandan connect_timeout=2"
CLERK, PASSWORD = "liensonlak", "demo253"  # the demo's commune clerk (DEMO_PASSWORD)
DAY = "2026-11-16"


@dataclass
class Traffic:
    acknowledged: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, value: object) -> None:
        with self.lock:
            getattr(self, kind).append(value)


class Official:
    """A browser's worth of state: a session cookie and the CSRF token."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def login(self) -> None:
        page = self.opener.open(f"{BASE}/accounts/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        form = urllib.parse.urlencode(
            {"username": CLERK, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(
            f"{BASE}/accounts/login/", data=form, headers={"Referer": f"{BASE}/accounts/login/"}
        )
        self.opener.open(request, timeout=10).read()
        assert any(c.name == "sessionid" for c in self.jar), "đăng nhập không thành công"

    def record(self, unit_id: int, n: int) -> int:
        body = json.dumps({
            "type": "pdqc", "unit_id": unit_id, "start": DAY, "village_ids": [], "team_ids": [],
            "movements": [], "partners": [], "participants": 10 + n % 50,
            "title": f"Kiểm thử mất tiến trình ứng dụng {n}",
        }).encode()  # fmt: skip
        request = urllib.request.Request(
            f"{BASE}/api/v1/activities", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf(),
                     "Referer": f"{BASE}/"},
        )  # fmt: skip
        with self.opener.open(request, timeout=15) as response:
            assert response.status == 201, response.status
            return int(json.loads(response.read())["id"])


def _writer(traffic: Traffic, official: Official, unit_id: int, numbers) -> None:  # type: ignore[no-untyped-def]
    while not traffic.stop.is_set():
        try:
            traffic.note("acknowledged", official.record(unit_id, next(numbers)))
        except (urllib.error.URLError, ConnectionError, TimeoutError, AssertionError) as error:
            traffic.note("failed", type(error).__name__)
            time.sleep(0.2)


def _unit_of(username: str) -> int:
    with psycopg.connect(PRIMARY, autocommit=True) as connection:
        row = connection.execute(
            "SELECT unit_id FROM accounts_user WHERE username = %s", [username]
        ).fetchone()
    assert row is not None
    assert row[0] is not None
    return int(row[0])


def test_losing_an_app_process_loses_no_acknowledged_write():
    unit_id = _unit_of(CLERK)
    # Start from a serving cluster: right after the primary's failover (test_failover runs
    # first) HAProxy may still have both app processes marked down and answer 503. How long
    # that lasted is part of the result.
    waited = time.monotonic()
    cluster.wait_for(
        "ứng dụng qua HAProxy",
        lambda: cluster.http_status(f"{BASE}/accounts/login/") == 200,
        120,
    )
    serving_after = round(time.monotonic() - waited, 1)
    officials = [Official() for _ in range(WRITERS)]
    for official in officials:
        official.login()
    traffic, numbers = Traffic(), itertools.count(1)
    threads = [
        threading.Thread(target=_writer, args=(traffic, o, unit_id, numbers)) for o in officials
    ]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE)
    acknowledged_before = len(traffic.acknowledged)

    # the first application process dies
    app1 = cluster.pid_of("app1")
    assert app1 is not None
    cluster.stop("app1", signal.SIGKILL)
    lost_at = time.monotonic()
    time.sleep(AFTER)
    traffic.stop.set()
    for thread in threads:
        thread.join(timeout=30)

    # every acknowledged activity is in the database
    acknowledged = list(traffic.acknowledged)
    with psycopg.connect(PRIMARY, autocommit=True) as connection:
        found = {
            row[0]
            for row in connection.execute(
                "SELECT id FROM work_activity WHERE id = ANY(%s)", [acknowledged]
            )
        }
    lost = sorted(set(acknowledged) - found)
    result = {
        "serving_after_s": serving_after,
        "acknowledged": len(acknowledged),
        "acknowledged_before_loss": acknowledged_before,
        "acknowledged_after_loss": len(acknowledged) - acknowledged_before,
        "failed_requests": len(traffic.failed),
        "failures": sorted(set(traffic.failed)),
        "lost": len(lost),
        "after_loss_s": round(time.monotonic() - lost_at, 1),
    }
    (cluster.DIR / "app_failover.json").write_text(json.dumps(result, indent=2))
    print("\nMất một tiến trình ứng dụng:", json.dumps(result, ensure_ascii=False))

    assert acknowledged_before > 0, "không có lần ghi nào trước khi mất tiến trình"
    assert result["acknowledged_after_loss"] > 0, "không ghi được gì sau khi mất tiến trình"
    assert lost == [], f"mất {len(lost)} lần ghi đã xác nhận: {lost[:10]}"

    # the process comes back and HAProxy uses it again
    cluster.app_start(1, cluster.APP_PORTS[0])
    cluster.wait_for(
        "ứng dụng :8101",
        lambda: cluster.http_status(f"http://127.0.0.1:{cluster.APP_PORTS[0]}/healthz") == 200,
    )

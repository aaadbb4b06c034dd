"""The officials of a national deployment, for ``bench/cluster_load.py`` (issue 16).

Run against the cluster's HAProxy (``make cluster``, http://127.0.0.1:8100) with the demo
cast (password ``demo253``). Each of the cast logs in once (``bench/locustfile.py``) and its
simulated officials share that session, as one person's tabs do.

- :class:`Official`: what an official does in a working day: lists and pages, recording an
  activity (clerks), pivots and the analytics API (routed to a replica), and now and then
  the report workflow: the commune clerk submits a weekly report, the province approves it
  and, to keep the pool turning, un-approves it with a reason.
- :class:`Writer` and :class:`Analyst`: only recording, and only pivots; ``cluster_load.py``
  runs writers alone and then writers beside analysts to measure what analytics on the
  replicas costs the primary's writes.

Officials think between actions: 3 to 10 s (reading a page, typing a form), so that 200 of
them ask for about 30 requests a second, the rate of a report deadline morning.
"""

import os
import random
import sys
from pathlib import Path

from gevent.lock import Semaphore
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
import locustfile as base  # the cast and its log-in, shared with bench/load.py

CLERK = "liensonlak"  # writes in xã Liên Sơn Lắk (from 1-7-2025)
PROVINCE = "tinh"  # reviews the commune's reports
# Weekly reports of the commune, created once by the first run and reused after it.
WEEKS = [f"2025-W{w:02d}" for w in range(28, 53)] + [f"2026-W{w:02d}" for w in range(1, 46)]
PIVOTS = [
    {
        "indicator": "campaigns,participants",
        "by": "month",
        "from": "2025-01-01",
        "to": "2025-12-31",
    },
    {
        "indicator": "campaigns,villages_reached",
        "by": "year",
        "from": "2016-01-01",
        "to": "2025-12-31",
    },
    {
        "indicator": "money_vnd,land_m2,labour_days,members",
        "by": "quarter",
        "from": "2024-01-01",
        "to": "2025-12-31",
    },
]
_REPORTS: dict[int, str] = {}  # report id → status, as last seen
_BUSY: set[int] = set()
_POOL_LOCK = Semaphore()


def _headers(user: HttpUser, username: str) -> dict[str, str]:
    return {
        "X-CSRFToken": base._SESSIONS[username].get("csrftoken", ""),
        "Referer": f"{user.host}/",
    }


@events.test_start.add_listener
def _the_report_pool(environment, **kwargs) -> None:
    """The commune clerk's weekly reports (created if missing), after the cast's log-in."""
    import requests

    if CLERK not in base._SESSIONS:
        base._SESSIONS[CLERK] = base._login(environment.host, CLERK)
    session = requests.Session()
    session.cookies.update(base._SESSIONS[CLERK])
    host = environment.host
    headers = {"X-CSRFToken": base._SESSIONS[CLERK].get("csrftoken", ""), "Referer": f"{host}/"}
    units = session.get(f"{host}/api/v1/units?on=2025-09-15&level=commune", timeout=60).json()
    unit_id = units[0]["id"]
    existing = session.get(
        f"{host}/api/v1/reports?regime=weekly&unit_id={unit_id}&limit=500", timeout=60
    ).json()["items"]
    have = {r["period_code"]: r for r in existing}
    for week in WEEKS:
        if week in have:
            _REPORTS[have[week]["id"]] = have[week]["status"]
            continue
        created = session.post(
            f"{host}/api/v1/reports",
            json={"regime": "weekly", "unit_id": unit_id, "period": week},
            headers=headers,
            timeout=60,
        )
        created.raise_for_status()
        _REPORTS[created.json()["id"]] = created.json()["status"]


def _take_report() -> int | None:
    with _POOL_LOCK:
        free = [r for r in _REPORTS if r not in _BUSY]
        if not free:
            return None
        report = random.choice(free)
        _BUSY.add(report)
        return report


class _Cast(HttpUser):
    abstract = True
    wait_time = between(3.0, 10.0)
    usernames: tuple[str, ...] = tuple(base.CAST)

    def on_start(self) -> None:
        self.username = random.choice(self.usernames)
        self.day, self.writes = base.CAST[self.username]
        for name, value in base._SESSIONS[self.username].items():
            self.client.cookies.set(name, value)
        units = self.client.get(
            f"/api/v1/units?on={self.day}&level=commune", name="api units (setup)"
        ).json()
        self.communes = [u["id"] for u in units][:20]
        types = self.client.get("/api/v1/activity-types", name="api activity-types").json()
        self.types = [t["code"] for t in types]

    def record(self) -> None:
        if not self.writes or not self.communes:
            return
        payload = {
            "type": random.choice(self.types),
            "unit_id": random.choice(self.communes),
            "start": self.day,
            "participants": random.randint(5, 200),
            "title": f"Họp dân (tải cụm, {self.username})",
        }
        with self.client.post(
            "/api/v1/activities",
            json=payload,
            headers=_headers(self, self.username),
            name="api create activity",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    def pivot(self) -> None:
        self.client.get(
            "/analytics/pivot/results/",
            params=random.choice(PIVOTS),
            headers={"HX-Request": "true"},
            name="pivot",
        )

    def analytics_api(self) -> None:
        year = random.randint(2016, 2025)
        self.client.get(
            f"/api/v1/analytics?by=quarter&from={year}-01-01&to={year}-12-31"
            "&indicator=campaigns,participants,money_vnd,teams",
            name="api analytics",
        )


class Official(_Cast):
    @task(3)
    def activity_list(self) -> None:
        self.client.get("/activities/", name="page activities")

    @task(2)
    def api_activities(self) -> None:
        self.client.get("/api/v1/activities?limit=20", name="api activities")

    @task(1)
    def unit_browser(self) -> None:
        self.client.get("/units/", name="page units")

    @task(1)
    def team_list(self) -> None:
        self.client.get("/teams/", name="page teams")

    @task(1)
    def report_list(self) -> None:
        self.client.get("/reports/", name="page reports")

    @task(3)
    def entry(self) -> None:
        self.record()

    @task(2)
    def pivots(self) -> None:
        self.pivot()

    @task(1)
    def analytics(self) -> None:
        self.analytics_api()

    @task(1)
    def report_workflow(self) -> None:
        """One step of a weekly report: submit (clerk), approve, or un-approve (province)."""
        report = _take_report()
        if report is None:
            return
        try:
            status = _REPORTS[report]
            if status in ("draft", "returned"):
                who, path, payload = CLERK, "submit?allow_empty_sections=true", None
            elif status == "submitted":
                who, path = PROVINCE, "approve"
                payload = {}
            else:
                who, path = PROVINCE, "unapprove"
                payload = {"reason": "Tải thử: mở lại để nộp lại."}
            self.client.cookies.clear()
            for name, value in base._SESSIONS[who].items():
                self.client.cookies.set(name, value)
            with self.client.post(
                f"/api/v1/reports/{report}/{path}",
                json=payload,
                headers=_headers(self, who),
                name=f"api report {path.split('?')[0]}",
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    _REPORTS[report] = response.json()["status"]
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
        finally:
            self.client.cookies.clear()
            for name, value in base._SESSIONS[self.username].items():
                self.client.cookies.set(name, value)
            with _POOL_LOCK:
                _BUSY.discard(report)


class Writer(_Cast):
    """Only records activities (the clerks)."""

    usernames = tuple(name for name, (_day, writes) in base.CAST.items() if writes)
    wait_time = between(0.5, 1.5)
    fixed_count = int(os.environ.get("CLUSTER_WRITERS", "0"))

    @task
    def entry(self) -> None:
        self.record()


class Analyst(_Cast):
    """Only asks for figures: pivots and the analytics API, which go to a replica."""

    usernames = (PROVINCE, "lanhdao")
    wait_time = between(0.2, 0.8)
    fixed_count = int(os.environ.get("CLUSTER_ANALYSTS", "0"))

    @task(2)
    def pivots(self) -> None:
        self.pivot()

    @task(1)
    def analytics(self) -> None:
        self.analytics_api()

"""What one client of the load test does (run by ``bench/load.py``, ADR 0010).

Each of the demo cast (password ``demo253``) logs in once through the login page; each
client takes one of their sessions and reads pages and the API and, if it may write, records activities through the API
(session and CSRF token, as the browser does). Clerks write in their own jurisdiction on a
date when it is theirs: ``lak`` before 1-7-2025 in huyện Lắk, ``liensonlak`` after it in xã
Liên Sơn Lắk, ``tinh`` anywhere in the province. The leader ``lanhdao`` only reads.

The administrator ``tinh`` passes the second step as a person does when the server runs in
production (``GANDAN_2FA_REQUIRED``): the first time it enrols, reading the key the enrolment
page shows (kept in ``var/load/totp-<user>``), and types the six-digit code of that key.
"""

import base64
import hmac
import itertools
import random
import re
import struct
import time
from pathlib import Path

import requests
from locust import HttpUser, between, events, task

PASSWORD = "demo253"  # noqa: S105 - the demo dataset's password
# username → (the day it writes on, whether it writes)
CAST = {
    "lak": ("2024-05-15", True),
    "liensonlak": ("2025-09-15", True),
    "tinh": ("2025-09-15", True),
    "lanhdao": ("2025-09-15", False),
}
_NEXT = itertools.cycle(CAST)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_SECRET = re.compile(r"<code data-totp-secret>([A-Z2-7]+)</code>")
TOTP_DIR = Path(__file__).resolve().parent.parent / "var" / "load"
_SESSIONS: dict[str, dict[str, str]] = {}


def _login(host: str, username: str) -> dict[str, str]:
    """Log in through the login page as a browser does; return the session's cookies."""
    session = requests.Session()
    for _attempt in range(6):  # a server still draining an earlier phase may answer 503
        page = session.get(f"{host}/accounts/login/", timeout=60)
        if (token := _CSRF.search(page.text)) is not None:
            break
        time.sleep(5)
    else:
        raise RuntimeError(f"no CSRF token on the login page ({page.status_code})")
    session.post(
        f"{host}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{host}/accounts/login/"},
        timeout=60,
    )
    if "sessionid" not in session.cookies:
        raise RuntimeError(f"{username} did not log in")
    page = session.get(f"{host}/", timeout=60)
    if "/accounts/2fa/" in page.url:
        _second_step(session, host, username, page)
    return dict(session.cookies)


def _totp(secret: str) -> str:
    """RFC 6238 with django-otp's defaults (SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 10**6:06d}"


def _second_step(session: requests.Session, host: str, username: str, page) -> None:
    """Enrol (reading the key the page shows) or type the code, as the person would."""
    kept = TOTP_DIR / f"totp-{username}"
    secret = _SECRET.search(page.text)
    if secret is not None:  # the enrolment page: keep the key, as the app would
        TOTP_DIR.mkdir(parents=True, exist_ok=True)
        kept.write_text(secret.group(1))
    elif not kept.exists():
        raise RuntimeError(f"{username}: second step asked but no key kept in {kept}")
    for _attempt in range(2):
        token = _CSRF.search(page.text)
        answer = session.post(
            page.url,
            data={"token": _totp(kept.read_text().strip()), "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": page.url},
            timeout=60,
        )
        if "/accounts/2fa/" not in session.get(f"{host}/", timeout=60).url:
            return
        # A code is good once (django-otp refuses a replay): wait for the next one, as the
        # person would when signing in twice within 30 s.
        time.sleep(31 - time.time() % 30)
        page = session.get(page.url, timeout=60)
    raise RuntimeError(f"{username}: the second step was refused ({answer.status_code})")


@events.test_start.add_listener
def _log_in_the_cast(environment, **kwargs) -> None:
    """Each of the cast logs in once before the clients start, and its clients share the
    session, as one person's browser tabs do: a login costs a deliberate ~0,5 s of CPU
    (PBKDF2), which would otherwise be most of what 50 simultaneous first requests measure."""
    for username in CAST:
        _SESSIONS[username] = _login(environment.host, username)


class CastUser(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.username = next(_NEXT)
        self.day, self.writes = CAST[self.username]
        for name, value in _SESSIONS[self.username].items():
            self.client.cookies.set(name, value)
        self.csrf = _SESSIONS[self.username].get("csrftoken", "")
        units = self.client.get(
            f"/api/v1/units?on={self.day}&level=commune", name="api units (setup)"
        ).json()
        self.communes = [u["id"] for u in units][:20]
        types = self.client.get("/api/v1/activity-types", name="api activity-types").json()
        self.types = [t["code"] for t in types]

    # Reads ---------------------------------------------------------------------------------

    @task(3)
    def activity_list(self) -> None:
        self.client.get("/activities/", name="page activities")

    @task(2)
    def unit_browser(self) -> None:
        self.client.get("/units/", name="page units")

    @task(3)
    def api_activities(self) -> None:
        self.client.get("/api/v1/activities?limit=20", name="api activities")

    @task(2)
    def api_headcount(self) -> None:
        self.client.get(f"/api/v1/headcount?on={self.day}", name="api headcount")

    @task(1)
    def team_list(self) -> None:
        self.client.get("/teams/", name="page teams")

    # Writes --------------------------------------------------------------------------------

    @task(3)
    def create_activity(self) -> None:
        if not self.writes or not self.communes:
            return
        payload = {
            "type": random.choice(self.types),
            "unit_id": random.choice(self.communes),
            "start": self.day,
            "participants": random.randint(5, 200),
            "title": f"Họp dân (tải thử {self.username})",
        }
        with self.client.post(
            "/api/v1/activities",
            json=payload,
            headers={"X-CSRFToken": self.csrf, "Referer": f"{self.host}/"},
            name="api create activity",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

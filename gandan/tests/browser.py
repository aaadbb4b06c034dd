"""Helpers for Playwright browser tests against Debian's Chromium."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import expect

# CI machines are shared and busy: give htmx swaps time before an assertion fails.
expect.set_options(timeout=20_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def screenshot_path(name: str) -> str:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{name}.png")


def login(page: Any, live_server_url: str, username: str, password: str) -> None:
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def wait_until(page: Any, expression: str, timeout_ms: int = 20_000) -> None:
    """Wait until a JavaScript expression is true in the page.

    Playwright's `wait_for_function` builds its predicate with `eval` inside the page, which
    our Content-Security-Policy (no 'unsafe-eval') rightly refuses; `page.evaluate` goes
    through the DevTools protocol, outside the page's policy."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"Sau {timeout_ms} ms vẫn chưa đúng: {expression}")
        page.wait_for_timeout(100)

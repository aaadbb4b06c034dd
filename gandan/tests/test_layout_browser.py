"""Every page in the menu, for each demo user, on a phone (390 × 844): no page scrolls
sideways, no template syntax leaks, no raw English error; and at 1366 × 900, with the
browser in English and in Vietnamese, every date field reads dd/mm/yyyy (issue 15).

The demo dataset is loaded once (about 30 s), then each user walks the main menu, the
sub-menus and the "new" forms the pages offer.
"""

import re

import pytest

from gandan.demo.services import DEMO_PASSWORD, DEMO_USERS, demo_load
from gandan.tests.browser import login, screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
DD_MM_YYYY = re.compile(r"^(\d{2}/\d{2}/\d{4})?$")
LEAKS = ("{#", "#}", "{{", "}}", "{%", "%}")
ENGLISH_ERRORS = re.compile(
    r"Forbidden|Not Found|Server Error|Bad Request|Traceback|This field is required"
    r"|Enter a valid|Page not found"
)


def _menu_urls(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "nav.mainnav a, nav.subnav a, main a.button[href$='/new/']",
        "links => links.map(a => a.getAttribute('href'))",
    )
    return [h for h in hrefs if h.startswith("/") and not h.startswith("/admin/")]


def _walk(page, base: str):
    """Each page reachable from the menus once: (url, HTTP status)."""
    todo, seen = _menu_urls(page), set()
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(f"{base}{url}")
        page.wait_for_load_state("networkidle")
        yield url, response.status
        todo += [u for u in _menu_urls(page) if u not in seen]


def _date_problems(page, url: str) -> list[str]:
    boxes = page.eval_on_selector_all(
        "main input",
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => [e.type, e.className, e.value, e.placeholder, e.id || e.name])",
    )
    found = [
        f"{url}: a browser date box {name!r}" for kind, _c, _v, _p, name in boxes if kind == "date"
    ]
    for _kind, classes, value, placeholder, name in boxes:
        if "date-text" in classes.split() and (
            not DD_MM_YYYY.match(value) or placeholder != "dd/mm/yyyy"
        ):
            found.append(f"{url}: {name!r} shows {value!r} / {placeholder!r}")
    return found


def _problems(page, url: str, status: int) -> list[str]:
    found = []
    if status >= 400:
        found.append(f"{url}: HTTP {status}")
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > inner:
        found.append(f"{url}: {width} px wide on a {inner} px screen")
    text = page.inner_text("body")
    found += [f"{url}: leaks {leak!r}" for leak in LEAKS if leak in text]
    if match := ENGLISH_ERRORS.search(text):
        found.append(f"{url}: English error {match.group(0)!r}")
    return found


def test_every_menu_page_fits_a_phone_and_dates_read_dd_mm_yyyy(real_units, live_server, browser):
    # given the demo dataset
    demo_load()
    problems: list[str] = []
    date_fields = 0
    for user in DEMO_USERS:
        # when each user opens every page of the menus on a phone
        context = browser.new_context(viewport=PHONE, has_touch=True, locale="vi-VN")
        page = context.new_page()
        login(page, live_server.url, user.username, DEMO_PASSWORD)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        seen = []
        for url, status in _walk(page, live_server.url):
            seen.append(url)
            # then none scrolls sideways, leaks template syntax or shows an English error
            problems += [f"{user.username} {p}" for p in _problems(page, url, status)]
        assert len(seen) >= 8, (user.username, seen)
        if user.username == "tinh":
            page.goto(f"{live_server.url}/activities/")
            count = page.inner_text("#activity-count")
            assert re.match(r"^\d{1,3}(\.\d{3})+ hoạt động", count), count
        if user.username == "liensonlak":
            page.goto(f"{live_server.url}/activities/")
            page.screenshot(path=screenshot_path("phone-activity-cards"))
            page.click(".menu-toggle")
            page.screenshot(path=screenshot_path("phone-menu"))
        context.close()

        # and on an office PC, with the browser in English or in Vietnamese
        for locale in ("en-US", "vi-VN"):
            context = browser.new_context(viewport=DESKTOP, locale=locale)
            page = context.new_page()
            login(page, live_server.url, user.username, DEMO_PASSWORD)
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            for url, _status in _walk(page, live_server.url):
                date_fields += page.locator("main input.date-text:visible").count()
                # every date field reads dd/mm/yyyy
                problems += [f"{user.username} {locale} {p}" for p in _date_problems(page, url)]
            context.close()

    assert problems == []
    assert date_fields > 20

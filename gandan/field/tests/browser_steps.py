"""Driving ODK Web Forms in the offline page: pick a form, answer, send (Playwright)."""

import re

from playwright.sync_api import expect


def question(page, label: str):
    """A question's container, by its exact label."""
    return page.locator("#web-form .question-container").filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))
    )


def open_form(page, form_id: str) -> None:
    page.click(f"[data-form-id={form_id}]")
    expect(page.locator("#web-form .form-initialization-status.ready")).to_have_count(1)


def settle(page, quiet_ms: int = 300) -> None:
    """Wait until Web Forms stops changing the form (choices filtered, values recomputed)."""
    page.evaluate(
        """(quiet) => new Promise((done) => {
            let timer = setTimeout(finish, quiet);
            const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, quiet); });
            function finish() { observer.disconnect(); done(); }
            observer.observe(document.getElementById("web-form"), { subtree: true, childList: true });
        })""",
        quiet_ms,
    )


def option(page, text: str):
    """A choice (radio button or check box) by its label."""
    return page.locator("#web-form label.value-option").filter(
        has=page.locator(".text-content", has_text=re.compile(f"^{re.escape(text)}$"))
    )


def choose(page, text: str) -> None:
    """Tick a choice, and see it ticked (a click during a re-render may be lost)."""
    for _attempt in range(5):
        settle(page)
        option(page, text).click()
        settle(page)
        if option(page, text).locator("input").is_checked():
            return
    expect(option(page, text).locator("input")).to_be_checked()


def set_date(page, label: str, day) -> None:
    """Type a date into Web Forms' date picker (it shows dates as MM/DD/YYYY)."""
    field = question(page, label).locator("input")
    field.click()
    field.fill(day.strftime("%m/%d/%Y"))
    field.press("Escape")
    field.press("Tab")
    settle(page)
    expect(field).to_have_value(day.strftime("%m/%d/%Y"))


def answer(page, *, commune: str, villages=(), numbers=None, texts=None, start=None) -> None:
    if start is not None:
        set_date(page, "Từ ngày", start)
    choose(page, commune)
    for village in villages:
        expect(option(page, village)).to_be_visible()
        choose(page, village)
    for label, value in (texts or {}).items():
        question(page, label).locator("input").fill(value)
    for label, value in (numbers or {}).items():
        field = question(page, label).locator("input")
        field.click()
        field.press("Control+a")
        field.press("Backspace")
        field.press_sequentially(value)  # PrimeVue's number input reads key strokes
        field.press("Tab")
        expect(field).to_have_value(re.compile(f"^{re.escape(value)}$"))


def send(page) -> None:
    page.locator("#web-form").get_by_role("button", name="Send").click()

"""The API docs under the Content Security Policy, offline: Swagger UI from static/vendor
draws the operations, and the browser reports no CSP violation."""

import pytest
from playwright.sync_api import expect

from gandan.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_draw_with_the_vendored_swagger_ui(page, live_server, real_units, unit):
    from gandan.accounts.models import User

    User.objects.create_user(
        username="docs_clerk",
        password="matkhau-demo-253",
        unit=unit("656", "district"),
        role="clerk",
    )
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.route(
        "**/*",
        lambda r: (
            r.abort()
            if "127.0.0.1" not in r.request.url and "localhost" not in r.request.url
            else r.continue_()
        ),
    )
    login(page, live_server.url, "docs_clerk", "matkhau-demo-253")

    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20000)
    assert violations == []

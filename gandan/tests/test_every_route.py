"""No page and no API operation is open to an anonymous visitor.

This walks the URL configuration and the API's OpenAPI description, so a view added
without ``login_required`` (or an API route without authentication) fails here even if
its own tests forget the anonymous case. Per-jurisdiction rules (404 outside) are tested
with the cast next to each app's views.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Open on purpose: logging in, the language switch, the admin's own login, the API's
# description and documentation, and the health checks load balancers ask (core/health.py).
PUBLIC = re.compile(
    r"^(accounts/login/|accounts/logout/|i18n/|admin/|api/v1/(openapi\.json|docs)"
    r"|sw\.js|manifest\.webmanifest"  # the service worker and the web app manifest
    r"|healthz$|readyz$)"
)
# ODK Collect's OpenRosa server challenges with HTTP Basic (401) instead of a login page.
OPENROSA = re.compile(r"^field/(formList|submission|forms/)")


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _sample(converter: str) -> str:
    """A value a path converter accepts: 1 for ids, a UUID for task ids, the first choice
    of a fixed list."""
    from django.urls.converters import get_converters

    regex = get_converters()[converter].regex
    if converter in {"int", "path"} or regex == "[0-9]+":
        return "1"
    if converter == "uuid":
        return "00000000-0000-0000-0000-000000000001"
    if re.fullmatch(r"[a-z|]+", regex):
        return regex.split("|")[0]
    return "x"


def _concrete(route: str) -> str:
    """A URL for a route: every converter filled with a value it accepts."""
    route = re.sub(r"<(\w+):\w+>", lambda m: _sample(m.group(1)), route)
    route = re.sub(r"<\w+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


WEB = sorted(
    {
        _concrete(r)
        for r in _routes()
        if r
        and not PUBLIC.match(r)
        and not OPENROSA.match(r)
        and not r.startswith("api/")  # "" redirects to /units/
    }
)


def test_the_walk_finds_the_pages_of_every_app():
    for expected in ("/units/", "/teams/", "/activities/", "/analytics/pivot/", "/reports/",
                     "/cases/", "/inspections/", "/aspirations/", "/activities/import/"):  # fmt: skip
        assert expected in WEB


@pytest.mark.parametrize("url", WEB)
def test_every_page_sends_an_anonymous_visitor_to_log_in(client, url):
    for method in (client.get, client.post):
        response = method(url)

        assert response.status_code == 302, (method.__name__, url)
        assert response["Location"].startswith("/accounts/login/"), (method.__name__, url)


OPENROSA_ROUTES = sorted({_concrete(r) for r in _routes() if OPENROSA.match(r)})


def test_the_walk_finds_the_openrosa_routes():
    assert len(OPENROSA_ROUTES) == 5


@pytest.mark.parametrize("url", OPENROSA_ROUTES)
def test_every_openrosa_route_challenges_an_anonymous_client(client, url):
    method = client.post if url.endswith("/submission") else client.get
    response = method(url)

    assert response.status_code == 401, url
    assert response["WWW-Authenticate"].startswith("Basic ")


def test_every_api_operation_refuses_an_anonymous_caller(client):
    spec = client.get("/api/v1/openapi.json").json()
    operations = [
        (method, _concrete(re.sub(r"\{[^}]+\}", "1", path).lstrip("/")))
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) > 40

    for method, url in operations:
        response = getattr(client, method)(url, content_type="application/json")

        assert response.status_code == 401, (method, url)

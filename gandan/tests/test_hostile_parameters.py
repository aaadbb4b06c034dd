"""Every API parameter is bounded: a hostile value is a 4xx with a message, never a 500.

Walks the OpenAPI description, so a parameter added later is covered too (issue 13: 20
server errors on ``year_from=-1``, ``offset=9223372036854775808``, ``unit_id=10^20`` and
a NUL byte in text on PostgreSQL)."""

import re

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = [
    "-1",
    "0",
    "9223372036854775808",
    str(10**20),
    "1e400",
    "2025-02-30",
    "99999-01-01",
    "a\x00b",
    "\u202eabc",
    "\x1b[31m",
    "x" * 2000,
]


def _operations(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "delete", "post", "put", "patch"}:
                yield path, method, operation.get("parameters", [])


def test_no_hostile_parameter_is_a_server_error(client, province_admin, places):
    client.force_login(province_admin)
    client.raise_request_exception = False
    failures = []
    tried = 0
    for path, method, parameters in _operations(client):
        if method != "get":
            continue
        base = re.sub(r"\{[^}]+\}", "1", path)
        for parameter in parameters:
            for value in HOSTILE:
                if parameter["in"] == "path":
                    url, query = re.sub(r"\{" + parameter["name"] + r"\}", value, path), {}
                    url = re.sub(r"\{[^}]+\}", "1", url)
                elif parameter["in"] == "query":
                    url, query = base, {parameter["name"]: value}
                else:
                    continue
                tried += 1
                response = client.get(url, query)
                if response.status_code >= 500:
                    failures.append((url, query, response.status_code))
    assert tried > 300
    assert failures == [], "\n".join(map(str, failures))

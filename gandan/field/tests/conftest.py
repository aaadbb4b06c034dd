"""Fixtures for field capture: device passwords for the cast, and a client that speaks to
the OpenRosa server the way ODK Collect does (HTTP Basic, OpenRosa headers)."""

import base64
from types import SimpleNamespace

import pytest

COLLECT_HEADERS = {
    "HTTP_X_OPENROSA_VERSION": "1.0",
    "HTTP_DATE": "Fri, 04 Dec 2026 08:00:00 GMT",
    "HTTP_ACCEPT_LANGUAGE": "vi",
    "HTTP_USER_AGENT": "org.odk.collect.android/v2025.2.3 okhttp/4.12.0 Dalvik/2.1.0",
}


def basic(username: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def collect_login():
    """A device password for a user: ``device(user)`` → (DevicePassword, auth headers)."""
    from gandan.field.services import device_password_create

    def make(user, label="Điện thoại thử"):
        device, secret = device_password_create(actor=user, label=label)
        return SimpleNamespace(
            device=device, secret=secret, auth={**COLLECT_HEADERS, **basic(user.username, secret)}
        )

    return make


@pytest.fixture
def catalogue(real_units):
    """The seeded catalogue, types and movements (an earlier browser test may have flushed
    what the migrations seeded)."""
    from gandan.indicators.services import catalogue_seed
    from gandan.work.seed import types_movements_seed

    catalogue_seed()
    types_movements_seed()

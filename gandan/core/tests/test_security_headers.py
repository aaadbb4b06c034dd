"""Headers: a strict CSP, no-store on signed-in pages, offline API docs, a clean
``check --deploy`` in production settings; and the append-only audit log on PostgreSQL."""

import os
import subprocess
import sys

import pytest
from django.db import DatabaseError, connection, transaction

from gandan.core.audit import audit_log
from gandan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client, commune_clerk):
    client.force_login(commune_clerk)
    response = client.get("/units/")

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"].startswith("'self'")
    assert "unsafe" not in policy["script-src"]
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "<script>" not in response.content.decode()
    assert "onchange=" not in response.content.decode()


def test_signed_in_pages_are_not_stored(client, commune_clerk):
    client.force_login(commune_clerk)

    assert "no-store" in client.get("/units/")["Cache-Control"]


def test_the_api_docs_load_only_vendored_assets(client, commune_clerk):
    client.force_login(commune_clerk)
    page = client.get("/api/v1/docs").content.decode()

    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


def test_check_deploy_is_clean_with_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GANDAN_", "DEBUG", "SECRET_KEY", "DJANGO_"))
    }
    env.update(
        SECRET_KEY="x7#Kq9!mZ2v@Lr5$Tn8^Wp3&Yb6*Hd1(Fg4)Jc0-Se7+Ua2=Xo9",
        GANDAN_HTTPS="1",
        ALLOWED_HOSTS="gandan.daklak.gov.vn",
        DJANGO_SETTINGS_MODULE="gandan.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_rewrite_the_audit_log():
    entry = audit_log(actor=None, action="test.append", message="một dòng")

    for change in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(message="giả mạo"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    entry.refresh_from_db()
    assert entry.message == "một dòng"

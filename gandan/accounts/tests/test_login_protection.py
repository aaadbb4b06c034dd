"""Lock-out after repeated wrong passwords, audited sign-ins, password rules and session
limits, through the client."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from gandan.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-demo-253"


def _login(client, username, password, ip="10.0.0.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, commune_clerk):
    # given five wrong passwords for the commune clerk
    for _ in range(5):
        response = _login(client, "liensonlak_clerk", "sai-mat-khau")
    # then the fifth already answers with the lock-out page, in Vietnamese
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()

    # when the right password comes next, from another address
    response = _login(client, "liensonlak_clerk", PASSWORD, ip="10.0.0.8")

    # then it is refused too: the lock is on the user name
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # and every attempt is in the audit log under the account it named
    failed = AuditEntry.objects.filter(actor_id=commune_clerk.pk, action__startswith="auth.login_")
    assert failed.count() == 6
    assert failed.filter(action="auth.login_locked").exists()


def test_four_wrong_passwords_do_not_lock(client, commune_clerk):
    for _ in range(4):
        assert _login(client, "liensonlak_clerk", "sai-mat-khau").status_code == 200

    assert _login(client, "liensonlak_clerk", PASSWORD).status_code == 302


def test_an_address_that_guesses_many_names_is_locked(client, commune_clerk):
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        _login(client, name, "sai-mat-khau", ip="10.9.9.9")

    assert _login(client, "liensonlak_clerk", PASSWORD, ip="10.9.9.9").status_code == 429
    assert _login(client, "liensonlak_clerk", PASSWORD, ip="10.9.9.10").status_code == 302


def test_an_administrator_unlocks_the_account(client, province_admin, commune_clerk):
    for _ in range(5):
        _login(client, "liensonlak_clerk", "sai-mat-khau")
    assert _login(client, "liensonlak_clerk", PASSWORD, ip="10.0.0.8").status_code == 429

    # when the province administrator unlocks the clerk on the account page
    client.force_login(province_admin)
    response = client.post(f"/accounts/users/{commune_clerk.pk}/unlock/")
    assert response.status_code == 302
    client.logout()

    # then the clerk signs in from another address, and the unlock is audited
    assert _login(client, "liensonlak_clerk", PASSWORD, ip="10.0.0.8").status_code == 302
    entry = AuditEntry.objects.get(action="account.unlock")
    assert entry.actor_id == province_admin.pk
    assert entry.target_id == str(commune_clerk.pk)


def test_a_successful_sign_in_is_audited_with_the_address(client, commune_clerk):
    _login(client, "liensonlak_clerk", PASSWORD, ip="10.1.2.3")

    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor_id == commune_clerk.pk
    assert "10.1.2.3" in entry.message


@pytest.mark.parametrize(
    "password", ["ngan-qua", "1234567890123", "password1234", "liensonlak_clerk1"]
)
def test_weak_passwords_are_refused(commune_clerk, password):
    with pytest.raises(ValidationError):
        validate_password(password, commune_clerk)


def test_a_long_unusual_password_is_accepted(commune_clerk):
    validate_password("Buon-Ako-Dhong-2025", commune_clerk)


def _signed_in(client):
    response = _login(client, "liensonlak_clerk", PASSWORD)
    assert response.status_code == 302
    return client


def _age(client, **stamps):
    session = client.session
    for key, delta in stamps.items():
        session[key] = session[key] - delta.total_seconds()
    session.save()


def test_an_idle_session_ends_after_thirty_minutes(client, commune_clerk):
    _signed_in(client)
    _age(client, gandan_seen_at=datetime.timedelta(minutes=31))

    response = client.get("/units/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "hết hạn" in client.get(response["Location"]).content.decode()


def test_an_active_session_ends_after_twelve_hours(client, commune_clerk):
    _signed_in(client)
    _age(client, gandan_login_at=datetime.timedelta(hours=12, minutes=1))

    assert client.get("/units/").status_code == 302


def test_a_session_in_use_stays(client, commune_clerk):
    _signed_in(client)
    _age(
        client,
        gandan_seen_at=datetime.timedelta(minutes=29),
        gandan_login_at=datetime.timedelta(hours=11),
    )

    assert client.get("/units/").status_code == 200
    assert client.get("/units/").status_code == 200

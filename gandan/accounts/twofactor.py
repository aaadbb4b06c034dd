"""Two-factor sign-in (TOTP with recovery codes, django-otp) for administrators and the
superuser (ADR 0015).

After the password, an administrator with a confirmed authenticator types its six-digit
code (or a single-use recovery code); one without enrols first, by scanning a QR code.
"""

import base64

import segno
from django.db import transaction
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandan.accounts.models import Role, User
from gandan.accounts.types import Actor, AnyUser
from gandan.core.audit import audit_log
from gandan.core.errors import DomainError

RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


def needs_second_factor(user: AnyUser) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or getattr(user, "role", None) == Role.ADMIN)
    )


def has_authenticator(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def totp_pending(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: made once and kept until confirmed, so that
    reloading the page does not change the QR code the user has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key in the base32 form authenticator apps accept when typed in."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4))


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; returns it and new recovery
    codes (shown once). Any earlier authenticator of the user is replaced."""
    device = totp_pending(user=user)
    if not device.verify_token(token.strip().replace(" ", "")):
        raise DomainError("Mã xác thực không đúng hoặc đã hết hạn.", field="token")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_make(user)
    audit_log(
        actor=user,
        action="auth.2fa_enrol",
        message=f"{user.username} đăng ký ứng dụng xác thực hai lớp",
        target=user,
    )
    return device, codes


def _recovery_codes_make(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _recovery_codes_make(user)
    audit_log(
        actor=user,
        action="auth.2fa_recovery_codes",
        message=f"{user.username} tạo lại mã khôi phục xác thực hai lớp",
        target=user,
    )
    return codes


def second_factor_check(*, user: User, token: str, ip: str | None) -> Device:
    """The device that accepts ``token`` (an authenticator code or a recovery code, which
    is then used up); a failure is audited and refused."""
    device = match_token(user, token.strip().replace(" ", "").lower())
    if device is None:
        audit_log(
            actor=user,
            action="auth.2fa_failed",
            message=f"{user.username} nhập sai mã xác thực hai lớp (địa chỉ {ip or '?'})",
            target=user,
            data={"ip": ip},
        )
        raise DomainError("Mã xác thực không đúng hoặc đã hết hạn.", field="token")
    kind = "mã khôi phục" if isinstance(device, StaticDevice) else "ứng dụng xác thực"
    audit_log(
        actor=user,
        action="auth.2fa_passed",
        message=f"{user.username} qua bước xác thực hai lớp bằng {kind} (địa chỉ {ip or '?'})",
        target=user,
        data={"ip": ip},
    )
    return device


@transaction.atomic
def two_factor_reset(*, actor: Actor, user: User) -> None:
    """An administrator clears a user's authenticator and recovery codes (a lost phone):
    the user enrols again at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(
        actor=actor,
        action="account.2fa_reset",
        message=f"Xóa xác thực hai lớp của tài khoản {user.username}; đăng ký lại khi đăng nhập",
        target=user,
    )

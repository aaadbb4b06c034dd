"""Sign-ins, failed sign-ins and sign-outs go to the audit log, whichever page they come
through (the app's login, the admin's): Django's own auth signals are the one place that
sees them all. Connected in ``AccountsConfig.ready``."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from gandan.accounts.models import User
from gandan.accounts.sessions import client_ip, session_ended, session_started
from gandan.core.audit import audit_log


@dataclass(frozen=True)
class _Attempt:
    """Who a failed sign-in is filed under (``core.audit.AuditedUser``): the account it named,
    if there is one, and the name that was typed."""

    pk: int | None
    username: str


def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    ip = client_ip(request)
    session_started(request, user)
    audit_log(
        actor=user,
        action="auth.login",
        message=f"{user.username} đăng nhập (địa chỉ {ip or '?'})",
        target=user,
        data={"ip": ip},
    )


def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    session_ended(request.session.session_key)
    if user is not None:
        audit_log(actor=user, action="auth.logout", message=f"{user.username} đăng xuất")


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")[:150]
    user = User.objects.filter(username=username).first()
    ip = client_ip(request) if request is not None else None
    locked = bool(getattr(request, "axes_locked_out", False))
    action = "auth.login_locked" if locked else "auth.login_failed"
    reason = "bị khóa tạm thời" if locked else "sai tên đăng nhập hoặc mật khẩu"
    audit_log(
        # The attempt is filed under the account it named, so that its administrators see it.
        actor=_Attempt(pk=user.pk if user else None, username=username),
        action=action,
        message=f"Đăng nhập không thành công với tên «{username}»: {reason} (địa chỉ {ip or '?'})",
        target=user,
        data={"ip": ip, "username": username},
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="gandan.accounts.login")
    user_logged_out.connect(_logged_out, dispatch_uid="gandan.accounts.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="gandan.accounts.login_failed")

"""Writes on accounts, by administrators for their jurisdiction and by users on their own
sessions. Each one is audited."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from gandan.accounts.access import access_account_unit, require_account_manager
from gandan.accounts.models import Role, User, UserSession
from gandan.core.audit import audit_log
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise DomainError("Vai trò không hợp lệ.", field="role") from None


def _password_check(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None


def _sessions_end(user: User, *, keep: str | None = None) -> int:
    """Sign the user out everywhere (but ``keep``): their session rows go from the store."""
    store = import_string(settings.SESSION_ENGINE).SessionStore()
    rows = UserSession.objects.filter(user=user, ended_at=None)
    if keep:
        rows = rows.exclude(session_key=keep)
    ended = 0
    for row in rows:
        store.delete(row.session_key)
        ended += 1
    rows.update(ended_at=timezone.now())
    return ended


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    unit_id: int,
    role: str,
    password: str,
    email: str = "",
) -> User:
    """An administrator opens an account for a unit of their jurisdiction."""
    require_account_manager(actor)
    unit = access_account_unit(actor, unit_id)
    username = clean(username).strip()
    if not username:
        raise DomainError("Cần nhập tên đăng nhập.", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"Tên đăng nhập «{username}» đã có người dùng.", field="username")
    user = User(
        username=username,
        full_name=clean(full_name).strip(),
        email=email.strip(),
        unit=unit,
        role=_role(role),
    )
    _password_check(password, user)
    user.set_password(password)
    user.save()
    audit_log(
        actor=actor,
        action="account.create",
        message=f"Tạo tài khoản {username} ({user.get_role_display()}, {unit})",
        target=user,
        data={"unit_id": unit.pk, "role": user.role},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    unit_id: int,
    role: str,
    is_active: bool,
    email: str = "",
) -> User:
    """An administrator changes an account's name, unit, role or whether it is active. A
    deactivated account is signed out everywhere. No one demotes or deactivates themselves."""
    require_account_manager(actor)
    unit: AdminUnit = access_account_unit(actor, unit_id)
    new_role = _role(role)
    if user.pk == actor.pk and (not is_active or new_role != user.role or unit.pk != user.unit_id):
        raise DomainError(
            "Không tự đổi vai trò, đơn vị hoặc tự khóa tài khoản của mình.", field="role"
        )
    before: dict[str, object] = {"full_name": user.full_name, "unit": str(user.unit)}
    before.update(role=user.role, is_active=user.is_active)
    user.full_name = clean(full_name).strip()
    user.email = email.strip()
    user.unit = unit
    user.role = new_role
    user.is_active = is_active
    user.save()
    after: dict[str, object] = {"full_name": user.full_name, "unit": str(unit)}
    after.update(role=user.role, is_active=user.is_active)
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not is_active:
        _sessions_end(user)
    audit_log(
        actor=actor,
        action="account.deactivate" if before["is_active"] and not is_active else "account.update",
        message=f"Sửa tài khoản {user.username}: "
        + (", ".join(f"{key} {old} → {new}" for key, (old, new) in changed.items()) or "không đổi"),
        target=user,
        data={"changed": changed},
    )
    return user


@transaction.atomic
def user_password_reset(*, actor: User, user: User, password: str) -> None:
    """An administrator sets a new password for an account (forgotten password); the
    account is signed out everywhere and unlocked."""
    require_account_manager(actor)
    _password_check(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _sessions_end(user)
    axes_reset(username=user.username)
    audit_log(
        actor=actor,
        action="account.password_reset",
        message=f"Đặt lại mật khẩu tài khoản {user.username}",
        target=user,
    )


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """An administrator lifts a lock-out after too many wrong passwords."""
    require_account_manager(actor)
    cleared = int(axes_reset(username=user.username) or 0)
    audit_log(
        actor=actor,
        action="account.unlock",
        message=f"Mở khóa đăng nhập tài khoản {user.username}",
        target=user,
        data={"attempts_cleared": cleared},
    )
    return cleared


@transaction.atomic
def sessions_end_others(*, user: User, current_key: str | None) -> int:
    """A user signs out of every session but the one they are using."""
    ended = _sessions_end(user, keep=current_key)
    audit_log(
        actor=user,
        action="auth.sessions_end",
        message=f"{user.username} đăng xuất {ended} phiên khác",
        target=user,
        data={"ended": ended},
    )
    return ended

"""The only way a view or API endpoint reaches an object: through the user's jurisdiction.

Outside the jurisdiction, an object does not exist for the user (404), so its existence
does not leak. Inside it, a read-only role that asks to write gets 403.
"""

import datetime
from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from gandan.accounts.jurisdiction import jurisdiction_for, require_within
from gandan.accounts.models import User
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import children_on
from gandan.geo.services.villages import parent_segments


def require_write(user: User) -> None:
    """Leaders are read-only."""
    if not user.can_write:
        raise PermissionDenied("Vai trò của bạn chỉ được xem.")


def access_unit(
    user: User, unit_id: int | str, *, on: datetime.date | None = None, write: bool = False
) -> AdminUnit:
    """A unit the user may see (on ``on``, if given); 404 otherwise."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy đơn vị.") from None
    if not jurisdiction_for(user).covers(pk, on):
        raise Http404("Không tìm thấy đơn vị.")
    unit = AdminUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    if write:
        require_write(user)
    return unit


def access_village(
    user: User, village_id: int | str, *, write: bool = False, on: datetime.date | None = None
) -> AdminUnit:
    """A village the user may see. To write, it must be theirs on the date of the change
    (``on``), or, for a correction without a date, on the village's latest day."""
    unit = access_unit(user, village_id)
    if unit.level != Level.VILLAGE:
        raise Http404("Không tìm thấy thôn, buôn.")
    explicit_on = on
    if write:
        if on is None:
            on = today() if unit.valid_to is None else unit.valid_to - datetime.timedelta(days=1)
        # A date outside the village's life is left to the service, which names it.
        if unit.is_valid_on(on) and not jurisdiction_for(user).covers(unit.pk, on):
            raise Http404("Không tìm thấy thôn, buôn.")
        require_write(user)
        # The whole effect: a rename from ``on`` runs to the village's end, under every
        # commune it passes to; a correction rewrites its whole life.
        if unit.is_valid_on(on) or explicit_on is None:
            start = explicit_on if explicit_on is not None else unit.valid_from
            require_within(user, unit, start, unit.valid_to, field="renamed_on")
    return unit


def access_commune_for_village(user: User, commune_id: int | str, on: datetime.date) -> AdminUnit:
    """The commune a new village goes into: it must be the user's on the village's start date.

    A commune the user never had is 404. A commune of theirs that exists on ``on`` but was
    not theirs then is a clear error; a date outside the commune's life is left to the
    service, which names the commune's validity.
    """
    commune = access_unit(user, commune_id)
    if commune.level != Level.COMMUNE:
        raise Http404("Không tìm thấy xã, phường, thị trấn.")
    require_write(user)
    if commune.is_valid_on(on) and not jurisdiction_for(user).covers(commune.pk, on):
        raise DomainError(
            f"{commune} không thuộc địa bàn của bạn vào ngày {on:%d/%m/%Y}.", field="commune"
        )
    if commune.is_valid_on(on):
        # The new village follows its commune's successors: all of them must be the user's.
        for parent, begin, end in parent_segments(commune, on):
            require_within(user, parent, begin, end, field="commune")
    return commune


def visible_unit_ids(user: User, on: datetime.date | None = None) -> set[int] | None:
    """Unit ids the user may list (on a date); None means no restriction (superuser)."""
    return jurisdiction_for(user).unit_ids(on)


def user_of(request: HttpRequest) -> User:
    """The logged-in user of a page behind ``login_required`` (or an API call behind its
    session check)."""
    return cast(User, request.user)


def default_unit(user: User, on: datetime.date | None = None) -> AdminUnit | None:
    """The unit a page shows when none is asked for: the user's own unit (on ``on``, only
    while it is theirs: a district clerk's district ended on 1-7-2025); for a superuser
    without one, the first province on that date. None when there is none: the caller
    asks the user to choose, or answers 404."""
    if user.unit_id is not None:
        if on is None:
            return user.unit
        ids = visible_unit_ids(user, on)
        return user.unit if ids is None or user.unit_id in ids else None
    if user.is_superuser:
        version = children_on(None, on or today(), level=Level.PROVINCE).first()
        return version.unit if version is not None else None
    return None


def manages_accounts(user: User) -> bool:
    """Administrators (and the superuser) manage the accounts of their jurisdiction."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or (user.role == "admin" and user.unit_id is not None))
    )


def require_account_manager(user: User) -> None:
    if not manages_accounts(user):
        raise PermissionDenied("Chỉ quản trị viên được quản lý tài khoản.")


def access_account(user: User, account_id: int | str) -> User:
    """An account the administrator may manage: of a unit that is, or was, in their
    jurisdiction, and not a superuser's (those are the superuser's own business). 404
    otherwise, so that other units' accounts do not leak."""
    require_account_manager(user)
    try:
        pk = int(account_id)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy tài khoản.") from None
    account = User.objects.select_related("unit").filter(pk=pk).first()
    if account is None:
        raise Http404("Không tìm thấy tài khoản.")
    if user.is_superuser:
        return account
    if account.is_superuser or account.unit_id is None:
        raise Http404("Không tìm thấy tài khoản.")
    if not jurisdiction_for(user).covers(account.unit_id):
        raise Http404("Không tìm thấy tài khoản.")
    return account


def access_account_unit(user: User, unit_id: int | str) -> AdminUnit:
    """A unit an administrator may give an account to: one of their jurisdiction's units
    above village level."""
    require_account_manager(user)
    try:
        unit = access_unit(user, unit_id)
    except Http404:
        raise DomainError("Đơn vị không thuộc địa bàn của bạn.", field="unit") from None
    if unit.level == Level.VILLAGE:
        raise DomainError("Tài khoản thuộc tỉnh, huyện hoặc xã, không thuộc thôn.", field="unit")
    return unit

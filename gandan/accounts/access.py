"""The only way a view or API endpoint reaches an object: through the user's jurisdiction.

Outside the jurisdiction, an object does not exist for the user (404), so its existence
does not leak. Inside it, a read-only role that asks to write gets 403.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.geo.models import AdminUnit, Level


def require_write(user: Any) -> None:
    """Leaders are read-only."""
    if not user.can_write:
        raise PermissionDenied("Vai trò của bạn chỉ được xem.")


def access_unit(
    user: Any, unit_id: int | str, *, on: datetime.date | None = None, write: bool = False
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
    user: Any, village_id: int | str, *, write: bool = False, on: datetime.date | None = None
) -> AdminUnit:
    """A village the user may see. To write, it must be theirs on the date of the change
    (``on``), or, for a correction without a date, on the village's latest day."""
    unit = access_unit(user, village_id)
    if unit.level != Level.VILLAGE:
        raise Http404("Không tìm thấy thôn, buôn.")
    if write:
        if on is None:
            on = today() if unit.valid_to is None else unit.valid_to - datetime.timedelta(days=1)
        # A date outside the village's life is left to the service, which names it.
        if unit.is_valid_on(on) and not jurisdiction_for(user).covers(unit.pk, on):
            raise Http404("Không tìm thấy thôn, buôn.")
        require_write(user)
    return unit


def access_commune_for_village(user: Any, commune_id: int | str, on: datetime.date) -> AdminUnit:
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
    return commune


def visible_unit_ids(user: Any, on: datetime.date | None = None) -> set[int] | None:
    """Unit ids the user may list (on a date); None means no restriction (superuser)."""
    return jurisdiction_for(user).unit_ids(on)

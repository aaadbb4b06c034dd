"""Who is calling, and what a field submission may reach.

OpenRosa clients (ODK Collect, KoboCollect) authenticate with HTTP Basic: the username and
a **device password** (``DevicePassword``), never the login password. A revoked password,
an inactive user or a read-only role gets no further. The places and teams an instance
names are reached through ``work.access`` exactly as on the web: a commune or village that
is not the user's on the record's date is refused, naming it, and nothing is written.
"""

import base64
import binascii
import hashlib

from django.http import Http404, HttpRequest

from gandan.accounts.access import access_unit
from gandan.accounts.models import User
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.field.instance import Instance
from gandan.field.models import DevicePassword
from gandan.field.xlsform import type_code_of
from gandan.work.access import access_activity_unit, access_teams, access_villages
from gandan.work.models import ActivityType, Movement
from gandan.work.services import ActivityInput


class OutsideJurisdiction(DomainError):
    """A place or team of the instance is not the user's (answered 403)."""


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def device_of(request: HttpRequest) -> DevicePassword | None:
    """The device password in a Basic ``Authorization`` header, if it is valid: active,
    of an active user whose name matches."""
    header = request.headers.get("Authorization", "")
    scheme, _space, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, secret = decoded.partition(":")
    if not colon or not secret:
        return None
    device = (
        DevicePassword.objects.select_related("user", "user__unit")
        .filter(digest=secret_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if device is None or device.user.username != username:
        return None
    return device


def _ids(values: list[str], what: str, name: str) -> list[int]:
    try:
        return [int(v) for v in values]
    except ValueError:
        raise DomainError(f"{what}: mã «{' '.join(values)}» không hợp lệ.", field=name) from None


def activity_type_of(instance: Instance) -> ActivityType:
    code = type_code_of(instance.form_id)
    activity_type = ActivityType.objects.filter(code=code).first() if code else None
    if activity_type is None:
        raise DomainError(
            f"Biểu mẫu «{instance.form_id}» không có trên máy chủ; hãy tải lại biểu mẫu trống.",
            field="form",
        )
    return activity_type


def instance_input(user: User, instance: Instance) -> ActivityInput:
    """What the service records, with every place and team reached through access."""
    on = instance.start
    commune_ids = _ids([instance.commune] if instance.commune else [], "Xã", "unit")
    if not commune_ids:
        raise DomainError("Chưa chọn xã, phường, thị trấn.", field="unit")
    try:
        commune = access_unit(user, commune_ids[0])  # the user's at some time, or 404
        if not commune.is_valid_on(on):
            raise DomainError(f"{commune} không có hiệu lực vào ngày {vn_date(on)}.", field="start")
        unit = access_activity_unit(user, commune_ids[0], on)
    except Http404:
        raise OutsideJurisdiction(
            f"Xã, phường mã {commune_ids[0]} không thuộc địa bàn của bạn vào ngày {vn_date(on)}; "
            "không ghi bản ghi này.",
            field="unit",
        ) from None
    try:
        villages = access_villages(user, _ids(instance.villages, "Thôn, buôn", "villages"))
    except Http404:
        raise OutsideJurisdiction(
            f"Có thôn, buôn ({', '.join(instance.villages)}) không thuộc địa bàn của bạn; "
            "không ghi bản ghi này.",
            field="villages",
        ) from None
    try:
        teams = access_teams(user, _ids(instance.teams, "Đội", "teams"))
    except Http404:
        raise OutsideJurisdiction(
            "Có đội, tổ không thuộc địa bàn của bạn; không ghi bản ghi này.", field="teams"
        ) from None
    movements = list(Movement.objects.filter(code__in=instance.movements))
    if len(movements) != len(set(instance.movements)):
        known = {m.code for m in movements}
        missing = ", ".join(c for c in instance.movements if c not in known)
        raise DomainError(f"Không có phong trào mã «{missing}».", field="movements")
    return ActivityInput(
        type=activity_type_of(instance),
        unit=unit,
        start=instance.start,
        end=instance.end,
        villages=villages,
        teams=teams,
        movements=movements,
        partners=list(instance.partners),
        participants=instance.participants,
        participants_female=instance.female,
        participants_minority=instance.minority,
        values=dict(instance.values),
        title=instance.title,
        notes=instance.notes,
    )


def may_submit(user: User) -> bool:
    return bool(user.can_write)


def access_device_password(user: User, pk: int | str) -> DevicePassword:
    """A device password is its owner's: anyone else gets 404."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy mật khẩu thiết bị.") from None
    device = DevicePassword.objects.filter(pk=key, user_id=user.pk).first()
    if device is None:
        raise Http404("Không tìm thấy mật khẩu thiết bị.")
    return device

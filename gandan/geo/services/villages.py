"""Villages: user-managed units that keep their identity through renames and mergers."""

import datetime

from django.db import transaction
from django.db.models import Q

from gandan.core.audit import AuditActor, audit_log
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import KIND_LEVEL, KIND_PREFIX, AdminUnit, Level, UnitChange, UnitVersion
from gandan.geo.selectors import default_successor_on
from gandan.geo.services.units import (
    _change,
    _fmt,
    _new_version,
    _rename_from,
    _set_name,
    _sync_current_name,
    search_key,
    unit_create,
)


def parent_segments(
    commune: AdminUnit, start: datetime.date
) -> list[tuple[AdminUnit, datetime.date, datetime.date | None]]:
    """Where a village founded in ``commune`` on ``start`` belongs over time, following
    the commune's default successors through merges and splits."""
    segments: list[tuple[AdminUnit, datetime.date, datetime.date | None]] = []
    current: AdminUnit | None = commune
    begin = start
    while current is not None:
        end = current.valid_to
        segments.append((current, begin, end))
        if end is None:
            break
        current = default_successor_on(current, end)
        begin = end
    return segments


def _village_name(name: str, kind: str) -> str:
    """ "Thôn 1" typed with kind thôn is stored as "1" and shown as "Thôn 1"."""
    name = clean(name)
    prefix = KIND_PREFIX.get(kind, "")
    if prefix and name.lower().startswith(prefix.lower() + " "):
        name = name[len(prefix) + 1 :].strip()
    return name


@transaction.atomic
def village_create(
    *,
    actor: AuditActor,
    commune: AdminUnit,
    name: str,
    kind: str,
    valid_from: datetime.date,
) -> AdminUnit:
    """Add a village (thôn, buôn, tổ dân phố, bon, plei, làng) to a commune from a date.

    The village follows its commune through later mergers; the caller has already checked
    that the commune is inside the actor's jurisdiction (see ``accounts.access``).
    """
    name = _village_name(name, kind)
    if KIND_LEVEL.get(kind) != Level.VILLAGE:
        raise DomainError("Loại phải là thôn, buôn, tổ dân phố, bon, plei hoặc làng.", field="kind")
    if commune.level != Level.COMMUNE:
        raise DomainError("Thôn, buôn phải thuộc một xã, phường, thị trấn.", field="commune")
    if not commune.is_valid_on(valid_from):
        raise DomainError(
            f"{commune} không có hiệu lực vào ngày {_fmt(valid_from)} "
            f"(hiệu lực từ {_fmt(commune.valid_from)} đến trước {_fmt(commune.valid_to)}).",
            field="valid_from",
        )
    if not name:
        raise DomainError("Tên thôn, buôn không được để trống.", field="name")
    # The new village lives from valid_from on: any namesake alive then or later clashes.
    clash = (
        UnitVersion.objects.filter(parent=commune, search_name=search_key(name, kind))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
        .exists()
    )
    if clash:
        raise DomainError(f"{commune} đã có «{name}» vào ngày {_fmt(valid_from)}.", field="name")
    segments = parent_segments(commune, valid_from)
    village = unit_create(
        code="",
        name=name,
        kind=kind,
        parent=commune,
        valid_from=valid_from,
        valid_to=segments[-1][2],
        source="người dùng",
    )
    if len(segments) > 1:
        first = village.versions.get()
        first.valid_to = segments[0][2]
        first.save(update_fields=["valid_to"])
        for parent, begin, end in segments[1:]:
            _new_version(
                village,
                name=name,
                kind=kind,
                parent=parent,
                valid_from=begin,
                valid_to=end,
                change=None,
            )
    audit_log(
        actor=actor,
        action="geo.village_create",
        target=village,
        message=f"Thêm {village} thuộc {commune} từ {_fmt(valid_from)}",
    )
    return village


def _refuse_sibling_namesake(
    village: AdminUnit, name: str, kind: str, *, since: datetime.date | None
) -> None:
    """A village may not take the name of another village of the same commune at the same time."""
    key = search_key(name, kind)
    versions = village.versions.all()
    if since is not None:
        versions = versions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=since))
    for version in versions:
        start = (
            version.valid_from
            if since is None or (version.valid_from and version.valid_from > since)
            else since
        )
        clash = (
            UnitVersion.objects.filter(parent_id=version.parent_id, search_name=key)
            .exclude(unit=village)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start) if start else Q())
            .filter(
                Q(valid_from__isnull=True) | Q(valid_from__lt=version.valid_to)
                if version.valid_to
                else Q()
            )
            .select_related("parent")
            .first()
        )
        if clash is not None:
            raise DomainError(
                f"{clash.parent} đã có «{clash.full_name}» trong cùng thời gian.", field="name"
            )


@transaction.atomic
def village_update(
    *,
    actor: AuditActor,
    village: AdminUnit,
    name: str,
    kind: str,
    on: datetime.date | None = None,
) -> AdminUnit:
    """Correct a village's name and kind, or, with ``on``, rename it from that date."""
    if village.level != Level.VILLAGE:
        raise DomainError(f"{village} không phải thôn, buôn.", field="village")
    name = _village_name(name, kind)
    if not name:
        raise DomainError("Tên thôn, buôn không được để trống.", field="name")
    if KIND_LEVEL.get(kind) != Level.VILLAGE:
        raise DomainError("Loại phải là thôn, buôn, tổ dân phố, bon, plei hoặc làng.", field="kind")
    if on is not None and not village.is_valid_on(on):
        raise DomainError(f"{village} không có hiệu lực vào ngày {_fmt(on)}.", field="on")
    _refuse_sibling_namesake(village, name, kind, since=on)
    old_name = village.full_name
    if on is None:
        for version in village.versions.all():
            _set_name(version, name=name, kind=kind, code=village.code)
        _sync_current_name(village)
        message = f"Sửa tên {old_name} thành {name}"
    else:
        change = _change(type=UnitChange.Type.RENAME, subject=village, on=on, basis=None)
        _rename_from(village, on, change, name=name, kind=kind)
        message = f"Đổi tên {old_name} thành {name} từ {_fmt(on)}"
    audit_log(actor=actor, action="geo.village_update", target=village, message=message)
    return village

"""Writes to the administrative tree. Every change is a dated event with a legal basis.

Villages are user-managed: they keep their identity through renames and through their
commune's merger, when they are re-parented to the successor (the default one for a split).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from gandan.core.audit import AuditActor, audit_log
from gandan.core.errors import DomainError
from gandan.core.models import LegalDocument
from gandan.core.text import clean, fold, sort_key
from gandan.geo.models import (
    KIND_LEVEL,
    KIND_PREFIX,
    AdminUnit,
    Succession,
    UnitChange,
    UnitVersion,
    valid_on_q,
)
from gandan.geo.selectors import version_on


def _fmt(on: datetime.date | None) -> str:
    return "trước khi có dữ liệu" if on is None else f"{on.day:02d}/{on.month:02d}/{on.year}"


def legal_document_get_or_create(
    *,
    number: str,
    issued_on: datetime.date,
    issuer: str = "",
    title: str = "",
    effective_on: datetime.date | None = None,
    note: str = "",
) -> LegalDocument:
    document, _created = LegalDocument.objects.get_or_create(
        number=clean(number),
        issued_on=issued_on,
        defaults={
            "issuer": clean(issuer),
            "title": clean(title),
            "effective_on": effective_on,
            "note": note,
        },
    )
    return document


def _new_version(
    unit: AdminUnit,
    *,
    name: str,
    kind: str,
    parent: AdminUnit | None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    change: UnitChange | None,
) -> UnitVersion:
    version = UnitVersion.objects.create(
        unit=unit,
        name=name,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        change=change,
        search_name=search_key(name, kind, unit.code),
        sort_key=sort_key(name),
    )
    _sync_current_name(unit)
    return version


def search_key(name: str, kind: str, code: str = "") -> str:
    """What search matches: the displayed full name and the code ("xa ea kao 24169")."""
    return fold(f"{KIND_PREFIX[kind]} {name} {code}".strip())


def _set_name(version: UnitVersion, *, name: str, kind: str, code: str, save: bool = True) -> None:
    """Set a version's name and kind with the search and collation keys that follow from them."""
    version.name, version.kind = name, kind
    version.search_name, version.sort_key = search_key(name, kind, code), sort_key(name)
    if save:
        version.save(update_fields=["name", "kind", "search_name", "sort_key"])


def _sync_current_name(unit: AdminUnit) -> None:
    """Copy the latest version's name and kind onto the unit, for lists and search."""
    latest = unit.versions.order_by(F("valid_from").desc(nulls_last=True)).first()
    if latest is None:
        return
    unit.name, unit.kind = latest.name, latest.kind
    unit.search_name, unit.sort_key = latest.search_name, latest.sort_key
    unit.save(update_fields=["name", "kind", "search_name", "sort_key"])


def _live_on_or_after(on: datetime.date) -> Q:
    return valid_on_q(on) | Q(valid_from__gt=on)


def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: AdminUnit | None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    area_km2: float | None = None,
    source: str = "",
    change: UnitChange | None = None,
) -> AdminUnit:
    """Create a unit and its first version. Used by loaders and by :func:`village_create`."""
    name = clean(name)
    if not name:
        raise DomainError("Tên đơn vị không được để trống.", field="name")
    if kind not in KIND_LEVEL:
        raise DomainError(f"Loại đơn vị không hợp lệ: «{kind}».", field="kind")
    if valid_from and valid_to and valid_to <= valid_from:
        raise DomainError("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.", field="valid_to")
    unit = AdminUnit.objects.create(
        code=clean(code),
        level=KIND_LEVEL[kind],
        valid_from=valid_from,
        valid_to=valid_to,
        name=name,
        kind=kind,
        search_name=search_key(name, kind, code),
        sort_key=sort_key(name),
        latitude=latitude,
        longitude=longitude,
        area_km2=area_km2,
        source=source,
    )
    _new_version(
        unit,
        name=name,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        change=change,
    )
    return unit


def _end_unit(unit: AdminUnit, on: datetime.date) -> None:
    """End ``unit`` on ``on`` (exclusive). It must be valid the day before."""
    if unit.valid_to is not None and unit.valid_to <= on:
        raise DomainError(f"{unit} đã hết hiệu lực từ {_fmt(unit.valid_to)}.")
    if unit.valid_from is not None and unit.valid_from >= on:
        raise DomainError(f"{unit} chỉ có hiệu lực từ {_fmt(unit.valid_from)}.")
    unit.valid_to = on
    unit.save(update_fields=["valid_to"])
    unit.versions.filter(valid_from__gte=on).delete()
    unit.versions.filter(valid_on_q(on - datetime.timedelta(days=1))).update(valid_to=on)
    _sync_current_name(unit)


_KEEP: Any = object()


def _switch_version(
    unit: AdminUnit,
    on: datetime.date,
    change: UnitChange | None,
    *,
    name: str = _KEEP,
    kind: str = _KEEP,
    parent: AdminUnit | None = _KEEP,
) -> UnitVersion:
    """Close the version valid on ``on`` and open one from ``on`` with the given changes."""
    current = version_on(unit, on)
    if current is None:
        raise DomainError(f"{unit} không có hiệu lực vào ngày {_fmt(on)}.")
    name = current.name if name is _KEEP else name
    kind = current.kind if kind is _KEEP else kind
    parent = current.parent if parent is _KEEP else parent
    if current.valid_from == on:
        _set_name(current, name=name, kind=kind, code=unit.code, save=False)
        current.parent, current.change = parent, change or current.change
        current.save()
        _sync_current_name(unit)
        return current
    end = current.valid_to
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    return _new_version(
        unit, name=name, kind=kind, parent=parent, valid_from=on, valid_to=end, change=change
    )


def _rename_from(
    unit: AdminUnit, on: datetime.date, change: UnitChange, *, name: str, kind: str
) -> None:
    """Rename from ``on`` until the next recorded rename; later stretches that only changed
    parent (re-parenting, a commune's merger) take the new name too."""
    _switch_version(unit, on, change, name=name, kind=kind)
    later = unit.versions.filter(valid_from__gt=on).select_related("change")
    for version in later.order_by("valid_from"):
        if version.change is not None and version.change.type == UnitChange.Type.RENAME:
            break
        _set_name(version, name=name, kind=kind, code=unit.code)
    _sync_current_name(unit)


def _reparent_children(
    old_parent: AdminUnit, new_parent: AdminUnit, on: datetime.date, change: UnitChange
) -> int:
    """Move the children of ``old_parent`` that live on past ``on`` under ``new_parent``."""
    moved = 0
    for version in UnitVersion.objects.filter(parent=old_parent).filter(_live_on_or_after(on)):
        child = version.unit
        if version.valid_from is not None and version.valid_from >= on:
            version.parent = new_parent
            version.save(update_fields=["parent"])
        else:
            _switch_version(child, on, change, parent=new_parent)
        moved += 1
    return moved


def _change(
    *,
    type: str,
    subject: AdminUnit,
    on: datetime.date,
    basis: LegalDocument | None,
    description: str = "",
) -> UnitChange:
    return UnitChange.objects.create(
        type=type, subject=subject, effective_on=on, legal_basis=basis, description=description
    )


@transaction.atomic
def unit_merge(
    *,
    source: AdminUnit,
    target: AdminUnit,
    on: datetime.date,
    basis: LegalDocument | None,
    actor: AuditActor = None,
    description: str = "",
) -> UnitChange:
    """``source`` ends on ``on`` and its whole territory goes to ``target``."""
    if not target.is_valid_on(on):
        raise DomainError(f"{target} không có hiệu lực vào ngày {_fmt(on)}.")
    change = _change(
        type=UnitChange.Type.MERGE, subject=source, on=on, basis=basis, description=description
    )
    _end_unit(source, on)
    Succession.objects.create(
        change=change, predecessor=source, successor=target, share=Decimal(1), is_default=True
    )
    _reparent_children(source, target, on, change)
    audit_log(
        actor=actor,
        action="geo.merge",
        target=source,
        message=f"{source} nhập vào {target} từ {_fmt(on)} ({basis or 'không ghi căn cứ'})",
    )
    return change


@dataclass(frozen=True)
class SplitPart:
    successor: AdminUnit
    area_km2: Decimal | None = None
    population: int | None = None
    share: Decimal | None = None
    is_default: bool = False


@transaction.atomic
def unit_split(
    *,
    source: AdminUnit,
    parts: list[SplitPart],
    on: datetime.date,
    basis: LegalDocument | None,
    actor: AuditActor = None,
    description: str = "",
) -> UnitChange:
    """``source`` ends on ``on``; its territory is divided among ``parts``.

    Shares default to the population shares when every part records a population.
    Exactly one part is the default successor: children go there until moved by hand.
    """
    if len(parts) < 2:
        raise DomainError("Chia tách cần ít nhất hai đơn vị nhận.")
    defaults = [p for p in parts if p.is_default]
    if len(defaults) != 1:
        raise DomainError("Chia tách phải có đúng một đơn vị kế thừa mặc định.")
    for part in parts:
        if not part.successor.is_valid_on(on):
            raise DomainError(f"{part.successor} không có hiệu lực vào ngày {_fmt(on)}.")
    populations = [p.population for p in parts]
    total_population = sum(p for p in populations if p) if all(populations) else 0
    change = _change(
        type=UnitChange.Type.SPLIT, subject=source, on=on, basis=basis, description=description
    )
    _end_unit(source, on)
    for part in parts:
        share = part.share
        if share is None and total_population and part.population:
            share = (Decimal(part.population) / Decimal(total_population)).quantize(
                Decimal("0.000001")
            )
        Succession.objects.create(
            change=change,
            predecessor=source,
            successor=part.successor,
            area_km2=part.area_km2,
            population=part.population,
            share=share,
            is_default=part.is_default,
        )
    _reparent_children(source, defaults[0].successor, on, change)
    audit_log(
        actor=actor,
        action="geo.split",
        target=source,
        message=f"{source} chia tách từ {_fmt(on)} vào "
        + ", ".join(str(p.successor) for p in parts),
    )
    return change


@transaction.atomic
def unit_boundary_change(
    *,
    source: AdminUnit,
    target: AdminUnit,
    on: datetime.date,
    basis: LegalDocument | None,
    area_km2: Decimal | None = None,
    population: int | None = None,
    actor: AuditActor = None,
    description: str = "",
) -> UnitChange:
    """Part of ``source`` moves to ``target``; both units live on (no unit added or removed)."""
    change = _change(
        type=UnitChange.Type.BOUNDARY, subject=source, on=on, basis=basis, description=description
    )
    Succession.objects.create(
        change=change,
        predecessor=source,
        successor=target,
        area_km2=area_km2,
        population=population,
    )
    audit_log(
        actor=actor,
        action="geo.boundary",
        target=source,
        message=f"Điều chỉnh địa giới {source} → {target}",
    )
    return change


@transaction.atomic
def unit_rename(
    *,
    unit: AdminUnit,
    name: str,
    on: datetime.date,
    basis: LegalDocument | None,
    kind: str | None = None,
    actor: AuditActor = None,
) -> UnitChange:
    name = clean(name)
    if not name:
        raise DomainError("Tên mới không được để trống.", field="name")
    if kind is not None and KIND_LEVEL.get(kind) != unit.level:
        raise DomainError("Loại đơn vị mới phải cùng cấp với đơn vị.", field="kind")
    old = version_on(unit, on)
    change = _change(type=UnitChange.Type.RENAME, subject=unit, on=on, basis=basis)
    _rename_from(unit, on, change, name=name, kind=kind or (old.kind if old else unit.kind))
    audit_log(
        actor=actor,
        action="geo.rename",
        target=unit,
        message=f"Đổi tên {old.name if old else unit.name} thành {name} từ {_fmt(on)}",
    )
    return change


@transaction.atomic
def unit_reparent(
    *,
    unit: AdminUnit,
    parent: AdminUnit,
    on: datetime.date,
    basis: LegalDocument | None,
    actor: AuditActor = None,
) -> UnitChange:
    if not parent.is_valid_on(on):
        raise DomainError(f"{parent} không có hiệu lực vào ngày {_fmt(on)}.", field="parent")
    change = _change(type=UnitChange.Type.REPARENT, subject=unit, on=on, basis=basis)
    _switch_version(unit, on, change, parent=parent)
    audit_log(
        actor=actor,
        action="geo.reparent",
        target=unit,
        message=f"{unit} chuyển về {parent} từ {_fmt(on)}",
    )
    return change


@transaction.atomic
def unit_abolish(
    *, unit: AdminUnit, on: datetime.date, basis: LegalDocument | None, actor: AuditActor = None
) -> UnitChange:
    """End a unit with no successor (e.g. the district tier on 1-7-2025)."""
    live_children = UnitVersion.objects.filter(parent=unit).filter(_live_on_or_after(on))
    if live_children.exists():
        raise DomainError(
            f"{unit} còn đơn vị trực thuộc sau ngày {_fmt(on)}; hãy chuyển chúng trước."
        )
    change = _change(type=UnitChange.Type.ABOLISH, subject=unit, on=on, basis=basis)
    _end_unit(unit, on)
    audit_log(
        actor=actor, action="geo.abolish", target=unit, message=f"{unit} kết thúc từ {_fmt(on)}"
    )
    return change

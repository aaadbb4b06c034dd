"""Geography endpoints: the tree on a date, a unit's history, villages."""

import datetime

from django.db.models import F
from ninja import Router, Schema

from gandan.accounts.access import (
    access_commune_for_village,
    access_unit,
    access_village,
    visible_unit_ids,
)
from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.api.inputs import In, Text
from gandan.core.dates import parse_date, today
from gandan.core.errors import DomainError
from gandan.geo import selectors, services
from gandan.geo.models import AdminUnit, Level, UnitVersion

router = Router(tags=["Địa bàn"])


class UnitOut(Schema):
    id: int
    code: str
    level: str
    kind: str
    name: str
    full_name: str
    parent_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    latitude: float | None
    longitude: float | None


class SuccessionOut(Schema):
    unit_id: int
    full_name: str
    change_type: str
    effective_on: datetime.date
    share: float | None
    population: int | None
    area_km2: float | None
    is_default: bool
    legal_basis: str | None


class VersionOut(Schema):
    name: str
    kind: str
    parent_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class UnitHistoryOut(Schema):
    unit: UnitOut
    versions: list[VersionOut]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class VillageIn(In):
    commune_id: int
    name: str
    kind: str = "thon"
    valid_from: datetime.date


class VillagePatch(In):
    name: str
    kind: str
    renamed_on: datetime.date | None = None


def _unit_out(version: UnitVersion) -> UnitOut:
    unit = version.unit
    return UnitOut(
        id=unit.pk,
        code=unit.code,
        level=unit.level,
        kind=version.kind,
        name=version.name,
        full_name=version.full_name,
        parent_id=version.parent_id,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        latitude=unit.latitude,
        longitude=unit.longitude,
    )


def _current_out(unit: AdminUnit) -> UnitOut:
    version = unit.versions.order_by(F("valid_from").desc(nulls_last=True)).first()
    assert version is not None  # noqa: S101 - every unit has a version
    return _unit_out(version)


@router.get("/units", response=list[UnitOut], summary="Đơn vị hành chính vào một ngày")
def list_units(
    request: AuthenticatedHttpRequest,
    on: Text | None = None,
    level: Text | None = None,
    q: Text | None = None,
    within: int | None = None,
) -> list[UnitOut]:
    day = parse_date(on, field="on", default=today())
    if level is not None and level not in Level.values:
        raise DomainError(f"Cấp không hợp lệ: «{level}».", field="level")
    ids = visible_unit_ids(request.user, day)
    if q:
        versions = list(selectors.search_versions(q, on=day, unit_ids=ids, limit=200))
        if level:
            versions = [v for v in versions if v.unit.level == level]
        return [_unit_out(v) for v in versions]
    parent = access_unit(request.user, within, on=day) if within is not None else None
    qs = selectors.units_on(day, level=level, within=parent)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return [_unit_out(v) for v in qs]


def _succession_out(link: object, *, other: AdminUnit) -> SuccessionOut:
    change = link.change  # type: ignore[attr-defined]
    return SuccessionOut(
        unit_id=other.pk,
        full_name=other.full_name,
        change_type=change.type,
        effective_on=change.effective_on,
        share=float(link.share) if link.share is not None else None,  # type: ignore[attr-defined]
        population=link.population,  # type: ignore[attr-defined]
        area_km2=float(link.area_km2) if link.area_km2 is not None else None,  # type: ignore[attr-defined]
        is_default=link.is_default,  # type: ignore[attr-defined]
        legal_basis=str(change.legal_basis) if change.legal_basis else None,
    )


@router.get("/units/{unit_id}", response=UnitHistoryOut, summary="Một đơn vị và lịch sử của nó")
def get_unit(request: AuthenticatedHttpRequest, unit_id: int) -> UnitHistoryOut:
    unit = access_unit(request.user, unit_id)
    history = selectors.unit_history(unit)
    return UnitHistoryOut(
        unit=_current_out(unit),
        versions=[
            VersionOut(
                name=v.name,
                kind=v.kind,
                parent_id=v.parent_id,
                valid_from=v.valid_from,
                valid_to=v.valid_to,
            )
            for v in history.versions
        ],
        predecessors=[_succession_out(s, other=s.predecessor) for s in history.incoming],
        successors=[_succession_out(s, other=s.successor) for s in history.outgoing],
    )


@router.post("/villages", response={201: UnitOut}, summary="Thêm thôn, buôn")
def create_village(request: AuthenticatedHttpRequest, payload: VillageIn) -> UnitOut:
    commune = access_commune_for_village(request.user, payload.commune_id, payload.valid_from)
    village = services.village_create(
        actor=request.user,
        commune=commune,
        name=payload.name,
        kind=payload.kind,
        valid_from=payload.valid_from,
    )
    return _current_out(village)  # the only response model is 201


@router.patch("/villages/{village_id}", response=UnitOut, summary="Sửa hoặc đổi tên thôn, buôn")
def update_village(
    request: AuthenticatedHttpRequest, village_id: int, payload: VillagePatch
) -> UnitOut:
    village = access_village(request.user, village_id, write=True, on=payload.renamed_on)
    services.village_update(
        actor=request.user,
        village=village,
        name=payload.name,
        kind=payload.kind,
        on=payload.renamed_on,
    )
    return _current_out(village)

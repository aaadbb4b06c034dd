"""The indicator catalogue: read by every user, written by the province's administrators.

Writes go through ``indicators.services``, the same rules as the catalogue pages: a
duplicate name, a changed code of an indicator in use or the deletion of one is 422 with
a Vietnamese ``detail`` naming the ``field``; anyone but a province administrator gets
403 (``indicators.access.require_catalogue_admin``); an unknown code is 404.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from ninja import Router, Schema

from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.api.inputs import In, Text
from gandan.core.errors import DomainError
from gandan.indicators import services
from gandan.indicators.access import require_catalogue_admin
from gandan.indicators.models import Indicator

router = Router(tags=["Danh mục chỉ tiêu"])


class IndicatorOut(Schema):
    code: str
    name_vi: str
    name_en: str
    unit: str
    group: str
    aggregation: str
    source: str
    activity_types: list[str]
    breakdowns: list[str]
    integer_only: bool
    takes_values: bool
    accepts_totals: bool
    position: int
    parent: str | None  # the code of the total this indicator is a part of
    parts: list[str]  # codes of the parts of this total
    numerator: str | None  # a ratio's terms, by code
    denominator: str | None
    retired_on: datetime.date | None  # no data about this day or later
    active_from: datetime.date | None
    active_to: datetime.date | None


class IndicatorIn(In):
    code: str
    name_vi: str
    name_en: str = ""
    unit: str = ""
    group: str
    source: str
    aggregation: str
    activity_types: list[str] = []
    breakdowns: list[str] = []
    integer_only: bool = True
    position: int = 0
    parent: str | None = None
    numerator: str | None = None
    denominator: str | None = None


class RetireIn(In):
    retired_on: datetime.date


def _code(indicator: Indicator | None) -> str | None:
    return indicator.code if indicator is not None else None


RELATED = ("parent", "parts", "numerator", "denominator")


def indicator_out(indicator: Indicator) -> IndicatorOut:
    plain = [name for name in IndicatorOut.model_fields if name not in RELATED]
    return IndicatorOut(
        **{name: getattr(indicator, name) for name in plain},
        parent=_code(indicator.parent),
        parts=[part.code for part in indicator.parts.all()],
        numerator=_code(indicator.numerator),
        denominator=_code(indicator.denominator),
    )


def _catalogue() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("parent", "numerator", "denominator").prefetch_related("parts")  # fmt: skip


def _indicator(code: str) -> Indicator:
    found = _catalogue().filter(code=code).first()
    if found is None:
        raise Http404("Không tìm thấy chỉ tiêu.")
    return found


def _related(code: str | None, field: str) -> Indicator | None:
    if not code:
        return None
    found = Indicator.objects.filter(code=code).first()
    if found is None:
        raise DomainError(f"Không có chỉ tiêu mã «{code}».", field=field)
    return found


def _input(payload: IndicatorIn) -> services.IndicatorInput:
    fields: dict[str, Any] = payload.dict()
    for name in ("parent", "numerator", "denominator"):
        fields[name] = _related(fields[name], name)
    return services.IndicatorInput(**fields)


@router.get("/indicators", response=list[IndicatorOut], summary="Danh mục chỉ tiêu")
def list_indicators(request: AuthenticatedHttpRequest) -> list[IndicatorOut]:
    return [indicator_out(i) for i in _catalogue()]


@router.get("/indicators/{code}", response=IndicatorOut, summary="Một chỉ tiêu")
def get_indicator(request: AuthenticatedHttpRequest, code: Text) -> IndicatorOut:
    return indicator_out(_indicator(code))


@router.post("/indicators", response={201: IndicatorOut}, summary="Thêm chỉ tiêu")
def create_indicator(request: AuthenticatedHttpRequest, payload: IndicatorIn) -> IndicatorOut:
    """Only a province administrator; the name must differ from every other after folding."""
    require_catalogue_admin(request.user)
    created = services.indicator_create(actor=request.user, data=_input(payload))
    return indicator_out(_indicator(created.code))


@router.put("/indicators/{code}", response=IndicatorOut, summary="Sửa chỉ tiêu")
def update_indicator(
    request: AuthenticatedHttpRequest, code: Text, payload: IndicatorIn
) -> IndicatorOut:
    """Once the indicator is in use, its code, unit, source and aggregation stay."""
    require_catalogue_admin(request.user)
    indicator = _indicator(code)
    services.indicator_update(actor=request.user, indicator=indicator, data=_input(payload))
    return indicator_out(_indicator(indicator.code))


@router.post("/indicators/{code}/retire", response=IndicatorOut, summary="Ngừng sử dụng chỉ tiêu")
def retire_indicator(
    request: AuthenticatedHttpRequest, code: Text, payload: RetireIn
) -> IndicatorOut:
    require_catalogue_admin(request.user)
    indicator = _indicator(code)
    services.indicator_retire(actor=request.user, indicator=indicator, on=payload.retired_on)
    return indicator_out(_indicator(code))


@router.post("/indicators/{code}/restore", response=IndicatorOut, summary="Dùng lại chỉ tiêu")
def restore_indicator(request: AuthenticatedHttpRequest, code: Text) -> IndicatorOut:
    require_catalogue_admin(request.user)
    services.indicator_restore(actor=request.user, indicator=_indicator(code))
    return indicator_out(_indicator(code))


@router.delete("/indicators/{code}", response={204: None}, summary="Xóa chỉ tiêu chưa dùng")
def delete_indicator(request: AuthenticatedHttpRequest, code: Text) -> None:
    require_catalogue_admin(request.user)
    services.indicator_delete(actor=request.user, indicator=_indicator(code))

"""Analytics endpoint: indicators × units × periods, live, under either set of boundaries.

The same parameters, defaults and rules as the pivot page (``indicators.selectors``): a
unit outside the jurisdiction is 404, a parameter that cannot be answered is 422 with a
Vietnamese ``detail`` naming the ``field``.
"""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.analytics.access import access_analysis
from gandan.analytics.engine import TOTAL, UNALLOCATED, Figure
from gandan.analytics.grid import figure_text
from gandan.analytics.selectors import SPLIT_RULES, pivot_build, pivot_params_parse
from gandan.api.inputs import In
from gandan.core.numbers import QUALIFIER_WORDS
from gandan.geo.models import AdminUnit

router = Router(tags=["Phân tích"])


class AnalyticsUnitOut(Schema):
    id: int
    code: str
    level: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class AnalyticsPeriodOut(Schema):
    code: str
    label: str
    start: datetime.date
    end: datetime.date


class AnalyticsIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    aggregation: str


class SourceOut(Schema):
    kind: str  # "records" or "paper"
    label: str
    value: int | float
    qualifier: str
    status: str  # used, covered (already counted in another source), aside (not added)
    reason: str
    entry_id: int | None  # the paper total (GET /api/v1/aggregates/{id})


class AnalyticsRowOut(Schema):
    unit_id: int | None  # None: the total over the units (distinct counts are unions)
    # True: what only the units together carry (a unit above them: a district's paper
    # total asked by commune); part of the total row, in no unit's row.
    unallocated: bool = False
    period: str | None  # None: the total over the periods
    indicator: str
    value: int | float
    qualifier: str  # exact, tren, hon, gan, khoang, hang_chuc, hang_tram, hang_nghin (ADR 0013)
    text: str  # "trên 5.740": the qualifier word and the Vietnamese number
    from_records: bool
    from_aggregates: bool
    breakdown: dict[str, int | float]
    sources: list[SourceOut]  # where the figure came from, and what was not added and why


class AnalyticsOut(Schema):
    unit: AnalyticsUnitOut
    drill: str
    start: datetime.date
    end: datetime.date
    by: str
    regime: str
    boundaries: str  # "recorded" or the date of the boundaries (YYYY-MM-DD)
    boundary_rule: str
    split_rule: str
    split_rule_text: str
    qualifier_words: dict[str, str]
    units: list[AnalyticsUnitOut]
    periods: list[AnalyticsPeriodOut]
    indicators: list[AnalyticsIndicatorOut]
    rows: list[AnalyticsRowOut]
    query: str  # the shareable querystring of the pivot page for the same question


class AnalyticsQuery(In):
    unit: str | None = None
    drill: str | None = None
    date_from: str | None = Field(None, alias="from")
    date_to: str | None = Field(None, alias="to")
    by: str | None = None
    regime: str | None = None
    indicator: list[str] = []
    boundaries: str | None = None
    boundaries_on: str | None = None


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _row(unit_id: object, period: str, figure: Figure) -> AnalyticsRowOut:
    return AnalyticsRowOut(
        unit_id=None if unit_id in (TOTAL, UNALLOCATED) else int(str(unit_id)),
        unallocated=unit_id == UNALLOCATED,
        period=None if period == TOTAL else period,
        indicator=figure.indicator.code,
        value=_number(figure.value),
        qualifier=figure.qualifier,
        text=figure_text(figure),
        from_records=figure.from_records,
        from_aggregates=figure.from_aggregates,
        breakdown={k: _number(v) for k, v in figure.breakdown.items()},
        sources=[
            SourceOut(
                kind=n.kind,
                label=n.label,
                value=_number(n.value),
                qualifier=n.qualifier,
                status=n.status,
                reason=n.reason,
                entry_id=n.entry_id,
            )
            for n in figure.sources
        ],
    )


def _unit_out(unit: AdminUnit) -> AnalyticsUnitOut:
    return AnalyticsUnitOut(
        id=unit.pk,
        code=unit.code,
        level=unit.level,
        name=str(unit),
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
    )


@router.get(
    "/analytics",
    response=AnalyticsOut,
    summary="Tổng hợp chỉ tiêu theo đơn vị và kỳ, trực tiếp từ hồ sơ",
    description=(
        "Mọi chỉ tiêu được hỏi cho từng (đơn vị, kỳ), kèm dòng tổng theo đơn vị, theo kỳ và "
        "tổng chung (unit_id hoặc period là null). Số đếm địa bàn khác nhau ở dòng tổng là "
        "số không trùng. Tham số:\n\n"
        "- `unit`: mã số đơn vị (mặc định: đơn vị của người dùng); ngoài địa bàn: 404.\n"
        "- `drill`: `self` (chỉ đơn vị này), `children` (các đơn vị trực thuộc vào ngày địa "
        "giới; như khi ghi nhận: mọi đơn vị từng trực thuộc trong kỳ), `legacy` (đơn vị và các "
        "đơn vị cũ hợp thành, chỉ với `boundaries=recorded`). Mặc định: `children` với tỉnh, "
        "huyện; `self` với xã.\n"
        "- `from`, `to`: ngày NNNN-TT-NN, tính cả hai đầu (mặc định 10 năm lịch gần nhất).\n"
        "- `by`: `range` (cả kỳ), `year`, `half`, `quarter`, `month`.\n"
        "- `regime`: `calendar` (theo lịch) hoặc `nd09` (chốt số liệu ngày 15 → 14).\n"
        "- `indicator`: mã chỉ tiêu, lặp lại hoặc cách nhau bằng dấu phẩy.\n"
        "- `boundaries`: `recorded` (như khi ghi nhận) hoặc một ngày: bản ghi ở đơn vị cũ "
        "tính vào đơn vị kế thừa vào ngày đó. Mặc định: địa giới hôm nay nếu đơn vị còn hiệu "
        "lực, nếu không thì như khi ghi nhận.\n\n"
        "Tham số sai: 422 với `detail` tiếng Việt và `field`."
    ),
)
def get_analytics(
    request: AuthenticatedHttpRequest, filters: Query[AnalyticsQuery]
) -> AnalyticsOut:
    data = {
        "unit": [filters.unit or ""],
        "drill": [filters.drill or ""],
        "from": [filters.date_from or ""],
        "to": [filters.date_to or ""],
        "by": [filters.by or ""],
        "regime": [filters.regime or ""],
        "indicator": filters.indicator,
        "boundaries": [filters.boundaries or ""],
        "boundaries_on": [filters.boundaries_on or ""],
    }
    params = pivot_params_parse(data)
    scope = access_analysis(
        request.user,
        unit_id=params.unit_id,
        drill=params.drill,
        boundaries=params.boundaries,
        auto_boundaries=params.auto_boundaries,
        start=params.start,
        end=params.end,
    )
    view = pivot_build(params=params, scope=scope)
    result = view.result
    return AnalyticsOut(
        unit=_unit_out(scope.unit),
        drill=scope.drill,
        start=params.start,
        end=params.end,
        by=params.by,
        regime=params.regime,
        boundaries=scope.boundaries.isoformat() if scope.boundaries else "recorded",
        boundary_rule=view.boundary_rule,
        split_rule=result.split_rule,
        split_rule_text=SPLIT_RULES.get(result.split_rule, result.split_rule),
        qualifier_words=dict(QUALIFIER_WORDS),
        units=[_unit_out(u) for u in result.units],
        periods=[
            AnalyticsPeriodOut(code=p.code, label=p.label, start=p.start, end=p.end)
            for p in result.periods
        ],
        indicators=[
            AnalyticsIndicatorOut(
                code=i.code, name=i.name_vi, unit=i.unit, aggregation=i.aggregation
            )
            for i in result.indicators
        ],
        rows=[_row(u, str(p), f) for (u, p, _code), f in result.cells.items()],
        query=view.query,
    )

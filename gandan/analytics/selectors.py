"""Reads for analytics: a pivot's parameters, and the pivot itself, on the one engine.

The pivot page, its xlsx export, the dashboard and ``/api/v1/analytics`` share
:func:`pivot_params_parse` (the same parameters, the same defaults, the same Vietnamese
errors) and :func:`pivot_build`, which asks :func:`gandan.analytics.engine.pivot` once and
lays the answer out as one table (``analytics.grid``). Totals are the engine's ``TOTAL``
cells, so distinct counts are unions, never sums.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gandan.analytics.access import DRILLABLE, DRILLS, LEGACY, SELF, Scope
from gandan.analytics.engine import TOTAL, UNALLOCATED, Figure, PivotResult, pivot
from gandan.analytics.grid import INDICATOR, PERIOD, UNIT, Grid, Heading, grid_build, shows
from gandan.core.dates import parse_date, today, vn_date
from gandan.core.errors import DomainError
from gandan.core.periods import CALENDAR, CUTOFF, Period, parse_period, periods_between
from gandan.geo.models import AdminUnit, Level
from gandan.indicators.models import Indicator

DIMENSIONS = {UNIT: _("Đơn vị"), PERIOD: _("Kỳ"), INDICATOR: _("Chỉ tiêu")}
GRANULARITIES = {
    "range": _("Cả kỳ"),
    "year": _("Năm"),
    "half": _("6 tháng"),
    "quarter": _("Quý"),
    "month": _("Tháng"),
}
REGIMES = {CALENDAR: _("Theo lịch"), CUTOFF: _("Chốt số liệu NĐ 09 (ngày 15 → 14)")}
BANDED = {"half", "quarter", "month"}  # periods shown under their year's header
PER_YEAR = {"range": 0, "year": 1, "half": 2, "quarter": 4, "month": 12}
DEFAULT_INDICATORS = (
    "campaigns",
    "villages_reached",
    "participants",
    "propaganda_sessions",
    "money_vnd",
)
MAX_PERIODS = 400
MAX_CELLS = 50_000
SPLIT_RULES = {"default_successor": "đơn vị bị chia tách tính vào đơn vị kế thừa mặc định"}


@dataclass(frozen=True)
class PivotParams:
    """A pivot question, as parsed from GET parameters (before access)."""

    start: datetime.date
    end: datetime.date
    unit_id: int | None = None
    drill: str | None = None
    by: str = "range"
    regime: str = CALENDAR
    indicators: tuple[str, ...] = DEFAULT_INDICATORS
    boundaries: datetime.date | None = None
    auto_boundaries: bool = True  # no choice made: today's boundaries where possible
    rows: str = UNIT
    cols: str = INDICATOR
    show_empty: bool = False  # empty rows and columns shown (``empty=1``)
    auto_indicators: bool = False  # no indicator named: the defaults

    @property
    def layer(self) -> str:
        return next(d for d in DIMENSIONS if d not in (self.rows, self.cols))


def _one(data: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = [v.strip() for v in data.get(name, ()) if v and v.strip()]
    return values[-1] if values else None


def _choice(data: Mapping[str, Sequence[str]], name: str, allowed: object, default: str) -> str:
    value = _one(data, name) or default
    if value not in allowed:  # type: ignore[operator]
        raise DomainError(f"Giá trị không hợp lệ ở «{name}»: «{value}».", field=name)
    return value


def pivot_params_parse(data: Mapping[str, Sequence[str]]) -> PivotParams:
    """The parameters of a pivot, with defaults; a Vietnamese ``DomainError`` naming the field.

    ``unit`` (id), ``drill`` (self, children, legacy), ``from``/``to`` (ISO dates, inclusive;
    default the last ten calendar years to today), ``by`` (range, year, half, quarter, month),
    ``regime`` (calendar, nd09), ``indicator`` (codes, repeated or comma-separated),
    ``boundaries`` ("recorded" or an ISO date; "date" takes ``boundaries_on``), ``rows`` and
    ``cols`` (unit, period, indicator), ``empty`` (1: show the empty rows and columns).
    """
    end = parse_date(_one(data, "to"), field="to", default=today())
    start = parse_date(_one(data, "from"), field="from", default=datetime.date(end.year - 9, 1, 1))
    if end < start:
        raise DomainError("Ngày «đến» phải từ ngày «từ» trở đi.", field="to")
    raw_unit = _one(data, "unit")
    if raw_unit is not None and not raw_unit.isdigit():
        raise DomainError(f"Đơn vị phải là mã số: «{raw_unit}».", field="unit")
    drill = _one(data, "drill")
    if drill is not None and drill not in DRILLS:
        raise DomainError(f"Cách xem đơn vị không hợp lệ: «{drill}».", field="drill")
    by = _choice(data, "by", GRANULARITIES, "range")
    if (end.year - start.year + 1) * PER_YEAR[by] > MAX_PERIODS:
        raise DomainError(
            f"Quá nhiều kỳ (tối đa {MAX_PERIODS}); chọn kỳ dài hơn hoặc thu hẹp thời gian.",
            field="by",
        )
    codes = [c.strip() for raw in data.get("indicator", ()) for c in raw.split(",") if c.strip()]
    rows = _choice(data, "rows", DIMENSIONS, UNIT)
    cols = _choice(data, "cols", DIMENSIONS, INDICATOR if rows != INDICATOR else UNIT)
    if rows == cols:
        raise DomainError("Hàng và cột phải khác nhau.", field="cols")
    boundaries, auto = _boundaries(data)
    return PivotParams(
        start=start,
        end=end,
        unit_id=int(raw_unit) if raw_unit is not None else None,
        drill=drill,
        by=by,
        regime=_choice(data, "regime", REGIMES, CALENDAR),
        indicators=tuple(dict.fromkeys(codes)) or DEFAULT_INDICATORS,
        boundaries=boundaries,
        auto_boundaries=auto,
        rows=rows,
        cols=cols,
        show_empty=_one(data, "empty") in ("1", "on", "true"),
        auto_indicators=not codes,
    )


def _boundaries(data: Mapping[str, Sequence[str]]) -> tuple[datetime.date | None, bool]:
    raw = _one(data, "boundaries")
    if raw is None:
        return None, True
    if raw == "recorded":
        return None, False
    if raw == "date":
        return parse_date(_one(data, "boundaries_on"), field="boundaries_on"), False
    return parse_date(raw, field="boundaries"), False


def pivot_periods(params: PivotParams) -> list[Period]:
    if params.by == "range":
        return [parse_period(f"{params.start.isoformat()}..{params.end.isoformat()}")]
    return periods_between(params.start, params.end, params.by, regime=params.regime)


def indicators_by_code(codes: Sequence[str]) -> list[Indicator]:
    """Indicators in the order asked; an unknown code is a DomainError."""
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    if missing := [c for c in codes if c not in found]:
        raise DomainError(f"Không có chỉ tiêu mã «{missing[0]}».", field="indicator")
    return [found[c] for c in codes]


def boundary_rule(boundaries: datetime.date | None) -> str:
    if boundaries is None:
        return "Như khi ghi nhận: mỗi bản ghi tính vào đơn vị chứa địa bàn của nó vào ngày ghi."
    return (
        f"Theo địa giới ngày {vn_date(boundaries)}: bản ghi ở đơn vị cũ tính vào đơn vị kế "
        "thừa vào ngày đó (lịch sử của các đơn vị cũ hợp thành được tính cho đơn vị mới)."
    )


def analysis_query(params: PivotParams, scope: Scope, **changes: str | Sequence[str]) -> str:
    """The canonical, shareable querystring of a question, with some parameters changed
    (``from_`` stands for ``from``)."""
    query: dict[str, str | Sequence[str]] = {
        "unit": str(scope.unit.pk),
        "drill": scope.drill,
        "boundaries": scope.boundaries.isoformat() if scope.boundaries else "recorded",
        "from": params.start.isoformat(),
        "to": params.end.isoformat(),
        "by": params.by,
        "regime": params.regime,
        "indicator": list(params.indicators),
        "rows": params.rows,
        "cols": params.cols,
    }
    if params.show_empty:
        query["empty"] = "1"
    query |= {("from" if k == "from_" else k): v for k, v in changes.items()}
    return urlencode(query, doseq=True)


def figure_at(result: PivotResult, key: str) -> Figure | None:
    """The figure a cell key names, or None."""
    unit, _, rest = key.partition("|")
    period, _, code = rest.partition("|")
    found = result.cells.get((unit if not unit.isdigit() else int(unit), period, code))
    return found


@dataclass
class PivotView:
    params: PivotParams
    scope: Scope
    result: PivotResult
    grid: Grid = field(default_factory=Grid.blank)  # laid out by pivot_build

    @property
    def query(self) -> str:
        return analysis_query(self.params, self.scope)

    @property
    def boundary_rule(self) -> str:
        return boundary_rule(self.scope.boundaries)

    @property
    def split_rule(self) -> str:
        return SPLIT_RULES.get(self.result.split_rule, self.result.split_rule)

    @property
    def up_link(self) -> str:
        parent = self.scope.parent
        if parent is None:
            return ""
        return analysis_query(self.params, self.scope, unit=str(parent.pk), drill="children")

    @property
    def empty_link(self) -> str:
        """The same question, with the empty rows and columns shown."""
        return analysis_query(self.params, self.scope, empty="1")


def pivot_build(*, params: PivotParams, scope: Scope, prefer_data: bool = False) -> PivotView:
    """The pivot: one engine call, then one table (``analytics.grid``).

    ``prefer_data``: for a question that names no indicator, the default indicators that have
    data in scope; if none has, the first indicator of the catalogue that has; if none at
    all, the defaults (and the page says that nothing was found)."""
    result = _answer(params, scope)
    if prefer_data and params.auto_indicators:
        params, result = _with_data(params, scope, result)
    view = PivotView(params, scope, result)
    headings = {dim: _headings(dim, view) for dim in DIMENSIONS}
    view.grid = grid_build(
        result,
        dims=(params.rows, params.cols, params.layer),
        headings=headings,
        rows_label=str(DIMENSIONS[params.rows]),
        show_empty=params.show_empty,
    )
    return view


def _answer(params: PivotParams, scope: Scope) -> PivotResult:
    indicators = indicators_by_code(params.indicators)
    periods = pivot_periods(params)
    if len(scope.units) * len(periods) * len(indicators) > MAX_CELLS:
        raise DomainError(
            "Bảng quá lớn; thu hẹp thời gian, chọn kỳ dài hơn hoặc ít chỉ tiêu hơn.", field="by"
        )
    return pivot(
        units=scope.units, periods=periods, indicators=indicators, boundaries=scope.boundaries
    )


def _has_data(result: PivotResult, code: str) -> bool:
    return any(shows(f) for key, f in result.cells.items() if key[2] == code)


def _with_data(
    params: PivotParams, scope: Scope, result: PivotResult
) -> tuple[PivotParams, PivotResult]:
    """The default question narrowed to the indicators that have data in scope."""
    having = [i.code for i in result.indicators if _has_data(result, i.code)]
    if having:
        result.indicators = [i for i in result.indicators if i.code in having]
        result.cells = {k: f for k, f in result.cells.items() if k[2] in having}
        return replace(params, indicators=tuple(having), auto_indicators=False), result
    # None of the defaults: ask the whole catalogue once, over the whole window.
    whole = pivot_periods(replace(params, by="range"))
    others = [i for i in Indicator.objects.all() if i.code not in params.indicators]
    probe = pivot(units=scope.units, periods=whole, indicators=others, boundaries=scope.boundaries)
    first = next((i.code for i in probe.indicators if _has_data(probe, i.code)), None)
    if first is None:
        return params, result
    chosen = replace(params, indicators=(first,), auto_indicators=False)
    return chosen, _answer(chosen, scope)


def _headings(dim: str, view: PivotView) -> list[Heading]:
    result, scope = view.result, view.scope
    if dim == INDICATOR:
        return [Heading(i.code, i.name, indicator=i, note=i.unit) for i in result.indicators]
    if dim == PERIOD:
        if view.params.by in BANDED:  # "quý I" under "năm 2019", not "quý I năm 2019"
            found = [
                Heading(p.code, _within_year(p.label, p.end.year), band=f"năm {p.end.year}")
                for p in result.periods
            ]
        else:
            found = [Heading(p.code, p.label) for p in result.periods]
        span = f"{vn_date(view.params.start)} – {vn_date(view.params.end)}"
        total = Heading(TOTAL, gettext("Cả kỳ"), note=span)
        return [*found, total] if len(found) > 1 else found
    units = [Heading(u.pk, str(u), unit=u, link=_drill_link(view, u)) for u in result.units]
    if len(units) <= 1:
        return units
    if result.has_unallocated:
        units.append(Heading(UNALLOCATED, gettext("Không phân bổ được cho đơn vị nào ở trên")))
    return [*units, Heading(TOTAL, gettext("Tổng số"), note=f"{scope.unit}")]


def _within_year(label: str, year: int) -> str:
    for suffix in (f" năm {year}", f"/{year}"):
        if label.endswith(suffix) and len(label) > len(suffix):
            return label.removesuffix(suffix)
    return label


def _drill_link(view: PivotView, unit: AdminUnit) -> str:
    """Down a level for a province or district; a commune's own history otherwise."""
    scope = view.scope
    if unit.level in DRILLABLE:
        drill = "children"
    elif unit.level == Level.COMMUNE:
        drill = LEGACY if scope.boundaries is None else SELF
    else:
        return ""
    if unit.pk == scope.unit.pk and drill == scope.drill:
        return ""
    return analysis_query(view.params, scope, unit=str(unit.pk), drill=drill)

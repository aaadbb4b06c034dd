"""The dashboard's reads: trends by year, a comparison of the units inside, the change
from the previous period of the same length, and a map of communes, all on the one engine.

The map is drawn from ``AdminUnit.latitude``/``longitude`` with an equirectangular
projection (longitudes shrunk by the cosine of the middle latitude) into an inline SVG:
no tiles, nothing fetched from the internet.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gandan.accounts.models import User
from gandan.analytics.access import Scope, comparison_units, map_units
from gandan.analytics.engine import pivot
from gandan.analytics.grid import Cell, cell
from gandan.analytics.selectors import (
    DEFAULT_INDICATORS,
    PivotParams,
    analysis_query,
    indicators_by_code,
)
from gandan.core.dates import vn_date
from gandan.core.numbers import format_number
from gandan.core.periods import Period, periods_between
from gandan.geo.models import AdminUnit
from gandan.indicators.models import Indicator

KPI_COUNT = 5
RANKED, LABELLED = 10, 5
MAP_WIDTH, MAP_MAX_HEIGHT, MAP_PAD = 640.0, 560.0, 34.0
RADIUS_MIN, RADIUS_MAX = 2.5, 15.0
MIN_SPAN_X, MIN_SPAN_Y = 0.75, 0.25  # degrees (about 80 × 28 km): a wide strip, not a tall box


@dataclass(frozen=True)
class Change:
    """This period against the previous period of the same length."""

    indicator: Indicator
    current: Cell
    previous: Cell

    @property
    def delta(self) -> Decimal:
        return self.current.figure.value - self.previous.figure.value

    @property
    def direction(self) -> str:
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "flat"

    @property
    def percent_text(self) -> str:
        """ "+12,5 %"; empty when the previous period had nothing to compare with."""
        before = self.previous.figure.value
        if before == 0:
            return ""
        percent = self.delta * 100 / before
        sign = "+" if percent > 0 else "−" if percent < 0 else ""
        return f"{sign}{format_number(abs(percent), 1)} %"

    @property
    def delta_text(self) -> str:
        sign = "+" if self.delta > 0 else "−" if self.delta < 0 else "±"
        return f"{sign}{format_number(abs(self.delta), 2)}"


@dataclass(frozen=True)
class Bar:
    unit: AdminUnit
    cell: Cell
    link: str


@dataclass(frozen=True)
class MapPoint:
    unit: AdminUnit
    cell: Cell
    x: float
    y: float
    r: float

    @property
    def empty(self) -> bool:
        return not self.cell.figure.value

    @property
    def label_dy(self) -> float:
        return -(self.r + 3)

    @property
    def anchor(self) -> str:
        """Labels near an edge grow inwards."""
        edge = MAP_WIDTH / 8
        return "start" if self.x < edge else "end" if self.x > MAP_WIDTH - edge else "middle"


@dataclass
class Dashboard:
    params: PivotParams
    scope: Scope
    indicator: Indicator
    current: Period
    previous: Period
    changes: list[Change]
    trend: list[tuple[Period, Cell]]
    comparison: list[Bar]
    comparison_boundaries: datetime.date | None
    points: list[MapPoint]
    map_height: float
    map_width: float = MAP_WIDTH
    unplaced: int = 0  # communes without coordinates

    @property
    def up_link(self) -> str:
        parent = self.scope.parent
        if parent is None:
            return ""
        return analysis_query(self.params, self.scope, unit=str(parent.pk), drill="")

    @property
    def ranking(self) -> list[MapPoint]:
        """The communes with the highest figures, for the list beside the map."""
        ranked = sorted(self.points, key=lambda p: (-p.cell.figure.value, p.unit.sort_key))
        return [p for p in ranked if p.cell.figure.value][:RANKED]

    @property
    def labels(self) -> list[MapPoint]:
        return self.ranking[:LABELLED]

    def chart_data(self) -> dict[str, Any]:
        """What ``static/js/analytics.js`` draws; numbers stay numbers, texts are Vietnamese."""
        return {
            "indicator": {
                "name": self.indicator.name,
                "unit": self.indicator.unit,
                "integer": self.indicator.integer_only,
            },
            "trend": {
                "labels": [p.code for p, _c in self.trend],
                "values": [float(c.figure.value) for _p, c in self.trend],
                "texts": [c.text for _p, c in self.trend],
            },
            "comparison": {
                "labels": [str(b.unit) for b in self.comparison],
                "values": [float(b.cell.figure.value) for b in self.comparison],
                "texts": [b.cell.text for b in self.comparison],
            },
        }


def previous_period(start: datetime.date, end: datetime.date) -> tuple[Period, Period]:
    """[start, end] and the period of the same length just before it."""
    length = end - start + datetime.timedelta(days=1)
    before_start, before_end = start - length, start - datetime.timedelta(days=1)

    def span(a: datetime.date, b: datetime.date) -> Period:
        return Period(a, b, "range", f"{vn_date(a)} – {vn_date(b)}", f"{a}..{b}")

    return span(start, end), span(before_start, before_end)


def dashboard_build(*, user: User, params: PivotParams, scope: Scope) -> Dashboard:
    """Everything on the dashboard for one unit and one indicator (the first asked for)."""
    chosen = indicators_by_code(params.indicators[:1])
    kpi_codes = list(dict.fromkeys([*params.indicators, *DEFAULT_INDICATORS]))[:KPI_COUNT]
    kpis = indicators_by_code(kpi_codes)
    indicator, unit, on = chosen[0], scope.unit, scope.boundaries
    current, previous = previous_period(params.start, params.end)

    years = periods_between(params.start, params.end, "year", regime=params.regime)
    trend = pivot(units=[unit], periods=years, indicators=chosen, boundaries=on)
    change = pivot(units=[unit], periods=[previous, current], indicators=kpis, boundaries=on)
    compared, compared_on = comparison_units(user, scope, params.start, params.end)
    communes = map_units(user, scope, params.start, params.end)
    periods = [current]
    by_unit: dict[int, Cell] = {}
    if compared:
        result = pivot(units=compared, periods=periods, indicators=chosen, boundaries=compared_on)
        by_unit = {u.pk: cell(result.figure(u, current, indicator.code)) for u in compared}
    if communes and not ({c.pk for c in communes} <= by_unit.keys() and compared_on == on):
        result = pivot(units=communes, periods=periods, indicators=chosen, boundaries=on)
        by_unit |= {u.pk: cell(result.figure(u, current, indicator.code)) for u in communes}

    bars = sorted(
        (
            Bar(u, by_unit[u.pk], analysis_query(params, scope, unit=str(u.pk), drill=""))
            for u in compared
        ),
        key=lambda b: (-b.cell.figure.value, b.unit.sort_key),
    )
    placed = [u for u in communes if u.latitude is not None and u.longitude is not None]
    points, height = _project([(u, by_unit[u.pk]) for u in placed])
    return Dashboard(
        params=params,
        scope=scope,
        indicator=indicator,
        current=current,
        previous=previous,
        changes=[
            Change(
                i,
                cell(change.figure(unit, current, i.code)),
                cell(change.figure(unit, previous, i.code)),
            )
            for i in kpis
        ],
        trend=[(p, cell(trend.figure(unit, p, indicator.code))) for p in years],
        comparison=bars,
        comparison_boundaries=compared_on,
        points=points,
        map_height=height,
        unplaced=len(communes) - len(placed),
    )


def _widen(low: float, high: float, least: float) -> tuple[float, float]:
    middle, half = (low + high) / 2, max(high - low, least) / 2
    return middle - half, middle + half


def _project(cells: list[tuple[AdminUnit, Cell]]) -> tuple[list[MapPoint], float]:
    """Equirectangular projection into the SVG box; radius by the square root of the value
    (the area of a point is proportional to its figure)."""
    if not cells:
        return [], 0.0
    lats = [float(u.latitude or 0) for u, _c in cells]
    lons = [float(u.longitude or 0) for u, _c in cells]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    # A commune alone (or a few close together) is shown in a strip of at least MIN_SPAN_*.
    west, east = _widen(min(lons), max(lons), MIN_SPAN_X / shrink)
    south, north = _widen(min(lats), max(lats), MIN_SPAN_Y)
    span_x, span_y = (east - west) * shrink, north - south
    inner = MAP_WIDTH - 2 * MAP_PAD
    scale = min(inner / span_x, (MAP_MAX_HEIGHT - 2 * MAP_PAD) / span_y)
    height = span_y * scale + 2 * MAP_PAD
    offset_x = (MAP_WIDTH - span_x * scale) / 2
    top = max((c.figure.value for _u, c in cells), default=Decimal(0)) or Decimal(1)
    points = [
        MapPoint(
            unit,
            figure,
            x=round(offset_x + (lon - west) * shrink * scale, 1),
            y=round(MAP_PAD + (north - lat) * scale, 1),
            r=round(
                RADIUS_MIN
                + (RADIUS_MAX - RADIUS_MIN) * math.sqrt(max(float(figure.figure.value / top), 0)),
                1,
            ),
        )
        for (unit, figure), lat, lon in zip(cells, lats, lons, strict=True)
    ]
    # Big points first, so that small ones stay visible on top of them.
    return sorted(points, key=lambda p: -p.r), round(height, 1)

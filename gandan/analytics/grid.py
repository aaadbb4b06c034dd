"""The pivot as one table: rows grouped by the question's third dimension, with totals.

A question has three dimensions (unit, period, indicator): one runs down the rows, one
across the columns, and the third (the "layer") groups the rows. Each group is a ``<tbody>``
headed by its own row; the row dimension's total closes it as the group's subtotal, and the
layer's total (all units, the whole period) is the last group. One ``<table>``, however many
units or periods are asked.

Totals and subtotals are the engine's own ``TOTAL`` cells, never sums made here: a distinct
count is a union, a stock (members, teams) is its value on the last day, a ratio is computed
from its terms' totals, and a qualified figure stays qualified ("trên 100" and 5 make
"trên 105", ``analytics.quantity``). The indicator dimension has no total: indicators are not
added to each other.

Empty rows and columns (nothing but zeros, and no paper total) are hidden unless the
question asks for them (``empty=1``); how many were hidden is said.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from gandan.analytics.engine import TOTAL, Figure, PivotResult
from gandan.core.numbers import format_qualified
from gandan.geo.models import AdminUnit
from gandan.indicators.models import Indicator

UNIT, PERIOD, INDICATOR = "unit", "period", "indicator"


def figure_text(figure: Figure) -> str:
    """The qualifier word, then the Vietnamese number: «trên 5.740», «1.036.418», «1,27»,
    «hàng trăm»."""
    return format_qualified(figure.value, figure.qualifier, decimals=2)


@dataclass(frozen=True)
class Heading:
    key: object  # a unit id, a period code, an indicator code or TOTAL
    label: str
    unit: AdminUnit | None = None
    indicator: Indicator | None = None
    link: str = ""  # querystring to drill into this unit
    note: str = ""
    band: str = ""  # the header over several columns it sits under ("năm 2019" for a quarter)

    @property
    def is_total(self) -> bool:
        return self.key == TOTAL


@dataclass(frozen=True)
class Band:
    """A header over ``span`` neighbouring columns (the second header row's groups)."""

    label: str
    span: int


@dataclass(frozen=True)
class Cell:
    figure: Figure
    text: str
    total: bool = False  # in a total row or column
    key: str = ""  # "unit|period|indicator": the address of its sources (papers only)

    @property
    def value(self) -> object:
        return self.figure.value

    @property
    def has_papers(self) -> bool:
        return any(s.kind == "paper" for s in self.figure.sources)


def cell(figure: Figure, *, total: bool = False, key: str = "") -> Cell:
    return Cell(figure, figure_text(figure), total, key)


def cell_key(unit: object, period: object, indicator: object) -> str:
    return f"{unit}|{period}|{indicator}"


@dataclass(frozen=True)
class Row:
    heading: Heading
    cells: list[Cell]
    group: Heading

    @property
    def total(self) -> bool:
        """In the grand total: the last group's rows, or the total row of the whole."""
        return self.group.is_total or (self.heading.is_total and self.group.key == "")

    @property
    def subtotal(self) -> bool:
        """The total of one group (one unit over the whole period, one period over all
        units)."""
        return self.heading.is_total and not self.total

    @property
    def has_data(self) -> bool:
        return any(shows(c.figure) for c in self.cells)


@dataclass
class Group:
    heading: Heading  # key "" for the only group of a question without a third dimension
    rows: list[Row] = field(default_factory=list)


@dataclass
class Grid:
    rows_label: str
    cols: list[Heading]
    groups: list[Group]
    grouped: bool  # more than one group: each is headed by its own row
    hidden_rows: int = 0
    hidden_cols: int = 0

    @classmethod
    def blank(cls) -> "Grid":
        return cls("", [], [], grouped=False)

    @property
    def width(self) -> int:
        return len(self.cols) + 1

    @property
    def bands(self) -> list[Band]:
        """The headers over the columns (the years over quarters), or none."""
        if not any(c.band for c in self.cols):
            return []
        bands: list[Band] = []
        for col in self.cols:
            if bands and bands[-1].label == col.band:
                bands[-1] = Band(col.band, bands[-1].span + 1)
            else:
                bands.append(Band(col.band, 1))
        return bands

    @property
    def is_empty(self) -> bool:
        return not any(g.rows for g in self.groups) or not self.cols

    @property
    def hidden(self) -> bool:
        return bool(self.hidden_rows or self.hidden_cols)


def shows(figure: Figure) -> bool:
    """Whether a figure is worth a row or a column: a number other than zero, or a paper
    total (even of zero). Records that add up to nothing (campaigns that reached no
    village) are not."""
    return figure.value != 0 or figure.from_aggregates


def grid_figure(result: PivotResult, unit: object, period: str, code: str) -> Figure:
    """A cell's figure; the row of what no single unit carries exists only where something
    lands in it."""
    found = result.cells.get((unit, period, code))
    if found is None:
        return Figure(next(i for i in result.indicators if i.code == code), Decimal(0))
    return found


def grid_build(
    result: PivotResult,
    *,
    dims: tuple[str, str, str],
    headings: dict[str, list[Heading]],
    rows_label: str,
    show_empty: bool,
) -> Grid:
    """One table for ``result``: ``dims`` are (rows, columns, layer)."""
    rows_dim, cols_dim, layer_dim = dims
    layers = headings[layer_dim]
    grouped = len(layers) > 1
    cols = headings[cols_dim]
    groups = []
    for layer in layers:
        group = Group(layer if grouped else Heading("", layer.label, note=layer.note))
        for row in headings[rows_dim]:
            cells = []
            for col in cols:
                key = {rows_dim: row.key, cols_dim: col.key, layer_dim: layer.key}
                cells.append(
                    cell(
                        grid_figure(result, key[UNIT], str(key[PERIOD]), str(key[INDICATOR])),
                        total=row.is_total or col.is_total or layer.is_total,
                        key=cell_key(key[UNIT], key[PERIOD], key[INDICATOR]),
                    )
                )
            group.rows.append(Row(row, cells, group.heading))
        groups.append(group)
    grid = Grid(rows_label, cols, groups, grouped)
    return grid if show_empty else _without_empty(grid)


def _without_empty(grid: Grid) -> Grid:
    """The grid without the columns and rows where no figure has data."""
    rows = [r for g in grid.groups for r in g.rows]
    keep = [j for j in range(len(grid.cols)) if any(shows(r.cells[j].figure) for r in rows)]
    groups = []
    for group in grid.groups:
        kept = Group(group.heading)
        for row in group.rows:
            narrowed = Row(row.heading, [row.cells[j] for j in keep], row.group)
            if narrowed.has_data:
                kept.rows.append(narrowed)
        if kept.rows:
            groups.append(kept)
    shown = sum(len(g.rows) for g in groups)
    return Grid(
        grid.rows_label,
        [grid.cols[j] for j in keep],
        groups,
        grid.grouped,
        hidden_rows=len(rows) - shown,
        hidden_cols=len(grid.cols) - len(keep),
    )

"""One shape for every table the system writes (ADR 0019, after pretix's exporters).

An exporter is a small class with a file name and :meth:`Exporter.sheets`, which yields
:class:`Sheet` s of rows; a row is a sequence of plain values (text, int, Decimal, date) or
:class:`Styled` ones. One renderer per format writes any exporter: :func:`render_xlsx`
(openpyxl's write-only mode: a big export keeps memory flat) and :func:`render_csv`. Report
documents (Word, PDF) are built once as a ``reports.documents.Document`` and rendered per
format the same way; their figure table is written to Excel by an exporter of this shape.

Every cell passes one guard, :func:`cell_value`, here and nowhere else:

- numbers stay numbers (a Decimal becomes an int or a float), so SUM works, with the
  Vietnamese-looking number format they carry (:func:`number_format`);
- text loses the characters XML cannot hold (controls, lone surrogates);
- text that a spreadsheet would take for a formula, that is text starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return (OWASP's "CSV injection"), is written inert: in
  xlsx as a text cell with Excel's quote prefix (it shows, and reads back, exactly what was
  typed, and editing it does not make it a formula; openpyxl would otherwise write any text
  starting with ``=`` as a formula); in CSV behind an apostrophe. The database keeps what was
  typed.
"""

import csv
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gandan.core.numbers import ORDER_OF_MAGNITUDE, QUALIFIER_WORDS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold (its Char production): C0 controls but tab and line breaks, lone
# surrogates and U+FFFE, U+FFFF. openpyxl's ILLEGAL_CHARACTERS_RE knows only the controls,
# and lxml refuses a lone surrogate with an error.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Style:
    number_format: str | None = None
    bold: bool = False
    italic: bool = False
    size: float | None = None
    font: str | None = None
    fill: str | None = None  # RGB, e.g. "EEF1F5"
    wrap: bool = False
    horizontal: str | None = None
    vertical: str | None = None


@dataclass(frozen=True)
class Styled:
    value: object
    style: Style


@dataclass
class Sheet:
    title: str
    rows: Iterable[Sequence[object]]
    widths: Mapping[int, float] = field(default_factory=dict)  # 1-based column → width
    text_columns: Collection[int] = ()  # 1-based columns whose cells are text ("@")
    freeze: str | None = None  # e.g. "A2": the header row stays in view
    landscape: bool = False
    hidden: bool = False
    # Data validations (dropdowns), given how many rows were written.
    validations: Callable[[int], Iterable[DataValidation]] | None = None


class Exporter(ABC):
    """Yields what a table document says; renderers write it."""

    filename = "bang"

    @abstractmethod
    def sheets(self) -> Iterable[Sheet]: ...

    def xlsx(self) -> bytes:
        return render_xlsx(self)


def number_format(value: Decimal | int | float, qualifier: str = "exact") -> str:
    """Excel's format language ("," thousands, "." decimals; Excel and LibreOffice show the
    reader's separators, "1.200" and "1,27" on a Vietnamese machine). A qualifier from a
    paper report is part of the format: the cell holds 5740 and reads "trên 5.740"."""
    whole = Decimal(str(value)) == Decimal(str(value)).to_integral_value()
    digits = "#,##0" if whole else "#,##0.00"
    word = QUALIFIER_WORDS.get(qualifier, "")
    if qualifier in ORDER_OF_MAGNITUDE:
        return f'"{word}"'  # the cell holds 100 and reads "hàng trăm"
    return f'"{word} "{digits}' if word else digits


def cell_value(value: object) -> object:
    """The value a cell holds: numbers as numbers, text without illegal characters."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    return value


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


# Excel. -------------------------------------------------------------------------------------------


def _xlsx_cell(sheet: object, value: object, style: Style | None) -> object:
    """A plain value when openpyxl may write it as it is, else a cell (styled or inert)."""
    value = cell_value(value)
    inert = is_formula_like(value)
    if style is None and not inert:
        return value
    cell: Cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    if inert:
        cell.data_type, cell.quotePrefix = "s", True
    if style is not None:
        _apply(cell, style)
    return cell


def _apply(cell: Cell, style: Style) -> None:
    if style.number_format:
        cell.number_format = style.number_format
    if style.bold or style.italic or style.size or style.font:
        cell.font = Font(bold=style.bold, italic=style.italic, size=style.size, name=style.font)
    if style.fill:
        cell.fill = PatternFill("solid", fgColor=style.fill)
    if style.wrap or style.horizontal or style.vertical:
        cell.alignment = Alignment(
            wrap_text=style.wrap or None, horizontal=style.horizontal, vertical=style.vertical
        )


TEXT = Style(number_format="@")


def render_xlsx(exporter: Exporter) -> bytes:
    book = Workbook(write_only=True)
    for spec in exporter.sheets():
        sheet = book.create_sheet(spec.title)
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        for column, width in spec.widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
        for column in spec.text_columns:
            sheet.column_dimensions[get_column_letter(column)].number_format = "@"
        if spec.landscape:
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.fitToWidth = 1
            if sheet.sheet_properties.pageSetUpPr is not None:
                sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if spec.hidden:
            sheet.sheet_state = "hidden"
        text_at = {column - 1 for column in spec.text_columns}
        count = 0
        for row in spec.rows:
            cells = []
            for index, value in enumerate(row):
                style = value.style if isinstance(value, Styled) else None
                plain = value.value if isinstance(value, Styled) else value
                if style is None and index in text_at and plain is not None:
                    style = TEXT
                cells.append(_xlsx_cell(sheet, plain, style))
            sheet.append(cells)
            count += 1
        if spec.validations is not None:
            for rule in spec.validations(count):
                sheet.data_validations.append(rule)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# CSV. ---------------------------------------------------------------------------------------------


def csv_value(value: object) -> str:
    value = cell_value(value.value if isinstance(value, Styled) else value)
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if is_formula_like(value) else text


def render_csv(exporter: Exporter) -> bytes:
    """The first sheet, as UTF-8 with a byte-order mark (Excel then reads Vietnamese right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    sheet = next(iter(exporter.sheets()))
    for row in sheet.rows:
        writer.writerow([csv_value(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode()

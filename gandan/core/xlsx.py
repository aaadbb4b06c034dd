"""Excel tables: a header row, then one record per row, with Vietnamese messages that name
the row and the column. Shared by the roster and the field-work imports.

- Reading: :func:`read_table` maps a sheet's header to known columns (case- and
  diacritic-insensitively) and returns the filled rows as ``{column: value}``; cells come
  from the streaming reader in :mod:`gandan.core.xlsx_reader`. :class:`Cells` parses one
  row and collects its errors.
- Writing: :class:`TemplateExporter` (an exporter of :mod:`gandan.core.exporters`, which
  also makes formula-like text inert) gives the data sheets, an instructions sheet and the
  dropdown lists (on a hidden sheet: inline lists are limited to 255 characters);
  :func:`write_workbook` renders it.
"""

import datetime
import functools
import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gandan.core.dates import vn_date
from gandan.core.exporters import Exporter, Sheet, Style, Styled, number_format, render_xlsx
from gandan.core.text import clean, describe_character, fold, forbidden_character
from gandan.core.xlsx_reader import NotAWorkbook, XlsxReader

NOT_A_WORKBOOK = "Tệp không phải bảng tính Excel .xlsx hợp lệ."
NO_ROWS = "Tệp không có dòng dữ liệu nào."
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Rows = list[tuple[int, dict[str, object]]]

__all__ = ["NotAWorkbook", "XlsxReader"]  # re-exported for the importers


@dataclass(frozen=True)
class RowError:
    line: int | None  # the sheet's row number; None for the file as a whole
    column: str | None
    message: str
    sheet: str | None = None  # named when it is not the workbook's main sheet

    def __str__(self) -> str:
        where = [f"Dòng {self.line}"] if self.line else []
        where += [f"cột «{self.column}»"] if self.column else []
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        return f"Trang «{self.sheet}», {text[:1].lower()}{text[1:]}" if self.sheet else text


# Cells repeat across rows (types, codes, dates, village lists): normalise each text once.
_clean = functools.lru_cache(maxsize=1 << 16)(clean)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean(value) if len(value) <= 300 else clean(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.date):
        return vn_date(value)
    return clean(str(value))


def is_blank(value: object) -> bool:
    """Whether :func:`cell_text` gives "", without normalising every cell of a big file."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_date(value: object) -> datetime.date:
    """An Excel date, dd/mm/yyyy or yyyy-mm-dd; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        value = _text_date(cell_text(value))
    if not 1945 <= value.year <= 2100:
        raise ValueError(value)
    return value


@functools.lru_cache(maxsize=1 << 14)
def _text_date(text: str) -> datetime.date:
    if match := _DMY.fullmatch(text):
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    if _ISO.fullmatch(text):
        return datetime.date.fromisoformat(text)
    raise ValueError(text)


# -- reading ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    max_rows: int  # filled rows
    scan_rows: int  # row numbers; a sheet may hold blank (formatted) rows up to here


def read_table(
    reader: XlsxReader,
    sheet: str,
    *,
    columns: Sequence[str],
    required: Collection[str] = (),
    aliases: Mapping[str, str] | None = None,
    resolve: Callable[[str], str | None] | None = None,
    strict: bool = False,
    limits: Limits,
    label: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[Rows, list[RowError]]:
    """The filled rows of ``sheet`` keyed by column, with their row numbers.

    The header (row 1) is matched case- and diacritic-insensitively; ``aliases`` maps other
    header texts to a column; ``resolve(header)``, tried first, names the column of a
    header by a stable key in it (such as a code), whatever the rest of its text says. ``strict``: a column that is not in the
    layout but holds data is an error (its data would be lost silently). ``label`` names
    the sheet in errors. Raises :class:`NotAWorkbook` when the sheet cannot be parsed.
    """
    wanted = {fold(c): c for c in columns} | {fold(a): c for a, c in (aliases or {}).items()}
    lines = reader.rows(sheet, progress)
    first = next(lines, None)
    header = first[1] if first is not None and first[0] == 1 else {}
    errors: list[RowError] = []
    names: dict[int, str] = {}
    unknown: dict[int, str] = {}
    for index, value in sorted(header.items()):
        text = cell_text(value)
        column = (resolve(text) if resolve is not None and text else None) or wanted.get(fold(text))
        if column is None:
            if text:
                unknown[index] = text
        elif column in names.values():
            if strict:
                errors.append(RowError(1, column, "cột này có hai lần ở dòng tiêu đề.", label))
        else:
            names[index] = column
    missing = [c for c in columns if c in required and c not in names.values()]
    errors += [RowError(1, c, "thiếu cột này ở dòng tiêu đề.", label) for c in missing]
    if errors:
        return [], errors
    rows: Rows = []
    filled: set[int] = set()
    pending = [] if first is None or first[0] == 1 else [first]
    for line, cells in (*pending, *lines) if pending else lines:
        values: dict[str, object] = {names[i]: v for i, v in cells.items() if i in names}
        if any(not is_blank(v) for v in values.values()):
            rows.append((line, values))
            errors += _forbidden(line, values, label)
        if strict and unknown:
            filled.update(i for i, v in cells.items() if i in unknown and not is_blank(v))
        if line > limits.scan_rows or len(rows) > limits.max_rows:
            return [], [RowError(None, None, f"Tệp có quá {limits.max_rows} dòng.", label)]
    message = "cột này không có trong mẫu; xóa cột hoặc tải tệp mẫu mới rồi chép dữ liệu sang."
    errors += [RowError(1, unknown[i], message, label) for i in sorted(filled)]
    return ([], errors) if errors else (rows, [])


def _forbidden(line: int, values: dict[str, object], label: str | None) -> list[RowError]:
    """NUL, control characters and bidi overrides in a row's text cells (issue 13): each is
    an error naming the row and the column, and the import writes nothing. A line break
    or tab inside a cell (Alt+Enter) is read as a space, so it passes."""
    errors = []
    for column, value in values.items():
        if isinstance(value, str) and (found := forbidden_character(value, multiline=True)):
            position, character = found
            message = (
                f"chứa ký tự không được phép {describe_character(character)} ở vị trí "
                f"{position}; hãy xoá ký tự đó rồi tải tệp lên lại."
            )
            errors.append(RowError(line, column, message, label))
    return errors


def read_rows(
    data: bytes,
    *,
    sheet: str,
    columns: Sequence[str],
    required: Collection[str],
    max_bytes: int,
    limits: Limits,
) -> tuple[Rows, list[RowError]]:
    """The filled rows of a one-sheet workbook: ``sheet``, or else the first sheet."""
    if len(data) > max_bytes:
        return [], [RowError(None, None, f"Tệp lớn hơn {max_bytes // (1024 * 1024)} MB.")]
    try:
        reader = XlsxReader(data)
        name = sheet if sheet in reader.sheets else next(iter(reader.sheets))
        rows, errors = read_table(reader, name, columns=columns, required=required, limits=limits)
    except NotAWorkbook:
        return [], [RowError(None, None, NOT_A_WORKBOOK)]
    if errors:
        return [], errors
    if not rows:
        return [], [RowError(None, None, NO_ROWS)]
    return rows, []


class Cells:
    """One sheet row being parsed; collects its errors."""

    required: Collection[str] = ()

    def __init__(self, line: int, values: dict[str, object], *, sheet: str | None = None) -> None:
        self.line, self.values, self.sheet = line, values, sheet
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message, self.sheet))

    def text(self, column: str, *, max_length: int = 200) -> str:
        raw = self.values.get(column)
        value = "" if raw is None else cell_text(raw)
        if not value and column in self.required:
            self.error(column, "không được để trống.")
        elif len(value) > max_length:
            self.error(column, f"dài quá {max_length} ký tự.")
            return ""
        return value

    def date(self, column: str) -> datetime.date | None:
        raw = self.values.get(column)
        if not isinstance(raw, datetime.date) and not self.text(column):
            return None
        try:
            return cell_date(raw)
        except ValueError:
            self.error(
                column,
                f"ngày «{cell_text(raw)}» không hợp lệ; ghi ngày/tháng/năm, ví dụ 05/07/2004.",
            )
            return None


# -- writing ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dropdown:
    choices: Sequence[str]
    strict: bool = True  # False: several values go in one cell, so the list only helps


@dataclass(frozen=True)
class Layout:
    """One data sheet: its columns, how to fill each, and which ones have dropdowns."""

    title: str
    columns: Sequence[str]
    help: Mapping[str, str]
    required: Collection[str] = ()
    text_columns: Collection[str] = ()  # kept as typed: leading zeros, dd/mm/yyyy
    wide_columns: Collection[str] = ()
    number_columns: Collection[str] = ()  # figures: numbers shown "1.350" / "1.350,5"
    dropdowns: Mapping[str, Dropdown] = field(default_factory=dict)


class TemplateExporter(Exporter):
    """The template (no rows) or an export in the import layout: the data sheets, then
    instructions, then the dropdown lists (on a hidden sheet: inline lists are limited to
    255 characters)."""

    def __init__(
        self,
        sheets: Sequence[tuple[Layout, Iterable[Sequence[object]]]],
        *,
        title: str,
        rules: Sequence[str],
        help_sheet: str = "Hướng dẫn",
        list_sheet: str = "Danh mục",
    ) -> None:
        self.data, self.title, self.rules = sheets, title, rules
        self.help_sheet, self.list_sheet = help_sheet, list_sheet
        self.wanted = [
            (layout, column, dropdown)
            for layout, _rows in sheets
            for column, dropdown in layout.dropdowns.items()
            if dropdown.choices
        ]

    def sheets(self) -> Iterator[Sheet]:
        for layout, rows in self.data:
            header = [Styled(column, BOLD) for column in layout.columns]
            yield Sheet(
                layout.title,
                itertools.chain([header], _with_number_formats(layout, rows)),
                widths={
                    index: 30 if column in layout.wide_columns else 16
                    for index, column in enumerate(layout.columns, start=1)
                },
                text_columns=[
                    index
                    for index, column in enumerate(layout.columns, start=1)
                    if column in layout.text_columns
                ],
                freeze="A2",
                validations=functools.partial(self._validations, layout),
            )
        yield self._guide()
        yield self._lists()

    def _guide(self) -> Sheet:
        layouts = [layout for layout, _rows in self.data]
        widest = max(len(column) for layout in layouts for column in layout.columns)
        rows: list[Sequence[object]] = [[Styled(self.title, BOLD)], []]
        rows += [[f"• {rule}"] for rule in self.rules]
        for layout in layouts:
            rows.append([])
            if len(layouts) > 1:
                rows.append([Styled(f"Trang «{layout.title}»", BOLD)])
            rows.append([Styled(text, BOLD) for text in ("Cột", "Bắt buộc", "Cách ghi")])
            for column in layout.columns:
                mark = "*" if column in layout.required else ""
                rows.append([column, mark, Styled(layout.help.get(column, ""), WRAP)])
        widths = {1: max(18, min(widest + 2, 50)), 2: 10, 3: 100}
        return Sheet(self.help_sheet, rows, widths=widths)

    def _lists(self) -> Sheet:
        choices = [dropdown.choices for _layout, _column, dropdown in self.wanted]
        rows: list[Sequence[object]] = [[column for _layout, column, _d in self.wanted]]
        for row in range(max((len(c) for c in choices), default=0)):
            rows.append([c[row] if row < len(c) else None for c in choices])
        return Sheet(self.list_sheet, rows, hidden=True)

    def _validations(self, layout: Layout, count: int) -> Iterator[DataValidation]:
        for index, (owner, column, dropdown) in enumerate(self.wanted, start=1):
            if owner is not layout:
                continue
            source = get_column_letter(index)
            rule = DataValidation(
                type="list",
                formula1=f"'{self.list_sheet}'!${source}$2:${source}${len(dropdown.choices) + 1}",
                allow_blank=True,
                showErrorMessage=dropdown.strict,
                errorTitle=column,
                error="Chọn một giá trị trong danh sách thả xuống.",
            )
            target = get_column_letter(list(layout.columns).index(column) + 1)
            rule.add(f"{target}2:{target}{max(1000, count + 500)}")
            yield rule


BOLD, WRAP = Style(bold=True), Style(wrap=True)


def _with_number_formats(
    layout: Layout, rows: Iterable[Sequence[object]]
) -> Iterator[Sequence[object]]:
    at = [i for i, column in enumerate(layout.columns) if column in layout.number_columns]
    for row in rows:
        if not at:
            yield row
            continue
        cells = list(row)
        for i in at:
            value = cells[i] if i < len(cells) else None
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cells[i] = Styled(value, Style(number_format=number_format(value)))
        yield cells


def write_workbook(
    sheets: Sequence[tuple[Layout, Iterable[Sequence[object]]]],
    *,
    title: str,
    rules: Sequence[str],
    help_sheet: str = "Hướng dẫn",
    list_sheet: str = "Danh mục",
) -> bytes:
    """The template (no rows) or an export: the data sheets, instructions, dropdown lists."""
    exporter = TemplateExporter(
        sheets, title=title, rules=rules, help_sheet=help_sheet, list_sheet=list_sheet
    )
    return render_xlsx(exporter)

"""Excel tables: a header row, then one record per row, with Vietnamese messages that name
the row and the column. Shared by the roster and the field-work imports.

- Reading: :func:`read_table` maps a sheet's header to known columns (case- and
  diacritic-insensitively) and returns the filled rows as ``{column: value}``; cells come
  from the streaming reader in :mod:`gandan.core.xlsx_reader`. :class:`Cells` parses one
  row and collects its errors.
- Writing: :func:`write_workbook` writes data sheets, an instructions sheet and dropdown
  lists (on a hidden sheet: inline lists are limited to 255 characters), in openpyxl's
  write-only mode so that a big export keeps memory flat.
"""

import datetime
import functools
import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gandan.core.dates import vn_date
from gandan.core.text import clean, fold
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
    strict: bool = False,
    limits: Limits,
    label: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[Rows, list[RowError]]:
    """The filled rows of ``sheet`` keyed by column, with their row numbers.

    The header (row 1) is matched case- and diacritic-insensitively; ``aliases`` maps other
    header texts to a column. ``strict``: a column that is not in the layout but holds data
    is an error (its data would be lost silently). ``label`` names the sheet in errors.
    Raises :class:`NotAWorkbook` when the sheet cannot be parsed.
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
        column = wanted.get(fold(text))
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
        if strict and unknown:
            filled.update(i for i, v in cells.items() if i in unknown and not is_blank(v))
        if line > limits.scan_rows or len(rows) > limits.max_rows:
            return [], [RowError(None, None, f"Tệp có quá {limits.max_rows} dòng.", label)]
    message = "cột này không có trong mẫu; xóa cột hoặc tải tệp mẫu mới rồi chép dữ liệu sang."
    errors = [RowError(1, unknown[i], message, label) for i in sorted(filled)]
    return ([], errors) if errors else (rows, [])


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
            self.error(column, f"ngày «{cell_text(raw)}» không hợp lệ; ghi ngày/tháng/năm, ví dụ 05/07/2004.")  # fmt: skip
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
    dropdowns: Mapping[str, Dropdown] = field(default_factory=dict)


def _safe(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_workbook(
    sheets: Sequence[tuple[Layout, Iterable[Sequence[object]]]],
    *,
    title: str,
    rules: Sequence[str],
    help_sheet: str = "Hướng dẫn",
    list_sheet: str = "Danh mục",
) -> bytes:
    """The template (no rows) or an export: the data sheets, instructions, dropdown lists."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    counts: list[int] = []
    for layout, rows in sheets:
        sheet = book.create_sheet(layout.title)
        sheet.freeze_panes = "A2"
        text_at = [i for i, column in enumerate(layout.columns) if column in layout.text_columns]
        for index, column in enumerate(layout.columns, start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = 30 if column in layout.wide_columns else 16
            if column in layout.text_columns:
                dimension.number_format = "@"
        sheet.append([_styled(sheet, column, font=bold) for column in layout.columns])
        count = 0
        for row in rows:
            cells = [_safe(value) for value in row]
            for i in text_at:
                if cells[i] is not None:
                    cells[i] = _styled(sheet, cells[i], number_format="@")
            sheet.append(cells)
            count += 1
        counts.append(count)
    _write_guide(book, sheets, title=title, rules=rules, name=help_sheet)
    _add_dropdowns(book, sheets, counts, name=list_sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _styled(sheet: object, value: object, **style: object) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _write_guide(
    book: Workbook,
    sheets: Sequence[tuple[Layout, object]],
    *,
    title: str,
    rules: Sequence[str],
    name: str,
) -> None:
    guide = book.create_sheet(name)
    widest = max(len(column) for layout, _rows in sheets for column in layout.columns)
    for letter, width in (("A", max(18, min(widest + 2, 50))), ("B", 10), ("C", 100)):
        guide.column_dimensions[letter].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True)
    guide.append([_styled(guide, title, font=bold)])
    guide.append([])
    for rule in rules:
        guide.append([f"• {rule}"])
    for layout, _rows in sheets:
        guide.append([])
        if len(sheets) > 1:
            guide.append([_styled(guide, f"Trang «{layout.title}»", font=bold)])
        guide.append([_styled(guide, text, font=bold) for text in ("Cột", "Bắt buộc", "Cách ghi")])
        for column in layout.columns:
            mark = "*" if column in layout.required else ""
            guide.append(
                [column, mark, _styled(guide, layout.help.get(column, ""), alignment=wrap)]
            )


def _add_dropdowns(
    book: Workbook,
    sheets: Sequence[tuple[Layout, object]],
    counts: Sequence[int],
    *,
    name: str,
) -> None:
    lists = book.create_sheet(name)
    lists.sheet_state = "hidden"
    wanted = [
        (book[layout.title], layout, column, dropdown, count)
        for (layout, _rows), count in zip(sheets, counts, strict=True)
        for column, dropdown in layout.dropdowns.items()
        if dropdown.choices
    ]
    lists.append([column for _s, _l, column, _d, _c in wanted])
    for row in range(max((len(d.choices) for *_x, d, _c in wanted), default=0)):
        lists.append([_safe(d.choices[row]) if row < len(d.choices) else None for *_x, d, _c in wanted])  # fmt: skip
    for index, (sheet, layout, column, dropdown, count) in enumerate(wanted, start=1):
        source = get_column_letter(index)
        rule = DataValidation(
            type="list",
            formula1=f"'{name}'!${source}$2:${source}${len(dropdown.choices) + 1}",
            allow_blank=True,
            showErrorMessage=dropdown.strict,
            errorTitle=column,
            error="Chọn một giá trị trong danh sách thả xuống.",
        )
        target = get_column_letter(list(layout.columns).index(column) + 1)
        rule.add(f"{target}2:{target}{max(1000, count + 500)}")
        sheet.data_validations.append(rule)

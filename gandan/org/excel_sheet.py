"""The roster workbook's layout: columns, dropdowns, instructions, and reading its cells.

The rules of the import live in :mod:`gandan.org.excel`; this module only knows the sheet.
Labels are written and read in Vietnamese, whatever the language of the request.
"""

import datetime
import functools
import io
import re
import warnings
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gandan.core.dates import today, vn_date
from gandan.core.text import clean, fold
from gandan.org.models import ETHNIC_GROUPS, LANGUAGES, Member, Position, TeamLevel

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # filled rows; a sheet may hold more blank (formatted) rows, up to SCAN_ROWS
SCAN_ROWS = 100_000
DATA_SHEET, HELP_SHEET, LIST_SHEET = "Danh sách", "Hướng dẫn", "Danh mục"

ID, NAME, GENDER, BIRTH, ETHNIC, LANGS, PHONE = (
    "Mã cán bộ", "Họ và tên", "Giới tính", "Năm sinh", "Dân tộc", "Tiếng dân tộc", "Điện thoại",
)  # fmt: skip
UNIT, TEAM, LEVEL, POSITION, START, END = (
    "Mã đơn vị", "Tên đội", "Cấp đội", "Chức vụ", "Từ ngày", "Đến ngày",
)  # fmt: skip
COLUMNS = (ID, NAME, GENDER, BIRTH, ETHNIC, LANGS, PHONE, UNIT, TEAM, LEVEL, POSITION, START, END)
REQUIRED = (ID, NAME, GENDER, UNIT, TEAM, POSITION, START)
TEXT_COLUMNS = (ID, PHONE, UNIT, START, END)  # kept as typed: leading zeros, dd/mm/yyyy
PERSON = (NAME, GENDER, BIRTH, ETHNIC, LANGS, PHONE)
HELP = {
    ID: "Mã duy nhất của mỗi người, ví dụ DL-0001. Một người có nhiều dòng khi có nhiều thời gian công tác.",
    NAME: "Ghi đủ dấu, kể cả chữ Ê Đê (ƀ, č, ĕ, ŏ, ŭ, ñ, ơ̆).",
    GENDER: "Chọn Nam hoặc Nữ.",
    BIRTH: "Bốn chữ số, ví dụ 1985. Để trống: giữ như đã có.",
    ETHNIC: "Chọn trong danh sách. Bắt buộc với người mới; để trống: giữ như đã có.",
    LANGS: "Các tiếng dân tộc sử dụng được, cách nhau bằng dấu phẩy. Để trống: giữ như đã có.",
    PHONE: "Để trống: giữ như đã có.",
    UNIT: "Mã chính thức của đơn vị hành chính có đội, ví dụ 66 (tỉnh), 656 (huyện), 24580 (xã).",
    TEAM: "Tên đội của đơn vị đó, đang hoạt động vào ngày bắt đầu, đúng như trong hệ thống.",
    LEVEL: "Không bắt buộc; nếu ghi thì phải đúng cấp của đội.",
    POSITION: "Chọn trong danh sách.",
    START: "Ngày bắt đầu, dạng ngày/tháng/năm, ví dụ 05/07/2004.",
    END: "Ngày làm việc cuối cùng (tính cả ngày này). Để trống nếu đang công tác.",
}
RULES = (
    "Mỗi dòng là một thời gian công tác của một người trong một đội.",
    "Tệp được nhận hoặc từ chối toàn bộ: chỉ cần một dòng sai thì không có gì được ghi, "
    "và báo cáo nêu từng dòng, từng cột cần sửa.",
    "Nhập lại cùng một tệp không thay đổi gì: dòng đã có trong hệ thống được bỏ qua.",
    "Một người không thể có hai thời gian công tác chồng nhau.",
    "Cột có dấu * ở bảng dưới là bắt buộc.",
)
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class RowError:
    line: int | None  # the sheet's row number; None for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"Dòng {self.line}"] if self.line else []
        where += [f"cột «{self.column}»"] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


@functools.cache
def vocabulary() -> dict[str, list[tuple[str, str]]]:
    """(value, label) per dropdown column, in Vietnamese whatever the request's language."""
    with translation.override("vi"):
        return {
            GENDER: [(key, str(label)) for key, label in Member.Gender.choices],
            ETHNIC: list(ETHNIC_GROUPS),
            LANGS: list(LANGUAGES),
            LEVEL: [(key, str(label)) for key, label in TeamLevel.choices],
            POSITION: [(key, str(label)) for key, label in Position.choices],
        }


def label(column: str, value: str) -> str:
    return dict(vocabulary()[column]).get(value, value)


def lookup(column: str, text: str) -> str | None:
    """The stored value for a label, forgiving case, missing diacritics and "Tiếng"."""
    key = fold(text).removeprefix("tieng ")
    for value, shown in vocabulary()[column]:
        if key in (value, fold(shown).removeprefix("tieng ")):
            return value
    return None


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.date):
        return vn_date(value)
    return clean(str(value))


def cell_date(value: object) -> datetime.date:
    """An Excel date, dd/mm/yyyy or yyyy-mm-dd; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        text = cell_text(value)
        if match := _DMY.fullmatch(text):
            value = datetime.date(int(match[3]), int(match[2]), int(match[1]))
        elif _ISO.fullmatch(text):
            value = datetime.date.fromisoformat(text)
        else:
            raise ValueError(text)
    if not 1945 <= value.year <= 2100:
        raise ValueError(value)
    return value


def read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, object]]], list[RowError]]:
    """The filled rows of the data sheet, keyed by header, with their row numbers."""
    if len(data) > MAX_BYTES:
        return [], [RowError(None, None, f"Tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")]
    rows: list[tuple[int, dict[str, object]]] = []
    try:
        with warnings.catch_warnings():  # e.g. Excel's extended validations, which we ignore
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            names = book.sheetnames
            sheet = book[DATA_SHEET] if DATA_SHEET in names else book.worksheets[0]
            lines = sheet.iter_rows(values_only=True)
            header = [fold(cell_text(cell)) for cell in next(lines, ())]
            where = {c: header.index(fold(c)) for c in COLUMNS if fold(c) in header}
            missing = [c for c in REQUIRED if c not in where]
            if missing:
                return [], [RowError(1, c, "thiếu cột này ở dòng tiêu đề.") for c in missing]
            for line, cells in enumerate(lines, start=2):
                values: dict[str, object] = {
                    c: cells[i] if i < len(cells) else None for c, i in where.items()
                }
                if any(cell_text(v) for v in values.values()):
                    rows.append((line, values))
                if line > SCAN_ROWS or len(rows) > MAX_ROWS:
                    return [], [RowError(None, None, f"Tệp có quá {MAX_ROWS} dòng.")]
        finally:
            book.close()
    except Exception:  # openpyxl fails in many ways on a file that is not a workbook
        return [], [RowError(None, None, "Tệp không phải bảng tính Excel .xlsx hợp lệ.")]
    if not rows:
        return [], [RowError(None, None, "Tệp không có dòng dữ liệu nào.")]
    return rows, []


class Cells:
    """One sheet row being parsed; collects its errors."""

    def __init__(self, line: int, values: dict[str, object]) -> None:
        self.line, self.values = line, values
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def text(self, column: str, *, max_length: int = 200) -> str:
        value = cell_text(self.values.get(column))
        if not value and column in REQUIRED:
            self.error(column, "không được để trống.")
        elif len(value) > max_length:
            self.error(column, f"dài quá {max_length} ký tự.")
            return ""
        return value

    def choice(self, column: str) -> str | None:
        value = self.text(column)
        found = lookup(column, value) if value else None
        if value and found is None:
            self.error(
                column, f"«{value}» không có trong danh mục; chọn trong danh sách thả xuống."
            )
        return found

    def date(self, column: str) -> datetime.date | None:
        raw = self.values.get(column)
        if not self.text(column):
            return None
        try:
            return cell_date(raw)
        except ValueError:
            self.error(column, f"ngày «{cell_text(raw)}» không hợp lệ; ghi ngày/tháng/năm, ví dụ 05/07/2004.")  # fmt: skip
            return None

    def birth_year(self) -> int | None:
        text = self.text(BIRTH)
        year = int(text) if _YEAR.fullmatch(text) else None
        if text and not (year and 1930 <= year <= today().year - 16):
            self.error(BIRTH, f"năm sinh «{text}» không hợp lệ.")
        return year

    def languages(self) -> tuple[str, ...] | None:
        parts = [p.strip() for p in re.split(r"[,;]", self.text(LANGS)) if p.strip()]
        found = [lookup(LANGS, part) for part in parts]
        unknown = [part for part, key in zip(parts, found, strict=True) if key is None]
        if unknown:
            self.error(LANGS, f"không có trong danh mục: {', '.join(unknown)}.")
        return tuple(sorted({key for key in found if key})) if parts else None


def write_workbook(rows: list[list[Any]]) -> bytes:
    """The template (no rows) or an export: the data sheet, instructions, dropdown lists."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = DATA_SHEET
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = 30 if column in (NAME, TEAM) else 16
        if column in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
    guide = book.create_sheet(HELP_SHEET)
    guide.append(["Hướng dẫn điền danh sách thành viên Đội công tác"])
    guide.append([])
    for rule in RULES:
        guide.append([f"• {rule}"])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    heading = guide.max_row
    for column in COLUMNS:
        guide.append([column, "*" if column in REQUIRED else "", HELP[column]])
    for cell in (guide.cell(1, 1), *guide[heading]):
        cell.font = Font(bold=True)
    for letter, width in (("A", 18), ("B", 10), ("C", 100)):
        guide.column_dimensions[letter].width = width
    for (cell,) in guide.iter_rows(min_row=heading + 1, min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True)
    _add_dropdowns(book, sheet, last_row=max(1000, len(rows) + 500))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _add_dropdowns(book: Any, sheet: Any, *, last_row: int) -> None:
    """Lists live on a hidden sheet: inline lists are limited to 255 characters."""
    lists = book.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    for index, (column, choices) in enumerate(vocabulary().items(), start=1):
        source = get_column_letter(index)
        lists.cell(1, index, column)
        for row, (_value, text) in enumerate(choices, start=2):
            lists.cell(row, index, text)
        rule = DataValidation(
            type="list",
            formula1=f"'{LIST_SHEET}'!${source}$2:${source}${len(choices) + 1}",
            allow_blank=True,
            # Several languages go in one cell: the list only helps.
            showErrorMessage=column != LANGS,
            errorTitle=column,
            error="Chọn một giá trị trong danh sách thả xuống.",
        )
        sheet.add_data_validation(rule)
        target = get_column_letter(COLUMNS.index(column) + 1)
        rule.add(f"{target}2:{target}{last_row}")

"""The roster workbook's layout: columns, dropdowns, instructions, and reading its cells.

The rules of the import live in :mod:`gandan.org.excel`; this module only knows the sheet.
Labels are written and read in Vietnamese, whatever the language of the request.
"""

import functools
import re
from typing import Any

from django.utils import translation

from gandan.core import xlsx
from gandan.core.dates import today
from gandan.core.text import fold
from gandan.core.xlsx import Dropdown, Layout, Limits, RowError
from gandan.org.models import ETHNIC_GROUPS, LANGUAGES, Member, Position, TeamLevel

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # filled rows; a sheet may hold more blank (formatted) rows, up to SCAN_ROWS
SCAN_ROWS = 100_000
DATA_SHEET, HELP_SHEET, LIST_SHEET = "Danh sách", "Hướng dẫn", "Danh mục"

ID, NAME, GENDER, BIRTH, ETHNIC, LANGS, PHONE = (
    "Mã cán bộ",
    "Họ và tên",
    "Giới tính",
    "Năm sinh",
    "Dân tộc",
    "Tiếng dân tộc",
    "Điện thoại",
)
UNIT, TEAM, LEVEL, POSITION, START, END = (
    "Mã đơn vị",
    "Tên đội",
    "Cấp đội",
    "Chức vụ",
    "Từ ngày",
    "Đến ngày",
)
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
_YEAR = re.compile(r"[0-9]{4}")


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


def read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, object]]], list[RowError]]:
    """The filled rows of the data sheet, keyed by header, with their row numbers."""
    return xlsx.read_rows(
        data,
        sheet=DATA_SHEET,
        columns=COLUMNS,
        required=REQUIRED,
        max_bytes=MAX_BYTES,
        limits=Limits(max_rows=MAX_ROWS, scan_rows=SCAN_ROWS),
    )


class Cells(xlsx.Cells):
    """One roster row being parsed; collects its errors."""

    required = REQUIRED

    def choice(self, column: str) -> str | None:
        value = self.text(column)
        found = lookup(column, value) if value else None
        if value and found is None:
            self.error(
                column, f"«{value}» không có trong danh mục; chọn trong danh sách thả xuống."
            )
        return found

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
    dropdowns = {
        column: Dropdown([text for _value, text in choices], strict=column != LANGS)
        for column, choices in vocabulary().items()
    }
    layout = Layout(
        title=DATA_SHEET,
        columns=COLUMNS,
        help=HELP,
        required=REQUIRED,
        text_columns=TEXT_COLUMNS,
        wide_columns=(NAME, TEAM),
        dropdowns=dropdowns,
    )
    return xlsx.write_workbook(
        [(layout, rows)],
        title="Hướng dẫn điền danh sách thành viên Đội công tác",
        rules=RULES,
        help_sheet=HELP_SHEET,
        list_sheet=LIST_SHEET,
    )

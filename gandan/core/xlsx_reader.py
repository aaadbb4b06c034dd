"""Reading .xlsx cell values with python-calamine (Rust), for :mod:`gandan.core.xlsx`.

It replaced a hand-written expat reader (ADR 0019): calamine read the 100.000-row import
workbook 2,3× faster (``bench/xlsx_readers.py``). What the importer gets is unchanged:
strings (shared, inline or rich text, phonetic runs left out), numbers as ``int`` or an exact
``Decimal`` (never a rounding float: calamine's float, which keeps Excel's 15 significant
digits, goes through its shortest decimal form), booleans and dates (numbers in a date
format). A formula gives its cached value, or nothing. Anything that is not such a
workbook, or whose sheets would inflate past :data:`MAX_PART_BYTES`, is
:class:`NotAWorkbook`.
"""

import datetime
import io
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TypeVar

from python_calamine import CalamineWorkbook

MAX_PART_BYTES = 512 * 1024 * 1024  # uncompressed; a zip bomb is refused, not inflated
Cell = str | int | Decimal | bool | datetime.datetime | datetime.date | None
T = TypeVar("T")


class NotAWorkbook(Exception):
    """The bytes are not an .xlsx workbook this reader understands."""


def _value(raw: object) -> Cell:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float):
        if raw.is_integer() and abs(raw) < 10**30:
            return int(raw)
        return Decimal(repr(raw))
    if isinstance(raw, int):
        return raw
    if raw == "" or raw is None:
        return None
    if isinstance(raw, datetime.datetime | datetime.date | str):
        return raw
    return str(raw)  # a time or a duration: shown as text, as the importer reads text


def _guarded(read: Callable[[], T]) -> T:
    """calamine raises its own errors, and a Rust panic is a BaseException: all of them say
    the bytes are not a workbook we can read."""
    try:
        return read()
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:
        raise NotAWorkbook from error


class XlsxReader:
    """The sheets of a workbook; each read whole when asked for, then given row by row."""

    def __init__(self, data: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                inflated = sum(info.file_size for info in archive.infolist())
        # zipfile raises NotImplementedError for a zip version or method it cannot read,
        # RuntimeError for an encrypted one, EOFError for a cut one
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,
            RuntimeError,
            EOFError,
            ValueError,
            OSError,
        ) as error:
            raise NotAWorkbook from error
        if inflated > MAX_PART_BYTES:
            raise NotAWorkbook
        self.book = _guarded(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)))
        self.sheets: dict[str, str] = {name: name for name in self.book.sheet_names}

    def rows(
        self, sheet: str, progress: Callable[[float], None] | None = None
    ) -> Iterator[tuple[int, dict[int, Cell]]]:
        """(row number, {column index: value}) for each row with a cell; raises NotAWorkbook."""
        if sheet not in self.sheets:
            raise NotAWorkbook
        book = self.book
        found = _guarded(lambda: book.get_sheet_by_name(sheet))
        table = _guarded(lambda: found.to_python(skip_empty_area=False))
        if progress is not None:
            progress(1.0)  # calamine reads a sheet whole
        for offset, raw_row in enumerate(table):
            cells: dict[int, Cell] = {
                i: value for i, raw in enumerate(raw_row) if (value := _value(raw)) is not None
            }
            if cells:
                yield offset + 1, cells

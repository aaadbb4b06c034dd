"""The hand-written expat reader of .xlsx values that python-calamine replaced (ADR 0019),
kept only for bench/xlsx_readers.py. A fast, streaming reader of .xlsx cell values (see :mod:`gandan.core.xlsx`).

Without lxml, openpyxl's read-only mode needs about 25 s for 100.000 rows here, and parses a
sheet twice when the file has no ``<dimension>`` (files that openpyxl itself writes). This
reader streams the sheet XML through expat and keeps only the values: strings (shared or
inline), numbers (``int`` or an exact ``Decimal``, never a rounding float), booleans and
dates (numbers in a date format). A formula gives its cached value, or nothing.
"""

import datetime
import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAX_PART_BYTES = 512 * 1024 * 1024  # uncompressed; a zip bomb is refused, not inflated
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Elements and attributes in expat's "namespace name" form.
_C, _V, _IS_T, _ROW, _PHONETIC, _SI, _SHEET, _WORKBOOK_PR, _NUM_FMT, _CELL_XFS, _XF = (
    f"{_MAIN} {name}"
    for name in (
        "c",
        "v",
        "t",
        "row",
        "rPh",
        "si",
        "sheet",
        "workbookPr",
        "numFmt",
        "cellXfs",
        "xf",
    )
)
_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
_REL_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
BROKEN = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    IndexError,
    ValueError,
    OverflowError,
    expat.ExpatError,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    UnicodeError,
    RecursionError,
)
Cell = str | int | Decimal | bool | datetime.datetime | None


class NotAWorkbook(Exception):
    """The bytes are not an .xlsx workbook this reader understands."""


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _number(text: str) -> int | Decimal | str:
    """Exact: "15000000" is an int, "2.345" a Decimal (never a float that rounds)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if value.is_finite() and abs(value) < 10**30 and value == value.to_integral_value():
        return int(value)
    return value


class _SheetParser:
    """Expat handlers that turn ``<row><c r="B2" t="s" s="1"><v>…`` into rows of values.

    The handlers are closures over local state: about twice as fast as methods, and they
    run a few million times for a big file.
    """

    def __init__(self, shared: list[str], date_styles: set[int], epoch: datetime.datetime) -> None:
        self.done: list[tuple[int, dict[int, Cell]]] = []
        done = self.done
        letters: dict[str, int] = {}
        cells: dict[int, Cell] = {}
        line = column = style = phonetic = 0
        kind: str | None = None
        text: str | None = None
        collecting = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal line, column, style, phonetic, kind, text, collecting, cells
            if name == _C:
                ref = attrs.get("r")
                if ref:
                    key = ref.rstrip("0123456789")
                    if key not in letters:
                        letters[key] = _column_index(key.upper())
                    column = letters[key]
                else:
                    column += 1
                kind, text = attrs.get("t"), None
                style = int(attrs.get("s") or 0)
            elif name in (_V, _IS_T):
                collecting = not phonetic
            elif name == _ROW:
                line = int(attrs.get("r") or line + 1)
                cells, column = {}, -1
            elif name == _PHONETIC:
                phonetic += 1

        def end(name: str) -> None:
            nonlocal collecting, phonetic
            if name == _C:
                if text is not None:
                    cells[column] = value(text)
            elif name in (_V, _IS_T):
                collecting = False
            elif name == _ROW:
                done.append((line, cells))
            elif name == _PHONETIC:
                phonetic -= 1

        def data(chunk: str) -> None:
            nonlocal text
            if collecting:
                text = chunk if text is None else text + chunk

        def value(raw: str) -> Cell:
            if kind == "s":
                return shared[int(raw)]
            if kind in ("inlineStr", "str", "e"):
                return raw
            if kind == "b":
                return raw.strip() == "1"
            if kind == "d":
                try:
                    return datetime.datetime.fromisoformat(raw)
                except ValueError:
                    return raw
            number = _number(raw)
            if style in date_styles and not isinstance(number, str):
                try:
                    moment = from_excel(number, epoch)
                except (ValueError, OverflowError, TypeError, ArithmeticError):
                    return number
                if isinstance(moment, datetime.datetime):
                    return moment
            return number

        parser = _expat()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        self.parser = parser


def _refuse_dtd(*_args: object) -> None:
    """Workbooks never declare a DTD; refusing one rules out entity expansion attacks."""
    raise NotAWorkbook


def _expat() -> Any:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.buffer_text = True
    return parser


class XlsxReader:
    """The sheets of a workbook, read lazily, one row at a time."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            workbook = self._part_path("_rels/.rels", "officeDocument", "xl/workbook.xml")
            base = posixpath.dirname(workbook)
            rels = self._rels(posixpath.join(base, "_rels", posixpath.basename(workbook) + ".rels"))
            sheets, date1904 = self._workbook(workbook)
            self.sheets = {
                name: self._resolve(base, rels.get(rid, ("", ""))[1]) for name, rid in sheets
            }
            self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
            by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
            self.shared = self._shared(self._resolve(base, by_type.get("sharedStrings", "")))
            self.date_styles = self._date_styles(self._resolve(base, by_type.get("styles", "")))
        except BROKEN as error:
            raise NotAWorkbook from error
        if not self.sheets:
            raise NotAWorkbook

    @staticmethod
    def _resolve(base: str, target: str) -> str:
        if not target:
            return ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        return posixpath.normpath(path)

    def _open(self, path: str) -> Any:
        if self.zip.getinfo(path).file_size > MAX_PART_BYTES:
            raise NotAWorkbook
        return self.zip.open(path)

    def _parse(
        self,
        path: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        data: Callable[[str], None] | None = None,
    ) -> None:
        parser = _expat()
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if data is not None:
            parser.CharacterDataHandler = data
        with self._open(path) as stream:
            parser.ParseFile(stream)

    def _rels(self, path: str) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == _RELATIONSHIP:
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

        if path in self.zip.namelist():
            self._parse(path, start)
        return found

    def _part_path(self, rels: str, kind: str, default: str) -> str:
        for rel_kind, target in self._rels(rels).values():
            if rel_kind.endswith("/" + kind):
                return target.lstrip("/")
        return default

    def _workbook(self, path: str) -> tuple[list[tuple[str, str]], bool]:
        sheets: list[tuple[str, str]] = []
        date1904 = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal date1904
            if name == _SHEET:
                sheets.append((attrs.get("name", ""), attrs.get(_REL_ID, "")))
            elif name == _WORKBOOK_PR:
                date1904 = attrs.get("date1904") in ("1", "true")

        self._parse(path, start)
        return sheets, date1904

    def _shared(self, path: str) -> list[str]:
        """<si> items: plain <t>, or rich-text runs <r><t>; never phonetic <rPh><t>."""
        strings: list[str] = []
        parts: list[str] = []
        phonetic = 0
        collecting = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal phonetic, collecting
            if name == _SI:
                parts.clear()
            elif name == _IS_T:
                collecting = not phonetic
            elif name == _PHONETIC:
                phonetic += 1

        def end(name: str) -> None:
            nonlocal phonetic, collecting
            if name == _SI:
                strings.append("".join(parts))
            elif name == _IS_T:
                collecting = False
            elif name == _PHONETIC:
                phonetic -= 1

        def data(text: str) -> None:
            if collecting:
                parts.append(text)

        if path and path in self.zip.namelist():
            self._parse(path, start, end, data)
        return strings

    def _date_styles(self, path: str) -> set[int]:
        formats: dict[int, str] = {int(k): v for k, v in BUILTIN_FORMATS.items()}
        styles: list[int] = []
        in_cell_xfs = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal in_cell_xfs
            if name == _NUM_FMT:
                formats[int(attrs.get("numFmtId") or 0)] = attrs.get("formatCode", "")
            elif name == _CELL_XFS:
                in_cell_xfs = True
            elif name == _XF and in_cell_xfs:
                styles.append(int(attrs.get("numFmtId") or 0))

        def end(name: str) -> None:
            nonlocal in_cell_xfs
            if name == _CELL_XFS:
                in_cell_xfs = False

        if path and path in self.zip.namelist():
            self._parse(path, start, end)
        return {i for i, fmt in enumerate(styles) if is_date_format(formats.get(fmt, "General"))}

    def rows(
        self, sheet: str, progress: Callable[[float], None] | None = None
    ) -> Iterator[tuple[int, dict[int, Cell]]]:
        """(row number, {column index: value}) for each row with a cell; raises NotAWorkbook."""
        try:
            path = self.sheets[sheet]
            size = max(1, self.zip.getinfo(path).file_size)
            parser = _SheetParser(self.shared, self.date_styles, self.epoch)

            def on_bytes(done: int) -> None:
                if progress is not None:
                    progress(min(1.0, done / size))

            with self._open(path) as stream:
                yield from _stream(parser, stream, on_bytes)
        except BROKEN as error:
            raise NotAWorkbook from error


def _stream(
    parser: _SheetParser, stream: Any, on_bytes: Callable[[int], None] | None = None
) -> Iterator[tuple[int, dict[int, Cell]]]:
    done = 0
    while chunk := stream.read(1 << 20):
        done += len(chunk)
        parser.parser.Parse(chunk, False)
        yield from parser.done
        parser.done.clear()
        if on_bytes:
            on_bytes(done)
    parser.parser.Parse(b"", True)
    yield from parser.done
    parser.done.clear()

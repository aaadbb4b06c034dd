"""Checks on written workbooks: formula-like text comes out inert (OWASP CSV injection)."""

import io
import re
import zipfile
from typing import Any

from openpyxl import load_workbook

# What people type that a spreadsheet would run: a link that phones home, a command.
HOSTILE = ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0"]
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >]")


def assert_inert(data: bytes, *texts: str) -> None:
    """Every given text is in the workbook exactly as typed, as a text cell with Excel's
    quote prefix, and no sheet holds a formula at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not _FORMULA.search(archive.read(name)), f"a formula in {name}"
    book = load_workbook(io.BytesIO(data))
    found: dict[str, Any] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in texts:
                    found[cell.value] = cell
    assert set(found) == set(texts), f"missing: {set(texts) - set(found)}"
    for cell in found.values():
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate

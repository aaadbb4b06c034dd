"""The exporter shape and its one guard: numbers stay numbers, formula-like text is inert."""

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gandan.core.exporters import (
    FORMULA_START,
    Exporter,
    Sheet,
    Style,
    Styled,
    number_format,
    render_csv,
    render_xlsx,
)
from gandan.tests.xlsx import HOSTILE, assert_inert


class Table(Exporter):
    def __init__(self, rows):
        self.rows = rows

    def sheets(self):
        yield Sheet("Bảng", self.rows)


def _cells(data):
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


@pytest.mark.parametrize("start", FORMULA_START)
def test_text_starting_like_a_formula_is_written_inert_and_reads_back_as_typed(start):
    text = f"{start}SUM(A1:A9)"
    data = render_xlsx(Table([[text, Styled(text, Style(bold=True))]]))

    assert_inert(data, text)
    assert _cells(data) == [[text, text]]


def test_the_hostile_names_of_the_issue_are_inert_in_xlsx_and_csv():
    data = render_xlsx(Table([HOSTILE]))
    assert_inert(data, *HOSTILE)
    text = render_csv(Table([HOSTILE])).decode("utf-8-sig")
    assert text.splitlines() == ['"\'=HYPERLINK(""http://x"")",\'=cmd|\' /C calc\'!A0']


def test_numbers_stay_numbers_with_vietnamese_formats():
    rows = [
        [
            -5,
            Decimal("1350"),
            Decimal("1350.5"),
            Styled(Decimal("5740"), Style(number_format=number_format(5740, "tren"))),
        ]
    ]
    data = render_xlsx(Table(rows))
    sheet = load_workbook(io.BytesIO(data)).active

    assert _cells(data) == [[-5, 1350, 1350.5, 5740]]
    assert [c.data_type for c in sheet[1]] == ["n"] * 4
    assert sheet["D1"].number_format == '"trên "#,##0'
    assert number_format(Decimal("1350.5")) == "#,##0.00"
    assert render_csv(Table(rows)).decode("utf-8-sig").strip() == "-5,1350,1350.5,5740"


def _xml_char(c: str) -> bool:
    """XML 1.0's Char production, written out independently of the code under test."""
    n = ord(c)
    return (
        n in (0x9, 0xA, 0xD)
        or 0x20 <= n <= 0xD7FF
        or 0xE000 <= n <= 0xFFFD
        or 0x10000 <= n <= 0x10FFFF
    )


def test_a_lone_surrogate_and_the_noncharacters_are_dropped_not_a_server_error():
    data = render_xlsx(Table([["Buôn\ud800 Ea\ufffe Kao\uffff"]]))

    assert _cells(data) == [["Buôn Ea Kao"]]


@settings(deadline=None, max_examples=40)
@given(st.text(st.characters(exclude_characters="\r"), max_size=40))
def test_any_text_reads_back_as_typed_less_xml_illegal_characters(text):
    data = render_xlsx(Table([[text]]))

    kept = "".join(c for c in text if _xml_char(c))
    assert _cells(data)[0][0] == (kept or None)

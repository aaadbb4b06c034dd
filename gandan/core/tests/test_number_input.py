"""Reading numbers people type (ADR 0013): the rule table, the messages, the form field and
the command-line type, and the round trip with ``format_number``."""

import argparse
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gandan.core.forms import NumberField, number_argument
from gandan.core.numbers import (
    Kind,
    NumberError,
    format_number,
    format_qualified,
    in_words,
    parse_number,
)

INTEGER, DECIMAL, MONEY = Kind.INTEGER, Kind.DECIMAL, Kind.MONEY
NBSP, NARROW_NBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("1.350", INTEGER, 1350),
        ("1.350", DECIMAL, 1350),  # a dot groups thousands, in every field
        ("1.350", MONEY, 1350),
        ("1.350,5", DECIMAL, Decimal("1350.5")),
        ("1,35", DECIMAL, Decimal("1.35")),
        ("1,350", DECIMAL, Decimal("1.35")),  # a measure: the comma is the decimal comma
        ("0,125", DECIMAL, Decimal("0.125")),
        ("1 350", INTEGER, 1350),
        (f"1{NBSP}350", INTEGER, 1350),
        (f"1{NARROW_NBSP}350", INTEGER, 1350),
        ("1.350.000", MONEY, 1350000),
        ("15.000.000 đ", MONEY, 15000000),
        ("15.000.000 đồng", MONEY, 15000000),
        ("1350", INTEGER, 1350),
        ("1350,000", INTEGER, 1350),  # not a thousands comma: 4 digits before it
        ("  240 ", INTEGER, 240),
        ("-5", INTEGER, -5),  # the sign is the caller's rule
        ("0", MONEY, 0),
    ],
)
def test_vietnamese_numbers_are_read(text, kind, value):
    assert parse_number(text, kind=kind) == value


@pytest.mark.parametrize(
    ("text", "kind", "says"),
    [
        ("1,350", INTEGER, "Viết 1.350 cho một nghìn ba trăm năm mươi"),
        ("1,350", MONEY, "không rõ là 1,35 hay 1.350"),
        ("12,500", INTEGER, "Viết 12.500 cho mười hai nghìn năm trăm"),
        ("1.35", DECIMAL, "Phần thập phân viết sau dấu phẩy: 1,35"),
        ("1.35", INTEGER, "dấu chấm chỉ dùng để tách hàng nghìn"),
        ("0.350", DECIMAL, "dấu chấm chỉ dùng để tách hàng nghìn"),
        ("1,350,000", MONEY, "viết 1.350.000"),
        ("1,350.5", DECIMAL, "viết 1.350,5"),
        ("13.50.000", INTEGER, "phải đủ 3 chữ số"),
        ("1.350.00", DECIMAL, "phải đủ 3 chữ số"),
        ("1 35", INTEGER, "phải đủ 3 chữ số"),
        ("1,5", INTEGER, "phải là số nguyên"),
        ("1.350,5", MONEY, "tiền phải là số nguyên (đồng)"),
        ("abc", INTEGER, "không phải là số"),
        ("15tr", MONEY, "không phải là số"),
        ("1e5", DECIMAL, "không phải là số"),
        ("1,5,0", DECIMAL, "không phải là số"),
        ("", INTEGER, "không phải là số"),
        ("-", DECIMAL, "không phải là số"),
    ],
)
def test_what_would_be_a_guess_is_refused_saying_why_and_how(text, kind, says):
    with pytest.raises(NumberError) as refused:
        parse_number(text, kind=kind)

    assert says in refused.value.message
    assert f"«{text.strip()}»" in refused.value.message  # the message quotes the input


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (5, "năm"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (105, "một trăm linh năm"),
        (1005, "một nghìn không trăm linh năm"),
        (1350, "một nghìn ba trăm năm mươi"),
        (1_350_000, "một triệu ba trăm năm mươi nghìn"),
    ],
)
def test_numbers_are_read_aloud_in_messages(number, words):
    assert in_words(number) == words


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_an_integer_formatted_then_parsed_is_the_same(value):
    assert parse_number(format_number(value), kind=INTEGER) == value


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from([" ", NBSP, NARROW_NBSP]))
def test_money_formatted_then_parsed_is_the_same(value, space):
    written = format_number(value)
    assert parse_number(written, kind=MONEY) == value
    assert parse_number(written.replace(".", space), kind=MONEY) == value
    assert parse_number(f"{written} đ", kind=MONEY) == value


@given(
    st.decimals(
        min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False
    )
)
def test_a_decimal_formatted_then_parsed_is_the_same(value):
    assert parse_number(format_number(value), kind=DECIMAL) == value


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "text"),
    [
        (5700, "exact", "", "5.700"),
        (5700, "tren", "", "trên 5.700"),
        (Decimal("147048.000"), "hon", "ngày công", "hơn 147.048 ngày công"),
        (80, "gan", "%", "gần 80 %"),
        (Decimal("1350.5"), "khoang", "tấn", "khoảng 1.350,5 tấn"),
        (10, "hang_chuc", "hộ", "hàng chục hộ"),
        (100, "hang_tram", "", "hàng trăm"),  # never "trên 100"
        (1000, "hang_nghin", "lượt người", "hàng nghìn lượt người"),
    ],
)
def test_a_figure_is_shown_with_its_qualifier(value, qualifier, unit, text):
    assert format_qualified(value, qualifier, unit) == text


def test_an_unknown_qualifier_is_never_dropped_silently():
    with pytest.raises(ValueError, match="khoang_chung"):
        format_qualified(5, "khoang_chung")


@pytest.mark.parametrize(
    ("kind", "typed", "cleaned"),
    [
        (INTEGER, "1.350", 1350),
        (MONEY, "15.000.000", 15000000),
        (DECIMAL, "1.350,5", Decimal("1350.5")),
        (DECIMAL, "", None),
        (INTEGER, 7, 7),
    ],
)
def test_the_form_field_reads_the_vietnamese_way(kind, typed, cleaned):
    assert NumberField(kind=kind, required=False).clean(typed) == cleaned


def test_the_form_field_refuses_with_the_parser_s_message_and_shows_numbers_back():
    field = NumberField(kind=INTEGER, min_value=0)
    with pytest.raises(
        ValidationError, match=re.escape("Viết 1.350 cho một nghìn ba trăm năm mươi")
    ):
        field.clean("1,350")
    with pytest.raises(ValidationError, match="không được âm"):
        field.clean("-1")
    with pytest.raises(ValidationError, match="Tối đa 3 chữ số"):
        NumberField(decimal_places=3).clean("1,2345")
    assert field.prepare_value(1350) == "1.350"
    assert field.prepare_value("1,350") == "1,350"  # what was typed stays for correcting
    assert field.widget_attrs(field.widget)["inputmode"] == "numeric"


def test_the_command_line_reads_numbers_as_the_forms_do():
    parser = argparse.ArgumentParser(exit_on_error=False)
    parser.add_argument("--months", type=number_argument(INTEGER))

    assert parser.parse_args(["--months", "1.200"]).months == 1200
    with pytest.raises(
        argparse.ArgumentError, match=re.escape("Viết 1.200 cho một nghìn hai trăm")
    ):
        parser.parse_args(["--months", "1,200"])

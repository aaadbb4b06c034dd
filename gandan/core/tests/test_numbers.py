from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gandan.core.numbers import format_number, in_prose


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0, 0, "0"),
        (568, 0, "568"),
        (1036, 0, "1.036"),
        (612500, 0, "612.500"),
        (1036418500000, 0, "1.036.418.500.000"),
        (Decimal("1.27"), 2, "1,27"),
        (Decimal("19.70"), 2, "19,7"),
        (-1500, 0, "-1.500"),
    ],
)
def test_format_number_uses_vietnamese_separators(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "text"),
    [
        (12046, "đợt", "exact", "trên 12.000 đợt"),
        (170412, "lượt người", "exact", "trên 170.000 lượt người"),
        (612540, "m²", "exact", "trên 612.500 m²"),
        (612500, "m²", "exact", "612.500 m²"),  # nothing rounded away: no word
        (568, "buổi", "exact", "568 buổi"),
        (604, "thôn, buôn, tổ dân phố", "exact", "604 thôn, buôn, tổ dân phố"),
        (1036418500000, "đồng", "exact", "hơn 1.036 tỷ đồng"),
        (2_000_000_000, "đồng", "exact", "2 tỷ đồng"),
        (850_000_123, "đồng", "exact", "trên 850.000.000 đồng"),
        (147048, "ngày công", "hon", "hơn 147.048 ngày công"),
        (5700, "đợt", "tren", "trên 5.700 đợt"),
        (Decimal("12.5"), "km", "exact", "12,5 km"),
    ],
)
def test_figures_read_as_in_the_review_article(value, unit, qualifier, text):
    assert str(in_prose(value, unit, qualifier)) == text


@given(st.integers(min_value=0, max_value=10**15))
def test_rounding_never_overstates(value):
    prose = in_prose(value, "đợt")
    shown = int(prose.number.replace(".", ""))

    assert shown <= value
    assert (prose.word == "") == (shown == value)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_number_round_trips(value):
    assert int(format_number(value).replace(".", "")) == value

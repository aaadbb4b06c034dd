import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gandan.core.text import clean, fold, sort_key

O_HORN_BREVE = "\u01a1\u0306"  # Ê Đê "ơ̆": ơ + combining breve, no precomposed code point
ASCII_DIGITS = re.compile(r"[0-9]*")


# fold: the search key ----------------------------------------------------------------------


def test_fold_ignores_case_and_diacritics():
    assert fold("ĐẮK LẮK") == fold("dak lak") == fold("Đắk Lắk") == "dak lak"


def test_fold_ignores_how_the_input_was_composed():
    decomposed = unicodedata.normalize("NFD", "Buôn Ma Thuột")

    assert fold(decomposed) == fold("Buôn Ma Thuột") == "buon ma thuot"


@pytest.mark.parametrize(
    ("ede", "folded"),
    [
        ("ƀ", "b"),
        ("Ƀ", "b"),
        ("č", "c"),
        ("Č", "c"),
        ("ĕ", "e"),
        ("ĭ", "i"),
        ("ŏ", "o"),
        ("ŭ", "u"),
        ("ñ", "n"),
        (O_HORN_BREVE, "o"),
        ("Akŏ Dhŏng", "ako dhong"),
        ("Y Săn Ayun", "y san ayun"),
        ("Buôn Ƀuôr", "buon buor"),
    ],
)
def test_fold_maps_ede_letters_to_their_ascii_base(ede, folded):
    assert fold(ede) == folded


def test_fold_collapses_spaces_and_trims():
    assert fold("  Ea \t Kar\n") == "ea kar"


# clean: the stored form --------------------------------------------------------------------


def test_clean_gives_nfc_single_spaces_and_straight_apostrophes():
    # given text pasted from a PDF: decomposed, with tabs, double spaces and curly quotes
    pasted = "  " + unicodedata.normalize("NFD", "Bon  Bu\tPrăng") + " M\u2019nông \u2018A\u02bc "

    # when
    cleaned = clean(pasted)

    # then
    assert cleaned == "Bon Bu Prăng M'nông 'A'"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_keeps_o_horn_breve_intact():
    assert clean(O_HORN_BREVE) == O_HORN_BREVE
    assert clean(f"Buôn Kơ̆ {O_HORN_BREVE}") == f"Buôn Kơ̆ {O_HORN_BREVE}"


@pytest.mark.parametrize(
    "typed",
    [
        "o\u031b\u0306",  # fully decomposed: o + horn + breve
        "o\u0306\u031b",  # marks in non-canonical order
        unicodedata.normalize("NFD", O_HORN_BREVE),
    ],
)
def test_clean_turns_decomposed_o_horn_breve_into_the_canonical_sequence(typed):
    assert clean(typed) == O_HORN_BREVE
    assert [hex(ord(ch)) for ch in clean(typed)] == ["0x1a1", "0x306"]


@pytest.mark.parametrize("name", ["Akŏ Dhŏng", "Y Săn Ayun", "Ƀuôn Čư Ñŭk", "Kơ̆ Sĭr Ĕa"])
def test_clean_leaves_ede_names_unchanged(name):
    assert clean(name) == name


# sort_key: Vietnamese collation ------------------------------------------------------------


def _sorted(words):
    return sorted(words, key=sort_key)


def test_alphabet_order_of_a_letters():
    assert _sorted(["b", "â", "ă", "a"]) == ["a", "ă", "â", "b"]


def test_d_sorts_before_d_with_stroke():
    assert sort_key("d") < sort_key("đ") < sort_key("e")
    assert _sorted(["Đắk Lắk", "Dray Sáp", "Đắk Nông", "Ea Kar"]) == [
        "Dray Sáp",
        "Đắk Lắk",
        "Đắk Nông",
        "Ea Kar",
    ]


def test_tones_only_break_ties():
    # ngang < huyền < hỏi < ngã < sắc < nặng
    assert _sorted(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sort_key("Hoa") < sort_key("Hòa")
    # a letter difference outweighs any tone
    assert sort_key("Hòa") < sort_key("Hoan")
    assert sort_key("Hóa") < sort_key("Hoa Bình")


def test_letter_order_beats_string_order():
    assert sort_key("Ea Kao") < sort_key("Ea Kar")
    assert sort_key("Ea") < sort_key("Ea Kar")
    # code-point order puts "Đ" (U+0110) after "z"; the alphabet puts it between d and e
    assert "Đắk" > "Zang"
    assert sort_key("Đắk") < sort_key("Ea") < sort_key("Zang")
    assert sort_key("Bôn") < sort_key("Bơn") < sort_key(f"B{O_HORN_BREVE}n") < sort_key("Bpn")


def test_ede_letters_sort_right_after_their_base():
    assert sort_key("ba") < sort_key("ƀa") < sort_key("ca")
    assert sort_key("ca") < sort_key("ča") < sort_key("da")
    assert sort_key("na") < sort_key("ña") < sort_key("oa")
    assert sort_key("ua") < sort_key("ŭa") < sort_key("ưa")


def test_sort_key_ignores_case_and_composition():
    assert sort_key("ĐẮK LẮK") == sort_key("đắk lắk")
    assert sort_key(unicodedata.normalize("NFD", "Hòa Thành")) == sort_key("Hòa Thành")


def test_sort_key_is_digits_only():
    assert ASCII_DIGITS.fullmatch(sort_key("Thôn 3, Buôn Ea Kao – M'nông"))
    assert sort_key("") == "00"


@pytest.mark.parametrize("value", ["m²", "Thôn ٣", "①"])
def test_sort_key_is_ascii_digits_for_unicode_digits(value):
    """Regression: str.isdigit() let "²" and non-ASCII digits into the key."""
    assert ASCII_DIGITS.fullmatch(sort_key(value))


# properties --------------------------------------------------------------------------------

# Any text, with Vietnamese and Ê Đê letters and loose combining marks made likely.
_texts = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from("0123456789 ăâđêôơưƀčĕĭŏŭñ²①٣\u0306\u031b\u0300\u0301"),
    )
)


@given(_texts)
def test_sort_key_is_always_a_string_of_ascii_digits(value):
    assert ASCII_DIGITS.fullmatch(sort_key(value))


@given(_texts)
def test_clean_is_idempotent(value):
    once = clean(value)

    assert clean(once) == once


@given(_texts)
def test_fold_is_stable_under_clean(value):
    assert fold(clean(value)) == fold(value)

"""Control characters and bidi overrides are refused in text (issue 13), in one place:
``core.text.plain_text``. Every letter people write, Ê Đê's included, passes unchanged
after NFC; any string holding a forbidden character is refused, naming the field and where."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gandan.core.text import ForbiddenCharacter, forbidden_character, plain_text

EDE = "ƀ č ĕ ĭ ŏ ŭ ñ ơ̆ Ƀ Č Ĕ Ĭ Ŏ Ŭ Ñ Ơ̆"
FORBIDDEN = (
    [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
    + [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    + [chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFFFE, 0xFFFF)]
)  # no characters at all
BREAKS = ["\t", "\n", "\r"]

# Every character a person may type: letters, marks, digits, punctuation, symbols, spaces
# (Unicode categories L*, M*, N*, P*, S*, Zs), less the bidi controls (category Cf anyway).
allowed_text = st.lists(
    st.characters(
        categories=("L", "M", "N", "P", "S", "Zs"),
        exclude_characters="".join(FORBIDDEN),
    )
    | st.sampled_from([*EDE.split(), "Đắk Lắk", "H'Ngơ\u0306ng", " "]),
).map("".join)


def test_ede_and_vietnamese_letters_pass():
    for text in (EDE, "Buôn Akŏ Dhŏng ơ̆", "Xã Liên Sơn Lắk", "Y Săn Ayun", "=1+2", "’«»—…"):
        assert plain_text(text, label="Tên") == unicodedata.normalize("NFC", text)


@given(text=allowed_text)
def test_any_string_of_allowed_characters_passes_unchanged_after_nfc(text):
    assert plain_text(text, label="Tên") == unicodedata.normalize("NFC", text)
    assert plain_text(text, label="Ghi chú", multiline=True) == unicodedata.normalize("NFC", text)


@given(before=allowed_text, bad=st.sampled_from(FORBIDDEN), after=allowed_text)
def test_any_string_holding_a_forbidden_character_is_refused(before, bad, after):
    text = before + bad + after
    multiline = bad in BREAKS

    for is_multiline in {False, multiline}:
        if is_multiline and bad in BREAKS:
            continue
        with pytest.raises(ForbiddenCharacter) as refused:
            plain_text(text, label="Họ và tên", multiline=is_multiline)
        assert refused.value.message.startswith("«Họ và tên»")
        assert refused.value.character == bad
        assert refused.value.position == len(before) + 1
        assert f"U+{ord(bad):04X}" in refused.value.message


@given(before=allowed_text, breaks=st.text(st.sampled_from(BREAKS), min_size=1), after=allowed_text)
def test_tabs_and_line_breaks_pass_only_in_multi_line_fields(before, breaks, after):
    text = before + breaks + after

    assert plain_text(text, label="Ghi chú", multiline=True) == unicodedata.normalize("NFC", text)
    with pytest.raises(ForbiddenCharacter, match="chỉ được viết trên một dòng"):
        plain_text(text, label="Nội dung")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\x00b", "«Tên» chứa ký tự không được phép U+0000 (NUL) ở vị trí 2"),
        (
            "\u202eabc",
            "«Tên» chứa ký tự không được phép U+202E (ký tự đảo chiều văn bản) ở vị trí 1",
        ),
        ("x\x1b[31m", "«Tên» chứa ký tự không được phép U+001B (ESC) ở vị trí 2"),
        (
            "ab\u2066c",
            "«Tên» chứa ký tự không được phép U+2066 (ký tự đảo chiều văn bản) ở vị trí 3",
        ),
        ("\x85", "«Tên» chứa ký tự không được phép U+0085 (ký tự điều khiển) ở vị trí 1"),
        ("a\tb", "«Tên» chỉ được viết trên một dòng: có U+0009 (dấu tab) ở vị trí 2"),
    ],
)
def test_the_message_names_the_field_the_character_and_where(text, message):
    with pytest.raises(ForbiddenCharacter) as refused:
        plain_text(text, label="Tên")
    assert refused.value.message.startswith(message)


def test_the_check_agrees_with_unicode_categories():
    """The fast pattern is exactly category Cc plus the bidi embeddings and isolates."""
    bidi = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
    for code in range(0x3000):
        ch = chr(code)
        expected = unicodedata.category(ch) == "Cc" or ch in bidi
        assert (forbidden_character(ch) is not None) == expected, hex(code)
        assert (forbidden_character(ch, multiline=True) is not None) == (
            expected and ch not in BREAKS
        ), hex(code)

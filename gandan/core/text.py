"""Vietnamese text: NFC storage, diacritic-insensitive search keys and collation keys.

Ê Đê letters (ƀ č ĕ ĭ ŏ ŭ ñ ơ̆) are kept as typed; "ơ̆" has no precomposed code point
and stays as ơ followed by U+0306 after NFC.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters that NFD does not decompose to an ASCII base.
_BASE_MAP = str.maketrans({"đ": "d", "Đ": "d", "ƀ": "b", "Ƀ": "b"})

# Vietnamese alphabet order; Ê Đê letters sort right after their base letter.
_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "ƀ",
    "c",
    "č",
    "d",
    "đ",
    "e",
    "ĕ",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "ĭ",
    "j",
    "k",
    "l",
    "m",
    "n",
    "ñ",
    "o",
    "ŏ",
    "ô",
    "ơ",
    "ơ̆",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ŭ",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_TONES = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}  # huyền hỏi ngã sắc nặng
_VOWELS = set("aeiouy")
_DIGITS = set("0123456789")


def clean(value: str) -> str:
    """NFC with single inner spaces and straight apostrophes, as stored everywhere."""
    value = value.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str) -> str:
    """Lower-case ASCII key for search: "ĐẮK LẮK" and "dak lak" both give "dak lak"."""
    decomposed = unicodedata.normalize("NFD", clean(value).translate(_BASE_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def _letters(word: str) -> list[tuple[str, int]]:
    """Split into (letter with its letter-marks, tone) pairs in NFC."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            if not out:
                continue
            base, tone = out[-1]
            if ch in _TONES and base[0] in _VOWELS:
                out[-1] = (base, _TONES[ch])
            else:  # breve, circumflex, horn, caron, or the tilde of Ê Đê ñ
                out[-1] = (base + ch, tone)
            continue
        out.append((ch, 1))
    return [(unicodedata.normalize("NFC", base), tone) for base, tone in out]


def sort_key(value: str) -> str:
    """A digits-only key that orders by Vietnamese collation in any database collation.

    Letters compare first (a < ă < â < b …), tones break ties (ngang < huyền < hỏi < ngã
    < sắc < nặng), so "Ea Kao" < "Ea Kar" and "Hòa" sorts after "Hoa".
    """
    primary: list[str] = []
    tones: list[str] = []
    for base, tone in _letters(clean(value)):
        if base in _ALPHABET:
            primary.append(f"{_ALPHABET.index(base) + 20:02d}")
        elif base in _DIGITS:
            primary.append(f"1{base}")
        elif base == " ":
            primary.append("01")
        else:
            primary.append("02")
        tones.append(str(tone))
    return ("".join(primary) + "00" + "".join(tones))[:250]


# Characters no text field keeps (issue 13): C0 and C1 control characters (NUL, ESC, DEL …),
# the bidirectional overrides and isolates that reorder what a reader sees (U+202A–202E,
# U+2066–2069), and what is no character at all: a lone surrogate (U+D800–DFFF, which JSON's
# "\ud800" can carry and no database encoding or XML document can hold) and the
# noncharacters U+FFFE and U+FFFF. Tab and line breaks are allowed where a field is multi-line.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_MULTILINE_ALLOWED = frozenset("\t\n\r")  # the line breaks of a textarea are CR LF
_NAMES = {
    "\x00": "NUL",
    "\t": "dấu tab",
    "\n": "xuống dòng",
    "\r": "xuống dòng",
    "\x1b": "ESC",
    "\x7f": "DEL",
}


class ForbiddenCharacter(ValueError):
    """Text holds a character no field keeps. ``message`` is Vietnamese and names the field."""

    def __init__(self, message: str, *, character: str, position: int) -> None:
        super().__init__(message)
        self.message, self.character, self.position = message, character, position


# Unicode category Cc is exactly U+0000–001F and U+007F–009F; Cs is U+D800–DFFF.
_NOT_TEXT = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_FORBIDDEN = re.compile(f"[\x00-\x1f{_NOT_TEXT}]")
_FORBIDDEN_MULTILINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_NOT_TEXT}]")


def forbidden_character(value: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first character ``value`` may not hold, with its 1-based position, or None."""
    found = (_FORBIDDEN_MULTILINE if multiline else _FORBIDDEN).search(value)
    return None if found is None else (found.start() + 1, found.group())


def describe_character(ch: str) -> str:
    """ "U+202E (ký tự đảo chiều văn bản)": how a refusal names the character."""
    if ch in _BIDI:
        kind = "ký tự đảo chiều văn bản"
    elif "\ud800" <= ch <= "\udfff" or ch in "\ufffe\uffff":
        kind = "không phải ký tự Unicode hợp lệ"
    else:
        kind = _NAMES.get(ch, "ký tự điều khiển")
    return f"U+{ord(ch):04X} ({kind})"


def plain_text(value: str, *, label: str, multiline: bool = False) -> str:
    """``value`` in NFC if it holds no forbidden character; otherwise ForbiddenCharacter,
    whose message names the field (``label``), the character and where it is. Ê Đê letters
    (ƀ č ĕ ĭ ŏ ŭ ñ ơ̆) and every other letter, digit, mark and punctuation pass."""
    found = forbidden_character(value, multiline=multiline)
    if found is None:
        return unicodedata.normalize("NFC", value)
    position, ch = found
    allowed = " (chỉ được dùng dấu tab và xuống dòng)" if multiline else ""
    message = (
        f"«{label}» chứa ký tự không được phép {describe_character(ch)} ở vị trí {position}"
        f"{allowed}. Hãy xoá ký tự đó rồi gửi lại."
    )
    if not multiline and ch in _MULTILINE_ALLOWED:
        message = (
            f"«{label}» chỉ được viết trên một dòng: có {describe_character(ch)} ở vị trí "
            f"{position}. Hãy xoá ký tự đó rồi gửi lại."
        )
    raise ForbiddenCharacter(message, character=ch, position=position)

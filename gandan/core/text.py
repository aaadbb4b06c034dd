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
    "a", "ă", "â", "b", "ƀ", "c", "č", "d", "đ", "e", "ĕ", "ê", "f", "g", "h", "i", "ĭ",
    "j", "k", "l", "m", "n", "ñ", "o", "ŏ", "ô", "ơ", "\u01a1\u0306", "p", "q", "r", "s", "t", "u",
    "ŭ", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
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

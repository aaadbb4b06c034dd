"""Vietnamese numbers: "." for thousands, "," for decimals (1.036 tỷ, 1,27 cm), both ways.

- ``format_number`` writes them, ``format_qualified`` writes a figure with its qualifier
  ("trên 5.700", "hàng trăm"), ``in_prose`` adds the rounding words of official prose
  ("trên 12.000 đợt", "hơn 1.036 tỷ đồng").
- ``parse_number`` reads what a person typed (a form, a text cell of a workbook, the command
  line) and refuses, with the reason and the right way to write it, anything it would have
  to guess (ADR 0013 has the full rule table).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from gandan.core.errors import DomainError

BILLION = Decimal(1_000_000_000)
# Exact figures below this stay exact in prose ("568 buổi", "604 thôn").
ROUNDING_FROM = 10_000
ROUNDING_STEP = 500

# The qualifiers of a figure (``work.Qualifier``, ``analytics.quantity``; ADR 0013) and
# their words. An order of magnitude is said without its number: "hàng trăm", not "trên 100".
QUALIFIER_WORDS = {
    "exact": "",
    "tren": "trên",
    "hon": "hơn",
    "gan": "gần",
    "khoang": "khoảng",
    "hang_chuc": "hàng chục",
    "hang_tram": "hàng trăm",
    "hang_nghin": "hàng nghìn",
}
ORDER_OF_MAGNITUDE = frozenset({"hang_chuc", "hang_tram", "hang_nghin"})


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """1036418 → "1.036.418"; 1.27 with decimals=2 → "1,27"; trailing decimal zeros dropped.

    ``decimals`` cuts (rounds down) to that many places; 0 keeps every digit the value has,
    so a recorded 2,5 tấn is never shown as 2. Round floats before formatting them."""
    amount = Decimal(str(value))
    if decimals:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
    sign = "-" if amount < 0 else ""
    whole, _, frac = f"{abs(amount):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    frac = frac.rstrip("0")
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


@dataclass(frozen=True)
class Prose:
    """A figure as it reads in a sentence: an optional word, the number, its unit."""

    word: str
    number: str
    unit: str

    def __str__(self) -> str:
        return " ".join(part for part in (self.word, self.number, self.unit) if part)


def in_prose(value: Decimal | int, unit: str, qualifier: str = "exact") -> Prose:
    """How a figure reads in a report.

    - A figure that carries a qualifier from its sources ("hơn 147.048") keeps it and its
      digits: the sources already said it is a bound. An order of magnitude is said
      without its number ("hàng trăm hộ").
    - Money of a billion đồng or more reads in tỷ, rounded down, with "hơn" when rounded.
    - Other exact figures from 10.000 up are rounded down to a multiple of 500, with "trên"
      when rounded; smaller ones stay exact.
    """
    amount = Decimal(value)
    word = QUALIFIER_WORDS.get(qualifier, "")
    if qualifier in ORDER_OF_MAGNITUDE:
        return Prose(word, "", unit)
    if unit == "đồng" and amount >= BILLION:
        billions = (amount / BILLION).to_integral_value(rounding=ROUND_DOWN)
        rounded = billions * BILLION != amount
        return Prose(word or ("hơn" if rounded else ""), format_number(billions), "tỷ đồng")
    if word:
        return Prose(word, format_number(amount, 2), unit)
    if amount >= ROUNDING_FROM:
        floor = (amount // ROUNDING_STEP) * ROUNDING_STEP
        return Prose("trên" if floor != amount else "", format_number(floor), unit)
    return Prose("", format_number(amount, 2), unit)


def format_qualified(
    value: Decimal | int | None, qualifier: str = "exact", unit: str = "", *, decimals: int = 0
) -> str:
    """A figure with its qualifier, as every page, report and export shows it: "5.700",
    "trên 5.700", "khoảng 1.350,5 tấn"; an order of magnitude is said without its number
    ("hàng trăm", never "trên 100"). An unknown qualifier is refused loudly: a figure must
    never silently lose its words. ``decimals`` as in ``format_number``."""
    if qualifier not in QUALIFIER_WORDS:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    word = QUALIFIER_WORDS[qualifier]
    hidden = qualifier in ORDER_OF_MAGNITUDE or value is None
    number = "" if hidden else format_number(value, decimals)  # type: ignore[arg-type]
    return " ".join(part for part in (word, number, unit) if part)


# -- reading what a person typed ----------------------------------------------------------


class Kind(StrEnum):
    """What a field holds: a count, a measure, or money (whole đồng)."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"


class NumberError(DomainError):
    """Typed text that is not a number for its field; the message says why and how to write it."""


_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")  # space, NBSP, narrow NBSP, thin space
_WHOLE = r"(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?: [0-9]{3})+|[0-9]+)"
_VIETNAMESE = re.compile(rf"(?P<whole>{_WHOLE})(?:,(?P<fraction>[0-9]+))?")
_SHORT = re.compile(r"[1-9][0-9]{0,2}")  # a whole part that a thousands comma could follow
_ENGLISH = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_POINT = re.compile(r"[0-9]+\.[0-9]+")
_NUMBERISH = re.compile(r"[0-9][0-9. ]*(?:,[0-9]+)?")
_MONEY_UNIT = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_EXAMPLE = "1.350 (một nghìn ba trăm năm mươi), 1.350,5 hoặc 1,35"


def parse_number(text: str, *, kind: Kind = Kind.DECIMAL) -> Decimal:
    """The number a person wrote the Vietnamese way; ``NumberError`` for anything that would
    have to be guessed. "1.350" → 1350, "1.350,5" → 1350.5, "1,35" → 1.35, "1 350" (also
    with a no-break or narrow no-break space) → 1350, "1.350.000" → 1350000. The comma is
    always the decimal comma, so a measure may be "1,350" (1,35, as ``format_number`` writes
    it); in a count or money "1,350" cannot be 1,35 and is refused rather than read as the
    English 1350. Refused everywhere: "1.35" and "0.350" (a decimal point), "1,350,000" and
    "1,350.5" (English grouping), badly grouped thousands; a fraction in a count or money.
    Money may end in "đ" or "đồng". The sign is the caller's rule; the result keeps it."""
    shown = unicodedata.normalize("NFC", str(text)).strip()
    body = _SPACES.sub(" ", shown)
    if kind is Kind.MONEY:
        body = _MONEY_UNIT.sub("", body)
    negative = body[:1] in ("-", "\u2212")
    body = body[1:].lstrip() if negative else body
    if not body:
        raise NumberError(f"«{shown}» không phải là số. Viết kiểu Việt Nam: {_EXAMPLE}.")
    match = _VIETNAMESE.fullmatch(body)
    if match is None:
        raise NumberError(_refusal(shown, body))
    whole, fraction = match["whole"], match["fraction"]
    if kind is not Kind.DECIMAL and fraction and len(fraction) == 3 and _SHORT.fullmatch(whole):
        raise NumberError(_ambiguous(shown, whole, fraction))
    digits = whole.replace(".", "").replace(" ", "")
    value = Decimal(f"{'-' if negative else ''}{digits}" + (f".{fraction}" if fraction else ""))
    if kind is not Kind.DECIMAL and value != value.to_integral_value():
        if kind is Kind.MONEY:
            raise NumberError(f"«{shown}»: tiền phải là số nguyên (đồng), không có phần lẻ.")
        raise NumberError(f"«{shown}» phải là số nguyên (dấu phẩy là dấu thập phân).")
    return value if kind is Kind.DECIMAL else value.to_integral_value()


def _ambiguous(shown: str, whole: str, fraction: str) -> str:
    thousands = f"{whole}.{fraction}"
    return (
        f"«{shown}» không rõ là {whole},{fraction.rstrip('0') or '0'} hay {thousands}: "
        "dấu phẩy là dấu thập phân, mà ở đây chỉ nhận số nguyên. "
        f"Viết {thousands} cho {in_words(int(whole + fraction))}."
    )


def _refusal(shown: str, body: str) -> str:
    if _ENGLISH.fullmatch(body):
        swapped = body.translate(str.maketrans(",.", ".,"))
        return (
            f"«{shown}» viết theo kiểu tiếng Anh. Theo kiểu Việt Nam, dấu chấm tách hàng nghìn "
            f"và dấu phẩy đứng trước phần thập phân: viết {swapped}."
        )
    if _POINT.fullmatch(body):
        return (
            f"«{shown}»: dấu chấm chỉ dùng để tách hàng nghìn (1.350 là một nghìn ba trăm năm "
            f"mươi). Phần thập phân viết sau dấu phẩy: {body.replace('.', ',')}."
        )
    if _NUMBERISH.fullmatch(body):
        return (
            f"«{shown}»: mỗi nhóm hàng nghìn sau dấu chấm (hoặc dấu cách) phải đủ 3 chữ số, "
            f"ví dụ 1.350.000 hoặc 1 350 000."
        )
    return f"«{shown}» không phải là số. Viết kiểu Việt Nam: {_EXAMPLE}."


_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu", "tỷ")


def in_words(number: int) -> str:
    """How a whole number is read aloud, for messages: 1350 → "một nghìn ba trăm năm mươi",
    1005 → "một nghìn không trăm linh năm", 21 → "hai mươi mốt", 15 → "mười lăm"."""
    if number == 0:
        return _DIGIT_WORDS[0]
    groups: list[int] = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    if len(groups) > len(_SCALES):
        return format_number(sum(g * 1000**i for i, g in enumerate(groups)))
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index]:
            leading = index == len(groups) - 1
            words += _group_words(groups[index], leading=leading)
            words += [_SCALES[index]] if _SCALES[index] else []
    return " ".join(words)


def _group_words(group: int, *, leading: bool) -> list[str]:
    hundreds, rest = divmod(group, 100)
    tens, ones = divmod(rest, 10)
    words = [] if leading and not hundreds else [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if not ones:
            return words
        return [*words, "linh", _DIGIT_WORDS[ones]] if words else [_DIGIT_WORDS[ones]]
    words += ["mười"] if tens == 1 else [_DIGIT_WORDS[tens], "mươi"]
    if ones == 1 and tens > 1:
        return [*words, "mốt"]
    if ones == 5:
        return [*words, "lăm"]
    return [*words, _DIGIT_WORDS[ones]] if ones else words

"""Vietnamese number formatting: "." for thousands, "," for decimals (1.036 tỷ, 1,27 cm),
and the rounding words of official prose ("trên 12.000 đợt", "hơn 1.036 tỷ đồng")."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

BILLION = Decimal(1_000_000_000)
# Exact figures below this stay exact in prose ("568 buổi", "604 thôn").
ROUNDING_FROM = 10_000
ROUNDING_STEP = 500

QUALIFIER_WORDS = {
    "tren": "trên",
    "hon": "hơn",
    "gan": "gần",
    "hang_tram": "hàng trăm",
    "exact": "",
}


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
      digits: the sources already said it is a bound.
    - Money of a billion đồng or more reads in tỷ, rounded down, with "hơn" when rounded.
    - Other exact figures from 10.000 up are rounded down to a multiple of 500, with "trên"
      when rounded; smaller ones stay exact.
    """
    amount = Decimal(value)
    word = QUALIFIER_WORDS.get(qualifier, "")
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

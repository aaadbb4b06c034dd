import datetime
from decimal import Decimal

from django import template

from gandan.core.dates import vn_date
from gandan.core.numbers import format_qualified

register = template.Library()


@register.filter
def ngay(value: datetime.date | None) -> str:
    """Format a date as dd/mm/yyyy."""
    return vn_date(value)


@register.filter
def so(value: int | float | None) -> str:
    """Vietnamese number format: "." for thousands, "," for decimals."""
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _, frac = f"{value:,.2f}".partition(".")
    return whole.replace(",", ".") + "," + frac.rstrip("0")


@register.filter
def qualified(value: int | Decimal | None, qualifier: str = "exact") -> str:
    """A figure with its qualifier: ``{{ e.value|qualified:e.qualifier }}`` → "trên 5.700",
    "hàng trăm" (``core.numbers.format_qualified``)."""
    if value is None:
        return ""
    return format_qualified(Decimal(str(value)), qualifier or "exact", decimals=3)


@register.filter
def sees_internals(user: object) -> bool:
    """Codes and data-source names are for administrators; other officials see names."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", "") == "admin")

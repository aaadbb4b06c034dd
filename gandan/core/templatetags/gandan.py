import datetime

from django import template

from gandan.core.dates import vn_date

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

import datetime

from django.http import HttpRequest
from django.utils import timezone

from gandan.core.errors import DomainError


def today() -> datetime.date:
    return timezone.localdate()


def parse_date(
    value: str | None, *, field: str = "on", default: datetime.date | None = None
) -> datetime.date:
    """Parse an ISO date (YYYY-MM-DD) with a Vietnamese error naming the field."""
    if value is None or not value.strip():
        if default is None:
            raise DomainError(f"Thiếu ngày ({field}).", field=field)
        return default
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(
            f"Ngày không hợp lệ ở trường «{field}»: «{value}». Dùng định dạng NNNN-TT-NN, ví dụ 2019-09-10.",
            field=field,
        ) from None


def vn_date(value: datetime.date | None) -> str:
    """10/09/2019, as in forms and tables."""
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"


def date_param(request: HttpRequest, name: str = "on") -> tuple[datetime.date, str | None]:
    """The date from the query (?on=), today if absent, and a message if it is malformed."""
    try:
        return parse_date(request.GET.get(name), field=name, default=today()), None
    except DomainError as error:
        return today(), error.message

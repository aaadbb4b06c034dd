"""Paging of API lists: django-ninja's limit/offset pagination (ADR 0019).

``?limit=&offset=`` as before; the body is ``{"items": [...], "count": N}``, where ``count``
is the total, so that a client knows when it has everything. Both parameters are bounded:
anything out of bounds (``offset=9223372036854775808``, which no database integer holds)
is a 422 with the field named, never a 500.
"""

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 1_000_000_000
# Years a query may name (``year_from=-1`` was a 500: no date has year -1).
MIN_YEAR, MAX_YEAR = 1900, 2100
# Ids a query may name: what a 64-bit database integer holds (``unit_id=10^20`` was a 500).
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
T = TypeVar("T", bound=Model)
U = TypeVar("U")


def limit_offset(max_limit: int) -> type[LimitOffsetPagination]:
    """The pagination class for a list of at most ``max_limit`` items a page."""

    class Paged(LimitOffsetPagination):
        class Input(Schema):
            limit: int = Field(100, ge=1, le=max_limit)
            offset: int = Field(0, ge=0, le=MAX_OFFSET)

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(max_limit=max_limit, **kwargs)

    return Paged


class Mapped(Generic[T, U]):
    """A queryset whose rows become API schemas only for the page asked for (the
    paginator slices it and counts it)."""

    def __init__(self, queryset: QuerySet[T], convert: Callable[[T], U]) -> None:
        self.queryset, self.convert = queryset, convert

    def all(self) -> "Mapped[T, U]":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[U]:
        return [self.convert(row) for row in self.queryset[window]]

"""Multi-row INSERTs for bulk writes that have already been validated.

``Model.objects.bulk_create`` builds a model instance per row and prepares every field of
every instance; on SQLite it also caps a statement at 999 parameters (66 activity rows).
For the Excel import of 100.000 activities that preparation was most of the writing time
(docs/benchmarks.md). These helpers take plain tuples, convert only the columns whose
database form differs from the Python value (dates, JSON, decimals), and send as many rows
per statement as the database accepts.

They bypass ``save()``, signals and ``auto_now``: callers pass every column, and they are
for service code that has already validated the rows inside a transaction.
"""

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

# Columns converted through Django's own field preparation; other values go as they are.
_PREPARED = {"DateField", "DateTimeField", "JSONField", "DecimalField"}


def _max_parameters() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        if raw is not None:
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        return 999  # SQLite's historical default
    return 65_535  # PostgreSQL's limit on bind parameters in one statement


def _converter(field: "models.Field[Any, Any]") -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return convert


def _columns(
    model: type[models.Model], names: Sequence[str]
) -> tuple[list[str], list[Callable[[Any], Any] | None]]:
    columns: list[str] = []
    converters: list[Callable[[Any], Any] | None] = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{model.__name__}.{name} is not a concrete field")
        columns.append(field.column)
        converters.append(_converter(field) if field.get_internal_type() in _PREPARED else None)
    return columns, converters


def _insert_head(model: type[models.Model], columns: list[str]) -> str:
    # Identifiers come from the model's metadata, quoted; every value is a bound parameter.
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "  # noqa: S608


def _prepared(
    rows: Iterable[Sequence[Any]], converters: list[Callable[[Any], Any] | None]
) -> Iterable[tuple[Any, ...]]:
    if not any(converters):
        return (tuple(row) for row in rows)
    return (
        tuple(
            value if convert is None or value is None else convert(value)
            for value, convert in zip(row, converters, strict=True)
        )
        for row in rows
    )


def insert_returning_ids(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert ``rows`` (values in the order of ``fields``) and return their primary keys,
    in order. Both SQLite (3.35 and later) and PostgreSQL return the keys of a multi-row
    INSERT in the order of its VALUES, which is what ``bulk_create`` relies on as well."""
    columns, converters = _columns(model, fields)
    quote = connection.ops.quote_name
    per_statement = max(1, _max_parameters() // len(columns))
    head = _insert_head(model, columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}"
    ids: list[int] = []
    prepared = iter(_prepared(rows, converters))
    with connection.cursor() as cursor:
        while chunk := list(islice(prepared, per_statement)):
            sql = head + ", ".join([one] * len(chunk)) + tail
            cursor.execute(sql, [value for row in chunk for value in row])
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def insert_many(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``fields``) without returning anything."""
    columns, converters = _columns(model, fields)
    sql = _insert_head(model, columns) + "(" + ", ".join(["%s"] * len(columns)) + ")"
    prepared = iter(_prepared(rows, converters))
    with connection.cursor() as cursor:
        while chunk := list(islice(prepared, 10_000)):
            cursor.executemany(sql, chunk)

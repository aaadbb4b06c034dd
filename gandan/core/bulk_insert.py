"""Multi-row INSERTs for bulk writes that have already been validated.

``Model.objects.bulk_create`` builds a model instance per row and prepares every field of
every instance; on SQLite it also caps a statement at 999 parameters (66 activity rows).
For the Excel import of 100.000 activities that preparation was most of the writing time
(docs/benchmarks.md). These helpers take plain tuples, convert only the columns whose
database form differs from the Python value (aware datetimes, JSON), and send as many rows
per statement as the database accepts.

They bypass ``save()``, signals and ``auto_now``: callers pass every column, typed as the
model's fields are (a ``datetime.date`` for a date, a ``Decimal`` for a decimal), and they are
for service code that has already validated the rows inside a transaction.
"""

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, islice
from typing import Any

from django.db import connection, connections, models

# Columns converted through Django's own field preparation; other values go as they are.
# Dates and decimals are not among them: for a ``datetime.date`` or a ``Decimal`` that
# preparation is the identity (PostgreSQL) or what the driver's adapter does anyway (SQLite:
# Django registers ``date.isoformat`` and ``str`` for them), and it was a third of a
# 100.000-row import's writing time with the analytics ledger on (docs/benchmarks.md).
_PREPARED = {"DateTimeField", "JSONField"}
_FEW = 500  # rows that ``insert_many`` sends as one INSERT on PostgreSQL rather than COPY


def _max_parameters() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        if raw is not None:
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        return 999  # SQLite's historical default
    return 65_535  # PostgreSQL's limit on bind parameters in one statement


def _converter(field: "models.Field[Any, Any]") -> Callable[[Any], Any]:
    wrapper = connections[connection.alias]  # not the per-thread proxy on every value
    prepare = field.get_db_prep_save
    return lambda value: prepare(value, wrapper)


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


def _one_insert(
    model: type[models.Model], columns: list[str], rows: list[Sequence[Any]]
) -> tuple[str, list[Any]]:
    """One multi-row INSERT of ``rows`` and its parameters."""
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = _insert_head(model, columns) + ", ".join([one] * len(rows))
    return sql, [value for row in rows for value in row]


def _prepared(
    rows: Iterable[Sequence[Any]], converters: list[Callable[[Any], Any] | None]
) -> Iterable[Sequence[Any]]:
    width = len(converters)
    converted = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a row has {len(row)} values for {width} columns")
        if not converted:
            yield row
            continue
        out = list(row)
        for i, convert in converted:
            if out[i] is not None:
                out[i] = convert(out[i])
        yield out


def insert_many_together(
    parts: Sequence[tuple[type[models.Model], Sequence[str], Sequence[Sequence[Any]]]],
) -> None:
    """:func:`insert_many` for several tables at once. On PostgreSQL, when they hold few
    rows in all, in one statement (each table but the last in a ``WITH`` clause): one round
    trip for what a saved record adds to the three ledger tables."""
    parts = [part for part in parts if part[2]]
    if (
        connection.vendor != "postgresql"
        or len(parts) < 2
        or sum(len(rows) for _m, _f, rows in parts) >= _FEW
    ):
        for model, fields, rows in parts:
            insert_many(model, fields, rows)
        return
    statements: list[str] = []
    params: list[Any] = []
    for model, fields, rows in parts:
        columns, converters = _columns(model, fields)
        sql, values = _one_insert(model, columns, list(_prepared(rows, converters)))
        statements.append(sql)
        params.extend(values)
    *first, last = statements
    head = ", ".join(f"i{n} AS ({sql})" for n, sql in enumerate(first))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {head} {last}", params)


def insert_returning_ids(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert ``rows`` (values in the order of ``fields``) and return their primary keys,
    in order. SQLite (3.35 and later) returns the keys of a multi-row INSERT in the order of
    its VALUES, which is what ``bulk_create`` relies on as well. PostgreSQL takes the keys
    from the table's sequence first and writes the rows with them through ``COPY``: a
    multi-row INSERT of 65.535 parameters spends most of its time in the driver splitting
    the statement at its placeholders."""
    columns, converters = _columns(model, fields)
    if connection.vendor == "postgresql":
        return _copy_with_ids(model, columns, _prepared(rows, converters), len(rows))
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


def _copy(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: ``COPY … FROM STDIN`` (psycopg adapts each value as for an INSERT; row
    triggers fire as for one)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_with_ids(
    model: type[models.Model], columns: list[str], rows: Iterable[Sequence[Any]], count: int
) -> list[int]:
    key = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), key, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
    _copy(model, [key, *columns], ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
    return ids


def insert_many(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``fields``) without returning anything: on
    PostgreSQL through ``COPY`` (fewer than 500 rows: one ``INSERT``), elsewhere through
    ``executemany``."""
    columns, converters = _columns(model, fields)
    prepared = iter(_prepared(rows, converters))
    if connection.vendor == "postgresql":
        # A few rows (one saved record's ledger change) go in one INSERT, one round trip;
        # COPY takes two, and is the faster way only for many rows.
        first = list(islice(prepared, _FEW))
        if len(first) == _FEW:
            _copy(model, columns, chain(first, prepared))
        elif first:
            with connection.cursor() as cursor:
                cursor.execute(*_one_insert(model, columns, first))
        return
    sql = _insert_head(model, columns) + "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        while chunk := list(islice(prepared, 10_000)):
            cursor.executemany(sql, chunk)

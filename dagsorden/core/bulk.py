"""Multi-row INSERT for the importer's hot path.

Django's ``bulk_create`` compiles every value through its SQL compiler (and on PostgreSQL
sends arrays for UNNEST); for thousands of small rows that bookkeeping costs more than the
database does. Here values are prepared by each field's own ``get_db_prep_save`` (so types
are adapted exactly as the ORM would) and sent as one ``INSERT ... VALUES (...), (...)``
per batch, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH_ROWS = 500
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    returning_ids: bool = False,
    expressions: Sequence[tuple[str, str]] = (),
    shared: Sequence[tuple[str, str]] = (),
) -> list[int]:
    """Insert ``rows`` (values in ``columns`` order, model field names); the new ids in order.

    ``expressions`` are extra ``(column, SQL)`` pairs computed by the database (say, a
    tsvector); their parameters follow the column values in each row, passed as they are.
    ``shared`` (PostgreSQL only) are ``(name, SQL)`` values computed once per row, which
    expressions read as ``shared.<name>``: a tsvector two columns hold alike is built once.
    Their parameters come before the expressions' in each row.
    Both back ends return RETURNING rows in VALUES order for a plain multi-row INSERT,
    which Django's own ``bulk_create`` relies on too.
    """
    if not rows:
        return []
    meta: Any = model._meta
    named: list[Any] = [meta.get_field(name) for name in columns]
    # Fields the caller did not name get their defaults, as with the ORM.
    computed = {column for column, _ in expressions}
    rest: list[Any] = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and field not in named and field.column not in computed
    ]
    now = timezone.now()
    defaults = [
        now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_default()
        for field in rest
    ]
    fields = named + rest
    # Text, numbers, booleans and keys go to both drivers as they are; only the other
    # types (dates, times, JSON, ...) need their field's preparation.
    plain = [isinstance(field, _AS_IS) for field in fields]
    quote = connection.ops.quote_name
    names = ", ".join(
        [quote(field.column) for field in fields] + [quote(column) for column, _ in expressions]
    )
    row_marks = "(" + ", ".join(["%s"] * len(fields) + [sql for _, sql in expressions]) + ")"
    returning = f" RETURNING {quote(meta.pk.column)}" if returning_ids else ""
    head = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608
    tail = returning
    if shared:
        head, row_marks, tail = _select_with_shared(fields, expressions, shared, names, meta)
        tail += returning
    named_width = len(named)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            params: list[Any] = []
            for row in batch:
                params.extend(
                    value if as_is or value is None else field.get_db_prep_save(value, connection)
                    for field, as_is, value in zip(
                        fields, plain, [*row[:named_width], *defaults], strict=True
                    )
                )
                params.extend(row[named_width:])
            values = ", ".join([row_marks] * len(batch))
            cursor.execute(head + values + tail, params)
            if returning_ids:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _select_with_shared(
    fields: list[Any],
    expressions: Sequence[tuple[str, str]],
    shared: Sequence[tuple[str, str]],
    names: str,
    meta: Any,
) -> tuple[str, str, str]:
    """``INSERT ... SELECT ... FROM (VALUES ...) AS v CROSS JOIN LATERAL (shared)``: the
    statement's head, one row's placeholders and what follows the rows. Each column is cast
    to its type (a VALUES column of NULLs alone would be text)."""
    quote = connection.ops.quote_name
    position = 0

    def from_values(sql: str) -> str:
        nonlocal position
        parts = sql.split("%s")
        text = parts[0]
        for part in parts[1:]:
            text += f"v.x{position}{part}"
            position += 1
        return text

    lateral = ", ".join(f"{from_values(sql)} AS {name}" for name, sql in shared)
    selected = [f"v.c{i}::{_db_type(field)}" for i, field in enumerate(fields)]
    selected += [from_values(sql) for _column, sql in expressions]
    aliases = [f"c{i}" for i in range(len(fields))] + [f"x{i}" for i in range(position)]
    head = (
        f"INSERT INTO {quote(meta.db_table)} ({names}) SELECT {', '.join(selected)} "  # noqa: S608
        "FROM (VALUES "
    )
    row_marks = "(" + ", ".join(["%s"] * len(aliases)) + ")"
    tail = f") AS v({', '.join(aliases)}) CROSS JOIN LATERAL (SELECT {lateral}) AS shared"
    return head, row_marks, tail


@functools.cache
def _db_type(field: Any) -> str:
    """A field's column type (asked once: Django works it out anew on every call)."""
    return str(field.db_type(connection))

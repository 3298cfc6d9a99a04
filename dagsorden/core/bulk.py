"""Multi-row INSERT for the importer's hot path.

Django's ``bulk_create`` compiles every value through its SQL compiler (and on PostgreSQL
sends arrays for UNNEST); for thousands of small rows that bookkeeping costs more than the
database does. Here values are prepared by each field's own ``get_db_prep_save`` (so types
are adapted exactly as the ORM would) and sent as one ``INSERT ... VALUES (...), (...)``
per batch, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

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
) -> list[int]:
    """Insert ``rows`` (values in ``columns`` order, model field names); the new ids in order.

    ``expressions`` are extra ``(column, SQL)`` pairs computed by the database (say, a
    tsvector); their parameters follow the column values in each row, passed as they are.
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

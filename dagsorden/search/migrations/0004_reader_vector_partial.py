"""Members' own text exists for few rows (a decision not yet sent to them): index only those.

A GIN index stores a placeholder for every NULL, which cost each imported row an insertion;
``reader_vector @@ query`` can only be true where the vector is not NULL, so the planner
uses the partial index for it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_reader_vector_gin")
        schema_editor.execute(
            "CREATE INDEX search_reader_vector_gin ON search_searchentry USING gin "
            "(reader_vector) WHERE reader_vector IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_tiers")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

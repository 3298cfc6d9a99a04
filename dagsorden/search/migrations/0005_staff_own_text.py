"""The secretaries' tier stored only where it differs from the public text.

The index is emptied and refilled after the migration (``search/apps.py``); the covering
indexes of 0003 are made again with the new column (SQLite rebuilds the table to add it).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

COVERED = (
    "public, published, staff_own_text, reader_own_text, decision_public, facets_id, "
    "starts_at, organization_id, year, case_type, outcome, kle_main_group"
)
SQLITE_BEFORE = ["DELETE FROM search_searchentry", "DELETE FROM search_fts"]
SQLITE_AFTER = [
    "DROP INDEX IF EXISTS search_entry_facets",
    "DROP INDEX IF EXISTS search_entry_kle_facets",
    f"CREATE INDEX search_entry_facets ON search_searchentry (id, {COVERED})",
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number, {COVERED})",
]
POSTGRES_BEFORE = ["DELETE FROM search_searchentry"]
# Going back: the covering indexes name the column, so they go before it and come back
# (as 0003 made them) after it.
DROP_COVERING = [
    "DROP INDEX IF EXISTS search_entry_facets",
    "DROP INDEX IF EXISTS search_entry_kle_facets",
]
COVERED_0003 = (
    "public, published, reader_own_text, decision_public, facets_id, starts_at, "
    "organization_id, year, case_type, outcome, kle_main_group"
)
SQLITE_RESTORE = [
    "DELETE FROM search_searchentry",
    "DELETE FROM search_fts",
    f"CREATE INDEX search_entry_facets ON search_searchentry (id, {COVERED_0003})",
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number, {COVERED_0003})",
]
POSTGRES_RESTORE = [
    "DELETE FROM search_searchentry",
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number) INCLUDE (id, {COVERED_0003})",
]
POSTGRES_AFTER = [
    "DROP INDEX IF EXISTS search_staff_vector_gin",
    "CREATE INDEX search_staff_vector_gin ON search_searchentry USING gin (staff_vector) "
    "WHERE staff_vector IS NOT NULL",
    "DROP INDEX IF EXISTS search_entry_kle_facets",
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number) INCLUDE (id, {COVERED})",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_reader_vector_partial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_BEFORE, "postgresql": POSTGRES_BEFORE}),
            _run({"sqlite": SQLITE_RESTORE, "postgresql": POSTGRES_RESTORE}),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="staff_own_text",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_AFTER, "postgresql": POSTGRES_AFTER}),
            _run({"sqlite": DROP_COVERING, "postgresql": DROP_COVERING}),
        ),
    ]

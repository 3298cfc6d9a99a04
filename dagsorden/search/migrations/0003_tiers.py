"""Three text tiers (public, members, secretaries) instead of two, checked at query time.

The index is emptied here and refilled by the post-migrate step (``search/apps.py``: every
live item without a row is indexed), so no row written under the old rules survives.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

# What counting and ordering hits read, kept in covering indexes (see 0002).
COVERED = (
    "public, published, reader_own_text, decision_public, facets_id, starts_at, "
    "organization_id, year, case_type, outcome, kle_main_group"
)
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "public_exact, public_stems, reader_exact, reader_stems, staff_exact, staff_stems, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_BEFORE = ["DELETE FROM search_searchentry", "DROP TABLE IF EXISTS search_fts"]
SQLITE_AFTER = [
    SQLITE_FTS,
    "DROP INDEX IF EXISTS search_entry_facets",
    "DROP INDEX IF EXISTS search_entry_kle_facets",
    f"CREATE INDEX search_entry_facets ON search_searchentry (id, {COVERED})",
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number, {COVERED})",
]
POSTGRES_BEFORE = ["DELETE FROM search_searchentry"]
POSTGRES_AFTER = [
    "ALTER TABLE search_searchentry ADD COLUMN reader_vector tsvector",
    "CREATE INDEX search_reader_vector_gin ON search_searchentry USING gin (reader_vector)",
    "DROP INDEX IF EXISTS search_entry_kle_facets",
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number) INCLUDE (id, {COVERED})",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_facets"),
        ("meetings", "0005_stored_outcomes"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_BEFORE, "postgresql": POSTGRES_BEFORE}),
            migrations.RunPython.noop,
        ),
        migrations.AddField(
            model_name="searchentry",
            name="published",
            field=models.BooleanField(default=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchentry",
            name="reader_own_text",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="restricted",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_AFTER, "postgresql": POSTGRES_AFTER}),
            migrations.RunPython.noop,
        ),
    ]

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

# SQLite: an FTS5 table whose rowid is the entry's id; exact words and Snowball stems in
# separate columns so that exact matches can rank higher. PostgreSQL: two tsvectors (what
# the public may find, and what staff may find) with GIN indexes, 'simple' words weighted A
# above 'danish' stems weighted B.
SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "public_exact, public_stems, staff_exact, staff_stems, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN public_vector tsvector",
    "ALTER TABLE search_searchentry ADD COLUMN staff_vector tsvector",
    "CREATE INDEX search_public_vector_gin ON search_searchentry USING gin (public_vector)",
    "CREATE INDEX search_staff_vector_gin ON search_searchentry USING gin (staff_vector)",
]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    initial = True
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField()),
                ("year", models.PositiveSmallIntegerField()),
                ("number", models.PositiveIntegerField()),
                ("title", models.CharField(max_length=500)),
                ("case_type", models.CharField(blank=True, max_length=20)),
                ("outcome", models.CharField(blank=True, max_length=20)),
                ("journal_number", models.CharField(blank=True, db_index=True, max_length=40)),
                ("kle_number", models.CharField(blank=True, db_index=True, max_length=8)),
                ("kle_main_group", models.CharField(blank=True, max_length=2)),
                ("public", models.BooleanField()),
                ("decision_public", models.BooleanField()),
                ("item", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="search_entry", to="meetings.agendaitem")),
                ("meeting", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="meetings.meeting")),
                ("organization", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="meetings.organization")),
                # Long text last: SQLite reads a row's columns in order, so the facet columns
                # above stay on the row's first page and queries never touch the text.
                ("body", models.TextField(blank=True)),
                ("decision", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "søgeindeks",
                "verbose_name_plural": "søgeindeks",
                "indexes": [models.Index(fields=["public", "-starts_at"], name="search_sear_public_8defe0_idx")],
            },
        ),
        migrations.RunPython(forward, backward),
    ]

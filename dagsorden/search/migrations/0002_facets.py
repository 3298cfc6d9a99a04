from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

# Facet combinations for the rows already indexed (new rows get theirs when written).
BACKFILL = [
    "INSERT INTO search_searchfacets (organization_id, year, case_type, outcome, kle_main_group)"
    " SELECT DISTINCT organization_id, year, case_type, outcome, kle_main_group"
    " FROM search_searchentry",
    "UPDATE search_searchentry SET facets_id = (SELECT f.id FROM search_searchfacets f"
    " WHERE f.organization_id = search_searchentry.organization_id"
    " AND f.year = search_searchentry.year AND f.case_type = search_searchentry.case_type"
    " AND f.outcome = search_searchentry.outcome"
    " AND f.kle_main_group = search_searchentry.kle_main_group)",
]
# Covering indexes, so that counting and ordering hits never reads the entry rows (which
# their text makes wide). SQLite: one keyed by id for the join from the full-text match
# (the selector names it with INDEXED BY: the planner would look rows up by rowid), and
# one keyed by KLE number for KLE-prefix queries. PostgreSQL: the KLE one, for index-only
# scans (the full-text match visits the rows anyway). Not in Django's model state: should
# a later migration make SQLite rebuild the table, it must create them again (a missing
# search_entry_facets fails every text search loudly, through INDEXED BY).
COVERED = (
    "public, facets_id, starts_at, organization_id, year, case_type, outcome, kle_main_group"
)
SQLITE_INDEXES = [
    f"CREATE INDEX search_entry_facets ON search_searchentry (id, {COVERED})",
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number, {COVERED})",
]
POSTGRES_INDEXES = [
    f"CREATE INDEX search_entry_kle_facets ON search_searchentry (kle_number) INCLUDE (id, {COVERED})",
    # Statistics for the planner (a bulk-loaded table has none until autovacuum runs).
    "ANALYZE search_searchentry",
    "ANALYZE search_searchfacets",
]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    indexes = {"sqlite": SQLITE_INDEXES, "postgresql": POSTGRES_INDEXES}.get(vendor, [])
    for statement in [*BACKFILL, *indexes]:
        schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    for name in ("search_entry_facets", "search_entry_kle_facets"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0001_initial'),
        ('search', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchFacets',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('case_type', models.CharField(blank=True, max_length=20)),
                ('outcome', models.CharField(blank=True, max_length=20)),
                ('kle_main_group', models.CharField(blank=True, max_length=2)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='meetings.organization')),
            ],
            options={
                'verbose_name': 'søgefacetter',
                'verbose_name_plural': 'søgefacetter',
            },
        ),
        migrations.AddField(
            model_name='searchentry',
            name='facets',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='search.searchfacets'),
        ),
        migrations.AddConstraint(
            model_name='searchfacets',
            constraint=models.UniqueConstraint(fields=('organization', 'year', 'case_type', 'outcome', 'kle_main_group'), name='search_facets_unique'),
        ),
        migrations.RunPython(forward, backward),
    ]

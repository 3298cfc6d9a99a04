"""Database triggers that keep the search index from ever describing an item as it was.

Every writer (the work pages, the importer, the admin, a script, a raw UPDATE) changes the
archive through SQL, so the database is the one place that sees every change. When an
item, its meeting, its attachments, its case or its forum changes, these triggers delete
the item's index rows in the same statement. A query then cannot find text the item no
longer shows, whoever forgot to re-index; the domain event (``MeetingChanged``) re-indexes
in the same transaction, and ``dagsorden search_reindex --missing`` catches anything else.

Installed after every ``migrate`` (``search/apps.py``), idempotently: SQLite drops a
table's triggers when a later migration rebuilds the table, so they are re-created there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

# The columns an index row is written from, per table: a change to any of them (and only
# to them: a chosen publication time or an actual start does not count) forgets the rows.
_ITEM_COLUMNS = (
    "meeting_id", "number", "title", "public", "case_type", "case_id", "occasion",
    "presentation", "has_recommendation", "recommendation_proposer", "recommendation_points",
    "decision", "outcome", "deleted_at",
)  # fmt: skip
_MEETING_COLUMNS = (
    "organization_id", "starts_at", "state", "agenda_published_at", "minutes_ready_at",
    "deleted_at",
)  # fmt: skip
_ATTACHMENT_COLUMNS = ("item_id", "name", "public", "deleted_at")
_CASE_COLUMNS = ("journal_number", "kle_number", "deleted_at")
_FORUM_COLUMNS = ("deleted_at",)


@dataclass(frozen=True)
class _Rule:
    name: str
    table: str
    columns: tuple[str, ...]  # empty: a DELETE
    rows: str  # which index rows to forget; OLD is the row as it was


_RULES = (
    _Rule("item", "meetings_agendaitem", _ITEM_COLUMNS, "item_id = OLD.id"),
    _Rule("item_gone", "meetings_agendaitem", (), "item_id = OLD.id"),
    _Rule("meeting", "meetings_meeting", _MEETING_COLUMNS, "meeting_id = OLD.id"),
    _Rule("meeting_gone", "meetings_meeting", (), "meeting_id = OLD.id"),
    _Rule(
        "attachment",
        "meetings_attachment",
        _ATTACHMENT_COLUMNS,
        "item_id IN (OLD.item_id, NEW.item_id)",
    ),
    _Rule("attachment_gone", "meetings_attachment", (), "item_id = OLD.item_id"),
    _Rule(
        "case",
        "cases_case",
        _CASE_COLUMNS,
        "item_id IN (SELECT id FROM meetings_agendaitem WHERE case_id = OLD.id)",
    ),
    _Rule("forum", "meetings_organization", _FORUM_COLUMNS, "organization_id = OLD.id"),
)
TRIGGER_NAMES = tuple(f"search_forget_{rule.name}" for rule in _RULES)


def _event(rule: _Rule) -> str:
    return f"UPDATE OF {', '.join(rule.columns)}" if rule.columns else "DELETE"


def _sqlite_statements() -> list[str]:
    statements = []
    for rule in _RULES:
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in rule.columns)
        when = f" WHEN {changed}" if rule.columns else ""
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS search_forget_{rule.name} AFTER {_event(rule)} "  # noqa: S608
            f"ON {rule.table} FOR EACH ROW{when} "
            f"BEGIN DELETE FROM search_searchentry WHERE {rule.rows}; END"
        )
    # The full-text rows follow their entry (search_fts is keyed by the entry's id).
    statements.append(
        "CREATE TRIGGER IF NOT EXISTS search_fts_follows_entry AFTER DELETE ON "
        "search_searchentry FOR EACH ROW BEGIN DELETE FROM search_fts WHERE rowid = OLD.id; END"
    )
    return statements


def _postgres_statements() -> list[str]:
    statements = []
    for rule in _RULES:
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in rule.columns)
        when = f" WHEN ({changed})" if rule.columns else ""
        statements += [
            f"CREATE OR REPLACE FUNCTION search_forget_{rule.name}() RETURNS trigger "  # noqa: S608
            f"LANGUAGE plpgsql AS $$ BEGIN DELETE FROM search_searchentry WHERE {rule.rows}; "
            "RETURN NULL; END $$",
            f"CREATE OR REPLACE TRIGGER search_forget_{rule.name} AFTER {_event(rule)} "
            f"ON {rule.table} FOR EACH ROW{when} EXECUTE FUNCTION search_forget_{rule.name}()",
        ]
    return statements


def drop_triggers(*, using: str = "default") -> None:
    """SQLite, before migrating: a table rebuilt by a migration is renamed into place, and
    SQLite refuses the rename while triggers elsewhere name a table that is gone for the
    moment. ``install_triggers`` puts them back after the migration."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "sqlite":
        return
    with target.cursor() as cursor:
        for name in (*TRIGGER_NAMES, "search_fts_follows_entry"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_triggers(*, using: str = "default") -> None:
    from django.db import connections

    target = connections[using]
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgres_statements}.get(
        target.vendor
    )
    if statements is None:
        return
    with target.cursor() as cursor:
        for statement in statements():
            cursor.execute(statement)


def installed_triggers() -> set[str]:
    """Names of the freshness triggers the database has (for the system check and tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()} & set(TRIGGER_NAMES)

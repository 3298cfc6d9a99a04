from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import connection, connections
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "dagsorden.search"
    label = "search"
    verbose_name = _("Søgning")

    def ready(self) -> None:
        from dagsorden.core.events import subscribe
        from dagsorden.meetings.events import MeetingChanged
        from dagsorden.search.services import search_index_changed_meeting

        # In the same transaction as the change: the index never disagrees with the archive.
        subscribe(MeetingChanged, search_index_changed_meeting)
        pre_migrate.connect(_before_migrate, sender=self)
        post_migrate.connect(_after_migrate, sender=self)
        checks.register(_check_triggers, checks.Tags.database)


# Apps whose migrations change what the index is written from.
INDEXED_APPS = {"meetings", "cases", "search"}


def _before_migrate(sender: Any, using: str = "default", **_: Any) -> None:
    from dagsorden.search.freshness import drop_triggers

    drop_triggers(using=using)


def _after_migrate(
    sender: Any, using: str = "default", verbosity: int = 1, plan: Any = None, **_: Any
) -> None:
    """Re-create the freshness triggers (SQLite migrates without them, see
    ``freshness.drop_triggers``) and index every live item without a row. On SQLite, where
    the triggers were away, a migration of the archive's apps rebuilds the whole index:
    nothing it changed meanwhile may stay findable as it was."""
    from dagsorden.search.freshness import install_triggers
    from dagsorden.search.models import SearchEntry
    from dagsorden.search.services import search_index_missing

    install_triggers(using=using)
    if _behind(using):
        return  # migrated back: the code writes rows the older tables cannot hold
    applied = {migration.app_label for migration, backwards in plan or () if not backwards}
    if connections[using].vendor == "sqlite" and applied & INDEXED_APPS:
        SearchEntry.objects.using(using).all().delete()
    if using == "default":
        indexed = search_index_missing()
        if indexed and verbosity:
            print(f"  Search index: {indexed} items indexed.")


def _check_triggers(
    app_configs: Any = None, databases: Any = None, **_: Any
) -> list[checks.CheckMessage]:
    """The index is safe only while its triggers exist (``dagsorden check --database
    default``; migrate installs them)."""
    from dagsorden.search.freshness import TRIGGER_NAMES, installed_triggers

    if not databases or "default" not in databases:
        return []
    if "search_searchentry" not in connection.introspection.table_names():
        return []  # not migrated yet: migrate installs them
    missing = sorted(set(TRIGGER_NAMES) - installed_triggers())
    if not missing:
        return []
    return [
        checks.Warning(
            f"search freshness triggers missing: {', '.join(missing)}",
            hint="Run `dagsorden migrate` (it installs them).",
            id="dagsorden.search.W001",
        )
    ]


def _behind(using: str) -> bool:
    """Whether some migration is not applied (the database is older than the code)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))

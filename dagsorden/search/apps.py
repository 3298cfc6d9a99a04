from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import connection
from django.db.models.signals import post_migrate
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
        post_migrate.connect(_after_migrate, sender=self)
        checks.register(_check_triggers, checks.Tags.database)


def _after_migrate(sender: Any, using: str = "default", verbosity: int = 1, **_: Any) -> None:
    """Re-create the freshness triggers (a rebuilt SQLite table loses them) and index every
    live item without a row (after a migration emptied the index, or a lost re-index)."""
    from dagsorden.search.freshness import install_triggers
    from dagsorden.search.services import search_index_missing

    install_triggers(using=using)
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

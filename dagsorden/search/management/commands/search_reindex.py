from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dagsorden.search.services import search_index_missing, search_reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every meeting; with --missing, index only the items "
        "that have no row (cheap: run it every minute beside publish_due)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="only items without an index row"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        indexed = search_index_missing() if options["missing"] else search_reindex_all()
        self.stdout.write(f"Indexed {indexed} agenda items.")

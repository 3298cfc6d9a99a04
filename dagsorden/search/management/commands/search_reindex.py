from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dagsorden.search.services import search_reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of every meeting."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Indexed {search_reindex_all()} agenda items.")

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dagsorden.access.rules import OPERATOR
from dagsorden.core.cli import fail
from dagsorden.meetings.models import Organization
from dagsorden.search.selectors import SearchFilters, search_items

MAX_LIMIT = 10_000


class Command(BaseCommand):
    help = "Search the archive; prints ranked hits (public content unless --staff)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="words, a journal number or a KLE prefix")
        parser.add_argument("--forum", help="forum name, prefix or slug")
        parser.add_argument("--limit", type=int, default=10, help="how many hits (default 10)")
        parser.add_argument("--json", action="store_true", help="print a JSON list")
        parser.add_argument("--staff", action="store_true", help="include closed items")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["limit"] <= MAX_LIMIT:
            fail(self, f"--limit must be from 1 to {MAX_LIMIT}, not {options['limit']}")
        forum_slug = None
        if options["forum"]:
            found = Organization.objects.filter(name__iexact=options["forum"]).first() or (
                Organization.objects.filter(slug=options["forum"]).first()
                or Organization.objects.filter(prefix__iexact=options["forum"]).first()
            )
            if found is None:
                fail(self, f"no forum named {options['forum']!r}")
            forum_slug = found.slug
        user: object = OPERATOR if options["staff"] else AnonymousUser()
        results = search_items(
            query=options["query"],
            user=user,
            filters=SearchFilters(forum=forum_slug),
            per_page=options["limit"],
        )
        hits = [
            {
                "forum": hit.entry.organization.name,
                "date": f"{timezone.localtime(hit.entry.starts_at):%Y-%m-%d}",
                "number": hit.entry.number,
                "title": hit.entry.title,
                "journal_number": hit.entry.journal_number or None,
                "score": hit.score,
            }
            for hit in results.hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2))
            return
        for hit in hits:
            self.stdout.write(
                f"{hit['score']:8.3f}  {hit['date']}  {hit['forum']}  punkt {hit['number']}: "
                f"{hit['title']}  {hit['journal_number'] or ''}"
            )
        self.stdout.write(f"{results.total} hits")

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser

from dagsorden.access.rules import OPERATOR
from dagsorden.core.cli import fail
from dagsorden.core.errors import ApplicationError
from dagsorden.documents.export import meeting_document
from dagsorden.meetings.selectors import meeting_on_date


class Command(BaseCommand):
    help = "Print one meeting as dagsorden.document/1 JSON (the form `parse` prints)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--forum", required=True, help="forum name, prefix or slug")
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--time", help="HH:MM, when the forum met more than once that day")
        parser.add_argument(
            "--public",
            action="store_true",
            help="the public version: published meetings only, closed items reduced to their "
            "number, decisions once the minutes are approved",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # --public: what an anonymous visitor reads (published meetings, approved decisions).
        reader = AnonymousUser() if options["public"] else OPERATOR
        try:
            meeting = meeting_on_date(
                forum=options["forum"], date=options["date"], time=options["time"], user=reader
            )
        except ApplicationError as error:
            fail(self, str(error))
        document = meeting_document(meeting=meeting, user=reader)
        self.stdout.write(document.dumps())

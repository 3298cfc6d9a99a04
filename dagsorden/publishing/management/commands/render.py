"""``dagsorden render``: a stored meeting as an agenda or minutes file (PDF, DOCX or text)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser

from dagsorden.access.rules import OPERATOR
from dagsorden.core.cli import fail
from dagsorden.core.errors import ApplicationError
from dagsorden.meetings.selectors import meeting_on_date
from dagsorden.publishing.services import meeting_render


class Command(BaseCommand):
    help = "Write one meeting's agenda or minutes as PDF, DOCX or text (public unless --internal)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--forum", required=True, help="forum name, prefix or slug")
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--time", help="HH:MM, when the forum met more than once that day")
        parser.add_argument(
            "--as", dest="as_", required=True, choices=("agenda", "minutes"), help="which document"
        )
        parser.add_argument(
            "--format", dest="fmt", required=True, choices=("pdf", "docx", "txt"), help="file type"
        )
        parser.add_argument(
            "--internal",
            action="store_true",
            help="the internal version with closed items (never publish it)",
        )
        parser.add_argument(
            "-o", "--output", required=True, help="the file to write ('-' for standard output)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # The public version is rendered from published meetings only.
            reader = OPERATOR if options["internal"] else AnonymousUser()
            meeting = meeting_on_date(
                forum=options["forum"], date=options["date"], time=options["time"], user=reader
            )
            data = meeting_render(
                meeting=meeting,
                user=OPERATOR,
                as_=options["as_"],
                fmt=options["fmt"],
                internal=options["internal"],
            )
        except ApplicationError as error:
            fail(self, str(error))
        output = options["output"]
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            fail(self, f"cannot write {output}: {error.strerror or error}")
        self.stderr.write(f"{output}: {len(data)} bytes", style_func=lambda text: text)

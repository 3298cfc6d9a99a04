from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dagsorden.core.cli import fail
from dagsorden.importers.parsers import ParseError, parse_path


class Command(BaseCommand):
    help = "Parse one agenda or minutes document and print its dagsorden.document/1 JSON."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the document (.txt)")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            document = parse_path(path)
        except ParseError as error:
            fail(self, str(error))
        self.stdout.write(document.dumps())

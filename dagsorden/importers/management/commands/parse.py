from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dagsorden.core.cli import fail
from dagsorden.importers.limits import LIMIT_HELP, import_limits, limit_overrides
from dagsorden.importers.parsers import ParseError, parse_path


class Command(BaseCommand):
    help = "Parse one agenda or minutes document and print its dagsorden.document/1 JSON."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the document (.txt, .pdf or .docx)")
        parser.add_argument(
            "--limit", action="append", default=[], metavar="NAME=VALUE", help=LIMIT_HELP
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            limits = import_limits(limit_overrides(options["limit"]))
        except ValueError as error:
            fail(self, str(error))
        try:
            document = parse_path(path, limits=limits)
        except ParseError as error:
            fail(self, str(error))
        except Exception as error:  # a reader's own failure: still one line, no traceback
            fail(self, f"{path}: cannot be read ({type(error).__name__}: {error})")
        self.stdout.write(document.dumps())

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from dagsorden.core.cli import fail
from dagsorden.demo.services import DEMO_PASSWORD, DEMO_USERS, demo_is_loaded, demo_load


class Command(BaseCommand):
    help = "Fill the database with a realistic synthetic archive (written for the project)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meetings", type=int, default=120, help="how many meetings")
        parser.add_argument("--seed", type=int, default=2023, help="random seed (repeatable)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when meetings already exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        meetings: int = options["meetings"]
        if meetings < 1:
            fail(self, f"--meetings must be at least 1, not {meetings}")
        if options["if_empty"] and demo_is_loaded():
            self.stdout.write("The archive already holds meetings; no demo data loaded.")
            return
        with tqdm(
            total=meetings, unit="møde", file=sys.stderr, disable=not sys.stderr.isatty()
        ) as bar:
            stored = demo_load(
                meetings=meetings, seed=options["seed"], progress=lambda _: bar.update()
            )
        self.stdout.write(f"Loaded {stored} demo meetings.")
        self.stdout.write(
            "Demo accounts (password: "
            f"{DEMO_PASSWORD}): " + ", ".join(username for username, _, _ in DEMO_USERS)
        )

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from dagsorden.core.errors import ApplicationError
from dagsorden.importers.parsers import ParseError, parse_path
from dagsorden.importers.services import ImportCache, Outcome, document_import, sha512_hex

SUFFIXES = {".txt", ".pdf", ".docx"}
PROGRESS_FROM = 5  # files; fewer than this need no progress bar


def collect_files(paths: list[Path]) -> list[Path]:
    """Named files as given; directories searched for documents, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                )
            )
        else:
            files.append(path)
    return files


class Command(BaseCommand):
    help = "Import agendas and minutes (files and directories) into the archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or directories")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        files = collect_files(paths)
        counts = dict.fromkeys(Outcome, 0)
        failures: list[str] = []
        cache = ImportCache()
        progress = tqdm(
            files,
            unit="dok",
            file=sys.stderr,
            disable=len(files) <= PROGRESS_FROM or not sys.stderr.isatty(),
        )
        for path in progress:
            try:
                document = parse_path(path)
                result = document_import(
                    document=document,
                    source_name=path.name,
                    sha512=sha512_hex(path.read_bytes()),
                    cache=cache,
                )
            except (ParseError, ApplicationError) as error:
                failures.append(str(error) if isinstance(error, ParseError) else f"{path}: {error}")
                continue
            counts[result.outcome] += 1
        for failure in failures:
            self.stderr.write(f"failed: {failure}", style_func=lambda text: text)
        self.stdout.write(
            f"{len(files)} files: {counts[Outcome.CREATED]} imported, "
            f"{counts[Outcome.UPDATED]} updated, {counts[Outcome.UNCHANGED]} unchanged, "
            f"{len(failures)} failed."
        )
        if failures:
            sys.exit(1)

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from dagsorden.core.errors import ApplicationError
from dagsorden.documents.contract import Document
from dagsorden.importers.parsers import ParseError, parse_path
from dagsorden.importers.services import ImportCache, Outcome, document_import, sha512_hex

SUFFIXES = {".txt", ".pdf", ".docx"}
PROGRESS_FROM = 5  # files; fewer than this need no progress bar
PARSE_AHEAD_FROM = 50  # files; a batch this large parses in a second process meanwhile

Parsed = tuple[Path, Document | None, str, str]  # path, document, SHA-512, error


def parse_for_import(path: Path) -> Parsed:
    """Read and parse one file (in a worker process for large batches): the database
    work of one document overlaps the parsing of the next."""
    try:
        document = parse_path(path)
        data = path.read_bytes()
    except ParseError as error:
        return path, None, "", str(error)
    except OSError as error:
        return path, None, "", f"{path}: cannot be read: {error.strerror or error}"
    return path, document, sha512_hex(data), ""


def parsed_files(files: list[Path]) -> Iterator[Parsed]:
    """In file order; a worker process reads ahead when the batch is large."""
    if len(files) < PARSE_AHEAD_FROM:
        yield from map(parse_for_import, files)
        return
    with ProcessPoolExecutor(max_workers=1) as pool:
        yield from pool.map(parse_for_import, files, chunksize=8)


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
            total=len(files),
            unit="dok",
            file=sys.stderr,
            disable=len(files) <= PROGRESS_FROM or not sys.stderr.isatty(),
        )
        for path, document, sha512, error in parsed_files(files):
            progress.update()
            if document is None:
                failures.append(error)
                continue
            try:
                result = document_import(
                    document=document, source_name=path.name, sha512=sha512, cache=cache
                )
            except ApplicationError as rejected:
                failures.append(f"{path}: {rejected}")
                continue
            counts[result.outcome] += 1
        progress.close()
        for failure in failures:
            self.stderr.write(f"failed: {failure}", style_func=lambda text: text)
        self.stdout.write(
            f"{len(files)} files: {counts[Outcome.CREATED]} imported, "
            f"{counts[Outcome.UPDATED]} updated, {counts[Outcome.UNCHANGED]} unchanged, "
            f"{len(failures)} failed."
        )
        if failures:
            sys.exit(1)

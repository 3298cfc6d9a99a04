from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from dagsorden.core.cli import fail
from dagsorden.core.errors import ApplicationError
from dagsorden.documents.contract import Document
from dagsorden.importers.limits import LIMIT_HELP, import_limits, limit_overrides
from dagsorden.importers.parsers import Limits, ParseError, parse_bytes, read_document
from dagsorden.importers.services import ImportCache, Outcome, document_import, sha512_hex

SUFFIXES = {".txt", ".pdf", ".docx"}
PROGRESS_FROM = 5  # files; fewer than this need no progress bar
PARSE_AHEAD_FROM = 50  # files; a batch this large parses in a second process meanwhile
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies

Parsed = tuple[Path, Document | None, str, str]  # path, document, SHA-512, error


def parse_for_import(path: Path, *, limits: Limits) -> Parsed:
    """Read (once) and parse one file, in a worker process for large batches: the database
    work of one document overlaps the parsing of the next. Never raises: a file that cannot
    be read is a failure with a one-line reason, and the batch goes on."""
    try:
        data = read_document(path, limits=limits)
        document = parse_bytes(data, source=str(path), limits=limits)
    except ParseError as error:
        return path, None, "", str(error)
    except Exception as error:  # a reader's own failure fails this file, not the batch
        return path, None, "", f"{path}: cannot be read ({_one_line(error)})"
    return path, document, sha512_hex(data), ""


def parsed_files(files: list[Path], *, limits: Limits) -> Iterator[Parsed]:
    """In file order; a worker process reads ahead when the batch is large (and should the
    worker die, the rest is read here)."""
    parse = functools.partial(parse_for_import, limits=limits)
    done = 0
    if len(files) >= PARSE_AHEAD_FROM:
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=_die_with_parent) as pool:
                for parsed in pool.map(parse, files, chunksize=8):
                    yield parsed
                    done += 1
        except BrokenProcessPool:
            pass
    yield from map(parse, files[done:])


def _die_with_parent() -> None:
    """The read-ahead worker ends when the import does, also when it is killed (Linux):
    otherwise a killed import leaves its worker waiting for work forever."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the import ended before the worker got here
        os._exit(0)


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Named files as given; directories searched for documents, in name order, and what
    could not be searched. Anything with a document's suffix that is not a directory is
    taken, so that a pipe or a device named like a document is reported, not passed over;
    links to directories are not followed (a link to a parent would never end)."""
    files: list[Path] = []
    problems: list[str] = []

    def unreadable(error: OSError) -> None:
        problems.append(f"{error.filename}: cannot be searched: {error.strerror or error}")

    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found: list[Path] = []
        for folder, _folders, names in os.walk(path, onerror=unreadable):
            found.extend(
                Path(folder, name)
                for name in names
                if Path(name).suffix.lower() in SUFFIXES and not name.startswith(".")
            )
        files.extend(sorted(found))
    return files, problems


def _one_line(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".replace("\n", " ")


class Command(BaseCommand):
    help = "Import agendas and minutes (files and directories) into the archive."

    def _actor(self, username: str | None) -> Any:
        if username is None:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            fail(self, f"no active user named {username!r}")
        return user

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or directories")
        parser.add_argument(
            "--limit", action="append", default=[], metavar="NAME=VALUE", help=LIMIT_HELP
        )
        parser.add_argument(
            "--amend",
            metavar="REASON",
            help="record each changed title and decision of approved minutes as an amendment "
            "with this reason (with --user: who amends)",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="import as this user, with the permissions the work pages give them",
        )

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        try:
            limits = import_limits(limit_overrides(options["limit"]))
        except ValueError as wrong:
            fail(self, str(wrong))
        amend, actor = options["amend"], self._actor(options["user"])
        if amend is not None and not amend.strip():
            fail(self, "--amend needs a reason")
        if amend is not None and actor is None:
            fail(self, "--amend needs --user USERNAME: an amendment records who made it")
        files, failures = collect_files(paths)
        total = len(files) + len(failures)  # a folder that cannot be searched counts as one
        counts = dict.fromkeys(Outcome, 0)
        notes: list[str] = []
        cache = ImportCache()
        progress = tqdm(
            total=len(files),
            unit="dok",
            file=sys.stderr,
            disable=len(files) <= PROGRESS_FROM or not sys.stderr.isatty(),
        )
        for path, document, sha512, reason in parsed_files(files, limits=limits):
            progress.update()
            if document is None:
                failures.append(reason)
                continue
            try:
                result = document_import(
                    document=document,
                    source_name=path.name,
                    sha512=sha512,
                    cache=cache,
                    actor=actor,
                    amend=amend,
                )
            except ApplicationError as rejected:
                failures.append(f"{path}: {rejected}")
                continue
            except PermissionDenied as denied:
                failures.append(f"{path}: {actor} may not do this ({denied})")
                continue
            except Exception as unexpected:  # rolled back; the next document goes on
                failures.append(f"{path}: not imported ({_one_line(unexpected)})")
                continue
            counts[result.outcome] += 1
            if result.outcome is Outcome.UPDATED and result.note:
                notes.append(f"{path}: {result.note}")
        progress.close()
        for note in notes:
            self.stdout.write(f"note: {note}")
        for failure in failures:
            self.stderr.write(f"failed: {failure}".replace("\n", " "), style_func=lambda x: x)
        self.stdout.write(
            f"{total} files: {counts[Outcome.CREATED]} imported, "
            f"{counts[Outcome.UPDATED]} updated, {counts[Outcome.UNCHANGED]} unchanged, "
            f"{len(failures)} failed."
        )
        if failures:
            sys.exit(1)

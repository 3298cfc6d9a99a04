"""What reading one document may cost: its size, pages, objects, text, unpacked bytes, memory
and time.

Documents come from outside (mail, shared drives, other systems), and a few hundred bytes can
ask a reader for gigabytes or hours: a ZIP or Flate bomb, a PDF page drawn from nested forms,
a FIFO that never ends. Every reader checks these limits while it reads and stops with a
``ParseError`` that names the limit, so the person importing knows what to raise if the file
is genuine. Pure Python, no Django: the importer builds ``Limits`` from the setting
``DAGSORDEN_IMPORT_LIMITS`` (see ``importers/limits.py``) and passes them in.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dagsorden.importers.parsers.errors import ParseError

SETTING = "DAGSORDEN_IMPORT_LIMITS"
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """One document's budget; every field can be set in ``DAGSORDEN_IMPORT_LIMITS``."""

    file_bytes: int = 50 * MB  # the file as it lies on disk
    pages: int = 500  # PDF pages
    page_objects: int = 20_000  # objects drawn on one PDF page, forms unfolded
    characters: int = 5_000_000  # text of the whole document
    unpacked_bytes: int = 100 * MB  # DOCX: the ZIP's members; PDF: its compressed streams
    memory_bytes: int = 1024 * MB  # what the PDF or Word reader may allocate
    seconds: float = 30.0  # reading one document, start to end

    @classmethod
    def from_mapping(cls, values: Mapping[str, object], *, base: Limits | None = None) -> Limits:
        """``base`` (the defaults) with ``values`` applied; unknown names and values that are
        not positive numbers are errors (a typo must not silently leave a limit out)."""
        known = {field.name: field.type for field in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise ValueError(
                    f"unknown import limit {name!r}; known: {', '.join(sorted(known))}"
                )
            changes[name] = _positive(name, value, whole=name != "seconds")
        return dataclasses.replace(base or cls(), **changes)

    def exceeded(self, source: str, name: str, what: str, line: int | None = None) -> ParseError:
        """The error for a document over the limit ``name``: what it is, and where to raise it."""
        return ParseError(source, f"{what} (limit: {SETTING}[{name!r}])", line)


def _positive(name: str, value: object, *, whole: bool) -> int | float:
    """A setting's or a command line's value as the positive number the limit needs."""
    number: int | float | None = None
    if isinstance(value, str):
        try:
            number = int(value) if whole else float(value)
        except ValueError:
            number = None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = value if not whole or isinstance(value, int) else None
    if number is None or not math.isfinite(number) or number <= 0:
        kind = "a positive whole number" if whole else "a positive number"
        raise ValueError(f"import limit {name!r} must be {kind}, not {value!r}")
    return number


DEFAULT_LIMITS = Limits()


def size_text(count: int) -> str:
    """Bytes as a person reads them: ``50 MB``, ``1 GB``, ``1.5 MB``, ``700 bytes``."""
    for unit, size in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.4g} {unit}"
    return f"{count} bytes"


class Deadline:
    """The moment reading one document must be done by (``Limits.seconds`` from its start).

    Readers call ``check()`` inside their loops; the clock is the system's monotonic one, so a
    reader in a child process (see ``isolation``) keeps the deadline its parent set.
    """

    def __init__(self, limits: Limits, source: str) -> None:
        self.limits = limits
        self.source = source
        self.end = time.monotonic() + limits.seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise self.expired()

    def expired(self) -> ParseError:
        return self.limits.exceeded(
            self.source, "seconds", f"took more than {self.limits.seconds:g} s to read"
        )

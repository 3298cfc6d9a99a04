"""Parsers: one per source format, each turning a file into a dagsorden.document/1.

Every input they cannot read, however broken or hostile, ends in a ``ParseError`` with a
one-line reason; reading is bounded by ``Limits`` (size, pages, objects, text, unpacked bytes,
memory, time), which the caller passes in.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.limits import DEFAULT_LIMITS, Deadline, Limits, size_text
from dagsorden.importers.parsers.text import parse_text

__all__ = ["DEFAULT_LIMITS", "Limits", "ParseError", "parse_bytes", "parse_path", "read_document"]

BINARY_PROBE = 8192  # bytes: a NUL among the first of these marks a binary file


def parse_path(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read any supported document; every unreadable input raises ParseError."""
    return parse_bytes(read_document(path, limits=limits), source=str(path), limits=limits)


def read_document(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a regular file no larger than ``limits.file_bytes``.

    Devices (``/dev/zero``), FIFOs and sockets never end or never start: they are refused
    before anything is read, also behind a symbolic link, and the file is opened without
    blocking, so one swapped in after the check cannot hang the import either. At most one
    byte more than the limit is read.
    """
    source = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ParseError(source, "no such file") from None
    except OSError as error:
        raise ParseError(source, f"cannot be read: {error.strerror or error}") from None
    _check_regular(info, source=source, limits=limits)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ParseError(source, f"cannot be read: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as file:
        try:
            info = os.fstat(file.fileno())
            _check_regular(info, source=source, limits=limits)
            data = file.read(info.st_size + 1)  # one byte more shows a file still growing
            if len(data) > info.st_size:
                data += file.read(limits.file_bytes + 1 - len(data))
        except OSError as error:
            raise ParseError(source, f"cannot be read: {error.strerror or error}") from None
    _check_size(len(data), source=source, limits=limits)
    return data


def _check_regular(info: os.stat_result, *, source: str, limits: Limits) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ParseError(source, "is a directory, not a document")
    if not stat.S_ISREG(info.st_mode):
        raise ParseError(
            source, "not a regular file (a device, pipe or socket): only files are read"
        )
    _check_size(info.st_size, source=source, limits=limits)


def _check_size(size: int, *, source: str, limits: Limits) -> None:
    if size > limits.file_bytes:
        raise limits.exceeded(source, "file_bytes", f"larger than {size_text(limits.file_bytes)}")


def parse_bytes(data: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """One document from its bytes: PDF, Word (DOCX) or text, told apart by their content."""
    _check_size(len(data), source=source, limits=limits)
    deadline = Deadline(limits, source)
    if not data.strip():
        raise ParseError(source, "the file is empty")
    if data.startswith(b"%PDF-"):
        from dagsorden.importers.parsers.pdf import parse_pdf  # pypdfium2 loads only when needed

        return parse_pdf(data, source=source, limits=limits, deadline=deadline)
    if data.startswith(b"PK\x03\x04"):
        from dagsorden.importers.parsers.docx import is_docx, parse_docx

        if not is_docx(data):
            raise ParseError(
                source, "a ZIP archive but not a Word (DOCX) document: nothing to import"
            )
        return parse_docx(data, source=source, limits=limits, deadline=deadline)
    if b"\x00" in data[:BINARY_PROBE]:
        raise ParseError(source, "a binary file, not a text agenda or minutes")
    return parse_text(decode_text(data), source=source, limits=limits, deadline=deadline)


def decode_text(data: bytes) -> str:
    """UTF-8 as the seeds are; older archives in Windows-1252 are read too."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")

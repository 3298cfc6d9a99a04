"""Parsers: one per source format, each turning a file into a dagsorden.document/1."""

from __future__ import annotations

from pathlib import Path

from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.text import parse_text

__all__ = ["ParseError", "parse_bytes", "parse_path"]


def parse_path(path: Path) -> Document:
    """Read any supported document; every unreadable input raises ParseError."""
    source = str(path)
    if not path.exists():
        raise ParseError(source, "no such file")
    if path.is_dir():
        raise ParseError(source, "is a directory, not a document")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(source, f"cannot be read: {error.strerror or error}") from None
    return parse_bytes(data, source=source)


def parse_bytes(data: bytes, *, source: str) -> Document:
    if not data.strip():
        raise ParseError(source, "the file is empty")
    if data.startswith(b"%PDF-"):
        from dagsorden.importers.parsers.pdf import parse_pdf  # pypdfium2 loads only when needed

        return parse_pdf(data, source=source)
    if data.startswith(b"PK\x03\x04"):
        from dagsorden.importers.parsers.docx import is_docx, parse_docx

        if not is_docx(data):
            raise ParseError(
                source, "a ZIP archive but not a Word (DOCX) document: nothing to import"
            )
        return parse_docx(data, source=source)
    if b"\x00" in data[:8192]:
        raise ParseError(source, "a binary file, not a text agenda or minutes")
    return parse_text(decode_text(data), source=source)


def decode_text(data: bytes) -> str:
    """UTF-8 as the seeds are; older archives in Windows-1252 are read too."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")

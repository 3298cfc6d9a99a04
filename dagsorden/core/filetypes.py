"""What a file is, judged from its bytes: the extension it declares must match its content.

An attachment's extension decides how it is served (a PDF opens in the browser) and what a
reader's computer does with it, so an HTML page or a program renamed to ``.pdf`` must not
pass. The accepted types are few and fixed (``DAGSORDEN_ATTACHMENT_TYPES``), so the checks
are explicit here rather than left to libmagic (a system library every installation would
need, whose verdicts on Office files vary between versions) or a generic signature table
(which takes any ZIP archive for a Word document):

- PDF, PNG and JPEG by their leading signature;
- DOCX, XLSX and PPTX as ZIP archives (Office Open XML) whose ``[Content_Types].xml``
  declares the main part of that kind and that part is present; a macro-enabled document
  (``.docm`` and the like) declares another type and is refused;
- TXT as UTF-8 text without NUL bytes, read to the end.

Pure Python, no Django: the same check can serve an importer or a script.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from enum import Enum
from typing import BinaryIO


class Verdict(Enum):
    """Why a file does not match its extension (the caller words the message)."""

    MISMATCH = "mismatch"  # the content is of another kind
    NOT_UTF8 = "not-utf8"  # a .txt file in another encoding, or binary data
    UNKNOWN_TYPE = "unknown-type"  # an extension this module has no check for


SIGNATURES: dict[str, bytes] = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}

OFFICE_MAIN_PARTS: dict[str, str] = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}

TEXT_SUFFIXES = frozenset({".txt"})

CONTENT_TYPES_PART = "[Content_Types].xml"
# Word writes a few kilobytes here; anything far larger is not an Office document we accept.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
_OVERRIDE = re.compile(r"<(?:\w+:)?Override\b([^>]*)>")
_ATTRIBUTE = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# What a damaged or hostile archive can raise while its directory or one member is read.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # an unsupported compression method
    ValueError,
    KeyError,
)
CHUNK = 64 * 1024


def supported(suffix: str) -> bool:
    return suffix in SIGNATURES or suffix in OFFICE_MAIN_PARTS or suffix in TEXT_SUFFIXES


def check_content(suffix: str, stream: BinaryIO) -> Verdict | None:
    """``None`` when the bytes of ``stream`` are what ``suffix`` (``.pdf``, lower case)
    declares, else the reason. Reads from the start; leaves the position at the start."""
    stream.seek(0)
    try:
        if suffix in SIGNATURES:
            signature = SIGNATURES[suffix]
            matches = stream.read(len(signature)) == signature
            return None if matches else Verdict.MISMATCH
        if suffix in OFFICE_MAIN_PARTS:
            return None if _is_office(stream, OFFICE_MAIN_PARTS[suffix]) else Verdict.MISMATCH
        if suffix in TEXT_SUFFIXES:
            return None if _is_utf8_text(stream) else Verdict.NOT_UTF8
        return Verdict.UNKNOWN_TYPE
    finally:
        stream.seek(0)


def _is_office(stream: BinaryIO, main_type: str) -> bool:
    """An Office Open XML package whose main part has ``main_type`` and exists."""
    if stream.read(4) != b"PK\x03\x04":
        return False
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = {info.filename.casefold(): info for info in archive.infolist()}
            listing = names.get(CONTENT_TYPES_PART.casefold())
            if listing is None or listing.file_size > CONTENT_TYPES_MAX_BYTES:
                return False
            with archive.open(listing) as member:
                declared = member.read(CONTENT_TYPES_MAX_BYTES + 1)
    except _ZIP_ERRORS:
        return False
    if len(declared) > CONTENT_TYPES_MAX_BYTES:
        return False
    text = declared.decode("utf-8", errors="replace")
    for override in _OVERRIDE.finditer(text):
        attributes = {
            name.rpartition(":")[2]: double or single
            for name, double, single in _ATTRIBUTE.findall(override[1])
        }
        if attributes.get("ContentType", "").strip() != main_type:
            continue
        part = attributes.get("PartName", "").strip().lstrip("/").casefold()
        if part in names:
            return True
    return False


def _is_utf8_text(stream: BinaryIO) -> bool:
    """Valid UTF-8 (a byte order mark allowed) to the last byte, and no NUL."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        while chunk := stream.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True

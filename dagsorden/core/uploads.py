"""Uploaded files: refused early, checked for what they are, stored safely, never orphaned.

- ``UploadSizeLimitHandler`` (first in ``FILE_UPLOAD_HANDLERS``) applies
  ``DAGSORDEN_ATTACHMENT_MAX_BYTES`` while a file arrives: past the limit nothing more is
  kept, and the file reaches the form as an ``OversizedUpload`` that says how large it was,
  so the user reads a clear error instead of the server first storing gigabytes.
- ``upload_check`` is the one check of an uploaded file: its type (extension) is allowed,
  its size is within the limit and not zero, and its bytes are what the extension declares
  (``core/filetypes.py``). Forms call it for an error beside the field, services call it
  again because they are the boundary every writer passes.
- ``stored_name`` gives the file a storage name with its extension, no path and a random
  part; ``file_save_undone_on_rollback`` writes it so that a transaction that does not
  commit takes the file away with the row.
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from dagsorden.core.danish import danish_slug
from dagsorden.core.errors import ApplicationError
from dagsorden.core.filetypes import Verdict, check_content
from dagsorden.core.text import clean_text

logger = logging.getLogger("dagsorden.uploads")

NAME_MAX_LENGTH = 300  # CaseAttachment.name
STORED_STEM_MAX_LENGTH = 50


class UploadRefused(ApplicationError):
    """An uploaded file that cannot be used; the message says why and what to do."""


# --- While the file arrives


class OversizedUpload(UploadedFile):
    """Stands in ``request.FILES`` for a file that outgrew the limit while it arrived.

    It has no content and a size of 0, so a form that does not know it refuses it as an
    empty file; ``received`` is the size the file had when it had fully arrived.
    """

    def __init__(self, *, name: str, content_type: str, received: int) -> None:
        super().__init__(
            file=io.BytesIO(), name=name, content_type=content_type, size=0, charset=None
        )
        self.received = received


class UploadSizeLimitHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and hands on none past the limit.

    It comes first in ``FILE_UPLOAD_HANDLERS``: the memory and temporary-file handlers
    after it keep at most ``DAGSORDEN_ATTACHMENT_MAX_BYTES`` of any file. The rest of the
    request is still read (and dropped) rather than the upload stopped with
    ``StopUpload``: a connection cut mid-request shows the user a browser error page, not
    the form with its error. The reverse proxy's own body limit bounds the reading.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit: int = settings.DAGSORDEN_ATTACHMENT_MAX_BYTES
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # counted, never handed on to be kept
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.limit:
            return None  # the next handler has the whole file
        return OversizedUpload(
            name=self.file_name or "",
            content_type=self.content_type or "application/octet-stream",
            received=self.received,
        )


# --- The check


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the file's own name, safe to show and store: no path, no control characters
    suffix: str  # ".pdf", lower case
    media_type: str
    size: int
    sha512: str


def display_name(raw: str) -> str:
    """The last part of whatever path a browser or script sent, without control characters
    and within the model's length, its extension kept."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(clean_text(name).split())
    suffix = PurePath(name).suffix if PurePath(name).stem else ""
    if len(name) > NAME_MAX_LENGTH:
        name = name[: NAME_MAX_LENGTH - len(suffix)].rstrip() + suffix
    return name if PurePath(name).stem.strip(". ") else _("bilag") + suffix


def upload_check(upload: File, *, allowed: Mapping[str, str], max_bytes: int) -> CheckedUpload:
    """The uploaded file's safe name, type, size and SHA-512, or ``UploadRefused``."""
    name = display_name(upload.name or "")
    suffix = PurePath(name).suffix.lower()
    if suffix not in allowed:
        raise UploadRefused(
            _("Filtypen %(suffix)s kan ikke bruges som bilag. Tilladt: %(allowed)s.")
            % {"suffix": suffix or "?", "allowed": ", ".join(sorted(allowed))}
        )
    size = upload.received if isinstance(upload, OversizedUpload) else (upload.size or 0)
    if size > max_bytes:
        raise UploadRefused(
            _("Filen fylder %(size)d MB; et bilag må højst fylde %(limit)d MB.")
            % {"size": -(-size // 1_000_000), "limit": max_bytes // (1024 * 1024)}
        )
    if size == 0:
        raise UploadRefused(_("Filen er tom."))
    verdict = check_content(suffix, upload.file)  # type: ignore[arg-type]
    if verdict is Verdict.NOT_UTF8:
        raise UploadRefused(
            _(
                "Tekstfilen %(name)s er ikke gemt som UTF-8-tekst. Gem den som UTF-8 "
                "(i Notesblok: Gem som, Kodning: UTF-8), eller brug PDF eller Word."
            )
            % {"name": name}
        )
    if verdict is not None:
        raise UploadRefused(
            _(
                "Filen %(name)s er ikke en rigtig %(kind)s-fil: indholdet passer ikke til "
                "endelsen %(suffix)s. Gem den i det rigtige format, og prøv igen."
            )
            % {"name": name, "kind": suffix.lstrip(".").upper(), "suffix": suffix}
        )
    digest = hashlib.sha512()
    for chunk in upload.chunks():
        digest.update(chunk)
    return CheckedUpload(
        name=name, suffix=suffix, media_type=allowed[suffix], size=size, sha512=digest.hexdigest()
    )


# --- Storing


def stored_name(name: str) -> str:
    """``Budget 2024 – bilag.PDF`` -> ``budget-2024-bilag-3f9c0a1b2d4e6f78.pdf``: readable,
    no path parts, its extension kept, and a random part so that no two uploads collide
    and no stored name can be guessed from the shown one."""
    path = PurePath(name)
    stem = danish_slug(path.stem)[:STORED_STEM_MAX_LENGTH].strip("-") or "bilag"
    suffix = f".{danish_slug(path.suffix)}" if danish_slug(path.suffix) else ""
    return f"{stem}-{secrets.token_hex(8)}{suffix}"


def file_save_undone_on_rollback(field_file: FieldFile, name: str, content: File) -> None:
    """Write ``content`` to storage now, and delete it again unless the transaction that is
    open commits. Call it inside the transaction that records the file.

    Django has a hook for a commit (``on_commit``) but none for a rollback, so the commit
    hook serves as one: a rollback, of the transaction or of the savepoint the hook was
    registered in, drops the hooks registered in it, and the dropped hook's finalizer
    deletes the file unless the hook ran first. CPython finalizes a dropped object at once;
    elsewhere it happens at the next garbage collection, which only delays the deletion.
    """
    field_file.save(name, content, save=False)
    stored = field_file.name
    if not stored:
        return
    state = {"committed": False}

    def committed() -> None:
        state["committed"] = True

    transaction.on_commit(committed)
    weakref.finalize(committed, _delete_unless_committed, field_file.storage, stored, state)


def _delete_unless_committed(storage: Storage, name: str, state: dict[str, bool]) -> None:
    if state["committed"]:
        return
    try:
        storage.delete(name)
    except OSError:
        logger.exception("could not remove %s after its transaction was rolled back", name)
    else:
        logger.info("removed %s: its transaction was rolled back", name)

"""Publishing: a stored meeting rendered as agenda or minutes, as PDF, DOCX or text."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from dagsorden.core.danish import local_day_range
from dagsorden.core.errors import ApplicationError
from dagsorden.documents.contract import Document
from dagsorden.documents.export import NotVisible, meeting_document
from dagsorden.meetings.models import Meeting
from dagsorden.meetings.selectors import decision_visible, user_can_see_closed
from dagsorden.public.page_cache import meeting_day_stamp
from dagsorden.publishing.renderers.docx import render_docx
from dagsorden.publishing.renderers.layout import Audience, edition_label
from dagsorden.publishing.renderers.pdf import pdf_item_pages, render_pdf
from dagsorden.publishing.renderers.txt import render_text

As = Literal["agenda", "minutes"]
Format = Literal["pdf", "docx", "txt"]


def as_agenda(document: Document) -> Document:
    """The agenda of a meeting: the same items, before the meeting, so no decisions."""
    return dataclasses.replace(
        document,
        kind="agenda",
        items=tuple(dataclasses.replace(item, decision=None) for item in document.items),
    )


def document_render(
    *, document: Document, fmt: Format, audience: Audience, municipality: str | None = None
) -> bytes:
    """One document in one format; the text and DOCX tables of contents use the PDF's pages."""
    if fmt == "pdf":
        return render_pdf(document, audience=audience, municipality=municipality).data
    pages = pdf_item_pages(document, audience=audience, municipality=municipality)
    if fmt == "docx":
        return render_docx(
            document, audience=audience, page_numbers=pages, municipality=municipality
        )
    with translation.override("da"):
        edition = edition_label(audience)
    return render_text(document, page_numbers=pages, edition=edition).encode("utf-8")


def meeting_render(
    *, meeting: Meeting, user: Any, as_: As = "minutes", fmt: Format = "pdf", internal: bool = False
) -> bytes:
    """The meeting's agenda or minutes as a file, through the visibility gate.

    The public version is what an anonymous visitor reads, whoever asks for it; the internal
    version is what ``user`` reads, and only for those who read the forum's closed items.
    """
    reader = user if internal else AnonymousUser()
    if internal and not user_can_see_closed(user=user, organization_id=meeting.organization_id):
        raise ApplicationError(_("The internal version is for the forum's staff only."))
    where = {"forum": meeting.organization.name, "date": f"{localtime(meeting.starts_at):%Y-%m-%d}"}
    if as_ == "minutes" and not meeting.has_minutes:
        raise ApplicationError(
            _("%(forum)s has no minutes of %(date)s yet: the meeting has not been held.") % where
        )
    if as_ == "minutes" and not decision_visible(meeting=meeting, user=reader):
        raise ApplicationError(_("The minutes of %(forum)s %(date)s are not approved yet.") % where)
    audience: Audience = "internal" if internal else "public"
    # One rendering per version and state: everything the file shows is in the day's stamp,
    # and the reader's view differs only by whether the decisions are theirs to read.
    cache_key = _render_cache_key(meeting, as_=as_, fmt=fmt, audience=audience, reader=reader)
    if cache_key is not None and (cached := cache.get(cache_key)) is not None:
        return bytes(cached)
    try:
        document = meeting_document(meeting=meeting, user=reader)
    except NotVisible:
        raise ApplicationError(_("%(forum)s %(date)s is not published.") % where) from None
    if as_ == "agenda":
        document = as_agenda(document)
    data = document_render(
        document=document,
        fmt=fmt,
        audience=audience,
        municipality=meeting.organization.body.name,
    )
    if cache_key is not None:
        cache.set(cache_key, data, RENDER_CACHE_SECONDS)
    return data


RENDER_CACHE_SECONDS = 3600


def _render_cache_key(
    meeting: Meeting, *, as_: As, fmt: Format, audience: Audience, reader: Any
) -> str | None:
    bounds = local_day_range(localtime(meeting.starts_at).date())
    if bounds is None:
        return None
    stamp = meeting_day_stamp(meeting.organization.slug, *bounds)
    decisions = decision_visible(meeting=meeting, user=reader)
    parts = (meeting.pk, as_, fmt, audience, decisions, translation.get_language(), stamp)
    return "dagsorden:render:1:" + hashlib.sha256(repr(parts).encode()).hexdigest()

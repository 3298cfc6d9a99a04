"""Publishing: a stored meeting rendered as agenda or minutes, as PDF, DOCX or text."""

from __future__ import annotations

import dataclasses
from typing import Literal

from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from dagsorden.core.errors import ApplicationError
from dagsorden.documents.contract import Document
from dagsorden.documents.export import meeting_document
from dagsorden.meetings.models import Meeting
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
    *, meeting: Meeting, as_: As = "minutes", fmt: Format = "pdf", audience: Audience = "public"
) -> bytes:
    """The meeting's agenda or minutes as a file; the public version hides closed items.

    Callers serving a visitor check the visibility rules first (see ``publishing.downloads``);
    this service trusts its caller about who may see the internal version.
    """
    if as_ == "minutes" and not meeting.has_minutes:
        raise ApplicationError(
            _("%(forum)s has no minutes of %(date)s yet: the meeting has not been held.")
            % {
                "forum": meeting.organization.name,
                "date": f"{localtime(meeting.starts_at):%Y-%m-%d}",
            }
        )
    document = meeting_document(meeting=meeting, audience=audience)
    if as_ == "agenda":
        document = as_agenda(document)
    return document_render(
        document=document,
        fmt=fmt,
        audience=audience,
        municipality=meeting.organization.body.name,
    )

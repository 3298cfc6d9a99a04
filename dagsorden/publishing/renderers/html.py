"""The printable HTML of a document: what WeasyPrint turns into the PDF."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import translation

from dagsorden.documents.contract import Document
from dagsorden.publishing.renderers.layout import Audience, DocumentLayout, document_layout

TEMPLATE = "publishing/document.html"


def render_html(
    document: Document,
    *,
    audience: Audience,
    page_numbers: Sequence[int] | None = None,
    municipality: str | None = None,
) -> str:
    """The whole document as one HTML page (Danish, whatever the visitor's language)."""
    with translation.override("da"):
        layout = document_layout(
            document, audience=audience, page_numbers=page_numbers, municipality=municipality
        )
        return html_of(layout)


def html_of(layout: DocumentLayout) -> str:
    return render_to_string(TEMPLATE, {"layout": layout})

"""The PDF of an agenda or minutes (WeasyPrint): tagged PDF/UA-1, Danish, fonts embedded."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dagsorden.documents.contract import Document
from dagsorden.publishing.renderers.html import render_html
from dagsorden.publishing.renderers.layout import Audience

if TYPE_CHECKING:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

PRINT_CSS = Path(__file__).resolve().parents[1] / "print" / "print.css"
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int
    item_pages: tuple[int, ...]  # the page each item starts on, 1-based, in document order


@functools.cache
def _stylesheet() -> tuple[weasyprint.CSS, FontConfiguration]:
    """The print stylesheet, parsed once per process (fonts looked up once too)."""
    # Imported on first use: WeasyPrint's start-up (~0.4 s) would otherwise be paid by
    # every command and server process, rendering or not.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return weasyprint.CSS(filename=str(PRINT_CSS), font_config=fonts), fonts


def render_pdf(
    document: Document, *, audience: Audience, municipality: str | None = None
) -> RenderedPdf:
    """Lay the document out once; the item pages come from the same layout as the file."""
    rendered, item_pages = _layout(document, audience=audience, municipality=municipality)
    data = rendered.write_pdf(pdf_variant=PDF_VARIANT)
    assert data is not None  # noqa: S101 (write_pdf returns bytes when no target is given)
    return RenderedPdf(data=data, page_count=len(rendered.pages), item_pages=item_pages)


def pdf_item_pages(
    document: Document, *, audience: Audience, municipality: str | None = None
) -> tuple[int, ...]:
    """The page each item starts on in the PDF (for the text and DOCX contents lists)."""
    return _layout(document, audience=audience, municipality=municipality)[1]


def _layout(
    document: Document, *, audience: Audience, municipality: str | None
) -> tuple[weasyprint.document.Document, tuple[int, ...]]:
    html = render_html(document, audience=audience, municipality=municipality)
    css, fonts = _stylesheet()
    import weasyprint

    rendered = weasyprint.HTML(string=html, base_url=str(PRINT_CSS.parent)).render(
        stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT
    )
    anchors: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    item_pages = tuple(
        anchors[f"punkt-{item.number}-{index}"] for index, item in enumerate(document.items)
    )
    return rendered, item_pages

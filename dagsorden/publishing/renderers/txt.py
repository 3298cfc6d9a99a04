"""A dagsorden.document/1 rendered as text in the format of ``shared/seeds``.

The inverse of ``importers.parsers.text``: parse(render(doc)) == doc for every document the
contract allows. ``TextStyle`` reproduces the variations real documents show (dashes, section
order, bulleted points, recommender phrasing) so tests and benchmarks exercise the parser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dagsorden.core.danish import meeting_date_words
from dagsorden.core.vocabulary import CLOSED_ITEM_TITLE
from dagsorden.documents.contract import Document, Item, TimeSlot

TEMPLATE_ORDER = ("occasion", "presentation", "recommendation", "decision", "attachments")
RECOMMENDATION_FIRST = ("occasion", "recommendation", "presentation", "decision", "attachments")
HEADINGS = {
    "occasion": "Anledning",
    "presentation": "Sagsfremstilling",
    "recommendation": "Indstilling",
    "decision": "Beslutning",
    "attachments": "Bilag",
}


@dataclass(frozen=True)
class TextStyle:
    dash: str = "-"  # "-" or "–" between prefix and title
    section_order: tuple[str, ...] = TEMPLATE_ORDER
    bulleted_points: bool = False  # "- at ..." instead of "1. at ..."
    proposer_suffix: str = ","  # "indstiller," / "indstiller, at:" / "indstiller:"


def render_text(
    document: Document,
    *,
    style: TextStyle | None = None,
    page_numbers: Sequence[int] | None = None,
    edition: str | None = None,
) -> str:
    """The whole document; ``page_numbers`` fills the table of contents (PDF pages).

    ``edition`` ("Offentlig udgave") adds a header line saying which version this is; the
    parser reads past it, as it reads past every header line it does not know.
    """
    style = style or TextStyle()
    starts_at = dt.datetime.strptime(document.starts_at, "%Y-%m-%dT%H:%M")  # noqa: DTZ007
    heading = "REFERAT" if document.kind == "minutes" else "DAGSORDEN"
    blocks = [
        "",
        f"{heading} {document.forum} d. {starts_at:%d-%m-%Y}",
        f"Mødedato {meeting_date_words(starts_at)}",
    ]
    if document.location is not None:
        blocks.append(f"Mødested {document.location}")
    if edition:
        blocks.append(edition)
    pages = list(page_numbers) if page_numbers is not None else _estimated_pages(document)
    blocks.append("Indholdsfortegnelse")
    blocks.append(
        "\n".join(
            f"{toc_title(item, prefix=document.prefix, style=style)}.....\t{page}"
            for item, page in zip(document.items, pages, strict=True)
        )
    )
    blocks.extend(render_item(item, prefix=document.prefix, style=style) for item in document.items)
    return "\n\n".join(blocks) + "\n"


def render_item(item: Item, *, prefix: str | None, style: TextStyle) -> str:
    return "\n\n".join(text for _, text in item_blocks(item, prefix=prefix, style=style))


def item_blocks(
    item: Item, *, prefix: str | None, style: TextStyle | None = None
) -> list[tuple[str, str]]:
    """The item as (role, text) blocks; the PDF and DOCX renderers typeset the same blocks.

    Roles: "heading", "closed", "journal", "case_type", "section" (a section heading, the
    text is the heading word) and "body" (paragraphs split by blank lines).
    """
    style = style or TextStyle()
    blocks = [("heading", f"Punkt {item.number}: {_prefixed(item_heading(item), prefix, style)}")]
    if not item.public and item.title != CLOSED_ITEM_TITLE:
        blocks.append(("closed", CLOSED_ITEM_TITLE))
    if item.journal_number:
        blocks.append(("journal", item.journal_number))
    if item.case_type:
        blocks.append(("case_type", f"Sagstype: {item.case_type}"))
    marker = _duration_marker(item.time_slot)
    sections = [key for key in style.section_order if _section_present(item, key)]
    if marker and not sections:
        blocks[0] = ("heading", f"{blocks[0][1]} {marker}")
    for index, key in enumerate(sections):
        body = _section_body(item, key, style)
        if index == 0 and marker:
            body = f"{marker}\n\n{body}" if body else marker
        blocks.append(("section", HEADINGS[key]))
        if body:
            blocks.append(("body", body))
    return blocks


def toc_title(item: Item, *, prefix: str | None, style: TextStyle | None = None) -> str:
    """The item as the table of contents lists it: prefix and title, no decorations."""
    return _prefixed(item.title, prefix, style or TextStyle())


def item_heading(item: Item) -> str:
    """The title with its decorations: presenters, guests and time."""
    text = item.title
    if item.presenters:
        text += f" v. {join_names(item.presenters)}"
    if item.guests:
        text += f" ({join_names(item.guests)} deltager)"
    slot = item.time_slot
    if slot is not None and slot.start is not None:
        text += f" ({slot.start}-{slot.end})" if slot.end else f" ({slot.start})"
    return text


def join_names(names: Sequence[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B og C"``."""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} og {names[-1]}"


def _prefixed(title: str, prefix: str | None, style: TextStyle) -> str:
    return f"{prefix} {style.dash} {title}" if prefix else title


def _duration_marker(slot: TimeSlot | None) -> str | None:
    """A "(45 min.)" marker, unless the minutes follow from the time range in the title."""
    if slot is None or slot.minutes is None:
        return None
    if slot.start is not None and slot.end is not None:
        start_h, start_m = map(int, slot.start.split(":"))
        end_h, end_m = map(int, slot.end.split(":"))
        if (end_h * 60 + end_m) - (start_h * 60 + start_m) == slot.minutes:
            return None
    return f"({slot.minutes} min.)"


def _section_present(item: Item, key: str) -> bool:
    if key == "attachments":
        return bool(item.attachments)
    return getattr(item, key) is not None


def _section_body(item: Item, key: str, style: TextStyle) -> str:
    if key == "attachments":
        return "\n\n".join(item.attachments)
    if key == "recommendation":
        recommendation = item.recommendation
        assert recommendation is not None  # noqa: S101 (checked by _section_present)
        lines = []
        if recommendation.proposer:
            lines.append(f"{recommendation.proposer} indstiller{style.proposer_suffix}")
        for number, point in enumerate(recommendation.points, start=1):
            lines.append(f"- {point}" if style.bulleted_points else f"{number}. {point}")
        if recommendation.proposer and lines[1:]:
            return lines[0] + "\n\n" + "\n".join(lines[1:])
        return "\n".join(lines)
    return str(getattr(item, key))


def _estimated_pages(document: Document) -> list[int]:
    """Page numbers as a PDF rendering would give them: front page, TOC, one item a page+."""
    pages, page = [], 3
    for item in document.items:
        pages.append(page)
        length = sum(len(getattr(item, key) or "") for key in ("occasion", "presentation"))
        page += 1 + length // 3500
    return pages

"""One layout for every format: a Document cut into the blocks the text format is made of.

The PDF and DOCX renderers typeset exactly the blocks ``txt.item_blocks`` writes, so that a
rendered file read back line by line gives the text the text renderer would have written,
and the text parser gives the same document again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from dagsorden.core.danish import date_words, meeting_date_words
from dagsorden.documents.contract import Document
from dagsorden.publishing.renderers.txt import TextStyle, item_blocks, toc_title

Audience = Literal["internal", "public"]
MARKER_RE = re.compile(r"^(\d{1,3}[.)]|[-–•*])\s+(\S.*)$")


@dataclass(frozen=True)
class Line:
    """One line of the text format: plain, a list point (marker + rest) or a table row."""

    text: str
    marker: str | None = None
    rest: str = ""
    cells: tuple[str, ...] = ()

    @property
    def is_row(self) -> bool:
        return bool(self.cells)


@dataclass(frozen=True)
class Chunk:
    """Consecutive lines of one paragraph that are set alike: running lines or a table."""

    kind: Literal["lines", "list", "table"]
    lines: tuple[Line, ...]

    @property
    def columns(self) -> int:
        return max(len(line.cells) for line in self.lines) if self.kind == "table" else 1

    @property
    def numbered(self) -> bool:
        return all(line.marker is not None and line.marker[0].isdigit() for line in self.lines)


@dataclass(frozen=True)
class Paragraph:
    chunks: tuple[Chunk, ...]

    @property
    def line_count(self) -> int:
        return sum(len(chunk.lines) for chunk in self.chunks)


@dataclass(frozen=True)
class Block:
    role: str  # heading, closed, journal, case_type, section, body
    text: str
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class ItemLayout:
    number: int
    anchor: str
    toc_title: str
    heading: str
    closed: bool
    blocks: tuple[Block, ...]
    page: int | None


@dataclass(frozen=True)
class DocumentLayout:
    kind: str
    kind_label: str  # "Referat" / "Dagsorden"
    forum: str
    date_words: str  # "Torsdag d. 14. september 2023 kl. 09:00"
    day_words: str  # "14. september 2023"
    location: str | None
    audience: Audience
    edition: str
    municipality: str | None
    items: tuple[ItemLayout, ...]

    @property
    def title(self) -> str:
        """The document title (PDF metadata, <title>, DOCX core properties)."""
        return f"{self.kind_label}: {self.forum} {self.day_words}"

    @property
    def running_header(self) -> str:
        return f"{self.forum} · {self.kind_label} {self.day_words} · {self.edition}"


def edition_label(audience: Audience) -> str:
    """What the file says about itself: the public or the internal version."""
    if audience == "public":
        return _("Offentlig udgave")
    return _("Intern udgave – indeholder lukkede punkter")


def document_layout(
    document: Document,
    *,
    audience: Audience,
    page_numbers: Sequence[int] | None = None,
    municipality: str | None = None,
    style: TextStyle | None = None,
) -> DocumentLayout:
    starts_at = dt.datetime.strptime(document.starts_at, "%Y-%m-%dT%H:%M")  # noqa: DTZ007
    pages: Sequence[int | None] = (
        page_numbers if page_numbers is not None else [None] * len(document.items)
    )
    items = tuple(
        ItemLayout(
            number=item.number,
            anchor=f"punkt-{item.number}-{index}",
            toc_title=toc_title(item, prefix=document.prefix, style=style),
            heading=blocks[0][1],
            closed=not item.public,
            blocks=tuple(_block(role, text) for role, text in blocks),
            page=page,
        )
        for index, (item, page) in enumerate(zip(document.items, pages, strict=True))
        for blocks in [item_blocks(item, prefix=document.prefix, style=style)]
    )
    return DocumentLayout(
        kind=document.kind,
        kind_label=_("Referat") if document.kind == "minutes" else _("Dagsorden"),
        forum=document.forum,
        date_words=meeting_date_words(starts_at),
        day_words=date_words(starts_at.date()),
        location=document.location,
        audience=audience,
        edition=edition_label(audience),
        municipality=municipality,
        items=items,
    )


def _block(role: str, text: str) -> Block:
    if role != "body":
        return Block(role=role, text=text)
    return Block(role=role, text=text, paragraphs=tuple(paragraphs(text)))


def paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated paragraphs, each cut into runs of lines and tables."""
    found = []
    for raw in re.split(r"\n[ \t]*\n", text):
        lines = [line_of(line) for line in raw.split("\n") if line.strip()]
        if not lines:
            continue
        chunks: list[Chunk] = []
        for line in lines:
            kind: Literal["lines", "list", "table"] = (
                "table" if line.is_row else "list" if line.marker else "lines"
            )
            if chunks and chunks[-1].kind == kind:
                chunks[-1] = Chunk(kind, (*chunks[-1].lines, line))
            else:
                chunks.append(Chunk(kind, (line,)))
        found.append(Paragraph(tuple(chunks)))
    return found


def line_of(text: str) -> Line:
    text = text.rstrip()
    if "\t" in text.strip():
        return Line(text=text, cells=tuple(cell.strip() for cell in text.strip().split("\t")))
    stripped = text.strip()
    match = MARKER_RE.match(stripped)
    if match is not None:
        return Line(text=stripped, marker=match[1], rest=match[2])
    return Line(text=stripped, rest=stripped)

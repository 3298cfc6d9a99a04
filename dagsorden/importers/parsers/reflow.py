"""Shared by the PDF and DOCX readers: from laid-out lines back to the seeds' text format.

Pure functions, no Django. The readers rebuild paragraphs and lines; these helpers put the
front page in the shape the text parser expects: the "REFERAT Forum" line (typeset on two
lines in print), and the table of contents as "title.....<TAB>page".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dagsorden.importers.parsers.text import ITEM_RE, MEETING_DATE_RE, VENUE_RE

POINT_RE = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[-–•*])\s+\S")
KIND_LINE_RE = re.compile(r"^(REFERAT|DAGSORDEN)\b[\s:–-]*(.*)$", re.IGNORECASE)
TOC_HEADING_RE = re.compile(r"^indholdsfortegnelse$", re.IGNORECASE)
PAGE_AT_END_RE = re.compile(r"(?<!\d)\d{1,4}$")  # a contents entry's page number
LEADER_DOTS = 3  # "Title.....<TAB>5": at least this many dots lead to the page number
TOC_ENTRY_LINES = 8  # a contents entry wrapped over more lines than this is not one
TOC_NUMBER_RE = re.compile(r"^(?:\d{1,3}\.?\t|\d{1,3}\.\s+|Punkt\s+\d+\s*:\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """One laid-out line: where it sits and its text, cells split where a table has them."""

    page: int
    baseline: float
    size: float
    x0: float
    x1: float
    cells: tuple[str, ...]
    cell_starts: tuple[float, ...] = ()  # where each cell begins (PDF), for table columns

    @property
    def text(self) -> str:
        return "\t".join(self.cells)

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1

    @property
    def is_point(self) -> bool:
        return POINT_RE.match(self.cells[0]) is not None


def text_from_paragraphs(paragraphs: list[list[str]]) -> str:
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines) + "\n"


def reflow_header(text: str) -> str:
    """The front page in the seeds' shape; the items are left exactly as they are."""
    lines = text.split("\n")
    first_item = next(
        (
            index
            for index, line in enumerate(lines)
            if ITEM_RE.match(line) and toc_entry(line) is None
        ),
        len(lines),
    )
    header, rest = lines[:first_item], lines[first_item:]
    kind_at = next((i for i, line in enumerate(header) if KIND_LINE_RE.match(line.strip())), None)
    if kind_at is None:
        return text  # the text parser names what is missing
    header = header[kind_at:]
    header = _kind_line(header)
    header = _contents(header)
    return "\n".join([*header, *rest])


def _kind_line(header: list[str]) -> list[str]:
    """ "Referat" over "Chefforum" (as printed) becomes "REFERAT Chefforum"."""
    match = KIND_LINE_RE.match(header[0].strip())
    assert match is not None  # noqa: S101 (the caller found this line by the same pattern)
    kind, rest = match[1].upper(), match[2].strip()
    if rest:
        return [f"{kind} {rest}", *header[1:]]
    for index in range(1, len(header)):
        candidate = header[index].strip()
        if not candidate:
            continue
        if (
            MEETING_DATE_RE.match(candidate)
            or VENUE_RE.match(candidate)
            or TOC_HEADING_RE.match(candidate)
        ):
            break
        return [f"{kind} {candidate}", *header[1:index], *header[index + 1 :]]
    return [kind, *header[1:]]


def _contents(header: list[str]) -> list[str]:
    """Table of contents entries (wrapped over lines, numbered) as "title.....<TAB>page"."""
    start = next((i for i, line in enumerate(header) if TOC_HEADING_RE.match(line.strip())), None)
    if start is None:
        return header
    out = header[: start + 1]
    pending: list[str] = []
    for line in header[start + 1 :]:
        if not line.strip():
            continue
        pending.append(line.strip())
        found = toc_entry(" ".join(pending)) if line.rstrip()[-1:].isdigit() else None
        if found is not None:
            title = TOC_NUMBER_RE.sub("", found[0], count=1)
            out.append(f"{title.replace(chr(9), ' ').strip()}.....\t{found[1]}")
            pending = []
        elif len(pending) >= TOC_ENTRY_LINES:
            out.append(pending.pop(0))  # keeps the joined entry short: linear time
    out.extend(pending)
    return out


def toc_entry(entry: str) -> tuple[str, str] | None:
    """``"CF - Title ........ 5"`` -> ``("CF - Title", "5")``: the text before the leader (dots,
    single spaces between them allowed, or an ellipsis) and the page number after it.

    Read backwards from the page number in plain code: a pattern for the leader would try
    every position of a long run of dots, which grows with the square of its length."""
    page = PAGE_AT_END_RE.search(entry)
    if page is None:
        return None
    end = len(entry[: page.start()].rstrip())
    start = end
    if entry[end - 1 : end] == "…":
        while start > 0 and entry[start - 1] == "…":
            start -= 1
    else:
        dots = 0
        while start > 0 and entry[start - 1] == ".":
            dots += 1
            start -= 1
            if start >= 2 and entry[start - 1].isspace() and entry[start - 2] == ".":
                start -= 1
        if dots < LEADER_DOTS:
            return None
    return entry[:start], page[0]

"""Section text as blocks a template can render (pure: no Django, no HTML).

The sections of an item are plain text as the case producer wrote it: paragraphs are
separated by one blank line. Inside a paragraph, lines starting "- " are a bullet list,
lines holding tabs are a table (first row: column headings), other lines are kept as
lines (joined with <br>). A paragraph of one short line with more text after it reads as
a sub-heading. Producing blocks rather than HTML keeps escaping in the template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["paragraph", "heading", "list", "table"]

SUB_HEADING_MAX = 60
BULLETS = ("- ", "• ")
# A line ending like this is a sentence or an introduction, not a heading.
SENTENCE_ENDINGS = (".", ":", ";", ",", "!", "?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def header(self) -> tuple[str, ...]:
        """A table's first row (its column headings)."""
        return self.rows[0] if self.rows else ()

    @property
    def body(self) -> tuple[tuple[str, ...], ...]:
        return self.rows[1:]


def text_blocks(text: str | None) -> list[Block]:
    """``"Intro\\n\\n- a\\n- b"`` -> ``[Block("paragraph", ("Intro",)), Block("list", ...)]``."""
    normalised = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [
        lines
        for chunk in _PARAGRAPH_BREAK.split(normalised)
        if (lines := [line.rstrip(" ") for line in chunk.split("\n") if line.strip()])
    ]
    blocks: list[Block] = []
    for index, lines in enumerate(paragraphs):
        followed = index < len(paragraphs) - 1
        if followed and _is_sub_heading(lines):
            blocks.append(Block("heading", (lines[0].strip(),)))
        else:
            blocks.extend(_paragraph_blocks(lines))
    return blocks


def _paragraph_blocks(lines: list[str]) -> list[Block]:
    """Consecutive lines of one kind make one block: text, then a list, then a table..."""
    blocks: list[Block] = []
    run: list[str] = []
    run_kind: BlockKind = "paragraph"
    for line in lines:
        kind = _line_kind(line)
        if run and kind != run_kind:
            blocks.append(_block(run_kind, run))
            run = []
        run_kind = kind
        run.append(line)
    if run:
        blocks.append(_block(run_kind, run))
    return blocks


def _line_kind(line: str) -> BlockKind:
    if line.lstrip().startswith(BULLETS):
        return "list"
    if "\t" in line.strip():
        return "table"
    return "paragraph"


def _block(kind: BlockKind, lines: list[str]) -> Block:
    if kind == "list":
        return Block("list", tuple(line.lstrip()[2:].strip() for line in lines))
    if kind == "table":
        return Block("table", rows=_table_rows(lines))
    return Block("paragraph", tuple(line.strip() for line in lines))


def _table_rows(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    """Cells split at tabs; short rows padded and all-empty trailing columns dropped."""
    rows = [[cell.strip() for cell in line.split("\t")] for line in lines]
    width = max(len(row) for row in rows)
    while width > 1 and all(len(row) < width or not row[width - 1] for row in rows):
        width -= 1
    return tuple(tuple((row + [""] * width)[:width]) for row in rows)


def _is_sub_heading(lines: list[str]) -> bool:
    if len(lines) != 1 or _line_kind(lines[0]) != "paragraph":
        return False
    line = lines[0].strip()
    return len(line) <= SUB_HEADING_MAX and not line.endswith(SENTENCE_ENDINGS)

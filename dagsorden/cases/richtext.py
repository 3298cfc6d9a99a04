"""The Sagsfremstilling as clean structure: blocks, never raw HTML (pure: no Django).

    {"kind": "paragraph", "text": "..."}
    {"kind": "heading", "text": "..."}                 a sub-heading
    {"kind": "list", "items": ["...", "..."]}           a bullet list
    {"kind": "table", "rows": [["År", "Antal"], ...]}   first row: column headings

The editor's textarea uses the plain-text convention the archive already reads
(``public/text_blocks.py``): blank lines between paragraphs, "- " bullets, tab-separated
table rows (what pasting a Word table gives), a short line on its own as a sub-heading.
Pasted HTML is reduced to the same blocks by ``blocks_from_html``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

Block = dict[str, Any]
KINDS = ("paragraph", "heading", "list", "table")
MAX_BLOCKS = 500
SUB_HEADING_MAX = 60
SENTENCE_ENDINGS = (".", ":", ";", ",", "!", "?")
BULLETS = ("- ", "• ")
_SPACE = re.compile(r"\s+")


class InvalidRichText(ValueError):
    """The structure is not one the editor writes."""


def _clean(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidRichText(f"expected text, got {type(text).__name__}")
    return _SPACE.sub(" ", text).strip()


def validate_blocks(value: object) -> list[Block]:
    """A normalised copy of ``value``, or ``InvalidRichText`` saying what is wrong."""
    if not isinstance(value, list):
        raise InvalidRichText("the presentation must be a list of blocks")
    if len(value) > MAX_BLOCKS:
        raise InvalidRichText(f"at most {MAX_BLOCKS} blocks")
    blocks: list[Block] = []
    for index, block in enumerate(value, start=1):
        if not isinstance(block, dict) or block.get("kind") not in KINDS:
            raise InvalidRichText(f"block {index}: unknown kind")
        kind = block["kind"]
        if kind in ("paragraph", "heading"):
            if text := _clean(block.get("text", "")):
                blocks.append({"kind": kind, "text": text})
        elif kind == "list":
            items = block.get("items")
            if not isinstance(items, list):
                raise InvalidRichText(f"block {index}: a list needs items")
            if cleaned := [t for t in (_clean(i) for i in items) if t]:
                blocks.append({"kind": "list", "items": cleaned})
        else:
            rows = block.get("rows")
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise InvalidRichText(f"block {index}: a table needs rows of cells")
            cleaned_rows = [[_clean(cell) for cell in row] for row in rows]
            cleaned_rows = [row for row in cleaned_rows if any(row)]
            if not cleaned_rows:
                raise InvalidRichText(f"block {index}: the table is empty")
            width = max(len(row) for row in cleaned_rows)
            blocks.append(
                {"kind": "table", "rows": [row + [""] * (width - len(row)) for row in cleaned_rows]}
            )
    return blocks


# --- The textarea's plain-text convention


def _is_sub_heading(lines: list[str]) -> bool:
    line = lines[0].strip()
    return (
        len(lines) == 1
        and len(line) <= SUB_HEADING_MAX
        and not line.endswith(SENTENCE_ENDINGS)
        and not line.startswith(BULLETS)
        and "\t" not in line
    )


def blocks_from_markup(text: str) -> list[Block]:
    """``"Intro\\n\\n- a\\n- b"`` -> a paragraph and a list."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [
        lines
        for chunk in re.split(r"\n[ \t]*\n", normalised)
        if (lines := [line.rstrip(" ") for line in chunk.split("\n") if line.strip()])
    ]
    blocks: list[Block] = []
    for index, lines in enumerate(paragraphs):
        if index < len(paragraphs) - 1 and _is_sub_heading(lines):
            blocks.append({"kind": "heading", "text": _clean(lines[0])})
            continue
        for kind, run in _runs(lines):
            if kind == "list":
                blocks.append({"kind": "list", "items": [_clean(line[2:]) for line in run]})
            elif kind == "table":
                rows = [[_clean(cell) for cell in line.strip("\n").split("\t")] for line in run]
                width = max(len(row) for row in rows)
                blocks.append(
                    {"kind": "table", "rows": [r + [""] * (width - len(r)) for r in rows]}
                )
            else:
                blocks.append({"kind": "paragraph", "text": _clean(" ".join(run))})
    return validate_blocks(blocks)


def _runs(lines: list[str]) -> list[tuple[str, list[str]]]:
    runs: list[tuple[str, list[str]]] = []
    for line in lines:
        stripped = line.lstrip()
        kind = (
            "list"
            if stripped.startswith(BULLETS)
            else "table"
            if "\t" in line.strip(" ")
            else "paragraph"
        )
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(stripped if kind == "list" else line)
        else:
            runs.append((kind, [stripped if kind == "list" else line]))
    return runs


def markup_from_blocks(blocks: list[Block]) -> str:
    """The inverse of ``blocks_from_markup``: the text stored on an agenda item."""
    chunks = []
    for block in blocks:
        kind = block["kind"]
        if kind in ("paragraph", "heading"):
            chunks.append(block["text"])
        elif kind == "list":
            chunks.append("\n".join(f"- {item}" for item in block["items"]))
        else:
            chunks.append("\n".join("\t".join(row) for row in block["rows"]))
    return "\n\n".join(chunks)


def plain_text(blocks: list[Block]) -> str:
    """The running text only (paragraphs and sub-headings), for readability checks."""
    return "\n\n".join(b["text"] for b in blocks if b["kind"] in ("paragraph", "heading"))


# --- Pasted HTML


class _Reducer(HTMLParser):
    """Keeps text and the structure the template knows; drops everything else."""

    DROP = {"script", "style", "head", "title", "template", "noscript", "svg", "math", "xml"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    BREAKS = {"p", "div", "section", "article", "blockquote", "pre", "br", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.bold_only = True
        self.dropping = 0
        self.heading = False
        self.list_items: list[str] | None = None
        self.in_item = False
        self.rows: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.in_bold = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DROP:
            self.dropping += 1
        elif self.dropping:
            return
        elif tag in ("b", "strong"):
            self.in_bold += 1
        elif tag in self.HEADINGS:
            self._flush()
            self.heading = True
        elif tag in ("ul", "ol"):
            if self.list_items is None:
                self._flush()
                self.list_items = []
        elif tag == "li":
            self._end_item()
            self.in_item = True
        elif tag == "table":
            self._flush()
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            if not self.rows:
                self.rows.append([])
            self.cell = []
        elif tag in self.BREAKS and self.rows is None and not self.in_item:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.DROP:
            self.dropping = max(0, self.dropping - 1)
        elif self.dropping:
            return
        elif tag in ("b", "strong"):
            self.in_bold = max(0, self.in_bold - 1)
        elif tag in self.HEADINGS:
            self._flush(kind="heading")
            self.heading = False
        elif tag == "li":
            self._end_item()
        elif tag in ("ul", "ol") and self.list_items is not None:
            self._end_item()
            if self.list_items:
                self.blocks.append({"kind": "list", "items": self.list_items})
            self.list_items = None
        elif tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append(_SPACE.sub(" ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "table" and self.rows is not None:
            rows = [row for row in self.rows if any(row)]
            if rows:
                width = max(len(row) for row in rows)
                self.blocks.append(
                    {"kind": "table", "rows": [r + [""] * (width - len(r)) for r in rows]}
                )
            self.rows = None
        elif tag in self.BREAKS and self.rows is None and not self.in_item:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.rows is not None:
            return  # text between cells
        else:
            if data.strip() and not self.in_bold:
                self.bold_only = False
            self.text.append(data)

    def handle_comment(self, data: str) -> None:  # Word's conditional comments included
        return

    def _end_item(self) -> None:
        if self.in_item and self.list_items is not None:
            text = _SPACE.sub(" ", "".join(self.text)).strip()
            if text:
                self.list_items.append(text)
            self.text = []
        self.in_item = False

    def _flush(self, kind: str | None = None) -> None:
        text = _SPACE.sub(" ", "".join(self.text)).strip()
        if text and self.list_items is None:
            if kind is None:
                short = len(text) <= SUB_HEADING_MAX and not text.endswith(SENTENCE_ENDINGS)
                kind = "heading" if self.bold_only and short else "paragraph"
            self.blocks.append({"kind": kind, "text": text})
        if self.list_items is None:
            self.text = []
        self.bold_only = True

    def close(self) -> None:
        super().close()
        self._end_item()
        if self.list_items:
            self.blocks.append({"kind": "list", "items": self.list_items})
            self.list_items = None
        self._flush()


def blocks_from_html(html: str) -> list[Block]:
    """Pasted HTML (Word, a web page) reduced to blocks: only text survives, never markup."""
    reducer = _Reducer()
    reducer.feed(html)
    reducer.close()
    return validate_blocks(reducer.blocks[:MAX_BLOCKS])

"""The Sagsfremstilling as clean structure: blocks, never raw HTML (no models, no database).

    {"kind": "paragraph", "text": "..."}
    {"kind": "heading", "text": "..."}                 a sub-heading
    {"kind": "list", "items": ["...", "..."]}           a bullet list
    {"kind": "table", "rows": [["År", "Antal"], ...]}   first row: column headings

Text in a block is plain text: whitespace collapsed, no markup. The editor's textarea uses
the plain-text convention the archive already reads (``public/text_blocks.py``): blank
lines between paragraphs, "- " bullets, tab-separated table rows (what pasting a Word table
gives) and a short line on its own as a sub-heading. Pasted HTML is reduced to the same
blocks by ``blocks_from_html``, so escaping stays the templates' job.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.utils.translation import gettext as _

Block = dict[str, Any]
KINDS = ("paragraph", "heading", "list", "table")
MAX_BLOCKS = 500
SUB_HEADING_MAX = 60
# A line ending like this is a sentence or an introduction, not a heading.
SENTENCE_ENDINGS = (".", ":", ";", ",", "!", "?")
BULLETS = ("- ", "• ")

_SPACE = re.compile(r"\s+")
# Control characters break the DOCX/PDF renderers; soft hyphens and zero-width characters
# (common in Word pastes) only hide inside words.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class InvalidRichText(ValueError):
    """The structure is not one the editor writes."""


def clean_text(text: str) -> str:
    """Plain text as a block holds it: one line, single spaces, nothing invisible."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


# --- Validation


def validate_blocks(value: object) -> list[Block]:
    """A normalised copy of ``value``, or ``InvalidRichText`` saying what is wrong.

    Empty paragraphs, headings, list items and table rows are dropped, ragged table rows
    padded to the widest row and all-empty trailing columns dropped (as the archive's
    reader does), so that equal content always has one form.
    """
    if not isinstance(value, list | tuple):
        raise InvalidRichText(_("Sagsfremstillingen skal være en liste af blokke."))
    if len(value) > MAX_BLOCKS:
        raise InvalidRichText(
            _("Sagsfremstillingen har %(count)d afsnit; der må højst være %(max)d.")
            % {"count": len(value), "max": MAX_BLOCKS}
        )
    blocks: list[Block] = []
    for number, block in enumerate(value, start=1):
        if not isinstance(block, dict) or block.get("kind") not in KINDS:
            kind = block.get("kind") if isinstance(block, dict) else type(block).__name__
            raise InvalidRichText(
                _("Afsnit %(n)d har en ukendt type (%(kind)s).") % {"n": number, "kind": kind}
            )
        if (normalised := _validate_block(block, number)) is not None:
            blocks.append(normalised)
    return blocks


def _validate_block(block: dict[Any, Any], number: int) -> Block | None:
    kind = block["kind"]
    if kind in ("paragraph", "heading"):
        text = _text_field(block.get("text"), number)
        return {"kind": kind, "text": text} if text else None
    if kind == "list":
        items = block.get("items")
        if not isinstance(items, list | tuple):
            raise InvalidRichText(
                _("Afsnit %(n)d: en punktliste skal have en liste af punkter.") % {"n": number}
            )
        cleaned = [text for item in items if (text := _text_field(item, number))]
        return {"kind": "list", "items": cleaned} if cleaned else None
    rows = block.get("rows")
    if not isinstance(rows, list | tuple) or not all(isinstance(r, list | tuple) for r in rows):
        raise InvalidRichText(
            _("Afsnit %(n)d: en tabel skal have rækker af celler.") % {"n": number}
        )
    cleaned_rows = [[_text_field(cell, number) for cell in row] for row in rows]
    cleaned_rows = [row for row in cleaned_rows if any(row)]
    if not cleaned_rows:
        raise InvalidRichText(_("Afsnit %(n)d: tabellen er tom.") % {"n": number})
    return {"kind": "table", "rows": pad_rows(cleaned_rows)}


def _text_field(value: object, number: int) -> str:
    if not isinstance(value, str):
        raise InvalidRichText(
            _("Afsnit %(n)d: forventede tekst, fik %(type)s.")
            % {"n": number, "type": type(value).__name__}
        )
    return clean_text(value)


def pad_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows padded to one width; all-empty trailing columns dropped (one column kept)."""
    width = max(len(row) for row in rows)
    while width > 1 and all(len(row) < width or not row[width - 1] for row in rows):
        width -= 1
    return [(row + [""] * width)[:width] for row in rows]


# --- The textarea's plain-text convention (mirrors public/text_blocks.py)


def blocks_from_markup(text: str) -> list[Block]:
    """``"Intro\\n\\n- a\\n- b"`` -> a paragraph and a list, as the archive reads it."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [
        lines
        for chunk in _PARAGRAPH_BREAK.split(normalised)
        if (lines := [line.rstrip(" ") for line in chunk.split("\n") if line.strip()])
    ]
    blocks: list[Block] = []
    for index, lines in enumerate(paragraphs):
        if index < len(paragraphs) - 1 and _is_sub_heading(lines):
            blocks.append({"kind": "heading", "text": lines[0]})
            continue
        for kind, run in _runs(lines):
            if kind == "list":
                blocks.append({"kind": "list", "items": [ln.lstrip()[2:] for ln in run]})
            elif kind == "table":
                blocks.append({"kind": "table", "rows": [ln.split("\t") for ln in run]})
            else:
                blocks.append({"kind": "paragraph", "text": " ".join(run)})
    return validate_blocks(blocks)


def _line_kind(line: str) -> str:
    if line.lstrip().startswith(BULLETS):
        return "list"
    if "\t" in line.strip():
        return "table"
    return "paragraph"


def _is_sub_heading(lines: list[str]) -> bool:
    if len(lines) != 1 or _line_kind(lines[0]) != "paragraph":
        return False
    line = lines[0].strip()
    return len(line) <= SUB_HEADING_MAX and not line.endswith(SENTENCE_ENDINGS)


def _runs(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Consecutive lines of one kind: text, then a list, then a table..."""
    runs: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = _line_kind(line)
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
    return runs


def markup_from_blocks(blocks: list[Block]) -> str:
    """The inverse of ``blocks_from_markup``: the text stored on an agenda item.

    The convention has no escapes, so a few blocks cannot survive the way back: a
    paragraph that looks like a heading or starts with "- ", a heading that is long, ends
    in punctuation or comes last, a table of one column or with empty first/last cells.
    """
    chunks = []
    for block in validate_blocks(blocks):
        kind = block["kind"]
        if kind in ("paragraph", "heading"):
            chunks.append(block["text"])
        elif kind == "list":
            chunks.append("\n".join(f"- {item}" for item in block["items"]))
        else:
            chunks.append("\n".join("\t".join(row) for row in block["rows"]))
    return "\n\n".join(chunks)


def plain_text(blocks: list[Block]) -> str:
    """The running text only (paragraphs and sub-headings): what readability is measured on."""
    return "\n\n".join(
        block["text"]
        for block in blocks
        if block.get("kind") in ("paragraph", "heading") and isinstance(block.get("text"), str)
    )


# --- Pasted HTML


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content is never text for the reader (code, styling, fallbacks, forms).
_DROPPED = frozenset(
    {
        "script", "style", "head", "title", "template", "noscript", "iframe", "object",
        "applet", "svg", "math", "xml", "canvas", "audio", "video", "select", "textarea",
        "noembed", "noframes",
    }
)  # fmt: skip
_BREAKS = frozenset(
    {
        "p", "div", "br", "hr", "section", "article", "header", "footer", "main", "aside",
        "nav", "blockquote", "pre", "address", "figure", "figcaption", "dl", "dt", "dd",
        "center", "form", "fieldset", "legend", "details", "summary",
    }
)  # fmt: skip
_INLINE = frozenset({"b", "strong", "span", "font"})
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.IGNORECASE)
_NOT_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-5]00)", re.IGNORECASE)
_WORD_LIST_ITEM = re.compile(r"mso-list\s*:\s*l\d", re.IGNORECASE)
_WORD_LIST_GLYPH = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
_CONDITIONAL_OPEN = re.compile(r"^\[if\b[^\]]*\]$", re.IGNORECASE)
_CONDITIONAL_CLOSE = re.compile(r"^\[endif\]$", re.IGNORECASE)
_MAX_COLSPAN = 50
# Markup written as text ("&lt;script&gt;") decodes to a tag: dropped like a real one, and a
# "<" left that could open a tag goes too, so no output text ever holds one.
_TAG_LIKE = re.compile(r"<[A-Za-z/!?][^<>]*>")
_TAG_OPEN = re.compile(r"<+(?=[A-Za-z/!?])")


def _html_text(parts: list[str]) -> str:
    text = _INVISIBLE.sub("", "".join(parts))
    return clean_text(_TAG_OPEN.sub("", _TAG_LIKE.sub(" ", text)))


class _Reducer(HTMLParser):
    """Keeps text and the four block kinds; every tag, attribute and comment is dropped.

    Only ``handle_data`` adds text, and only outside dropped elements, so nothing but the
    document's visible words (entities decoded) can reach the blocks.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buffer: list[str] = []  # the paragraph, heading or list item being read
        self.bold_seen = False
        self.plain_seen = False
        self.inline: list[tuple[str, bool, bool]] = []  # (tag, bold, glyph) of open inlines
        self.dropping = 0
        self.conditional = 0  # inside Word's <![if !supportLists]> fallback content
        self.heading = 0
        self.lists = 0
        self.word_item = False  # a Word list paragraph (<p style="mso-list:l0 ...">)
        self.items: list[str] = []
        self.tables = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.colspan = 1
        self.caption: list[str] | None = None

    # Where text goes: a table cell or caption, else the paragraph/item buffer.

    def _target(self) -> list[str] | None:
        if self.tables:
            return self.cell if self.cell is not None else self.caption
        return self.buffer

    def _space(self) -> None:
        if (target := self._target()) is not None:
            target.append(" ")

    @property
    def _bold(self) -> bool:
        return any(bold for _tag, bold, _glyph in self.inline)

    @property
    def _glyph(self) -> bool:
        """Inside ``<span style="mso-list:Ignore">``: Word's typed bullet or number."""
        return any(glyph for _tag, _bold, glyph in self.inline)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        style = " ".join(value or "" for name, value in attrs if name == "style")
        if tag == "body":
            self.dropping = 0  # a <head> left open must not swallow the document
        if tag in _DROPPED:
            self.dropping += 1
            return
        if self.dropping:
            return
        if tag in _INLINE:
            bold = bool(
                (tag in ("b", "strong") and not _NOT_BOLD_STYLE.search(style))
                or _BOLD_STYLE.search(style)
            )
            self.inline.append((tag, bold, bool(_WORD_LIST_GLYPH.search(style))))
        elif self.tables:
            self._table_start(tag, attrs)
        elif tag in _HEADINGS:
            if self.lists:
                self._space()
            else:
                self._flush()
                self.word_item = False
                self.heading += 1
        elif tag in ("ul", "ol"):
            self._flush()  # the text so far: a paragraph, or the parent item of a nested list
            self.lists += 1
        elif tag == "li":
            self._flush()
            self.word_item = not self.lists  # a stray <li> is still a list item
        elif tag == "table":
            if self.lists:
                self._space()  # a table inside a list item is read as the item's text
            else:
                self._flush()
                self._end_list()
                self.tables = 1
                self.rows = []
        elif tag in _BREAKS:
            if self.lists:
                self._space()
            else:
                self._flush()
                self.word_item = tag == "p" and bool(_WORD_LIST_ITEM.search(style))
        elif tag in ("td", "th", "tr", "caption"):
            self._space()

    def _table_start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables += 1  # nested tables are read as the outer cell's text
        elif self.tables > 1:
            self._space()
        elif tag == "tr":
            self._end_cell()
            self.rows.append([])
        elif tag in ("td", "th"):
            self._end_cell()
            if not self.rows:
                self.rows.append([])
            self.cell = []
            span = next((value for name, value in attrs if name == "colspan"), None) or ""
            digits = re.fullmatch(r"\s*(\d{1,3})\s*", span)
            self.colspan = max(1, min(int(digits[1]), _MAX_COLSPAN)) if digits else 1
        elif tag == "caption":
            self.caption = []
        else:
            self._space()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        if tag in _INLINE:
            for index in range(len(self.inline) - 1, -1, -1):
                if self.inline[index][0] == tag:
                    del self.inline[index]
                    break
            return
        if self.tables:
            self._table_end(tag)
        elif tag in _HEADINGS and self.heading:
            self._flush()
            self.heading -= 1
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists -= 1
            if not self.lists:
                self._end_list()
        elif tag == "li":
            self._flush()
            self.word_item = False
        elif tag in _BREAKS and tag not in ("br", "hr"):  # <br/> also ends here: no second flush
            if self.lists:
                self._space()
            else:
                self._flush()
                self.word_item = False

    def _table_end(self, tag: str) -> None:
        if tag == "table":
            self.tables -= 1
            if not self.tables:
                self._end_table()
        elif self.tables > 1:
            self._space()
        elif tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag == "caption" and self.caption is not None:
            if text := _html_text(self.caption):
                self.blocks.append({"kind": "paragraph", "text": text})
            self.caption = None
        else:
            self._space()

    def handle_data(self, data: str) -> None:
        if self.dropping or self.conditional or self._glyph:
            return
        target = self._target()
        if target is None:
            return  # whitespace between rows and cells
        target.append(data)
        if target is self.buffer and data.strip():
            if self._bold:
                self.bold_seen = True
            else:
                self.plain_seen = True

    def handle_comment(self, data: str) -> None:
        """Comments are dropped; Word's ``<!--[if !supportLists]-->`` fallbacks with them."""
        self._conditional(data.strip())

    def unknown_decl(self, data: str) -> None:
        """``<![if !supportLists]>`` ... ``<![endif]>``: Word's bullet glyphs; CDATA dropped."""
        self._conditional(f"[{data.strip()}]")

    def _conditional(self, data: str) -> None:
        if _CONDITIONAL_OPEN.match(data):
            self.conditional += 1
        elif _CONDITIONAL_CLOSE.match(data):
            self.conditional = max(0, self.conditional - 1)

    # Producing blocks

    def _flush(self) -> None:
        """The buffered text becomes a list item, a heading or a paragraph."""
        text = _html_text(self.buffer)
        bold_only = self.bold_seen and not self.plain_seen
        self.buffer, self.bold_seen, self.plain_seen = [], False, False
        if not text:
            return
        if self.lists or self.word_item:
            self.items.append(text)
            return
        self._end_list()
        short = len(text) <= SUB_HEADING_MAX and not text.endswith(SENTENCE_ENDINGS)
        heading = self.heading or (bold_only and short)
        self.blocks.append({"kind": "heading" if heading else "paragraph", "text": text})

    def _end_list(self) -> None:
        if self.items:
            self.blocks.append({"kind": "list", "items": self.items})
        self.items = []

    def _end_cell(self) -> None:
        if self.cell is not None:
            if not self.rows:
                self.rows.append([])
            text = _html_text(self.cell)
            self.rows[-1].extend([text] + [""] * (self.colspan - 1))
        self.cell, self.colspan = None, 1

    def _end_table(self) -> None:
        self._end_cell()
        rows = [row for row in self.rows if any(row)]
        self.rows = []
        if rows and max(len(row) for row in rows) == 1:
            # One column: a layout box, not a table (and the textarea cannot show it).
            self.blocks.extend({"kind": "paragraph", "text": row[0]} for row in rows)
        elif rows:
            self.blocks.append({"kind": "table", "rows": pad_rows(rows)})

    def close(self) -> None:
        if self.rawdata.lstrip().startswith("<"):
            self.rawdata = ""  # a tag or comment cut off at the end is not text
        super().close()
        if self.tables:
            self.tables = 0
            self._end_table()
        self._flush()
        self._end_list()


def blocks_from_html(html: str) -> list[Block]:
    """Pasted HTML (Word, a web page) reduced to blocks: only text survives, never markup."""
    reducer = _Reducer()
    reducer.feed(html)
    reducer.close()
    return validate_blocks(reducer.blocks)

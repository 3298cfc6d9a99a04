"""Word (DOCX) agendas and minutes: paragraphs and tables read back into the text format.

Pure functions, no Django. Every Word paragraph is a paragraph of the text format (a blank
line between), its line breaks are lines, every table row is a line with its cells joined by
tabs. Files ``publishing`` writes mark a further line of the same paragraph with a "… linje"
style; Word's own numbered and bulleted paragraphs get their number or bullet back. The text
is then read by ``parsers.text`` so that every text rule applies to Word files too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.reflow import reflow_header
from dagsorden.importers.parsers.text import parse_text

# The styles ``publishing.renderers.docx`` writes; the reader treats them as described.
LINE_STYLE = "Dagsorden tekst"
CONTINUED_LINE_STYLE = "Dagsorden tekst linje"  # a further line of the paragraph above
POINT_STYLE = "Dagsorden punkt"  # "marker<TAB>text"
CONTINUED_POINT_STYLE = "Dagsorden punkt linje"
TABLE_STYLE = "Dagsorden tabel"
CONTINUED_TABLE_STYLE = "Dagsorden tabel linje"  # rows continue the paragraph above
TOC_STYLE = "toc 1"  # Word's own name: "number<TAB>title<TAB>page"
CONTINUED_STYLES = {CONTINUED_LINE_STYLE, CONTINUED_POINT_STYLE, CONTINUED_TABLE_STYLE}
POINT_STYLES = {POINT_STYLE, CONTINUED_POINT_STYLE}

WORD_MAIN_PART = "word/document.xml"
BULLET_FORMATS = {"bullet", "none"}


def is_docx(data: bytes) -> bool:
    """A ZIP archive with a Word main document part (not any ZIP file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return WORD_MAIN_PART in archive.namelist()
    except zipfile.BadZipFile:
        return False


def parse_docx(data: bytes, *, source: str = "<docx>") -> Document:
    """Read one Word agenda or minutes into the dagsorden.document/1 model."""
    return parse_text(docx_text(data, source=source), source=source)


def docx_text(data: bytes, *, source: str = "<docx>") -> str:
    """The Word file as text in the seeds' format (what ``parse_docx`` hands on)."""
    word = _open(data, source=source)
    numbering = _Numbering(word)
    paragraphs: list[str] = []
    for style, text in _lines(word, numbering):
        if style in CONTINUED_STYLES and paragraphs:
            paragraphs[-1] += "\n" + text
        elif text.strip():
            paragraphs.append(text)
    if not paragraphs:
        raise ParseError(source, "the Word document has no text")
    return reflow_header("\n\n".join(paragraphs) + "\n")


def _open(data: bytes, *, source: str) -> DocxDocument:
    if not is_docx(data):
        raise ParseError(source, "a ZIP archive, but not a Word (DOCX) document")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise ParseError(source, f"not a readable Word document ({error})") from None


def _lines(word: DocxDocument, numbering: _Numbering) -> Iterator[tuple[str, str]]:
    """(style name, text) of every paragraph and table row of the body, in order."""
    for block in word.iter_inner_content():
        if isinstance(block, Table):
            style = block.style.name if block.style is not None else ""
            for index, row in enumerate(block.rows):
                cells = _row_cells(row)
                if any(cells):
                    continued = style == CONTINUED_TABLE_STYLE or index > 0
                    yield (CONTINUED_TABLE_STYLE if continued else TABLE_STYLE), "\t".join(cells)
            continue
        yield from _paragraph_lines(block, numbering)


def _paragraph_lines(paragraph: Paragraph, numbering: _Numbering) -> Iterator[tuple[str, str]]:
    style = paragraph.style.name if paragraph.style is not None else ""
    text = paragraph.text.replace("\r", "\n").replace("\u00a0", " ")
    if style == TOC_STYLE:
        yield style, _toc_entry(text)
        return
    if style in POINT_STYLES:
        marker, _, rest = text.partition("\t")
        text = f"{marker} {rest}" if rest else marker
    else:
        marker_text = numbering.marker(paragraph)
        if marker_text:
            text = f"{marker_text} {text.strip()}"
    yield style, text.rstrip()


def _toc_entry(text: str) -> str:
    """ "3.<TAB>CF - Title<TAB>5" as the text format lists it: "CF - Title.....<TAB>5"."""
    parts = [part.strip() for part in text.split("\t")]
    if len(parts) >= 2 and re.fullmatch(r"\d{1,4}", parts[-1]):
        title = " ".join(parts[:-1])
        title = re.sub(r"^\d{1,3}\.\s*", "", title)
        return f"{title}.....\t{parts[-1]}"
    return " ".join(parts)


def _row_cells(row: object) -> list[str]:
    """Cell texts of one row; a cell merged over columns is read once."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:  # type: ignore[attr-defined]
        key = id(cell._tc)
        if key in seen:
            continue
        seen.add(key)
        cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
    while cells and not cells[-1]:
        cells.pop()
    return cells


class _Numbering:
    """Word's automatic numbering: the "1." or "-" a numbered paragraph shows."""

    def __init__(self, word: DocxDocument) -> None:
        self._formats: dict[tuple[str, int], tuple[str, str]] = {}
        self._counters: dict[tuple[str, int], int] = {}
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {}
        for node in root.findall(qn("w:abstractNum")):
            levels = {}
            for level in node.findall(qn("w:lvl")):
                fmt = level.find(qn("w:numFmt"))
                text = level.find(qn("w:lvlText"))
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "%1.") if text is not None else "%1.",
                )
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, value in abstract.get(ref.get(qn("w:val")), {}).items():
                self._formats[(num.get(qn("w:numId")) or "", ilvl)] = value

    def marker(self, paragraph: Paragraph) -> str | None:
        numpr = _numbering_properties(paragraph)
        if numpr is None or numpr.numId is None:
            return None
        num_id = str(numpr.numId.val)
        ilvl = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        fmt, text = self._formats.get((num_id, ilvl), ("decimal", "%1."))
        if fmt in BULLET_FORMATS:
            return "-"
        key = (num_id, ilvl)
        self._counters[key] = self._counters.get(key, 0) + 1
        return re.sub(r"%\d", str(self._counters[key]), text) or f"{self._counters[key]}."


def _numbering_properties(paragraph: Paragraph) -> Any:
    """The paragraph's own numbering, else its style's ("List Number" numbers by style)."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = paragraph.style
    while style is not None:
        style_ppr = style.element.pPr
        if style_ppr is not None and style_ppr.numPr is not None:
            return style_ppr.numPr
        style = style.base_style
    return None

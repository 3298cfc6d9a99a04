"""Word (DOCX) agendas and minutes: paragraphs and tables read back into the text format.

Pure functions, no Django. Every Word paragraph is a paragraph of the text format (a blank
line between), its line breaks are lines, every table row is a line with its cells joined by
tabs. Files ``publishing`` writes mark a further line of the same paragraph with a "… linje"
style; Word's own numbered and bulleted paragraphs get their number or bullet back. The text
is then read by ``parsers.text`` so that every text rule applies to Word files too.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from dagsorden.core.text import clean_text
from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.isolation import run_isolated
from dagsorden.importers.parsers.limits import DEFAULT_LIMITS, Deadline, Limits, size_text
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
UNPACK_CHUNK = 1 << 20  # bytes read from a ZIP member at a time
GRID_SPAN_MAX = 64  # columns a cell may span: Word's own limit
# Word's internal names for the styles python-docx shows by another name (its BabelFish).
UI_STYLE_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header"} | {
    f"heading {level}": f"Heading {level}" for level in range(1, 10)
}


def is_docx(data: bytes) -> bool:
    """A ZIP archive with a Word main document part (not any ZIP file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return WORD_MAIN_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def parse_docx(
    data: bytes,
    *,
    source: str = "<docx>",
    limits: Limits = DEFAULT_LIMITS,
    deadline: Deadline | None = None,
) -> Document:
    """Read one Word agenda or minutes into the dagsorden.document/1 model.

    python-docx and lxml read in a child process (``isolation``): memory and time stay
    within ``limits`` whatever the file holds."""
    deadline = deadline or Deadline(limits, source)
    text = run_isolated(
        functools.partial(docx_text, data, source=source, limits=limits, deadline=deadline),
        source=source,
        limits=limits,
        deadline=deadline,
        reader="Word",
    )
    return parse_text(text, source=source, limits=limits, deadline=deadline)


def docx_text(
    data: bytes,
    *,
    source: str = "<docx>",
    limits: Limits = DEFAULT_LIMITS,
    deadline: Deadline | None = None,
) -> str:
    """The Word file as text in the seeds' format (what ``parse_docx`` hands on)."""
    deadline = deadline or Deadline(limits, source)
    check_unpacked_size(data, source=source, limits=limits, deadline=deadline)
    try:
        paragraphs = _paragraphs(_open(data, source=source), limits, deadline=deadline)
    except ParseError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on a damaged package
        raise ParseError(
            source, f"not a readable Word document ({type(error).__name__}: {error})"
        ) from None
    if not paragraphs:
        raise ParseError(source, "the Word document has no text")
    return clean_text(reflow_header("\n\n".join(paragraphs) + "\n"))


def check_unpacked_size(data: bytes, *, source: str, limits: Limits, deadline: Deadline) -> None:
    """Refuse a ZIP whose members unpack to more than ``limits.unpacked_bytes``: first by the
    sizes the archive declares, then by the bytes actually unpacked, counted while reading
    (a ZIP bomb may declare anything)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if WORD_MAIN_PART not in archive.namelist():
                raise ParseError(
                    source, "a ZIP archive but not a Word (DOCX) document: nothing to import"
                )
            members = archive.infolist()
            if sum(member.file_size for member in members) > limits.unpacked_bytes:
                raise _too_large(source, limits)
            unpacked = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(UNPACK_CHUNK):
                        deadline.check()
                        unpacked += len(chunk)
                        if unpacked > limits.unpacked_bytes:
                            raise _too_large(source, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        raise ParseError(source, f"not a readable Word document (damaged ZIP: {error})") from None
    except (NotImplementedError, RuntimeError) as error:  # encrypted, unknown compression
        raise ParseError(source, f"not a readable Word document ({error})") from None


def _too_large(source: str, limits: Limits) -> ParseError:
    unpacked = size_text(limits.unpacked_bytes)
    return limits.exceeded(source, "unpacked_bytes", f"its parts unpack to more than {unpacked}")


def _open(data: bytes, *, source: str) -> DocxDocument:
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise ParseError(source, f"not a readable Word document ({error})") from None


def _paragraphs(word: DocxDocument, limits: Limits, *, deadline: Deadline) -> list[str]:
    """The text format's paragraphs, within the limit on characters."""
    styles = _Styles(word)
    numbering = _Numbering(word, styles)
    paragraphs: list[list[str]] = []  # lines, joined once at the end (not per line)
    characters = 0
    for style, text in _lines(word, styles, numbering, deadline=deadline):
        characters += len(text) + 2
        if characters > limits.characters:
            raise limits.exceeded(
                deadline.source, "characters", f"more than {limits.characters:,} characters of text"
            )
        if style in CONTINUED_STYLES and paragraphs:
            paragraphs[-1].append(text)
        elif text.strip():
            paragraphs.append([text])
    return ["\n".join(lines) for lines in paragraphs]


def _lines(
    word: DocxDocument, styles: _Styles, numbering: _Numbering, *, deadline: Deadline
) -> Iterator[tuple[str, str]]:
    """(style name, text) of every paragraph and table row of the body, in order."""
    for block in word.iter_inner_content():
        deadline.check()
        if isinstance(block, Table):
            yield from _table_lines(block, styles, deadline=deadline)
        else:
            yield from _paragraph_lines(block, styles, numbering)


def _table_lines(table: Table, styles: _Styles, *, deadline: Deadline) -> Iterator[tuple[str, str]]:
    """One line per row, its cells joined by tabs; a cell merged over columns is read once,
    one merged over rows repeats its text in each.

    Read from the XML: python-docx's cells repeat a spanning cell once per column it spans
    (a span of two billion is two billion cells) and find a merged cell's top recursively."""
    style = styles.name(_value(table._tbl.tblPr, "w:tblStyle"), "table")
    above: dict[int, str] = {}  # grid column -> the text of the cell that starts there
    for index, row in enumerate(table._tbl.tr_lst):
        deadline.check()
        cells: list[str] = []
        column = _number(_value(row.trPr, "w:gridBefore"), default=0)
        for cell in row.tc_lst:
            properties = cell.tcPr
            merge = properties.find(qn("w:vMerge")) if properties is not None else None
            if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
                text = above.get(column, "")
            else:
                text = " ".join(t for p in cell.p_lst if (t := Paragraph(p, table).text.strip()))
            above[column] = text
            cells.append(text)
            span = _number(_value(properties, "w:gridSpan"), default=1)
            column += min(max(span, 1), GRID_SPAN_MAX)
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            continued = style == CONTINUED_TABLE_STYLE or index > 0
            yield (CONTINUED_TABLE_STYLE if continued else TABLE_STYLE), "\t".join(cells)


def _paragraph_lines(
    paragraph: Paragraph, styles: _Styles, numbering: _Numbering
) -> Iterator[tuple[str, str]]:
    style_id = _value(paragraph._p.pPr, "w:pStyle")
    style = styles.name(style_id, "paragraph")
    text = paragraph.text.replace("\r", "\n").replace("\u00a0", " ")
    if style == TOC_STYLE:
        yield style, _toc_entry(text)
        return
    if style in POINT_STYLES:
        marker, _, rest = text.partition("\t")
        text = f"{marker} {rest}" if rest else marker
    else:
        marker_text = numbering.marker(paragraph, style_id)
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


def _value(parent: Any, tag: str) -> str | None:
    """The ``w:val`` of ``parent``'s child ``tag`` as written, unparsed (python-docx's typed
    reading raises on values a damaged or hostile file holds)."""
    if parent is None:
        return None
    child = parent.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _number(value: str | None, *, default: int) -> int:
    """A small whole number from the XML; anything else (``"abc"``, a thousand digits) is the
    default."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 9:
        return default
    return int(value)


class _Styles:
    """The styles part read once: names by id, each style's base and numbering.

    python-docx looks a style up by an XPath per paragraph and follows ``basedOn`` without
    end when two styles are based on each other."""

    def __init__(self, word: DocxDocument) -> None:
        self._names: dict[tuple[str, str], str] = {}
        self._based_on: dict[str, str] = {}
        self._numbering: dict[str, Any] = {}
        self._defaults: dict[str, str] = {}
        for style in word.styles.element.findall(qn("w:style")):
            style_id, kind = style.get(qn("w:styleId")), style.get(qn("w:type"), "paragraph")
            if style_id is None:
                continue
            name = _value(style, "w:name")
            if name is not None:
                self._names[(style_id, kind)] = UI_STYLE_NAMES.get(name, name)
            if (base := _value(style, "w:basedOn")) is not None:
                self._based_on[style_id] = base
            properties = style.find(qn("w:pPr"))
            numbering = properties.find(qn("w:numPr")) if properties is not None else None
            if numbering is not None:
                self._numbering[style_id] = numbering
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self._defaults.setdefault(kind, style_id)

    def name(self, style_id: str | None, kind: str) -> str:
        """The style's name as python-docx gives it: an unknown id is the default style."""
        if style_id is not None and (style_id, kind) in self._names:
            return self._names[(style_id, kind)]
        default = self._defaults.get(kind)
        return self._names.get((default, kind), "") if default is not None else ""

    def numbering(self, style_id: str | None) -> Any:
        """The numbering a paragraph style (or a style it is based on) gives; cycles end."""
        if style_id is None or (style_id, "paragraph") not in self._names:
            style_id = self._defaults.get("paragraph")
        seen: set[str] = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)
            if style_id in self._numbering:
                return self._numbering[style_id]
            style_id = self._based_on.get(style_id)
        return None


class _Numbering:
    """Word's automatic numbering: the "1." or "-" a numbered paragraph shows."""

    def __init__(self, word: DocxDocument, styles: _Styles) -> None:
        self._styles = styles
        self._formats: dict[tuple[int, int], tuple[str, str]] = {}
        self._counters: dict[tuple[int, int], int] = {}
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
                levels[_number(level.get(qn("w:ilvl")), default=0)] = (
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "%1.") if text is not None else "%1.",
                )
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = _value(num, "w:abstractNumId")
            if ref is None:
                continue
            num_id = _number(num.get(qn("w:numId")), default=-1)
            for ilvl, value in abstract.get(ref, {}).items():
                self._formats[(num_id, ilvl)] = value

    def marker(self, paragraph: Paragraph, style_id: str | None) -> str | None:
        properties = _numbering_properties(paragraph, style_id, self._styles)
        num_id = _value(properties, "w:numId")
        if num_id is None:
            return None
        key = (_number(num_id, default=-1), _number(_value(properties, "w:ilvl"), default=0))
        fmt, text = self._formats.get(key, ("decimal", "%1."))
        if fmt in BULLET_FORMATS:
            return "-"
        self._counters[key] = self._counters.get(key, 0) + 1
        return re.sub(r"%\d", str(self._counters[key]), text) or f"{self._counters[key]}."


def _numbering_properties(paragraph: Paragraph, style_id: str | None, styles: _Styles) -> Any:
    """The paragraph's own numbering, else its style's ("List Number" numbers by style)."""
    ppr = paragraph._p.pPr
    own = ppr.find(qn("w:numPr")) if ppr is not None else None
    return own if own is not None else styles.numbering(style_id)

"""PDF agendas and minutes: the text layer read back into the lines of the text format.

Pure functions, no Django. pypdfium2 gives the text objects of every page with their
positions; from those we rebuild lines (a wide gap inside a line is a table cell, written as a
tab), drop layout noise (running headers and footers, page numbers), join lines that were
only wrapped (also across page breaks, undoing hyphenation at line ends) and keep real line
and paragraph breaks apart by the vertical space before a line. The result is the text the
seeds are written in, read by ``parsers.text`` so that every text rule applies to PDFs too.

The PDFs ``publishing`` renders are laid out so that this reading is exact (see
``publishing/print/print.css``); other PDFs are read as well as their layout allows.
"""

from __future__ import annotations

import bisect
import ctypes
import dataclasses
import functools
import itertools
import re
import statistics
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dagsorden.core.text import clean_text
from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.isolation import run_isolated
from dagsorden.importers.parsers.limits import DEFAULT_LIMITS, Deadline, Limits, size_text
from dagsorden.importers.parsers.reflow import Line, reflow_header, text_from_paragraphs
from dagsorden.importers.parsers.text import parse_text

COLUMN_TOLERANCE = 2.0  # pt: cells of one table column start this close to each other
CELL_GAP = 1.5  # em: a wider gap between two pieces of one line separates table cells
WORD_GAP = 0.15  # em: a narrower gap joins two pieces without a space
SAME_LINE = 0.35  # em: baselines closer than this are one line
WRAP_EXTRA = 0.12  # em of extra space before a line: less is a wrapped (or plain) next line
PARAGRAPH_EXTRA = 0.5  # em: at least this much extra space starts a new paragraph
NOISE_BAND = 0.08  # of the page height, at the top and the bottom: running headers, footers
RIGHT_EDGE_SPREAD = 4.0  # pt: the ends of justified lines differ by the last glyph's shape
RIGHT_EDGE_TOLERANCE = 3.0  # pt: a justified line ends this close to the typical end
RAGGED_TOLERANCE = 0.12  # of the text width, when the text is not justified
PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:side|page|s\.)\s*)?[-–(]?\s*#\s*[-–)]?(?:\s*(?:af|of|/)\s*#)?$", re.IGNORECASE
)
MARKER_ONLY_RE = re.compile(r"^(?:\d{1,3}[.)]|[-–•*▪●◦○■□➢✓])$")
WHITESPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class _KnownLayout:
    """Line height (em) and the right edge of justified text (pt), as a stylesheet sets them."""

    pitch: float
    right: float


# The PDFs ``publishing`` renders (Creator "dagsorden"): line-height 1.4; A4 (595.28 pt) with
# a 20 mm right margin. Small documents give too few wrapped lines to measure these from.
OUR_CREATOR = "dagsorden"
OUR_LAYOUT = _KnownLayout(pitch=1.4, right=595.28 - 20 / 25.4 * 72)


@dataclass
class _Run:
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    text: str


@dataclass
class _PageLine:
    page: int
    baseline: float
    size: float
    top: float
    bottom: float
    runs: list[_Run] = field(default_factory=list)


def parse_pdf(
    data: bytes,
    *,
    source: str = "<pdf>",
    limits: Limits = DEFAULT_LIMITS,
    deadline: Deadline | None = None,
) -> Document:
    """Read one PDF agenda or minutes into the dagsorden.document/1 model.

    pdfium reads in a child process (``isolation``): memory and time stay within ``limits``
    whatever the file holds."""
    deadline = deadline or Deadline(limits, source)
    text = run_isolated(
        functools.partial(pdf_text, data, source=source, limits=limits, deadline=deadline),
        source=source,
        limits=limits,
        deadline=deadline,
        reader="PDF",
    )
    return parse_text(text, source=source, limits=limits, deadline=deadline)


def pdf_text(
    data: bytes,
    *,
    source: str = "<pdf>",
    limits: Limits = DEFAULT_LIMITS,
    deadline: Deadline | None = None,
) -> str:
    """The PDF as text in the seeds' format (what ``parse_pdf`` hands to the text parser)."""
    deadline = deadline or Deadline(limits, source)
    check_unpacked_size(data, source=source, limits=limits, deadline=deadline)
    pages, creator = _read_pages(data, source=source, limits=limits, deadline=deadline)
    if not any(pages):
        raise ParseError(
            source,
            "a scanned PDF without a text layer: there is no text to read; "
            "run text recognition (OCR) on it first or import the text or Word version",
        )
    lines = _without_noise(pages)
    deadline.check()
    layout = OUR_LAYOUT if creator == OUR_CREATOR else None
    paragraphs = _paragraphs(lines, layout=layout)
    deadline.check()
    return clean_text(reflow_header(text_from_paragraphs(paragraphs)))


STREAM_RE = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
FILTER_RE = re.compile(rb"/Filter\s*(\[[^\]]{0,400}\]|/[A-Za-z0-9]+)")
FILTER_NAME_RE = re.compile(rb"/([A-Za-z0-9]+)")
FLATE_NAMES = {b"FlateDecode", b"Fl"}
DICTIONARY_REACH = 4096  # bytes before "stream" searched for its dictionary
UNPACK_CHUNK = 1 << 20  # bytes in and out of one Flate step


def check_unpacked_size(data: bytes, *, source: str, limits: Limits, deadline: Deadline) -> None:
    """Refuse a PDF whose Flate streams unpack to more than ``limits.unpacked_bytes``.

    pdfium unpacks a page's content in one piece as it loads the page: a 4 MB stream of
    zeros becomes gigabytes before any page could be counted. So every stream whose filters
    are all Flate (the bombs' filter, and nearly every stream's) is unpacked here first, a
    chunk at a time through all its filters and counted, never held. What this does not
    see (other filters, a damaged file pdfium repairs) the reader's memory ceiling bounds.
    """
    unpacked = _Unpacked(source=source, limits=limits, deadline=deadline)
    position = 0
    while (found := STREAM_RE.search(data, position)) is not None:
        deadline.check()
        end = data.find(b"endstream", found.end())
        end = len(data) if end < 0 else end
        dictionary = data[max(0, found.start() - DICTIONARY_REACH) : found.start()]
        layers = _flate_layers(dictionary[dictionary.rfind(b"obj") + 1 :])
        if layers:
            unpacked.stream(memoryview(data)[found.end() : end], layers)
        position = max(end, found.end())


def _flate_layers(dictionary: bytes) -> int:
    """How many Flate filters a stream's dictionary names; 0 when any other filter is there."""
    found = FILTER_RE.search(dictionary)
    if found is None:
        return 0
    names = FILTER_NAME_RE.findall(found[1])
    return len(names) if names and all(name in FLATE_NAMES for name in names) else 0


class _Unpacked:
    """The bytes a PDF's streams unpack to, counted over every filter layer."""

    def __init__(self, *, source: str, limits: Limits, deadline: Deadline) -> None:
        self.source, self.limits, self.deadline = source, limits, deadline
        self.total = 0

    def stream(self, packed: memoryview, layers: int) -> None:
        stages = [zlib.decompressobj() for _ in range(layers)]
        try:
            for start in range(0, len(packed), UNPACK_CHUNK):
                self._feed(stages, 0, packed[start : start + UNPACK_CHUNK])
        except zlib.error:
            pass  # damaged, or not Flate after all: pdfium reads what it can

    def _feed(self, stages: list[Any], level: int, chunk: bytes | memoryview) -> None:
        """Push ``chunk`` through filter ``level`` and on, a bounded piece at a time."""
        stage = stages[level]
        data = stage.decompress(chunk, UNPACK_CHUNK)
        while data:
            self.deadline.check()
            self.total += len(data)
            if self.total > self.limits.unpacked_bytes:
                raise self.limits.exceeded(
                    self.source,
                    "unpacked_bytes",
                    "its compressed streams unpack to more than "
                    + size_text(self.limits.unpacked_bytes),
                )
            if level + 1 < len(stages):
                self._feed(stages, level + 1, data)
            data = stage.decompress(stage.unconsumed_tail, UNPACK_CHUNK)


def _read_pages(
    data: bytes, *, source: str, limits: Limits, deadline: Deadline
) -> tuple[list[list[_PageLine]], str]:
    """The lines of every page, and the program that made the PDF (its Creator).

    Within the limits: pages counted before any is loaded, a page's objects before its text
    is read, and the text read in one pass over the page's characters."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise ParseError(source, "the PDF is password-protected") from None
        raise ParseError(source, f"not a readable PDF ({reason})") from None
    try:
        count = len(document)
        if count > limits.pages:
            raise limits.exceeded(source, "pages", f"more than {limits.pages:,} pages")
        creator = document.get_metadata_value("Creator")
        pages = []
        characters = 0
        for index in range(count):
            deadline.check()
            runs, height, characters = _page_runs(
                document, index, characters, source=source, limits=limits, deadline=deadline
            )
            pages.append(_lines_of(runs, page=index, height=height))
        return pages, creator
    except pdfium.PdfiumError as error:
        raise ParseError(source, f"not a readable PDF ({error})") from None
    finally:
        document.close()


def _page_runs(
    document: pdfium.PdfDocument,
    index: int,
    characters: int,
    *,
    source: str,
    limits: Limits,
    deadline: Deadline,
) -> tuple[list[_Run], float, int]:
    """One page's runs, its height, and the characters read so far in the document."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        raise ParseError(source, f"page {index + 1} is damaged and cannot be read") from None
    try:
        text_objects = _text_objects(page, limits.page_objects)
        if text_objects is None:
            raise limits.exceeded(
                source,
                "page_objects",
                f"page {index + 1} draws more than {limits.page_objects:,} objects",
            )
        text_page = page.get_textpage()
        try:
            count = pdfium_c.FPDFText_CountChars(text_page.raw)
            characters += max(count, 0)
            if characters > limits.characters:
                raise limits.exceeded(
                    source, "characters", f"more than {limits.characters:,} characters of text"
                )
            if len(text_objects) * count <= ONE_BY_ONE_SEARCHES:
                runs = _runs_by_object(text_page, text_objects)
            else:
                runs = _runs_by_character(text_page, count, deadline=deadline)
        finally:
            text_page.close()
        return runs, page.get_height(), characters
    finally:
        page.close()


def _text_objects(page: pdfium.PdfPage, cap: int) -> list[int] | None:
    """The page's text objects (addresses), forms unfolded, in drawing order; None when the
    page draws more than ``cap`` objects of any kind (counted before anything is read)."""
    calls = _calls()
    found: list[int] = []
    total = pdfium_c.FPDFPage_CountObjects(page.raw)
    if total > cap:
        return None
    pending: list[tuple[int | None, int, int]] = [(None, 0, max(total, 0))]  # form, next, end
    while pending:
        form, position, end = pending[-1]
        if position == end:
            pending.pop()
            continue
        pending[-1] = (form, position + 1, end)
        obj = (
            calls.page_object(page.raw, position)
            if form is None
            else calls.form_object(form, position)
        )
        if not obj:
            continue
        kind = calls.object_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            found.append(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inside = max(calls.form_count(obj), 0)
            total += inside
            if total > cap:
                return None
            pending.append((obj, 0, inside))
    return found


# Asking pdfium for each text object's text searches the page's characters per object:
# cheap for the usual page (a hundred words, a few thousand characters), quadratic for a
# dense one. Up to this many character visits (text objects times characters) a page is
# read object by object, beyond it in one pass over its characters.
ONE_BY_ONE_SEARCHES = 2_000_000


def _runs_by_object(text_page: pdfium.PdfTextPage, text_objects: list[int]) -> list[_Run]:
    """The runs of a page with few text objects: each object's text in one call."""
    calls = _calls()
    capacity = 256  # UTF-16 code units; grown when a text object holds more
    buffer = (ctypes.c_ushort * capacity)()
    runs = []
    for obj in text_objects:
        length = calls.text(obj, text_page.raw, buffer, capacity * 2)
        if length > capacity * 2:
            capacity = length // 2
            buffer = (ctypes.c_ushort * capacity)()
            length = calls.text(obj, text_page.raw, buffer, capacity * 2)
        if length <= 2:
            continue
        text = ctypes.string_at(buffer, length - 2).decode("utf-16-le", errors="replace")
        if (run := _run(calls, obj, text)) is not None:
            runs.append(run)
    return runs


def _runs_by_character(
    text_page: pdfium.PdfTextPage, count: int, *, deadline: Deadline
) -> list[_Run]:
    """The runs of a page with many text objects, in one pass over its characters.

    Each character belongs to the text object that drew it, and an object's characters make
    one run. (Asking for each object's text, as ``_runs_by_object`` does, searches all the
    page's characters per object: quadratic, minutes for a dense page.) Characters pdfium
    generates between an object's own (spaces) belong to it; those between objects do not."""
    if count <= 0:
        return []
    raw_text_page = text_page.raw
    text = _page_characters(raw_text_page, count)
    calls = _calls()
    owner_of = calls.owner
    pieces: dict[int, list[str]] = {}
    last_owner, last_start, last_end = 0, 0, 0
    for block in range(0, count, _CHARACTER_BLOCK):
        deadline.check()
        for index in range(block, min(block + _CHARACTER_BLOCK, count)):
            owner = owner_of(raw_text_page, index)
            if not owner:
                continue  # generated: kept only when the same object's characters follow
            if owner == last_owner:
                last_end = index + 1
                continue
            if last_owner:
                pieces[last_owner].append(text[last_start:last_end])
            pieces.setdefault(owner, [])
            last_owner, last_start, last_end = owner, index, index + 1
    if last_owner:
        pieces[last_owner].append(text[last_start:last_end])
    runs = []
    for owner, texts in pieces.items():
        if (run := _run(calls, owner, "".join(texts))) is not None:
            runs.append(run)
    return runs


def _run(calls: _Calls, obj: int, text: str) -> _Run | None:
    """One text object's run: its text, box, baseline and size; None for white space alone
    and for rotated text (stamps and watermarks, not the document's lines)."""
    if not text.strip():
        return None
    matrix = calls.scratch.matrix
    calls.matrix(obj, matrix)
    if abs(matrix.b) > 1e-3 or abs(matrix.c) > 1e-3:
        return None
    left, bottom, right, top, font_size = calls.scratch.numbers
    calls.bounds(obj, left, bottom, right, top)
    calls.font_size(obj, font_size)
    return _Run(
        x0=left.value,
        x1=right.value,
        top=top.value,
        bottom=bottom.value,
        baseline=matrix.f,
        size=font_size.value * abs(matrix.d) or (top.value - bottom.value),
        text=text,
    )


_CHARACTER_BLOCK = 65_536  # characters between two deadline checks


def _page_characters(raw_text_page: object, count: int) -> str:
    """The page's characters, one per index: one call for the whole page, or one call per
    character where the page's text does not line up with its character indices."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw_text_page, 0, count, buffer)
    if written > 0:
        text = ctypes.string_at(buffer, (written - 1) * 2).decode("utf-16-le", "replace")
        if len(text) == count:
            return text
    get_unicode = pdfium_c.FPDFText_GetUnicode
    return "".join(_character(get_unicode(raw_text_page, index)) for index in range(count))


def _character(code: int) -> str:
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


@dataclass(frozen=True)
class _Scratch:
    """ctypes values the calls write into, made once (making them costs more than a call)."""

    matrix: Any = field(default_factory=pdfium_c.FS_MATRIX)
    numbers: tuple[Any, ...] = field(
        default_factory=lambda: tuple(ctypes.c_float() for _ in range(5))
    )


@dataclass(frozen=True)
class _Calls:
    """pdfium's functions on the hot path, taking and giving objects as plain int addresses
    (pypdfium2's own declarations wrap each in a ctypes pointer, which costs more than the
    call). One process reads one page at a time, so the scratch values can be shared."""

    owner: Callable[[object, int], int | None]  # text page, character -> its text object
    page_object: Callable[[object, int], int | None]
    form_count: Callable[[int], int]
    form_object: Callable[[int, int], int | None]
    object_type: Callable[[int], int]
    text: Callable[[int, object, object, int], int]
    matrix: Callable[[int, object], int]
    bounds: Callable[[int, object, object, object, object], int]
    font_size: Callable[[int, object], int]
    scratch: _Scratch = field(default_factory=_Scratch)


@functools.cache
def _calls() -> _Calls:
    """pdfium's functions for the hot loop, declared to pass text objects as addresses."""

    def declare(function: object, result: object, *arguments: object) -> Any:
        address = ctypes.cast(function, ctypes.c_void_p).value  # type: ignore[arg-type]
        if address is None:
            raise RuntimeError(f"pdfium lacks {function}")
        return ctypes.CFUNCTYPE(result, *arguments)(address)  # type: ignore[arg-type]

    obj, number, integer = ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int
    text_page = pdfium_c.FPDF_TEXTPAGE
    return _Calls(
        owner=declare(pdfium_c.FPDFText_GetTextObject, obj, text_page, integer),
        page_object=declare(pdfium_c.FPDFPage_GetObject, obj, pdfium_c.FPDF_PAGE, integer),
        form_count=declare(pdfium_c.FPDFFormObj_CountObjects, integer, obj),
        form_object=declare(pdfium_c.FPDFFormObj_GetObject, obj, obj, ctypes.c_ulong),
        object_type=declare(pdfium_c.FPDFPageObj_GetType, integer, obj),
        text=declare(
            pdfium_c.FPDFTextObj_GetText,
            ctypes.c_ulong,
            obj,
            text_page,
            ctypes.POINTER(ctypes.c_ushort),
            ctypes.c_ulong,
        ),
        matrix=declare(
            pdfium_c.FPDFPageObj_GetMatrix,
            ctypes.c_int,
            obj,
            ctypes.POINTER(pdfium_c.FS_MATRIX),
        ),
        bounds=declare(
            pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, obj, number, number, number, number
        ),
        font_size=declare(pdfium_c.FPDFTextObj_GetFontSize, ctypes.c_int, obj, number),
    )


def _lines_of(runs: list[_Run], *, page: int, height: float) -> list[_PageLine]:
    """Runs on one baseline make a line; lines from the top of the page down."""
    runs.sort(key=lambda run: (-run.baseline, run.x0))
    lines: list[_PageLine] = []
    for run in runs:
        line = lines[-1] if lines else None
        if line is not None and abs(line.baseline - run.baseline) <= SAME_LINE * min(
            line.size, run.size
        ):
            line.runs.append(run)
            line.top = max(line.top, run.top)
            line.bottom = min(line.bottom, run.bottom)
            line.size = max(line.size, run.size)
        else:
            lines.append(
                _PageLine(
                    page=page,
                    baseline=run.baseline,
                    size=run.size,
                    top=run.top,
                    bottom=run.bottom,
                    runs=[run],
                )
            )
    for line in lines:
        line.runs.sort(key=lambda run: run.x0)
        line.top, line.bottom = line.top / height, line.bottom / height  # as page fractions
    return lines


def _cells(line: _PageLine) -> tuple[list[str], list[float], float, float]:
    """The line's text cut into cells at wide gaps, where each cell starts; the line's edges."""
    cells: list[str] = []
    starts: list[float] = [line.runs[0].x0]
    current = ""
    previous: _Run | None = None
    for run in line.runs:
        if previous is None:
            current = run.text
        else:
            gap = run.x0 - previous.x1
            if gap > CELL_GAP * line.size:
                cells.append(current)
                starts.append(run.x0)
                current = run.text
            elif gap > WORD_GAP * line.size and not (
                current.endswith((" ", "\u00a0")) or run.text.startswith((" ", "\u00a0"))
            ):
                current += " " + run.text
            else:
                current += run.text
        previous = run
    cells.append(current)
    cleaned = [WHITESPACE_RE.sub(" ", cell).strip() for cell in cells]
    if len(cleaned) > 1 and MARKER_ONLY_RE.match(cleaned[0]):
        cleaned[:2] = [f"{cleaned[0]} {cleaned[1]}"]  # a list marker set apart, not a cell
        del starts[1]
    kept = [(cell, start) for cell, start in zip(cleaned, starts, strict=True) if cell]
    return (
        [cell for cell, _ in kept],
        [start for _, start in kept],
        line.runs[0].x0,
        max(r.x1 for r in line.runs),
    )


def _without_noise(pages: list[list[_PageLine]]) -> list[Line]:
    """Body lines of all pages: running headers, footers and page numbers left out."""
    keys_by_page: list[set[str]] = []
    for lines in pages:
        keys_by_page.append({_noise_key(line) for line in lines if _in_band(line)})
    repeated = Counter(key for keys in keys_by_page for key in keys)
    body: list[Line] = []
    for lines in pages:
        for line in lines:
            if _in_band(line):
                key = _noise_key(line)
                if PAGE_NUMBER_RE.match(key) or (len(pages) > 1 and repeated[key] > 1):
                    continue
            cells, starts, x0, x1 = _cells(line)
            if cells:
                body.append(
                    Line(
                        page=line.page,
                        baseline=line.baseline,
                        size=line.size,
                        x0=x0,
                        x1=x1,
                        cells=tuple(cells),
                        cell_starts=tuple(starts),
                    )
                )
    return _with_empty_cells(body)


def _with_empty_cells(lines: list[Line]) -> list[Line]:
    """Empty table cells back, where the rows of one table show the columns.

    An empty cell leaves no text, only a wider gap; when the rows that follow each other on a
    page start their cells at the same few positions and one row fills them all, a row that
    skips a position gets an empty cell there. Anything less regular is left as it is.
    """
    out = list(lines)
    index = 0
    while index < len(out):
        end = index
        while end < len(out) and out[end].is_row and out[end].page == out[index].page:
            end += 1
        if end - index >= 2:
            out[index:end] = _fill_table(out[index:end])
        index = max(end, index + 1)
    return out


def _fill_table(rows: list[Line]) -> list[Line]:
    columns: list[float] = []
    for start in sorted(x for row in rows for x in row.cell_starts):
        if not columns or start - columns[-1] > COLUMN_TOLERANCE:
            columns.append(start)
    if len(columns) != max(len(row.cells) for row in rows):
        return rows
    filled = []
    for row in rows:
        found = [_column_of(x, columns) for x in row.cell_starts]
        positions = [p for p in found if p is not None]
        if len(row.cells) == len(columns) or len(positions) != len(found):
            filled.append(row)
            continue
        if positions != sorted(set(positions)):
            filled.append(row)
            continue
        cells = [""] * (positions[-1] + 1)
        for position, cell in zip(positions, row.cells, strict=True):
            cells[position] = cell
        filled.append(dataclasses.replace(row, cells=tuple(cells)))
    return filled


def _column_of(start: float, columns: list[float]) -> int | None:
    """The first column (sorted starts) within tolerance of ``start``: a binary search, as a
    table may have thousands of cells per row."""
    number = bisect.bisect_left(columns, start - COLUMN_TOLERANCE)
    if number < len(columns) and columns[number] <= start + COLUMN_TOLERANCE:
        return number
    return None


def _in_band(line: _PageLine) -> bool:
    return line.bottom >= 1 - NOISE_BAND or line.top <= NOISE_BAND


def _noise_key(line: _PageLine) -> str:
    text = WHITESPACE_RE.sub(" ", " ".join(run.text for run in line.runs)).strip().lower()
    return re.sub(r"\d+", "#", text)


def _paragraphs(lines: list[Line], *, layout: _KnownLayout | None = None) -> list[list[str]]:
    """Paragraphs of lines: wrapped lines joined, line and paragraph breaks kept."""
    if not lines:
        return []
    body_size = _body_size(lines)
    if layout is not None:  # our own PDF: no need to measure what print.css states
        pitch, right, tolerance = layout.pitch, layout.right, RIGHT_EDGE_TOLERANCE
    else:
        pitch = _pitch(lines, body_size)
        right, tolerance = _right_edge(lines, body_size)

    def full(line: Line) -> bool:
        return not line.is_row and line.x1 >= right - tolerance

    # Each line of a paragraph is kept as its pieces (the laid-out lines it was wrapped
    # from) and joined once at the end: joining a growing string per piece is quadratic.
    paragraphs: list[list[list[str]]] = [[[lines[0].text]]]
    for previous, line in itertools.pairwise(lines):
        same_size = abs(previous.size - line.size) < 0.2
        if previous.page != line.page:
            if same_size and full(previous) and not line.is_row and not line.is_point:
                _append_wrapped(paragraphs[-1][-1], line.text)
            elif (previous.is_row and line.is_row) or (previous.is_point and line.is_point):
                paragraphs[-1].append([line.text])
            else:
                paragraphs.append([[line.text]])
            continue
        expected = pitch * (previous.size + line.size) / 2
        extra = (previous.baseline - line.baseline) - expected
        if extra < WRAP_EXTRA * body_size:
            wrapped = (
                same_size
                and not previous.is_row
                and not line.is_row
                and (full(previous) or previous.size > body_size * 1.1)
            )
            if wrapped:
                _append_wrapped(paragraphs[-1][-1], line.text)
            else:
                paragraphs[-1].append([line.text])
        elif extra < PARAGRAPH_EXTRA * body_size:
            paragraphs[-1].append([line.text])
        else:
            paragraphs.append([[line.text]])
    return [["".join(pieces) for pieces in paragraph] for paragraph in paragraphs]


def _append_wrapped(pieces: list[str], text: str) -> None:
    """Add the next laid-out line to a wrapped line kept as pieces (see ``join_wrapped``)."""
    tail = pieces[-1] if len(pieces[-1]) >= 2 or len(pieces) == 1 else pieces[-2] + pieces[-1]
    joined = join_wrapped(tail, text)
    if joined.startswith(tail):
        pieces.append(joined[len(tail) :])
    else:  # the hyphen at the end went: the last piece loses its last character
        pieces[-1] = pieces[-1][:-1]
        pieces.append(text)


def _body_size(lines: list[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0]


def _pitch(lines: list[Line], body_size: float) -> float:
    """Baseline distance of plainly following lines of body text, in em (the line height)."""
    ratios = [
        (a.baseline - b.baseline) / b.size
        for a, b in itertools.pairwise(lines)
        if a.page == b.page
        and abs(a.size - body_size) < 0.3
        and abs(b.size - body_size) < 0.3
        and not a.is_row
        and not b.is_row
        and (a.baseline - b.baseline) >= 0.9 * b.size
    ]
    return min(max(min(ratios), 1.0), 2.5) if ratios else 1.2


def _right_edge(lines: list[Line], body_size: float) -> tuple[float, float]:
    """Where full lines end, and how closely: justified text gives a sharp edge."""
    ends = sorted(
        (line.x1 for line in lines if abs(line.size - body_size) < 0.3 and not line.is_row),
        reverse=True,
    )
    if not ends:
        return float("inf"), 0.0
    for index, end in enumerate(ends[:-2]):
        if ends[index + 2] >= end - RIGHT_EDGE_SPREAD:
            cluster = [e for e in ends[index:] if e >= end - RIGHT_EDGE_SPREAD]
            return statistics.median(cluster), RIGHT_EDGE_TOLERANCE
    left = min(line.x0 for line in lines)
    edge = statistics.quantiles(ends, n=20)[-1] if len(ends) > 1 else ends[0]
    return edge, RAGGED_TOLERANCE * max(edge - left, 1.0)


def join_wrapped(first: str, second: str) -> str:
    """Two pieces of one wrapped line, with hyphenation at the line end undone."""
    if first.endswith(("\u00ad", "\x02")):
        return first[:-1] + second
    hyphen = first.endswith(("-", "\u2010"))  # U+2010: the hyphen WeasyPrint and Word insert
    if hyphen and len(first) > 1 and first[-2].isalpha() and second[:1].islower():
        word = second.split(" ", 1)[0]
        if word in {"og", "eller", "samt", "til", "&"}:
            return f"{first} {second}"  # "Børne- og Skoleudvalget"
        return first[:-1] + second
    return f"{first} {second}"

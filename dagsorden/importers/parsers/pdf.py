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

import ctypes
import dataclasses
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.errors import ParseError
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


def parse_pdf(data: bytes, *, source: str = "<pdf>") -> Document:
    """Read one PDF agenda or minutes into the dagsorden.document/1 model."""
    return parse_text(pdf_text(data, source=source), source=source)


def pdf_text(data: bytes, *, source: str = "<pdf>") -> str:
    """The PDF as text in the seeds' format (what ``parse_pdf`` hands to the text parser)."""
    pages, creator = _read_pages(data, source=source)
    if not any(pages):
        raise ParseError(
            source,
            "a scanned PDF without a text layer: there is no text to read; "
            "run text recognition (OCR) on it first or import the text or Word version",
        )
    lines = _without_noise(pages)
    layout = OUR_LAYOUT if creator == OUR_CREATOR else None
    return reflow_header(text_from_paragraphs(_paragraphs(lines, layout=layout)))


def _read_pages(data: bytes, *, source: str) -> tuple[list[list[_PageLine]], str]:
    """The lines of every page, and the program that made the PDF (its Creator)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise ParseError(source, "the PDF is password-protected") from None
        raise ParseError(source, f"not a readable PDF ({reason})") from None
    try:
        creator = document.get_metadata_value("Creator")
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                text_page = page.get_textpage()
                try:
                    runs = list(_runs(page, text_page))
                finally:
                    text_page.close()
                height = page.get_height()
            finally:
                page.close()
            pages.append(_lines_of(runs, page=index, height=height))
        return pages, creator
    finally:
        document.close()


def _runs(page: pdfium.PdfPage, text_page: pdfium.PdfTextPage) -> Iterator[_Run]:
    """Every horizontal piece of text on the page, with its box, baseline and size.

    The hot loop of the PDF import (a page holds a hundred text objects or more), so the
    pdfium functions are bound locally and one text buffer is reused.
    """
    get_type, get_text = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFTextObj_GetText
    get_matrix, get_bounds = pdfium_c.FPDFPageObj_GetMatrix, pdfium_c.FPDFPageObj_GetBounds
    get_font_size = pdfium_c.FPDFTextObj_GetFontSize
    form, text_kind = pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_TEXT
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    font_size = ctypes.c_float()
    capacity = 256  # UTF-16 code units; grown when a text object holds more
    buffer = (ctypes.c_ushort * capacity)()
    raw_text_page = text_page.raw
    stack = [
        pdfium_c.FPDFPage_GetObject(page.raw, i)
        for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))
    ]
    while stack:
        obj = stack.pop()
        kind = get_type(obj)
        if kind == form:
            stack.extend(
                pdfium_c.FPDFFormObj_GetObject(obj, i)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))
            )
            continue
        if kind != text_kind:
            continue
        length = get_text(obj, raw_text_page, buffer, capacity * 2)
        if length > capacity * 2:
            capacity = length // 2
            buffer = (ctypes.c_ushort * capacity)()
            length = get_text(obj, raw_text_page, buffer, capacity * 2)
        if length <= 2:
            continue
        text = ctypes.string_at(buffer, length - 2).decode("utf-16-le", errors="replace")
        if not text.strip():
            continue
        get_matrix(obj, matrix)
        if abs(matrix.b) > 1e-3 or abs(matrix.c) > 1e-3:
            continue  # rotated text: stamps and watermarks, not the document's lines
        get_bounds(obj, left, bottom, right, top)
        get_font_size(obj, font_size)
        size = font_size.value * abs(matrix.d) or (top.value - bottom.value)
        yield _Run(
            x0=left.value,
            x1=right.value,
            top=top.value,
            bottom=bottom.value,
            baseline=matrix.f,
            size=size,
            text=text,
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
    for number, column in enumerate(columns):
        if abs(start - column) <= COLUMN_TOLERANCE:
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

    paragraphs: list[list[str]] = [[lines[0].text]]
    for previous, line in itertools.pairwise(lines):
        same_size = abs(previous.size - line.size) < 0.2
        if previous.page != line.page:
            if same_size and full(previous) and not line.is_row and not line.is_point:
                paragraphs[-1][-1] = join_wrapped(paragraphs[-1][-1], line.text)
            elif (previous.is_row and line.is_row) or (previous.is_point and line.is_point):
                paragraphs[-1].append(line.text)
            else:
                paragraphs.append([line.text])
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
                paragraphs[-1][-1] = join_wrapped(paragraphs[-1][-1], line.text)
            else:
                paragraphs[-1].append(line.text)
        elif extra < PARAGRAPH_EXTRA * body_size:
            paragraphs[-1].append(line.text)
        else:
            paragraphs.append([line.text])
    return paragraphs


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

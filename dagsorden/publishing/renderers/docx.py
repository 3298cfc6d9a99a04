"""The Word (DOCX) version of an agenda or minutes (python-docx), from the PDF's layout.

The same blocks as the PDF and the text format: a front page with the table of contents (a
real TOC field whose shown result carries the PDF's page numbers), then every item on a new
page under a "Heading 1", its sections under "Heading 2". Each line of the text format is one
Word paragraph; a further line of the same text paragraph gets a "… linje" style, so that
``importers.parsers.docx`` can tell a line break from a paragraph break when reading it back.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.docx import (
    CONTINUED_LINE_STYLE,
    CONTINUED_POINT_STYLE,
    CONTINUED_TABLE_STYLE,
    LINE_STYLE,
    POINT_STYLE,
    TABLE_STYLE,
    TOC_STYLE,
)
from dagsorden.publishing.renderers.layout import (
    Audience,
    Block,
    DocumentLayout,
    Line,
    document_layout,
)

LANGUAGE = "da-DK"
FONT = "Liberation Sans"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
WARNING = RGBColor(0x9B, 0x1C, 0x1C)
GREY = RGBColor(0x4A, 0x4A, 0x4A)
TEXT_WIDTH = Cm(16.5)


def render_docx(
    document: Document,
    *,
    audience: Audience,
    page_numbers: Sequence[int] | None = None,
    municipality: str | None = None,
) -> bytes:
    """The document as a .docx file; ``page_numbers`` (from the PDF) fill the contents list."""
    with translation.override("da"):
        layout = document_layout(
            document, audience=audience, page_numbers=page_numbers, municipality=municipality
        )
        word = new_docx()
        _set_up(word, layout)
        _front_page(word, layout)
        for item in layout.items:
            for block in item.blocks:
                _block(word, block)
        buffer = io.BytesIO()
        word.save(buffer)
        return buffer.getvalue()


def _set_up(doc: DocxDocument, layout: DocumentLayout) -> None:
    """Page, language, metadata and the styles the reader relies on."""

    properties = doc.core_properties
    properties.title = layout.title
    properties.language = LANGUAGE
    properties.author = layout.municipality or layout.forum
    properties.subject = f"{layout.kind_label}, {layout.forum}, {layout.date_words}"
    properties.keywords = f"{layout.kind_label}, {layout.forum}, {layout.edition}"
    properties.comments = layout.edition

    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = layout.running_header
    _tint(header, size=8, color=GREY)
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.alignment = 2  # right
    footer.add_run("Side ")
    _field(footer, "PAGE", "1")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES", "1")
    _tint(footer, size=8, color=GREY)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    _language(normal.element)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 26), ("Heading 1", 14), ("Heading 2", 11)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT
    styles["Heading 1"].paragraph_format.space_before = Pt(0)
    styles["Heading 1"].paragraph_format.space_after = Pt(4)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.space_after = Pt(0)

    for name, before, point in (
        (LINE_STYLE, 6, False),
        (CONTINUED_LINE_STYLE, 3, False),
        (POINT_STYLE, 6, True),
        (CONTINUED_POINT_STYLE, 3, True),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.space_before = Pt(before)
        if point:
            style.paragraph_format.left_indent = Cm(0.7)
            style.paragraph_format.first_line_indent = Cm(-0.7)
            style.paragraph_format.tab_stops.add_tab_stop(Cm(0.7))
    for name in (TABLE_STYLE, CONTINUED_TABLE_STYLE):
        style = styles.add_style(name, WD_STYLE_TYPE.TABLE)
        style.base_style = styles["Table Grid"]
    toc = styles.add_style(TOC_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    toc.base_style = normal
    toc.paragraph_format.space_before = Pt(3)
    toc.paragraph_format.left_indent = Cm(0.9)
    toc.paragraph_format.first_line_indent = Cm(-0.9)
    toc.paragraph_format.tab_stops.add_tab_stop(Cm(0.9))
    toc.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )


def _front_page(doc: DocxDocument, layout: DocumentLayout) -> None:

    if layout.municipality:
        line = doc.add_paragraph(layout.municipality)
        _tint(line, size=11, color=ACCENT, bold=True)
    title = doc.add_paragraph(style="Title")
    kind = title.add_run(layout.kind_label)
    kind.font.size = Pt(13)
    kind.add_break()
    title.add_run(layout.forum)
    for label, value in (("Mødedato", layout.date_words), ("Mødested", layout.location)):
        if value is None:
            continue
        fact = doc.add_paragraph()
        fact.paragraph_format.tab_stops.add_tab_stop(Cm(3))
        fact.paragraph_format.space_before = Pt(3)
        fact.add_run(label).bold = True
        fact.add_run("\t" + value)
    edition = doc.add_paragraph(layout.edition)
    edition.paragraph_format.space_before = Pt(8)
    _tint(
        edition,
        size=9,
        color=WARNING if layout.audience == "internal" else GREY,
        bold=layout.audience == "internal",
    )
    doc.add_paragraph("Indholdsfortegnelse", style="TOC Heading")
    entries = [
        f"{item.number}.\t{item.toc_title}\t{item.page if item.page is not None else ''}"
        for item in layout.items
    ]
    if not entries:
        return
    paragraphs = [doc.add_paragraph(style=TOC_STYLE) for _ in entries]
    _field_start(paragraphs[0], r'TOC \o "1-1" \h \z \u')
    for paragraph, entry in zip(paragraphs, entries, strict=True):
        paragraph.add_run(entry)
    _field_end(paragraphs[-1])


def _block(doc: DocxDocument, block: Block) -> None:

    if block.role == "heading":
        heading = doc.add_heading(block.text, level=1)
        heading.paragraph_format.page_break_before = True
    elif block.role == "section":
        doc.add_heading(block.text, level=2)
    elif block.role == "body":
        for paragraph in block.paragraphs:
            first = True
            for chunk in paragraph.chunks:
                if chunk.kind == "table":
                    _table(doc, chunk.lines, continued=not first, columns=chunk.columns)
                    first = False
                    continue
                for line in chunk.lines:
                    _line(doc, line, continued=not first)
                    first = False
    else:
        meta = doc.add_paragraph(block.text)
        meta.paragraph_format.space_before = Pt(3)
        if block.role == "closed":
            _tint(meta, color=WARNING, bold=True)
        else:
            _tint(meta, color=GREY)


def _line(doc: DocxDocument, line: Line, *, continued: bool) -> None:
    if line.marker is not None and line.text == f"{line.marker} {line.rest}":
        style = CONTINUED_POINT_STYLE if continued else POINT_STYLE
        doc.add_paragraph(f"{line.marker}\t{line.rest}", style=style)
    else:
        style = CONTINUED_LINE_STYLE if continued else LINE_STYLE
        doc.add_paragraph(line.text, style=style)


def _table(doc: DocxDocument, lines: Sequence[Line], *, continued: bool, columns: int) -> None:
    table = doc.add_table(rows=len(lines), cols=columns)
    table.style = CONTINUED_TABLE_STYLE if continued else TABLE_STYLE
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, line in zip(table.rows, lines, strict=True):
        for cell, text in zip(row.cells, line.cells, strict=False):
            cell.paragraphs[0].text = text


def _tint(
    paragraph: DocxParagraph,
    *,
    size: float | None = None,
    color: RGBColor | None = None,
    bold: bool = False,
) -> None:
    for run in paragraph.runs:
        if size is not None:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        if bold:
            run.bold = True


def _language(style_element: Any) -> None:
    """Danish for spelling and for screen readers (w:lang on the Normal style)."""
    rpr = style_element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    rpr.append(lang)


def _field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    """A complete field (PAGE, NUMPAGES) in one paragraph; Word updates what it shows."""
    _field_start(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)


def _field_start(paragraph: DocxParagraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)


def _field_end(paragraph: DocxParagraph) -> None:
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)

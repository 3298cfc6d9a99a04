"""Rendering agendas and minutes: the PDF looks right, the DOCX and text say the same, the CLI.

PDF rendering is slow, so every seed is rendered once per test session (``seed_rendering``)
and the other publishing tests reuse those files.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import io
import re
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.core.management import call_command

from dagsorden.documents.contract import Document, Item
from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import document_import, sha512_hex
from dagsorden.publishing.renderers.docx import render_docx
from dagsorden.publishing.renderers.pdf import RenderedPdf, render_pdf
from dagsorden.publishing.renderers.txt import render_text, toc_title
from dagsorden.publishing.services import as_agenda, document_render
from tests.conftest import SEED_NAMES, seed_path

TOC_LINE_RE = re.compile(r"^(\d+)\.\s+(.*?)\s*\.{3,}\s*(\d+)\s*$")


@functools.cache
def seed_document(name: str) -> Document:
    return parse_path(seed_path(name))


@functools.cache
def seed_rendering(name: str, audience: str = "internal") -> RenderedPdf:
    """The seed's minutes as PDF, rendered once per test session."""
    return render_pdf(seed_document(name), audience=audience)  # type: ignore[arg-type]


def page_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in pdf:
            text_page = page.get_textpage()
            texts.append(text_page.get_text_range().replace("\r\n", "\n"))
            text_page.close()
            page.close()
        return texts
    finally:
        pdf.close()


def toc_entries(texts: list[str]) -> list[tuple[int, str, int]]:
    """(number, title, page) of every contents line, as printed (dotted leader, page)."""
    found = []
    for text in texts:
        for line in text.split("\n"):
            match = TOC_LINE_RE.match(line.strip())
            if match is not None:
                found.append((int(match[1]), match[2].strip(), int(match[3])))
        if found and "Punkt 1:" in text:
            break
    return found


@pytest.fixture(scope="module", params=SEED_NAMES)
def rendered(request: pytest.FixtureRequest) -> tuple[Document, RenderedPdf, list[str]]:
    document = seed_document(request.param)
    result = seed_rendering(request.param)
    return document, result, page_texts(result.data)


def test_page_count_is_the_files(rendered: tuple[Document, RenderedPdf, list[str]]) -> None:
    document, result, texts = rendered
    assert len(texts) == result.page_count
    assert result.page_count >= len(document.items) + 1  # front page, then a page per item
    assert f"Side {result.page_count} af {result.page_count}" in texts[-1]


def test_every_heading_is_on_the_page_the_contents_say(
    rendered: tuple[Document, RenderedPdf, list[str]],
) -> None:
    document, result, texts = rendered
    entries = toc_entries(texts)
    assert [number for number, _, _ in entries] == [item.number for item in document.items]
    for (number, title, page), item in zip(entries, document.items, strict=True):
        assert title == toc_title(item, prefix=document.prefix)
        heading = f"Punkt {number}: "
        on_page = [index + 1 for index, text in enumerate(texts) if heading in text]
        assert on_page, f"no heading {heading!r} in the PDF"
        assert on_page[0] == page, f"contents say {heading!r} is on page {page}, it is on {on_page}"
        assert texts[page - 1].lstrip().startswith(heading)  # each item starts a new page
    assert [page for _, _, page in entries] == list(result.item_pages)


def test_front_page_names_forum_date_venue_and_version(
    rendered: tuple[Document, RenderedPdf, list[str]],
) -> None:
    document, _, texts = rendered
    front = texts[0]
    assert document.forum in front
    assert "Mødedato Torsdag d. " in front or "Mødedato " in front
    assert "Indholdsfortegnelse" in front
    assert "Intern udgave – indeholder lukkede punkter" in front
    if document.location:
        assert f"Mødested {document.location}" in front


def test_sections_in_template_order_with_tables_and_bullets_kept(
    rendered: tuple[Document, RenderedPdf, list[str]],
) -> None:
    document, result, texts = rendered
    for item, page in zip(document.items, result.item_pages, strict=True):
        text = "\n".join(texts[page - 1 : page + 3])
        start = text.index(f"Punkt {item.number}: ")
        positions = [
            text.index(f"\n{heading}\n", start)
            for heading, present in (
                ("Anledning", item.occasion is not None),
                ("Sagsfremstilling", item.presentation is not None),
                ("Indstilling", item.recommendation is not None),
                ("Beslutning", item.decision is not None),
                ("Bilag", bool(item.attachments)),
            )
            if present
        ]
        assert positions == sorted(positions), f"sections of item {item.number} out of order"
        if item.journal_number:
            assert item.journal_number in text
    bullets = [
        line[2:]
        for item in document.items
        for line in (item.decision or "").split("\n")
        if line.startswith("- ")
    ]
    joined = re.sub(r"\s+", " ", "\n".join(texts))
    for bullet in bullets[:3]:
        assert f"- {bullet[:30]}" in joined


def test_pdf_is_tagged_danish_titled_and_fonts_embedded(
    rendered: tuple[Document, RenderedPdf, list[str]],
) -> None:
    document, result, _ = rendered
    pdf = pdfium.PdfDocument(result.data)
    try:
        assert pdfium_c.FPDFCatalog_IsTagged(pdf.raw)
        size = pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, None, 0)
        buffer = (ctypes.c_ushort * (size // 2))()
        pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, buffer, size)
        assert bytes(buffer).decode("utf-16-le").rstrip("\x00") == "da"
        assert pdf.get_metadata_value("Title").startswith(f"Referat: {document.forum}")
        page = pdf[1]
        checked = 0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            assert pdfium_c.FPDFFont_GetIsEmbedded(font) == 1
            checked += 1
        assert checked > 0
    finally:
        pdf.close()


def test_text_contents_list_the_pdf_pages(
    rendered: tuple[Document, RenderedPdf, list[str]],
) -> None:
    document, result, _ = rendered
    text = render_text(document, page_numbers=result.item_pages)
    listed = [int(m[1]) for m in re.finditer(r"\.{5}\t(\d+)$", text, re.MULTILINE)]
    assert listed == list(result.item_pages)


def test_docx_has_headings_contents_field_language_and_pdf_pages() -> None:
    name = SEED_NAMES[1]
    document = seed_document(name)
    pages = seed_rendering(name).item_pages
    data = render_docx(document, audience="public", page_numbers=pages)
    word = docx.Document(io.BytesIO(data))
    styles = [(p.style.name if p.style else "", p.text) for p in word.paragraphs]
    items = [text for style, text in styles if style == "Heading 1"]
    assert items == [text for text in items if text.startswith("Punkt ")]
    assert len(items) == len(document.items)
    assert any(style == "Heading 2" and text == "Indstilling" for style, text in styles)
    toc = [text for style, text in styles if style == "toc 1"]
    assert [int(line.rsplit("\t", 1)[1]) for line in toc] == list(pages)
    assert "TOC \\o" in "".join(
        node.text or "" for node in word.element.body.iter() if node.tag.endswith("instrText")
    )
    assert word.core_properties.language == "da-DK"
    assert word.core_properties.title.startswith(f"Referat: {document.forum}")
    assert any(text == "Offentlig udgave" for _, text in styles)


def test_agenda_has_no_decisions_and_says_dagsorden() -> None:
    document = seed_document(SEED_NAMES[0])
    text = document_render(document=as_agenda(document), fmt="txt", audience="public").decode()
    assert text.lstrip().startswith("DAGSORDEN ")
    assert "\nBeslutning\n" not in text
    assert "Offentlig udgave" in text


def test_public_version_shows_a_closed_item_only_as_lukket_punkt() -> None:
    document = seed_document(SEED_NAMES[2])
    secret = document.items[1]
    closed = dataclasses.replace(
        document,
        items=(
            document.items[0],
            Item(number=secret.number, title="Lukket punkt", public=False),
            *document.items[2:],
        ),
    )
    data = document_render(document=closed, fmt="pdf", audience="public")
    texts = page_texts(data)
    joined = "\n".join(texts)
    assert f"Punkt {secret.number}: CF - Lukket punkt" in joined
    assert secret.title not in joined
    assert "Offentlig udgave" in texts[0]


@pytest.mark.django_db
def test_render_command_writes_each_format(tmp_path: Path) -> None:
    path = seed_path(SEED_NAMES[2])
    document_import(
        document=parse_path(path), source_name=path.name, sha512=sha512_hex(path.read_bytes())
    )
    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK\x03\x04"), ("txt", b"\n\nREFERAT ")):
        out = tmp_path / f"referat.{fmt}"
        call_command(
            "render",
            "--forum", "Chefforum", "--date", "2023-10-12",
            "--as", "minutes", "--format", fmt, "--internal", "-o", str(out),
        )  # fmt: skip
        assert out.read_bytes().startswith(magic)
    agenda = tmp_path / "dagsorden.txt"
    call_command(
        "render", "--forum", "CF", "--date", "2023-10-12", "--as", "agenda",
        "--format", "txt", "-o", str(agenda),
    )  # fmt: skip
    text = agenda.read_text(encoding="utf-8")
    assert "DAGSORDEN Chefforum" in text
    assert "Beslutning" not in text.split("Punkt 1:", 1)[1]


@pytest.mark.django_db
def test_render_command_unknown_meeting_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = seed_path(SEED_NAMES[2])
    document_import(
        document=parse_path(path), source_name=path.name, sha512=sha512_hex(path.read_bytes())
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "render", "--forum", "Chefforum", "--date", "2023-10-13", "--as", "minutes",
            "--format", "pdf", "-o", str(tmp_path / "x.pdf"),
        )  # fmt: skip
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") <= 1
    assert "no published meeting on 2023-10-13" in err
    assert not (tmp_path / "x.pdf").exists()

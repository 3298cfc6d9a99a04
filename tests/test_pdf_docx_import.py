"""Importing PDF and Word files: layout noise removed, then the text rules apply.

Besides our own files (see test_publish_roundtrip) the readers get files made elsewhere:
a PDF with running headers, page numbers, hyphenation and a paragraph broken by a page
break; a Word file with Word's own numbered list, a table and headings; broken and scanned
files, which must fail with a clear reason.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import docx
import pytest
import weasyprint
from django.core.management import call_command

from dagsorden.documents.contract import Document, Item, Recommendation
from dagsorden.importers.parsers import ParseError, parse_bytes, parse_path
from dagsorden.meetings.models import Meeting
from dagsorden.publishing.renderers.docx import render_docx
from dagsorden.publishing.renderers.pdf import render_pdf
from tests.conftest import SEED_NAMES
from tests.test_render import page_texts, seed_document, seed_rendering

LONG = (
    "Kommunens samlede økonomi er presset af stigende udgifter på det specialiserede område, "
    "og derfor skal der findes en langsigtet løsning, som både sikrer kvaliteten i "
    "kerneopgaverne og en robust budgetbalance i de kommende år, herunder gennem bedre "
    "styring, tættere opfølgning og en tydelig prioritering af ressourcerne. "
)
FOREIGN_CSS = """
@page { size: A5; margin: 22mm 15mm 20mm 15mm;
  @top-center { content: "Eksempel Kommune · Referat Økonomiudvalget"; font-size: 8pt; }
  @bottom-center { content: "Side " counter(page) " af " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans"; font-size: 10pt; line-height: 1.3; }
p { margin: 0 0 8pt; text-align: justify; hyphens: auto; }
h1, h2, h3 { font-size: 11pt; margin: 10pt 0 4pt; }
"""


def foreign_pdf() -> bytes:
    """A PDF made by someone else's template: headers, footers, long paragraphs."""
    body = f"""<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>x</title></head>
<body>
<h1>REFERAT Økonomiudvalget</h1>
<p>Mødedato Mandag d. 4. marts 2024 kl. 16:00</p>
<p>Mødested Byrådssalen</p>
<h2>Punkt 1: ØU - Budgetopfølgning</h2>
<p>00.30.10-Ø00-1-24</p>
<h3>Sagsfremstilling</h3>
<p>{LONG * 9}</p>
<h3>Indstilling</h3>
<p>Direktøren for Økonomi indstiller,</p>
<p>1. at orienteringen tages til efterretning.</p>
<h3>Beslutning</h3>
<p>Tiltrådt.</p>
</body></html>"""
    pdf = weasyprint.HTML(string=body).write_pdf(stylesheets=[weasyprint.CSS(string=FOREIGN_CSS)])
    assert pdf is not None
    return pdf


def test_foreign_pdf_without_headers_page_numbers_or_hyphenation() -> None:
    data = foreign_pdf()
    got = parse_bytes(data, source="foreign.pdf")
    assert (got.kind, got.forum, got.starts_at, got.location) == (
        "minutes",
        "Økonomiudvalget",
        "2024-03-04T16:00",
        "Byrådssalen",
    )
    (item,) = got.items
    assert item.title == "Budgetopfølgning"
    assert item.journal_number == "00.30.10-Ø00-1-24"
    presentation = item.presentation or ""
    # One paragraph again, over the page break, with the words hyphenated at line ends whole.
    assert presentation == (LONG * 9).strip()
    raw = "\n".join(page_texts(data))
    assert raw.count("Side ") >= 2  # it did run over pages with numbers
    assert any(line.rstrip().endswith(("-", "\u2010", "\x02")) for line in raw.split("\n"))
    assert "Side" not in presentation
    assert "Eksempel Kommune" not in presentation
    assert item.recommendation == Recommendation(
        proposer="Direktøren for Økonomi", points=("at orienteringen tages til efterretning.",)
    )
    assert item.decision == "Tiltrådt."


def test_scanned_pdf_says_it_has_no_text_layer() -> None:
    image = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    html = f'<html><body><img src="{image}" style="width:150mm;height:200mm"></body></html>'
    data = weasyprint.HTML(string=html).write_pdf()
    assert data is not None
    with pytest.raises(ParseError) as error:
        parse_bytes(data, source="scan.pdf")
    message = str(error.value)
    assert "scan.pdf" in message
    assert "scanned" in message
    assert "text layer" in message


def test_broken_pdf_is_a_clear_error() -> None:
    data = seed_rendering(SEED_NAMES[0]).data
    with pytest.raises(ParseError, match="not a readable PDF"):
        parse_bytes(data[: len(data) // 3], source="cut.pdf")


def test_zip_that_is_not_word_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    with pytest.raises(ParseError, match="not a Word"):
        parse_bytes(buffer.getvalue(), source="notes.odt")


def word_file() -> bytes:
    """A minutes file as a secretary writes it in Word: headings, a numbered list, a table."""
    word = docx.Document()
    word.add_paragraph("REFERAT Chefforum d. 12-10-2023", style="Title")
    word.add_paragraph("Mødedato Torsdag d. 12. oktober 2023 kl. 09:00")
    word.add_paragraph("Mødested 915")
    word.add_heading("Punkt 1: CF - Budget 2024 v. Anne og Bo (10:00-10:30)", level=1)
    word.add_paragraph("00.01.00-P35-7-22")
    word.add_heading("Sagsfremstilling", level=2)
    word.add_paragraph("Nøgletal:")
    table = word.add_table(rows=2, cols=3)
    for row, values in zip(
        table.rows, (("Område", "2023", "2024"), ("Skole", "10", "12")), strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    word.add_heading("Indstilling", level=2)
    word.add_paragraph("Kommunaldirektøren indstiller,")
    word.add_paragraph("at budgettet godkendes.", style="List Number")
    word.add_paragraph("at punktet genoptages i november.", style="List Number")
    word.add_heading("Beslutning", level=2)
    word.add_paragraph("Godkendt.")
    word.add_paragraph("")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_word_file_from_elsewhere() -> None:
    got = parse_bytes(word_file(), source="referat.docx")
    assert (got.kind, got.forum, got.starts_at, got.location) == (
        "minutes",
        "Chefforum",
        "2023-10-12T09:00",
        "915",
    )
    (item,) = got.items
    assert item.title == "Budget 2024"
    assert item.presenters == ("Anne", "Bo")
    assert item.time_slot is not None and item.time_slot.minutes == 30
    assert item.presentation == "Nøgletal:\n\nOmråde\t2023\t2024\nSkole\t10\t12"
    assert item.recommendation == Recommendation(
        proposer="Kommunaldirektøren",
        points=("at budgettet godkendes.", "at punktet genoptages i november."),
    )
    assert item.decision == "Godkendt."


def test_word_file_without_text_is_a_clear_error() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(ParseError, match="no text"):
        parse_bytes(buffer.getvalue(), source="blank.docx")


def test_parse_path_reads_pdf_and_docx(tmp_path: Path) -> None:
    document = seed_document(SEED_NAMES[2])
    pdf = tmp_path / "referat.pdf"
    pdf.write_bytes(seed_rendering(SEED_NAMES[2]).data)
    word = tmp_path / "referat.docx"
    word.write_bytes(render_docx(document, audience="internal"))
    assert parse_path(pdf) == document
    assert parse_path(word) == document


@pytest.mark.django_db
def test_import_command_takes_pdf_and_docx_from_a_directory(tmp_path: Path) -> None:
    first, second = seed_document(SEED_NAMES[0]), seed_document(SEED_NAMES[1])
    (tmp_path / "a.pdf").write_bytes(seed_rendering(SEED_NAMES[0]).data)
    (tmp_path / "b.docx").write_bytes(render_docx(second, audience="internal"))
    (tmp_path / "notes.odt").write_bytes(b"ignored: not a document suffix")
    call_command("import", str(tmp_path))
    starts = sorted(m.starts_at.date().isoformat() for m in Meeting.objects.all())
    assert starts == sorted([first.starts_at[:10], second.starts_at[:10]])


def test_closed_item_marker_survives_word(tmp_path: Path) -> None:
    document = Document(
        kind="agenda",
        forum="Direktørforum",
        starts_at="2024-02-01T08:30",
        location=None,
        items=(
            Item(number=1, title="Personalesag", journal_number="81.03.00-G01-1-24",
                 occasion="Fortroligt.", public=False),
            Item(number=2, title="Eventuelt"),
        ),
    )  # fmt: skip
    assert parse_bytes(render_docx(document, audience="internal"), source="d.docx") == document


KNOWN_DIFFERENCES = [
    # (text, as the PDF reads it back, as the DOCX reads it back)
    ("Tekst:\n    indrykket linje", "Tekst:\nindrykket linje", "Tekst:\nindrykket linje"),
    ("To  mellemrum her.", "To mellemrum her.", "To  mellemrum her."),
    ("Tabel\nA\t\tC\nD\tE\tF", "Tabel\nA\t\tC\nD\tE\tF", "Tabel\nA\t\tC\nD\tE\tF"),
    ("En række\nA\t\tC", "En række\nA\tC", "En række\nA\t\tC"),
    ("kl.\u00a010", "kl. 10", "kl. 10"),
]


def test_known_differences() -> None:
    """The differences docs/contract-notes.md names; if one goes away, update the notes.

    Each text is set as the Anledning of a seed's items, in a realistic document.
    """
    seed = seed_document(SEED_NAMES[1])
    items = list(seed.items)
    for index, (text, _, _) in enumerate(KNOWN_DIFFERENCES, start=1):
        items[index] = dataclasses.replace(items[index], occasion=text)
    document = dataclasses.replace(seed, items=tuple(items))
    pdf = parse_bytes(render_pdf(document, audience="internal").data, source="n.pdf")
    word = parse_bytes(render_docx(document, audience="internal"), source="n.docx")
    for index, (_, through_pdf, through_docx) in enumerate(KNOWN_DIFFERENCES, start=1):
        assert pdf.items[index].occasion == through_pdf
        assert word.items[index].occasion == through_docx
    untouched = [i for i in range(len(items)) if not 1 <= i <= len(KNOWN_DIFFERENCES)]
    assert all(pdf.items[i] == document.items[i] for i in untouched)


def test_tiny_pdf_keeps_lines_and_paragraphs() -> None:
    """Too little text to measure the layout from: our PDFs are read with print.css's."""
    document = Document(
        kind="minutes",
        forum="Chefforum",
        starts_at="2024-01-04T09:00",
        location="915",
        items=(Item(number=1, title="Test", presentation="Intro\n- a\n- b\n\nTabel\nA\tB"),),
    )
    assert parse_bytes(render_pdf(document, audience="internal").data, source="t.pdf") == document

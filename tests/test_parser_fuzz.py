"""The readers under fire: mutated seeds as text, PDF and Word, and hostile files.

A fixed budget (hypothesis, derandomized, a set number of examples per format): the seeds are
mutated (bits flipped, cut short, pieces repeated or dropped, control characters and headings
and huge numbers put in) as text, as the PDF and Word files ``publishing`` renders, and as PDF
and Word files built from the mutated text. Whatever comes in, only a ``ParseError`` may come
out, nothing may take a second, and every document a reader accepts is stored by
``document_import`` (or refused by it with a clear message) on the database the suite runs on.
"""

from __future__ import annotations

import functools
import io
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagsorden.core.errors import ApplicationError
from dagsorden.importers.parsers import ParseError, parse_bytes, parse_path
from dagsorden.importers.parsers.limits import MB
from dagsorden.importers.services import document_import, sha512_hex
from dagsorden.publishing.renderers.docx import render_docx
from tests import hostile_files as hostile
from tests.conftest import SEED_NAMES, seed_path
from tests.test_render import seed_document, seed_rendering

SECOND = 1.0
EXAMPLES = {"text": 250, "pdf": 30, "pdf text": 30, "docx": 30, "docx xml": 50}
INSERTS = (
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\r",
    "\t",
    "\nPunkt 3000000000: Budget\n",
    "\nPunkt 1: \n",
    "\nBeslutning\n",
    "\nIndstilling\nKommunaldirektøren indstiller,\n1. at ",
    "\nREFERAT Økonomiudvalget d. 31-02-2023\n",
    "\nMødedato Torsdag d. 31. februar 2023 kl. 25:61\n",
    "\nSagstype: Beretning\n",
    "\nLukket punkt\n",
    "\n00.01.00-P35-999999-99\n",
    " (99:99-00:00)",
    " (0 min.)",
    " v. ",
    " (Bente deltager)",
    "\n(45 min.)",
    "\n" + "x " * 3000,
    "\n" + "T" * 700 + "\n",
    ".....\t3",
)
HUGE_NUMBERS = ("3000000000", "9" * 40, "0", "-1", "٣", "²")

MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 7)),
    st.tuples(st.just("truncate"), st.floats(0.05, 1)),
    st.tuples(st.just("duplicate"), st.floats(0, 1), st.floats(0, 1), st.integers(1, 2000)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 500)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(INSERTS)),
    st.tuples(st.just("number"), st.floats(0, 1), st.sampled_from(HUGE_NUMBERS)),
)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=6)
FUZZ = settings(
    derandomize=True,
    deadline=None,  # timed below, per example, with the reader's own clock
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def mutate(data: bytes, mutations: list[tuple[Any, ...]]) -> bytes:
    out = bytearray(data)
    for kind, where, *rest in mutations:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[at] ^= 1 << rest[0]
        elif kind == "truncate":
            del out[max(at, 1) :]
        elif kind == "duplicate":
            start = min(int(rest[0] * len(out)), len(out))
            out[at:at] = out[start : start + rest[1]]
        elif kind == "delete":
            del out[at : at + rest[0]]
        elif kind == "insert":
            out[at:at] = rest[0].encode("utf-8", "surrogatepass")
        elif kind == "number":
            start = next((i for i in range(at, len(out)) if 48 <= out[i] <= 57), None)
            if start is not None:
                end = start
                while end < len(out) and 48 <= out[end] <= 57:
                    end += 1
                out[start:end] = rest[0].encode()
    return bytes(out)


def read_and_store(data: bytes, source: str) -> None:
    """Parse (only ParseError may come out) and store what parses, both within a second."""
    started = time.monotonic()
    try:
        document = parse_bytes(data, source=source)
    except ParseError as error:
        assert "\n" not in str(error)
        document = None
    if document is not None:
        try:
            with transaction.atomic():  # each example on a clean archive
                document_import(document=document, source_name=source, sha512=sha512_hex(data))
                transaction.set_rollback(True)
        except ApplicationError as refused:  # a value that does not fit, said clearly
            assert "\n" not in str(refused)
    took = time.monotonic() - started
    assert took < SECOND, f"{source}: {took:.2f} s"


def seed_bytes(name: str) -> bytes:
    return seed_path(name).read_bytes()


@pytest.mark.django_db
@settings(FUZZ, max_examples=EXAMPLES["text"])
@given(seed=st.sampled_from(SEED_NAMES), mutations=MUTATIONS)
def test_mutated_text(seed: str, mutations: list[tuple[Any, ...]]) -> None:
    read_and_store(mutate(seed_bytes(seed), mutations), "fuzz.txt")


@pytest.mark.django_db
@settings(FUZZ, max_examples=EXAMPLES["pdf"])
@given(seed=st.sampled_from(SEED_NAMES), mutations=MUTATIONS)
def test_mutated_pdf(seed: str, mutations: list[tuple[Any, ...]]) -> None:
    read_and_store(mutate(seed_rendering(seed).data, mutations), "fuzz.pdf")


@pytest.mark.django_db
@settings(FUZZ, max_examples=EXAMPLES["pdf text"])
@given(seed=st.sampled_from(SEED_NAMES), mutations=MUTATIONS)
def test_pdf_of_mutated_text(seed: str, mutations: list[tuple[Any, ...]]) -> None:
    """The mutated text laid out as a PDF (50 lines a page), so that what a PDF holds goes
    through the layout reading and the text rules."""
    text = mutate(seed_bytes(seed), mutations).decode("utf-8", "replace")
    lines = text.split("\n")
    pages = [hostile.text_lines(lines[i : i + 50]) for i in range(0, len(lines), 50)]
    read_and_store(hostile.pdf_pages(pages or [b""]), "fuzz-text.pdf")


@functools.cache
def rendered_docx(seed: str) -> bytes:
    return render_docx(seed_document(seed), audience="internal")


@pytest.mark.django_db
@settings(FUZZ, max_examples=EXAMPLES["docx"])
@given(seed=st.sampled_from(SEED_NAMES), mutations=MUTATIONS)
def test_mutated_docx(seed: str, mutations: list[tuple[Any, ...]]) -> None:
    read_and_store(mutate(rendered_docx(seed), mutations), "fuzz.docx")


@pytest.mark.django_db
@settings(FUZZ, max_examples=EXAMPLES["docx xml"])
@given(seed=st.sampled_from(SEED_NAMES), mutations=MUTATIONS)
def test_docx_with_mutated_xml(seed: str, mutations: list[tuple[Any, ...]]) -> None:
    """The Word file's main part mutated (text, tags and attributes), the package intact."""
    source = zipfile.ZipFile(io.BytesIO(rendered_docx(seed)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = mutate(data, mutations)
            package.writestr(member, data)
    read_and_store(buffer.getvalue(), "fuzz-xml.docx")


# --- Hostile files, with the limits this installation runs with


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


HOSTILE: dict[str, Callable[[Path], Path | bytes]] = {
    "zip bomb": lambda _: hostile.zip_bomb_docx(128),
    "flate bomb": lambda _: hostile.flate_bomb_pdf(128),
    "flate bomb, two layers": lambda _: hostile.flate_bomb_pdf(128, layers=2),
    "dense-text PDF": lambda _: hostile.dense_text_pdf(35_000),
    "damaged PDF page": lambda _: hostile.damaged_page_pdf(),
    "200 MB of text": lambda tmp: _sparse(tmp / "huge.txt", 200 * MB),
    "FIFO": lambda tmp: _fifo(tmp / "referat.txt"),
    "/dev/zero": lambda _: Path("/dev/zero"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_files_are_refused_within_a_second(kind: str, tmp_path: Path) -> None:
    made = HOSTILE[kind](tmp_path)
    started = time.monotonic()
    with pytest.raises(ParseError) as refused:
        if isinstance(made, Path):
            parse_path(made)
        else:
            parse_bytes(made, source=kind)
    took = time.monotonic() - started
    assert took < SECOND, f"{kind}: {took:.2f} s"
    assert "\n" not in str(refused.value)

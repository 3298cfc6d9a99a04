"""Imports that do not trust their input: every reader stays within its limits, every failure
is a ParseError with a one-line reason naming the limit, and one bad file never stops a batch.

(issue 9, defects 8, 9 and 11.) Hostile files are built in memory (``hostile_files``); the
big ones are sparse files or Flate streams of zeros, so nothing large is written or kept.
"""

from __future__ import annotations

import importlib
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from dagsorden.importers.limits import import_limits
from dagsorden.importers.parsers import Limits, ParseError, parse_bytes, parse_path
from dagsorden.importers.parsers.isolation import ReaderFailure, run_isolated
from dagsorden.importers.parsers.limits import MB, Deadline
from dagsorden.importers.parsers.text import parse_text
from dagsorden.meetings.models import AgendaItem, Meeting
from tests import hostile_files as hostile
from tests.conftest import SEED_NAMES, seed_path
from tests.test_cli import run

MINUTES_HEAD = ["REFERAT Chefforum", "Mødedato Torsdag d. 14. september 2023 kl. 09:00"]
IMPORT_COMMAND = importlib.import_module("dagsorden.importers.management.commands.import")


def limit_error(call: Callable[[], object], name: str) -> ParseError:
    """The ParseError ``call`` raises, which must name the limit ``name``."""
    with pytest.raises(ParseError) as caught:
        call()
    assert f"(limit: DAGSORDEN_IMPORT_LIMITS[{name!r}])" in str(caught.value), caught.value
    assert "\n" not in str(caught.value)
    return caught.value


def within(seconds: int, call: Callable[[], Any]) -> Any:
    """``call()``, failing (not hanging) when it takes longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        return call()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- Defect 8: a damaged file is a ParseError, and a batch goes on


def test_a_damaged_pdf_page_is_a_parse_error() -> None:
    data = hostile.damaged_page_pdf()
    assert len(data) <= 175
    with pytest.raises(ParseError, match=r"^bad\.pdf: page 1 is damaged and cannot be read$"):
        parse_bytes(data, source="bad.pdf")


@pytest.mark.django_db
def test_a_batch_import_reports_a_damaged_pdf_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in SEED_NAMES:
        (tmp_path / name).write_bytes(seed_path(name).read_bytes())
    (tmp_path / "0-damaged.pdf").write_bytes(hostile.damaged_page_pdf())
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(tmp_path))
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert "4 files: 3 imported, 0 updated, 0 unchanged, 1 failed." in out
    assert err.strip().splitlines() == [
        f"failed: {tmp_path / '0-damaged.pdf'}: page 1 is damaged and cannot be read"
    ]
    assert Meeting.objects.count() == 3


@pytest.mark.django_db
def test_an_unexpected_error_fails_one_document_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader's or the database's own failure on one file: that file fails, with a
    one-line reason, the others are imported, the summary comes, the exit status is 1."""
    for name in SEED_NAMES:
        (tmp_path / name).write_bytes(seed_path(name).read_bytes())
    real_parse, real_import = IMPORT_COMMAND.parse_bytes, IMPORT_COMMAND.document_import

    def parse(data: bytes, *, source: str, limits: Limits) -> Any:
        if source.endswith(SEED_NAMES[0]):
            raise KeyError("a reader's bug\nover two lines")
        return real_parse(data, source=source, limits=limits)

    def store(**kwargs: Any) -> Any:
        if kwargs["source_name"] == SEED_NAMES[1]:
            raise RuntimeError("disk full")
        return real_import(**kwargs)

    monkeypatch.setattr(IMPORT_COMMAND, "parse_bytes", parse)
    monkeypatch.setattr(IMPORT_COMMAND, "document_import", store)
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(tmp_path))
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert "3 files: 1 imported, 0 updated, 0 unchanged, 2 failed." in out
    assert err.strip().splitlines() == [
        f"failed: {tmp_path / SEED_NAMES[0]}: cannot be read "
        '(KeyError: "a reader\'s bug\\nover two lines")',
        f"failed: {tmp_path / SEED_NAMES[1]}: not imported (RuntimeError: disk full)",
    ]
    assert Meeting.objects.count() == 1


# --- Defect 9: limits on size, pages, objects, text, unpacked bytes, memory and time


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """200 MB of "text" (a sparse file: nothing is written) is refused by its size."""
    big = tmp_path / "huge.txt"
    with big.open("wb") as file:
        file.truncate(200 * MB)
    error = within(5, lambda: limit_error(lambda: parse_path(big), "file_bytes"))
    assert str(error) == (
        f"{big}: larger than 50 MB (limit: DAGSORDEN_IMPORT_LIMITS['file_bytes'])"
    )
    small = Limits(file_bytes=100)
    limit_error(lambda: parse_bytes(b"x" * 101, source="x.txt", limits=small), "file_bytes")


@pytest.mark.parametrize("kind", ["fifo", "device", "link to a device"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    """A FIFO or /dev/zero would block or never end: refused before anything is read."""
    path = tmp_path / "referat.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(ParseError, match="not a regular file"):
        within(5, lambda: parse_path(path))


@pytest.mark.django_db
def test_a_fifo_in_an_imported_directory_is_reported_not_waited_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / SEED_NAMES[0]).write_bytes(seed_path(SEED_NAMES[0]).read_bytes())
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(SystemExit):
        within(60, lambda: call_command("import", str(tmp_path)))
    out, err = capsys.readouterr()
    assert "2 files: 1 imported, 0 updated, 0 unchanged, 1 failed." in out
    assert "pipe.txt: not a regular file" in err


def test_a_pdf_with_too_many_pages_is_refused() -> None:
    data = hostile.pdf_pages([hostile.text_lines(["x"])] * 3)
    error = limit_error(lambda: parse_bytes(data, source="p.pdf", limits=Limits(pages=2)), "pages")
    assert str(error) == "p.pdf: more than 2 pages (limit: DAGSORDEN_IMPORT_LIMITS['pages'])"


def test_a_dense_text_pdf_is_read_in_linear_time() -> None:
    """2 KB, 35,000 text objects on one page: pdfium's per-object text search made this
    quadratic (minutes); one pass over the characters reads it in well under a second."""
    data = hostile.dense_text_pdf(35_000)
    assert len(data) <= 2200
    started = time.monotonic()
    with pytest.raises(ParseError, match="not an agenda or minutes"):
        parse_bytes(data, source="dense.pdf", limits=Limits(page_objects=50_000))
    assert time.monotonic() - started < 8


def test_a_page_with_too_many_objects_is_refused_before_its_text_is_read() -> None:
    data = hostile.dense_text_pdf(100_000)
    error = within(
        10, lambda: limit_error(lambda: parse_bytes(data, source="d.pdf"), "page_objects")
    )
    assert "page 1 draws more than 20,000 objects" in str(error)


def test_nested_forms_stop_at_the_memory_ceiling() -> None:
    """About 1.5 KB: a form drawn 30 times, drawing one drawn 30 times, ... 24 million text
    objects, built by pdfium as it loads the page; the reader's child process stops at its
    memory ceiling instead of taking the machine's memory."""
    data = hostile.nested_forms_pdf(4)
    assert len(data) < 2000
    limits = Limits(memory_bytes=256 * MB)
    error = within(
        60,
        lambda: limit_error(
            lambda: parse_bytes(data, source="f.pdf", limits=limits), "memory_bytes"
        ),
    )
    assert "256 MB" in str(error)


@pytest.mark.parametrize("layers", [1, 2])
def test_a_flate_bomb_is_refused_before_pdfium_unpacks_it(layers: int) -> None:
    """128 MB of zeros in 130 KB (one layer) or 1 KB (Flate inside Flate)."""
    data = hostile.flate_bomb_pdf(128, layers=layers)
    error = within(
        30, lambda: limit_error(lambda: parse_bytes(data, source="b.pdf"), "unpacked_bytes")
    )
    assert "streams unpack to more than 100 MB" in str(error)


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    data = hostile.zip_bomb_docx(24)
    limits = Limits(unpacked_bytes=16 * MB)
    error = within(
        30,
        lambda: limit_error(
            lambda: parse_bytes(data, source="z.docx", limits=limits), "unpacked_bytes"
        ),
    )
    assert "its parts unpack to more than 16 MB" in str(error)


def test_a_zip_that_lies_about_its_sizes_is_not_unpacked_past_them() -> None:
    data = hostile.lying_zip_docx(24, declared=1000)
    with pytest.raises(ParseError, match="not a readable Word document"):
        within(30, lambda: parse_bytes(data, source="z.docx"))


def test_too_much_text_is_refused() -> None:
    text = "\n".join([*MINUTES_HEAD, "Punkt 1: Test", "Beslutning", "x" * 2000])
    limits = Limits(characters=1000)
    error = limit_error(lambda: parse_text(text, source="t.txt", limits=limits), "characters")
    assert "more than 1,000 characters of text" in str(error)
    word = hostile.word_file([*MINUTES_HEAD, "Punkt 1: Test", "Beslutning", "x" * 2000])
    limit_error(lambda: parse_bytes(word, source="t.docx", limits=limits), "characters")


def test_reading_stops_at_the_deadline() -> None:
    text = "\n".join([*MINUTES_HEAD, *(["Punkt 1: Test", "Beslutning", "ok"] * 20_000)])
    limits = Limits(seconds=0.001)
    error = limit_error(lambda: parse_text(text, source="t.txt", limits=limits), "seconds")
    assert "took more than 0.001 s to read" in str(error)


def _sleep_long() -> str:
    time.sleep(60)
    return "never"


def _abort() -> str:
    os.abort()


def _allocate() -> str:
    return str(len(bytearray(512 * MB)))


def _fail() -> str:
    raise ValueError("a bug")


def _read() -> str:
    return "read"


def _isolated(read: Callable[[], str], limits: Limits) -> str:
    return run_isolated(
        read, source="x.pdf", limits=limits, deadline=Deadline(limits, "x.pdf"), reader="PDF"
    )


def test_the_reader_process_is_killed_at_the_deadline() -> None:
    limits = Limits(seconds=0.5)
    started = time.monotonic()
    limit_error(lambda: _isolated(_sleep_long, limits), "seconds")
    assert time.monotonic() - started < 5


def test_a_crashing_or_starving_reader_is_a_parse_error() -> None:
    error = limit_error(lambda: _isolated(_abort, Limits()), "memory_bytes")
    assert "the PDF reader stopped on this file (SIGABRT)" in str(error)
    error = limit_error(lambda: _isolated(_allocate, Limits(memory_bytes=64 * MB)), "memory_bytes")
    assert str(error).startswith("x.pdf: needs more than 64 MB to read")
    assert _isolated(_read, Limits()) == "read"
    with pytest.raises(ReaderFailure, match="ValueError: a bug"):
        _isolated(_fail, Limits())


def test_limits_come_from_the_settings_and_the_command_line(tmp_path: Path) -> None:
    assert import_limits() == Limits()
    with override_settings(DAGSORDEN_IMPORT_LIMITS={"pages": 7, "seconds": 2.5}):
        assert import_limits({"pages": "9"}) == Limits(pages=9, seconds=2.5)
    for wrong in ({"page": 7}, {"pages": 0}, {"pages": "many"}, {"pages": 1.5}):
        with override_settings(DAGSORDEN_IMPORT_LIMITS=wrong), pytest.raises(ImproperlyConfigured):
            import_limits()
    text = tmp_path / "referat.txt"
    text.write_text("\n".join([*MINUTES_HEAD, "Punkt 1: Test", "Beslutning", "x" * 200]))
    result = run("parse", "--limit", "characters=100", str(text))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "characters" in result.stderr
    assert run("parse", "--limit", "characters=1000", str(text)).returncode == 0
    result = run("parse", "--limit", "bogus=1", str(text))
    assert result.returncode == 2 and "unknown import limit 'bogus'" in result.stderr


# --- Linear reading: no pattern tries every position of a long run


def test_long_runs_of_white_space_parse_in_linear_time() -> None:
    """Half a million spaces inside the forum line, a title, a case type and the recommender
    line: each pattern that began with white space (or a lazy group before it) took hours;
    the document still reads as it did."""
    gap = " " * 500_000
    text = "\n".join(
        [
            f"REFERAT Chefforum{gap}x d. 14-09-2023",
            "Mødedato Torsdag d. 14. september 2023 kl. 09:00",
            "Indholdsfortegnelse",
            f"CF - Budget{gap}x" + ". " * 100_000 + "3",
            f"Punkt 1: CF - Budget{gap}x v. Anne{gap}og Bo (Eva{gap}deltager) (10:00{gap}- 11:00)",
            "Sagstype: " + "Beslutning" + gap,
            "Indstilling",
            f"Kommunaldirektøren{gap}x indstiller{gap}at budgettet godkendes.",
            "Beslutning",
            "Godkendt.",
        ]
    )
    started = time.monotonic()
    document = parse_text(text, source="long.txt")
    assert time.monotonic() - started < 10
    assert document.forum == f"Chefforum{gap}x"
    (item,) = document.items
    assert item.title == f"Budget{gap}x"
    assert item.presenters == ("Anne", "Bo") and item.guests == ("Eva",)
    assert item.time_slot is not None and (item.time_slot.start, item.time_slot.end) == (
        "10:00",
        "11:00",
    )
    assert item.case_type == "Beslutning"
    assert item.recommendation is not None
    assert item.recommendation.proposer == f"Kommunaldirektøren{gap}x"
    assert item.recommendation.points == ("at budgettet godkendes.",)


def test_a_huge_item_number_is_a_parse_error_not_a_crash() -> None:
    text = "\n".join([*MINUTES_HEAD, "Punkt " + "9" * 5000 + ": Test", "Beslutning", "ok"])
    with pytest.raises(ParseError, match="is too large"):
        parse_text(text, source="n.txt")


# --- Defect 11 (import side): control characters never leave a parser


def test_control_characters_are_cleaned_in_text() -> None:
    """Word's Shift+Enter (U+000B) becomes a line break; NUL past the first 8 KB (the binary
    probe), escape and the like go."""
    text = "\n".join(
        [*MINUTES_HEAD, "Punkt 1: Bud\x1bget", "Beslutning", "Ad 1: Godkendt\x0bAd 2: Udsat"]
    )
    data = (text + "\n" + " " * 9000 + "\x00\n").encode()
    (item,) = parse_bytes(data, source="t.txt").items
    assert item.title == "Budget"
    assert item.decision == "Ad 1: Godkendt\nAd 2: Udsat"


def test_control_characters_are_cleaned_in_pdf() -> None:
    data = hostile.pdf_pages(
        [
            hostile.text_lines(
                [
                    *MINUTES_HEAD,
                    "Punkt 1: Bud\x1bget",
                    "Beslutning",
                    "Godkendt\x0bog sendt\x00 videre",
                ]
            )
        ]
    )
    (item,) = parse_bytes(data, source="t.pdf").items
    assert item.title == "Budget"
    assert item.decision is not None
    assert not any(ord(c) < 32 and c != "\n" for c in item.decision)
    assert "Godkendt" in item.decision and "videre" in item.decision


@pytest.mark.django_db
def test_imported_rows_hold_no_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "referat.txt"
    path.write_text(
        "\n".join([*MINUTES_HEAD, "Punkt 1: Budget", "Beslutning", "Godkendt\x0bAd 2: ok\x07"])
    )
    call_command("import", str(path))
    assert AgendaItem.objects.get().decision == "Godkendt\nAd 2: ok"


@pytest.mark.django_db
def test_a_large_batch_reads_pdf_and_word_in_the_read_ahead_worker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The read-ahead worker (a fork of the import) starts its own reader process rather
    than talking to its parent's."""
    from dagsorden.demo.generator import generate_documents
    from dagsorden.publishing.renderers.docx import render_docx
    from dagsorden.publishing.renderers.txt import render_text

    documents = generate_documents(meetings=IMPORT_COMMAND.PARSE_AHEAD_FROM + 2, seed=3)
    for index, document in enumerate(documents[:-2]):
        (tmp_path / f"{index:03d}.txt").write_text(render_text(document), encoding="utf-8")
    (tmp_path / "900.docx").write_bytes(render_docx(documents[-2], audience="internal"))
    last = documents[-1]
    lines = render_text(last).split("\n")
    (tmp_path / "901.pdf").write_bytes(
        hostile.pdf_pages([hostile.text_lines(lines[i : i + 40]) for i in range(0, len(lines), 40)])
    )
    (tmp_path / "902.pdf").write_bytes(hostile.damaged_page_pdf())
    with pytest.raises(SystemExit):
        call_command("import", str(tmp_path))
    out, err = capsys.readouterr()
    total = len(documents) + 1
    assert f"{total} files: {len(documents)} imported, 0 updated, 0 unchanged, 1 failed." in out
    assert "902.pdf: page 1 is damaged" in err


def test_a_folder_that_cannot_be_searched_is_reported_and_links_are_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path)  # followed, it would list a.txt without end
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.PDF").write_text("x")
    (tmp_path / "sub" / ".hidden.txt").write_text("x")
    (tmp_path / "sub" / "notes.odt").write_text("x")
    files, problems = IMPORT_COMMAND.collect_files([tmp_path])
    assert (files, problems) == ([tmp_path / "a.txt", tmp_path / "sub" / "b.PDF"], [])

    def walk(top: Path, onerror: Callable[[OSError], None]) -> list[Any]:
        onerror(PermissionError(13, "Permission denied", str(top / "closed")))
        return []

    monkeypatch.setattr(IMPORT_COMMAND.os, "walk", walk)
    assert IMPORT_COMMAND.collect_files([tmp_path]) == (
        [],
        [f"{tmp_path / 'closed'}: cannot be searched: Permission denied"],
    )

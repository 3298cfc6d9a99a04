"""Every imported value is checked against what its column holds before anything is written.

(issue 9, defect 10.) Before, a title longer than its column, ``Punkt 3000000000`` or a NUL
byte past the binary probe reached the database: PostgreSQL raised ``DataError``, SQLite
``OverflowError`` or stored it as it was, and the batch import stopped. CI runs this file on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command

from dagsorden.cases.models import Case
from dagsorden.documents.contract import Document, Item, Recommendation, TimeSlot
from dagsorden.importers.parsers import parse_bytes, parse_path
from dagsorden.importers.services import DocumentRejected, document_import
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting, Organization
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

LARGEST = 2_147_483_647  # a PositiveIntegerField on every database
HEAD = "REFERAT Chefforum\nMødedato Torsdag d. 14. september 2023 kl. 09:00\n"


def seed_document() -> Document:
    return parse_path(seed_path(SEED_NAMES[1]))


def with_item(document: Document, **changes: object) -> Document:
    return replace(document, items=(replace(document.items[0], **changes), *document.items[1:]))


def nothing_written() -> bool:
    return not (
        Meeting.all_objects.exists()
        or AgendaItem.all_objects.exists()
        or Organization.all_objects.exists()
        or Case.all_objects.exists()
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: with_item(d, title="T" * 501),
            "item 1: the title is 501 characters long; at most 500 fit",
        ),
        (
            lambda d: with_item(d, number=3_000_000_000),
            "item 1 (in document order): the number 3000000000 is not a whole number from 0 "
            "to 2,147,483,647",
        ),
        (
            lambda d: with_item(d, number=-1),
            "item 1 (in document order): the number -1 is not a whole number",
        ),
        (
            lambda d: with_item(d, time_slot=TimeSlot(minutes=10**12)),
            "item 1: the duration 1000000000000 is not a whole number",
        ),
        (
            lambda d: with_item(d, attachments=("B" * 501,)),
            "item 1: the attachment 'BBBB",
        ),
        (
            lambda d: with_item(d, recommendation=Recommendation(proposer="P" * 301)),
            "item 1: the recommender is 301 characters long; at most 300 fit",
        ),
        (
            lambda d: with_item(d, decision="Godkendt\x00"),
            "item 1: the decision (Beslutning) holds control characters",
        ),
        (
            lambda d: with_item(d, presenters=("Anne\x0bBo",)),
            "item 1: the name 'Anne\\x0bBo' holds control characters",
        ),
        (
            lambda d: with_item(d, journal_number="00.01.00-P35-9-22-" + "9" * 40),
            "is not a journal number",
        ),
        (lambda d: replace(d, forum="F" * 201), "the forum name is 201 characters long"),
        (lambda d: replace(d, prefix="ABCDEFGHIJK"), "the forum prefix is 11 characters long"),
        (lambda d: replace(d, location="L" * 201), "the venue (Mødested) is 201 characters"),
        (lambda d: replace(d, starts_at="0001-01-01T00:30"), "starts_at '0001-01-01T00:30'"),
        (lambda d: replace(d, kind="protocol"), "kind 'protocol' is neither"),
    ],
)
def test_a_value_the_database_cannot_hold_is_refused_before_any_write(
    change: object, message: str
) -> None:
    document = change(seed_document())  # type: ignore[operator]
    with pytest.raises(DocumentRejected) as refused:
        document_import(document=document, source_name="x.txt", sha512="a" * 128)
    assert message in str(refused.value)
    assert nothing_written()


def test_every_problem_is_named_at_once() -> None:
    document = seed_document()
    items = tuple(replace(item, title="T" * 600) for item in document.items)
    with pytest.raises(DocumentRejected) as refused:
        document_import(document=replace(document, items=items), source_name="x", sha512="a")
    text = str(refused.value)
    assert text.count("characters long") == 5 and text.endswith("and 2 more")
    assert text.startswith("item 1: the title is 600 characters long; at most 500 fit; item 2:")
    assert "\n" not in text


def test_values_at_the_limits_are_stored() -> None:
    document = with_item(
        seed_document(),
        number=LARGEST,
        title="T" * 500,
        attachments=("B" * 500,),
        time_slot=TimeSlot(start="09:00", end="09:45", minutes=LARGEST),
    )
    document_import(document=replace(document, forum="F" * 200), source_name="x", sha512="a")
    item = AgendaItem.objects.get(number=LARGEST)
    assert (len(item.title), item.duration_minutes) == (500, LARGEST)
    assert Attachment.objects.get(item=item).name == "B" * 500


def test_a_batch_with_unstorable_documents_reports_them_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in SEED_NAMES:
        (tmp_path / name).write_bytes(seed_path(name).read_bytes())
    (tmp_path / "a-number.txt").write_text(
        HEAD.replace("14.", "15.") + "Punkt 3000000000: Budget\nBeslutning\nGodkendt.\n"
    )
    (tmp_path / "b-title.txt").write_text(
        HEAD.replace("14.", "16.") + f"Punkt 1: {'Langt ' * 120}\nBeslutning\nGodkendt.\n"
    )
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(tmp_path))
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert "5 files: 3 imported, 0 updated, 0 unchanged, 2 failed." in out
    assert err.strip().splitlines() == [
        f"failed: {tmp_path / 'a-number.txt'}: item 1 (in document order): the number "
        "3000000000 is not a whole number from 0 to 2,147,483,647",
        f"failed: {tmp_path / 'b-title.txt'}: item 1: the title is 719 characters long; "
        "at most 500 fit",
    ]
    assert Meeting.objects.count() == 3


def test_a_nul_byte_past_the_binary_probe_is_not_stored() -> None:
    data = (HEAD + "Punkt 1: Budget\nBeslutning\n" + "x" * 9000 + "\x00Godkendt.\n").encode()
    document = parse_bytes(data, source="nul.txt")
    document_import(document=document, source_name="nul.txt", sha512="n" * 128)
    decision = AgendaItem.objects.get().decision or ""
    assert "\x00" not in decision and decision.endswith("Godkendt.")


def test_a_document_built_elsewhere_is_checked_too() -> None:
    """The API will hand documents in without a parser: the same checks apply."""
    document = Document(
        kind="minutes",
        forum="Chefforum",
        starts_at="2023-09-14T09:00",
        location=None,
        items=(Item(number=1, title="Budget\x1b 2024"),),
    )
    with pytest.raises(DocumentRejected, match="item 1: the title holds control characters"):
        document_import(document=document, source_name="api", sha512="b" * 128)

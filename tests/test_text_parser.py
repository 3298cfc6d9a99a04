"""The text parser against the real seeds and every variation DOMAIN.md lists."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dagsorden.documents.contract import Recommendation, TimeSlot
from dagsorden.importers.parsers import ParseError, parse_bytes, parse_path
from dagsorden.importers.parsers.text import parse_recommendation, parse_text
from tests.conftest import seed_path


def doc(body: str, *, head: str = "REFERAT Chefforum d. 14-09-2023") -> str:
    return (
        f"{head}\n\nMødedato Torsdag d. 14. september 2023 kl. 09:00\n\n"
        f"Mødested Mødelokale 915\n\nIndholdsfortegnelse\n\nCF - X.....\t3\n\n"
        + textwrap.dedent(body).strip()
        + "\n"
    )


def test_seed_header_and_items(seed: Path) -> None:
    document = parse_path(seed)
    assert document.kind == "minutes"
    assert document.forum == "Chefforum"
    assert document.prefix == "CF"
    assert [item.number for item in document.items] == list(range(1, len(document.items) + 1))
    assert document.items[0].title.startswith("Godkendelse af dagsorden og referat")
    assert document.items[-1].title == "Eventuelt"
    for item in document.items:
        assert item.journal_number is not None
        assert not item.title.startswith("CF")


def test_seed_2023_09_14_in_detail() -> None:
    document = parse_path(seed_path("chefforum-2023-09-14.txt"))
    assert document.starts_at == "2023-09-14T09:00"
    assert document.location == "Mødelokale 915"
    assert len(document.items) == 7
    first = document.items[0]
    assert first.journal_number == "00.01.00-P35-9-22"
    assert first.occasion == "Dagsordenen til dette samt referatet fra seneste møde skal godkendes."
    assert first.presentation is None
    assert first.recommendation == Recommendation(
        proposer="Kommunaldirektøren",
        points=("at dagsordenen til dette, samt referatet fra seneste møde godkendes.",),
    )
    assert first.decision == "Chefforum godkendte referat og dagsorden."
    assert first.attachments == ()
    assert first.time_slot is None
    fourth = document.items[3]
    assert fourth.title == "Forandringsledelse - forberedelse til oplæg fra Søren Obed Madsen"
    assert fourth.decision is not None
    assert "\n- Tid - En væsentlig faktor" in fourth.decision
    assert fourth.attachments == ("Forandringsledelse CF.pptx",)
    fifth = document.items[4]
    assert fifth.recommendation is not None
    assert len(fifth.recommendation.points) == 2
    # A whitespace-only line becomes a paragraph break; runs of blank lines collapse.
    assert fifth.presentation is not None
    assert "\n\n\n" not in fifth.presentation
    assert "understøtte:\n\n- at afdelingen" in fifth.presentation
    # The typo in the recommender line is kept: the parser does not correct documents.
    sixth = document.items[5]
    assert sixth.recommendation is not None
    assert sixth.recommendation.proposer == "Kommunaldiirektøren"


def test_seed_2023_10_12_proposers_and_lists() -> None:
    document = parse_path(seed_path("chefforum-2023-10-12.txt"))
    proposers = [item.recommendation.proposer for item in document.items if item.recommendation]
    assert "Direktøren for By, Kultur, Miljø og Beskæftigelse" in proposers
    assert "Direktøren for Børn, Sundhed & Velfærd" in proposers
    assert document.items[1].attachments[0] == "Bilag 1 - Budgetaftale 26 9 23 endelig"
    assert len(document.items[1].attachments) == 7
    assert document.items[6].decision == (
        "- Beskæftigelsesområdet er rykket til 26. plads i den seneste benchmark."
    )


def test_seed_2022_12_08_missing_sections_and_zero_padded_day() -> None:
    document = parse_path(seed_path("chefforum-2022-12-08.txt"))
    assert document.starts_at == "2022-12-08T12:30"
    assert document.location == "Mødelokale 1"
    first = document.items[0]
    assert first.occasion is None
    assert first.presentation is None
    assert first.decision == "Godkendt."
    third = document.items[2]
    assert third.attachments == ()


def test_agenda_kind_and_no_decisions() -> None:
    document = parse_text(
        doc(
            """
            Punkt 1: CF - Budget
            00.01.00-P35-7-22
            Anledning
            Budgettet drøftes.
            """,
            head="DAGSORDEN Chefforum d. 14-09-2023",
        )
    )
    assert document.kind == "agenda"
    assert document.items[0].decision is None


def test_section_order_varies_and_item_may_have_only_a_decision() -> None:
    document = parse_text(
        doc(
            """
            Punkt 1: CF - Første
            Indstilling
            Kommunaldirektøren indstiller,
            1. at punktet drøftes.
            Sagsfremstilling
            Tekst.
            Anledning
            Fordi.

            Punkt 2: CF - Anden
            Beslutning
            Godkendt.
            """
        )
    )
    first, second = document.items
    assert first.occasion == "Fordi."
    assert first.presentation == "Tekst."
    assert first.recommendation == Recommendation("Kommunaldirektøren", ("at punktet drøftes.",))
    assert second.journal_number is None
    assert second.occasion is None and second.recommendation is None
    assert second.decision == "Godkendt."


def test_a_line_that_merely_starts_with_a_heading_word_is_content() -> None:
    document = parse_text(
        doc(
            """
            Punkt 1: CF - Tidsplan
            Sagsfremstilling
            Type\tEmne\tAnsvarlig\tTid
            Beslutning\tImplementering af sagsskabelon\tMarie A\t10.15 - 10.40 (25)
              Beslutning
            Vedtaget.
            """
        )
    )
    item = document.items[0]
    assert item.presentation == (
        "Type\tEmne\tAnsvarlig\tTid\n"
        "Beslutning\tImplementering af sagsskabelon\tMarie A\t10.15 - 10.40 (25)"
    )
    assert item.decision == "Vedtaget."


@pytest.mark.parametrize("dash", ["-", "–"])
def test_dashes_and_absent_prefix(dash: str) -> None:
    document = parse_text(
        doc(
            f"""
            Punkt 1: CF {dash} Godkendelse
            Beslutning
            Ok.

            Punkt 2: CF {dash} Forandringsledelse - oplæg
            Beslutning
            Ok.
            """
        )
    )
    assert [i.title for i in document.items] == ["Godkendelse", "Forandringsledelse - oplæg"]
    plain = parse_text(doc("Punkt 1: Budget - status\nBeslutning\nOk."))
    assert plain.items[0].title == "Budget - status"
    assert plain.prefix is None


def test_title_decorations() -> None:
    document = parse_text(
        doc(
            """
            Punkt 3: CF - Skabelon v. René, Birgit og Susanne (Bente Poulsen deltager) (14:45-15:45)
            Beslutning
            Ok.

            Punkt 1: CF - Status (13:15)
            Anledning
            (45 min.)
            Status gives.

            Punkt 2: CF - Oplæg v. Marie (9.00 – 9.45)
            Beslutning
            Ok.
            """
        )
    )
    third, first, second = document.items
    assert [i.number for i in document.items] == [3, 1, 2]  # document order, not time order
    assert third.title == "Skabelon"
    assert third.presenters == ("René", "Birgit", "Susanne")
    assert third.guests == ("Bente Poulsen",)
    assert third.time_slot == TimeSlot("14:45", "15:45", 60)
    assert first.title == "Status"
    assert first.time_slot == TimeSlot("13:15", None, 45)
    assert first.occasion == "Status gives."  # the marker is not part of the text
    assert second.presenters == ("Marie",)
    assert second.time_slot == TimeSlot("09:00", "09:45", 45)


def test_duration_marker_alone_and_followed_by_text() -> None:
    document = parse_text(
        doc(
            """
            Punkt 1: CF - A
            Sagsfremstilling
            (30 min.) Chefforum drøfter sagen.
            """
        )
    )
    assert document.items[0].time_slot == TimeSlot(None, None, 30)
    assert document.items[0].presentation == "Chefforum drøfter sagen."


@pytest.mark.parametrize(
    ("text", "proposer", "points"),
    [
        (
            "Kommunaldirektøren indstiller,\n\n1. at a.\n2. at b.",
            "Kommunaldirektøren",
            ("at a.", "at b."),
        ),
        (
            "Chefen for Økonomi & Stab indstiller, at:\n1. At a.",
            "Chefen for Økonomi & Stab",
            ("At a.",),
        ),
        (
            "Direktøren for By, Miljø, Kultur & Beskæftigelse indstiller:\n- At a\n- at b",
            "Direktøren for By, Miljø, Kultur & Beskæftigelse",
            ("At a", "at b"),
        ),
        (
            "Kommunaldirektøren indstiller,\n1. Der udarbejdes en plan.",
            "Kommunaldirektøren",
            ("Der udarbejdes en plan.",),
        ),
        (
            "Kommunaldirektøren indstiller, at punktet drøftes.",
            "Kommunaldirektøren",
            ("at punktet drøftes.",),
        ),
        ("1. at a.", None, ("at a.",)),
        ("", None, ()),
    ],
)
def test_recommender_lines_and_points(
    text: str, proposer: str | None, points: tuple[str, ...]
) -> None:
    assert parse_recommendation(text) == Recommendation(proposer, points)


def test_venue_with_only_a_room_number_and_no_venue() -> None:
    with_room = parse_text(doc("Punkt 1: A\nBeslutning\nOk.").replace("Mødelokale 915", "915"))
    assert with_room.location == "915"
    without = parse_text(
        doc("Punkt 1: A\nBeslutning\nOk.").replace("Mødested Mødelokale 915\n", "")
    )
    assert without.location is None


def test_page_breaks_and_windows_line_endings() -> None:
    text = doc("Punkt 1: A\nSagsfremstilling\nFørste del\f\nanden del.\n\n\n\nSlut.")
    document = parse_bytes(text.replace("\n", "\r\n").encode("utf-8"), source="x.txt")
    assert document.items[0].presentation == "Første del\n\nanden del.\n\nSlut."


def test_windows_1252_text_is_read() -> None:
    text = doc("Punkt 1: Årshjul\nBeslutning\nGodkendt.")
    document = parse_bytes(text.encode("cp1252"), source="x.txt")
    assert document.items[0].title == "Årshjul"


def test_closed_items_and_case_type() -> None:
    document = parse_text(
        doc(
            """
            Punkt 1: CF - Personalesag
            Lukket punkt
            81.00.00-A00-4-22
            Sagstype: Beslutning
            Beslutning
            Tiltrådt.

            Punkt 2: Lukket punkt
            """
        )
    )
    closed, stub = document.items
    assert not closed.public and closed.case_type == "Beslutning"
    assert closed.journal_number == "81.00.00-A00-4-22"
    assert not stub.public and stub.title == "Lukket punkt"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n  ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"Hello world\nNothing to see", "not an agenda or minutes"),
        (
            "REFERAT Chefforum d. 14-09-2023\nMødedato 14. september 2023 kl. 09:00\n".encode(),
            "no agenda items",
        ),
        (b"REFERAT Chefforum\nPunkt 1: A\nBeslutning\nOk.", "Mødedato"),
        (
            "REFERAT Chefforum\nMødedato 31. februar 2023 kl. 09:00\nPunkt 1: A".encode(),
            "impossible date",
        ),
        (
            "REFERAT Chefforum\nMødedato 3. brumaire 2023 kl. 09:00\nPunkt 1: A".encode(),
            "unknown month",
        ),
        ("REFERAT Chefforum\nMødedato 3. maj 2023\nPunkt 1: A".encode(), "no time"),
        ("REFERAT\nMødedato 3. maj 2023 kl. 10:00\nPunkt 1: A".encode(), "no forum name"),
    ],
)
def test_unreadable_input_gets_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, source="bad.txt")
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.txt")
    assert "\n" not in str(caught.value)


def test_errors_carry_line_numbers() -> None:
    text = doc("Punkt 1: A\nBeslutning\nOk.\nBeslutning\nIgen.")
    with pytest.raises(ParseError) as caught:
        parse_text(text, source="dup.txt")
    assert caught.value.line == text.splitlines().index("Beslutning", 12) + 1
    assert "second 'Beslutning' section" in str(caught.value)
    with pytest.raises(ParseError, match=r"stray\.txt:\d+: unexpected text before the first"):
        parse_text(doc("Punkt 1: A\nnoget løst tekst\nBeslutning\nOk."), source="stray.txt")
    with pytest.raises(ParseError, match="unknown case type 'Sludder'"):
        parse_text(doc("Punkt 1: A\nSagstype: Sludder\nBeslutning\nOk."))


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        parse_path(tmp_path / "nope.txt")
    with pytest.raises(ParseError, match="is a directory"):
        parse_path(tmp_path)


def test_presenters_before_several_trailing_decorations() -> None:
    """Found by the property test: every trailing decoration goes before presenters."""
    item = parse_text(doc("Punkt 1: A v. Aa (06:00) (5 min.)")).items[0]
    assert (item.title, item.presenters) == ("A", ("Aa",))
    assert item.time_slot == TimeSlot("06:00", None, 5)

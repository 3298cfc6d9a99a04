"""The synthetic archive: deterministic, realistic, and covering every format variation."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest

from dagsorden.demo.generator import forums, generate_documents
from dagsorden.documents.contract import Document
from dagsorden.importers.parsers.text import parse_text
from dagsorden.publishing.renderers.txt import render_text

TODAY = dt.date(2024, 5, 1)
JOURNAL_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}$")


@pytest.fixture(scope="module")
def archive() -> list[Document]:
    return generate_documents(meetings=300, seed=5, today=TODAY)


def test_deterministic_for_a_seed() -> None:
    first = generate_documents(meetings=20, seed=3, today=TODAY)
    assert first == generate_documents(meetings=20, seed=3, today=TODAY)
    assert first != generate_documents(meetings=20, seed=4, today=TODAY)


def test_meetings_are_chronological_unique_and_split_past_and_future(
    archive: list[Document],
) -> None:
    starts = [d.starts_at for d in archive]
    assert starts == sorted(starts)
    assert len({(d.forum, d.starts_at) for d in archive}) == len(archive)
    for document in archive:
        past = document.starts_at < TODAY.isoformat()
        assert document.kind == ("minutes" if past else "agenda")
        decisions = [item.decision for item in document.items]
        if past:
            assert all(decision is not None for decision in decisions)
        else:
            assert all(decision is None for decision in decisions)
    assert any(d.kind == "agenda" for d in archive)
    assert {d.forum for d in archive} >= {"Chefforum", "Direktørforum", "Økonomiudvalget"}


def test_first_and_last_items(archive: list[Document]) -> None:
    for document in archive:
        assert document.items[0].title == "Godkendelse af dagsorden og referat"
        assert document.items[-1].title == "Eventuelt"
        assert [i.number for i in document.items] == list(range(1, len(document.items) + 1))


def test_every_variation_occurs(archive: list[Document]) -> None:
    items = [item for document in archive for item in document.items]
    texts = [t for i in items for t in (i.presentation, i.decision) if t]
    found = {
        "closed": any(not i.public for i in items),
        "presenters": any(i.presenters for i in items),
        "guests": any(i.guests for i in items),
        "time range": any(i.time_slot and i.time_slot.end for i in items),
        "duration only": any(i.time_slot and i.time_slot.start is None for i in items),
        "start only": any(i.time_slot and i.time_slot.start and not i.time_slot.end for i in items),
        "no occasion": any(i.occasion is None for i in items),
        "only a decision": any(
            i.decision and not (i.occasion or i.presentation or i.recommendation) for i in items
        ),
        "bullets": any("\n- " in t for t in texts),
        "tables": any("\t" in t for t in texts),
        "point by point": any(t.startswith("Ad 1:") for t in texts),
        "typo proposer": any(
            i.recommendation and i.recommendation.proposer == "Kommunaldiirektøren" for i in items
        ),
        "point without at": any(
            i.recommendation
            and any(not p.lower().startswith("at ") for p in i.recommendation.points)
            for i in items
        ),
        "room only": any(d.location == "915" for d in archive),
        "no venue": any(d.location is None for d in archive),
        "no prefix": any(d.prefix is None for d in archive),
        "attachments": any(len(i.attachments) >= 3 for i in items),
    }
    assert [name for name, ok in found.items() if not ok] == []


def test_cases_recur_across_meetings_and_forums(archive: list[Document]) -> None:
    forums_of: dict[str, set[str]] = defaultdict(set)
    meetings_of: dict[str, int] = defaultdict(int)
    for document in archive:
        for item in document.items:
            if item.journal_number:
                assert JOURNAL_RE.match(item.journal_number)
                forums_of[item.journal_number].add(document.forum)
                meetings_of[item.journal_number] += 1
    assert any(len(f) > 1 for f in forums_of.values())
    assert max(meetings_of.values()) > 5


def test_documents_survive_the_text_format(archive: list[Document]) -> None:
    for document in archive[:150]:
        assert parse_text(render_text(document)) == document


def test_large_archives_spread_over_more_forums() -> None:
    assert len(forums(15_000)) > len(forums(100))
    documents = generate_documents(meetings=3000, seed=1, today=TODAY)
    assert min(d.starts_at for d in documents) >= "2010"

"""Hypothesis strategies for documents the contract allows (and the text format can carry)."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from dagsorden.documents.contract import CASE_TYPES, Document, Item, Recommendation, TimeSlot
from dagsorden.importers.parsers.text import SECTION_KEYS

WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789&'\"?!/",
    min_size=1,
    max_size=12,
)
NAME = st.from_regex(r"[A-ZÆØÅ][a-zæøå]{1,8}( [A-ZÆØÅ][a-zæøå]{1,10})?", fullmatch=True).filter(
    lambda n: " og" not in n and not n.endswith(" v")
)
HEADING_WORDS = set(SECTION_KEYS)
NUMBERED = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[-–•*])\s+")


def _safe_line(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and stripped.rstrip(":").strip().lower() not in HEADING_WORDS
        and not re.match(r"^\s*Punkt\s+\d+\s*:", line)
        and not re.match(r"^\(\s*\d", stripped)
    )


def sentence(words: int = 12) -> st.SearchStrategy[str]:
    return st.lists(WORD, min_size=1, max_size=words).map(" ".join)


LINE = st.one_of(
    sentence(),
    sentence(6).map(lambda s: f"- {s}"),
    st.lists(WORD, min_size=2, max_size=4).map("\t".join),
).filter(_safe_line)
PARAGRAPH = st.lists(LINE, min_size=1, max_size=4).map("\n".join)
SECTION = st.one_of(
    st.none(), st.just(""), st.lists(PARAGRAPH, min_size=1, max_size=3).map("\n\n".join)
)

TITLE = (
    sentence(8)
    .map(str.strip)
    .filter(
        lambda t: (
            " v. " not in t and not t.endswith(")") and not re.match(r"^[A-ZÆØÅ]{2,6} [-–] ", t)
        )
    )
    .filter(lambda t: t != "Lukket punkt")
)
POINT = sentence(10).filter(lambda p: not NUMBERED.match(p) and p.strip() == p)
PROPOSER = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "Kommunaldirektøren",
            "Kommunaldiirektøren",
            "Chefen for Økonomi & Stab",
            "Direktøren for By, Miljø, Kultur & Beskæftigelse",
        ]
    ),
)
CLOCK = st.tuples(st.integers(6, 20), st.sampled_from([0, 15, 30, 45])).map(
    lambda hm: f"{hm[0]:02d}:{hm[1]:02d}"
)


@st.composite
def time_slots(draw: st.DrawFn) -> TimeSlot | None:
    kind = draw(st.sampled_from(["none", "start", "range", "minutes", "start+minutes"]))
    if kind == "none":
        return None
    start = draw(CLOCK)
    if kind == "start":
        return TimeSlot(start=start)
    if kind == "minutes":
        return TimeSlot(minutes=draw(st.integers(5, 240)))
    if kind == "start+minutes":
        return TimeSlot(start=start, minutes=draw(st.integers(5, 240)))
    hours, minutes = map(int, start.split(":"))
    length = draw(st.sampled_from([15, 30, 45, 60, 90]))
    end_total = hours * 60 + minutes + length
    return TimeSlot(start=start, end=f"{end_total // 60:02d}:{end_total % 60:02d}", minutes=length)


@st.composite
def items(draw: st.DrawFn, number: int) -> Item:
    has_recommendation = draw(st.booleans())
    return Item(
        number=number,
        title=draw(TITLE),
        journal_number=draw(
            st.one_of(
                st.none(),
                st.from_regex(
                    r"\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-[1-9]\d{0,2}-\d{2}", fullmatch=True
                ),
            )
        ),
        occasion=draw(SECTION),
        presentation=draw(SECTION),
        recommendation=(
            Recommendation(proposer=draw(PROPOSER), points=tuple(draw(st.lists(POINT, max_size=4))))
            if has_recommendation
            else None
        ),
        decision=draw(SECTION),
        attachments=tuple(draw(st.lists(sentence(6).filter(_safe_line), max_size=3))),
        time_slot=draw(time_slots()),
        presenters=tuple(draw(st.lists(NAME, max_size=3))),
        guests=tuple(draw(st.lists(NAME, max_size=2))),
        public=draw(st.booleans()),
        case_type=draw(st.one_of(st.none(), st.sampled_from(CASE_TYPES))),
    )


@st.composite
def documents(draw: st.DrawFn) -> Document:
    count = draw(st.integers(1, 6))
    numbers = draw(st.permutations(list(range(1, count + 1))))
    return Document(
        kind=draw(st.sampled_from(["agenda", "minutes"])),
        forum=draw(st.sampled_from(["Chefforum", "Direktørforum", "Børne- og Skoleudvalget"])),
        starts_at=draw(
            st.datetimes(
                min_value=__import__("datetime").datetime(2000, 1, 1),
                max_value=__import__("datetime").datetime(2040, 12, 31),
            )
        ).strftime("%Y-%m-%dT%H:%M"),
        location=draw(
            st.one_of(st.none(), st.sampled_from(["Mødelokale 915", "915", "Byrådssalen"]))
        ),
        items=tuple(draw(items(number)) for number in numbers),
        prefix=draw(st.sampled_from([None, "CF", "DF", "ØU"])),
    )

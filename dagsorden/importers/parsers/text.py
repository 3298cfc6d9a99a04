"""Plain-text agendas (DAGSORDEN) and minutes (REFERAT) in the format of ``shared/seeds``.

Pure functions, no Django. The rules follow ``shared/contracts/document-json.md`` and the
variations listed in DOMAIN.md: section order varies, any section may be missing, headings
are lines holding only the heading word, titles carry decorations (forum prefix, presenters,
guests, time), sections may open with a duration marker.

Reading time grows linearly with the text: every pattern is anchored or starts with a
literal, never with a run of white space or a lazy group before one (a line of a million
spaces would otherwise take hours), and the loops check the document's deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from dagsorden.cases.journal import is_journal_number
from dagsorden.core.danish import MONTH_NUMBERS
from dagsorden.core.text import clean_text
from dagsorden.core.vocabulary import CLOSED_ITEM_TITLE
from dagsorden.documents.contract import (
    CASE_TYPES,
    Document,
    Item,
    Kind,
    Recommendation,
    TimeSlot,
)
from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.limits import DEFAULT_LIMITS, Deadline, Limits

SECTION_KEYS = {
    "anledning": "occasion",
    "sagsfremstilling": "presentation",
    "indstilling": "recommendation",
    "beslutning": "decision",
    "bilag": "attachments",
}
CLOSED_MARK = CLOSED_ITEM_TITLE

KIND_RE = re.compile(r"^(REFERAT|DAGSORDEN)\b\s*(.*)$", re.IGNORECASE)
DATE_AT_END_RE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")  # "14-09-2023" after the forum
MEETING_DATE_RE = re.compile(r"^Mødedato\b[:\s]*(.*)$", re.IGNORECASE)
VENUE_RE = re.compile(r"^Mødested\b[:\s]*(.*)$", re.IGNORECASE)
ITEM_RE = re.compile(r"^\s*Punkt\s+(\d+)\s*:(.*)$")  # the title is group 2, stripped
ITEM_NUMBER_DIGITS = 18  # more digits than any number a database column holds
CASE_TYPE_RE = re.compile(r"^Sagstype\s*:(.*)$", re.IGNORECASE)
# What ``clean_text`` changes beyond the line endings ``normalise_lines`` handles alike
# (CR, CR LF, form feed), as UTF-8: C0 controls but tab and line feed, and DEL (single
# bytes); C1 controls (after the lead byte 0xC2); line and paragraph separators and the
# non-characters U+FFFE and U+FFFF. Lone surrogates cannot be encoded at all.
C0_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
C1_CONTROL_RE = re.compile(rb"\xc2[\x80-\x9f]")
OTHER_REFUSED = ("\u2028", "\u2029", "\ufffe", "\uffff")  # looked for in the text itself
DEADLINE_EVERY = 256  # lines between two looks at the clock

WORD_DATE_RE = re.compile(r"(\d{1,2})\.\s*([a-zæøå]+)\.?\s+(\d{4})", re.IGNORECASE)
NUMERIC_DATE_RE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
CLOCK_RE = re.compile(r"\bkl\.?\s*(\d{1,2})[:.](\d{2})", re.IGNORECASE)

PREFIX_RE = re.compile(r"^([A-ZÆØÅ]{2,6})\s+[-–]\s+(.+)$")
# Decorations at the end of a title; the white space before them is stripped in code.
TIME_DECORATION_RE = re.compile(
    r"\(\s*(\d{1,2})[:.](\d{2})\s*(?:[-–]\s*(\d{1,2})[:.](\d{2})\s*)?\)$"
)
DURATION_RE = re.compile(r"^\(\s*(\d{1,4})\s*min\.?\s*\)\s*(.*)$", re.IGNORECASE)
DURATION_DECORATION_RE = re.compile(r"\(\s*(\d{1,4})\s*min\.?\s*\)$", re.IGNORECASE)
PARENTHESES_AT_END_RE = re.compile(r"\(([^()]+)\)$")  # "(Bente Poulsen deltager)"
GUESTS_WORD = "deltager"
PRESENTERS_RE = re.compile(r"\sv\.\s")  # "Title v. René og Birgit"
NAME_SPLIT_RE = re.compile(r",|(?<=\s)og(?=\s)")
PROPOSER_RE = re.compile(r"\bindstiller\b", re.IGNORECASE)
POINT_MARK_RE = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[-–•*])\s+")


@dataclass
class _Decorations:
    start: str | None = None
    end: str | None = None
    minutes: int | None = None
    presenters: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()


@dataclass
class _RawItem:
    number: int
    heading: str
    line: int
    header_lines: list[tuple[int, str]] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    section_lines: dict[str, int] = field(default_factory=dict)


def parse_text(
    text: str,
    *,
    source: str = "<text>",
    limits: Limits = DEFAULT_LIMITS,
    deadline: Deadline | None = None,
) -> Document:
    """Read one REFERAT or DAGSORDEN text into the dagsorden.document/1 model.

    Control characters are cleaned first (``core.text.clean_text``: Word's U+000B line break
    becomes a line break, NUL and the like go), so nothing read carries them on."""
    deadline = deadline or Deadline(limits, source)
    if len(text) > limits.characters:
        raise limits.exceeded(
            source, "characters", f"more than {limits.characters:,} characters of text"
        )
    if needs_cleaning(text):
        text = clean_text(text)
    lines = normalise_lines(text)
    if not any(line.strip() for line in lines):
        raise ParseError(source, "the file is empty")
    first = _first_item_line(lines)
    kind, forum, starts_at, location = _parse_header(lines[:first], source=source)
    if first == len(lines):
        raise ParseError(source, "no agenda items: no line of the form 'Punkt 1: title'")
    raw_items = _split_items(lines, first, source=source, deadline=deadline)
    prefix = _document_prefix(item.heading for item in raw_items)
    items = []
    for raw in raw_items:
        deadline.check()
        items.append(_build_item(raw, prefix=prefix, source=source))
    return Document(
        kind=kind,
        forum=forum,
        starts_at=starts_at,
        location=location,
        items=tuple(items),
        prefix=prefix,
    )


def needs_cleaning(text: str) -> bool:
    """Whether ``clean_text`` would change more than line endings, found with the fastest
    primitives there are (a byte deletion, a pattern with a literal start, single-character
    searches): one pass of a character-class pattern over the text cost a third of the time
    of reading a document."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    if len(raw.translate(None, C0_CONTROL_BYTES)) != len(raw):
        return True
    if b"\xc2" in raw and C1_CONTROL_RE.search(raw) is not None:
        return True
    return any(character in text for character in OTHER_REFUSED)


def normalise_lines(text: str) -> list[str]:
    """Split into lines; page breaks and any line-ending convention become plain newlines."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [line.rstrip() for line in text.split("\n")]


def _first_item_line(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if ITEM_RE.match(line):
            return index
    return len(lines)


def _parse_header(lines: list[str], *, source: str) -> tuple[Kind, str, str, str | None]:
    numbered = [(i + 1, line.strip()) for i, line in enumerate(lines) if line.strip()]
    if not numbered:
        raise ParseError(source, "no 'REFERAT' or 'DAGSORDEN' heading before the first item")
    line_no, title_line = numbered[0]
    match = KIND_RE.match(title_line)
    if match is None:
        raise ParseError(
            source,
            f"not an agenda or minutes: expected a first line starting 'REFERAT' or "
            f"'DAGSORDEN', found {_quote(title_line)}",
            line_no,
        )
    kind: Kind = "minutes" if match[1].upper() == "REFERAT" else "agenda"
    forum = _forum_before_date(match[2].strip())
    if not forum:
        raise ParseError(source, f"no forum name after {match[1]}", line_no)

    starts_at: str | None = None
    location: str | None = None
    for number, line in numbered[1:]:
        if (date_match := MEETING_DATE_RE.match(line)) is not None:
            starts_at = _parse_meeting_date(date_match[1], source=source, line=number)
        elif (venue_match := VENUE_RE.match(line)) is not None:
            location = venue_match[1].strip() or None
    if starts_at is None:
        raise ParseError(source, "no 'Mødedato' line with the meeting's date and time")
    return kind, forum, starts_at, location


def _forum_before_date(text: str) -> str:
    """``"Chefforum d. 14-09-2023"`` -> ``"Chefforum"``; text without such a date stays whole.

    The date is found from the end (a literal digit pattern), then the white space and the
    optional "d." before it are taken off in code: a pattern that starts with white space
    would try every position of a long run of it."""
    text = text.strip()
    date = DATE_AT_END_RE.search(text.rstrip())
    if date is None:
        return text
    before = text[: date.start()]
    trimmed = before.rstrip()
    if trimmed.endswith("d.") and trimmed[:-2][-1:].isspace():
        return trimmed[:-2].strip()
    if len(trimmed) < len(before) and trimmed:
        return trimmed.strip()
    return text


def _parse_meeting_date(text: str, *, source: str, line: int) -> str:
    day = month = year = None
    if (words := WORD_DATE_RE.search(text)) is not None:
        month = MONTH_NUMBERS.get(words[2].lower())
        if month is None:
            raise ParseError(source, f"unknown month {_quote(words[2])} in Mødedato", line)
        day, year = int(words[1]), int(words[3])
    elif (numeric := NUMERIC_DATE_RE.search(text)) is not None:
        day, month, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
    else:
        raise ParseError(source, f"no date in Mødedato {_quote(text)}", line)
    clock = CLOCK_RE.search(text)
    if clock is None:
        raise ParseError(source, f"no time ('kl. HH:MM') in Mødedato {_quote(text)}", line)
    try:
        value = dt.datetime(year, month, day, int(clock[1]), int(clock[2]))  # noqa: DTZ001
    except ValueError as error:
        raise ParseError(source, f"impossible date or time in Mødedato: {error}", line) from None
    return value.strftime("%Y-%m-%dT%H:%M")


def _split_items(
    lines: list[str], first: int, *, source: str, deadline: Deadline
) -> list[_RawItem]:
    items: list[_RawItem] = []
    current: _RawItem | None = None
    section: str | None = None
    for index in range(first, len(lines)):
        if not index % DEADLINE_EVERY:
            deadline.check()
        line = lines[index]
        line_no = index + 1
        if (heading := ITEM_RE.match(line)) is not None:
            digits = heading[1].lstrip("0") or "0"
            if len(digits) > ITEM_NUMBER_DIGITS:
                raise ParseError(source, f"the item number {_quote(digits)} is too large", line_no)
            current = _RawItem(number=int(digits), heading=heading[2].strip(), line=line_no)
            items.append(current)
            section = None
            continue
        assert current is not None  # noqa: S101 (the first line matched ITEM_RE)
        key = SECTION_KEYS.get(line.strip().rstrip(":").strip().lower())
        if key is not None:
            if key in current.sections:
                raise ParseError(
                    source,
                    f"item {current.number} has a second {line.strip()!r} section",
                    line_no,
                )
            current.sections[key] = []
            current.section_lines[key] = line_no
            section = key
        elif section is None:
            if line.strip():
                current.header_lines.append((line_no, line.strip()))
        else:
            current.sections[section].append(line)
    return items


def _document_prefix(headings: object) -> str | None:
    """The forum prefix ("CF") is the one most item titles start with."""
    titles = list(headings)  # type: ignore[call-overload]
    counts = Counter(m[1] for t in titles if (m := PREFIX_RE.match(t)) is not None)
    if not counts:
        return None
    prefix, count = counts.most_common(1)[0]
    return prefix if count * 2 >= len(titles) else None


def _build_item(raw: _RawItem, *, prefix: str | None, source: str) -> Item:
    title, decorations = _split_title(raw.heading, prefix=prefix)
    journal_number: str | None = None
    case_type: str | None = None
    public = True
    for line_no, text in raw.header_lines:
        if text == CLOSED_MARK:
            public = False
        elif is_journal_number(text) and journal_number is None:
            journal_number = text
        elif (case_type_match := CASE_TYPE_RE.match(text)) is not None:
            case_type = case_type_match[1].strip()
            if case_type not in CASE_TYPES:
                raise ParseError(
                    source,
                    f"unknown case type {_quote(case_type)}; expected one of "
                    + ", ".join(CASE_TYPES),
                    line_no,
                )
        else:
            raise ParseError(
                source,
                f"unexpected text before the first section of item {raw.number}: {_quote(text)}",
                line_no,
            )
    if not title:
        raise ParseError(source, f"item {raw.number} has no title", raw.line)
    if title == CLOSED_MARK:
        public = False

    minutes = decorations.minutes
    texts: dict[str, str | None] = {}
    for key in ("occasion", "presentation", "recommendation", "decision", "attachments"):
        if key not in raw.sections:
            texts[key] = None
            continue
        section_minutes, body = _take_duration_marker(raw.sections[key])
        if minutes is None:
            minutes = section_minutes
        texts[key] = section_text(body)

    return Item(
        number=raw.number,
        title=title,
        journal_number=journal_number,
        occasion=texts["occasion"],
        presentation=texts["presentation"],
        recommendation=(
            parse_recommendation(texts["recommendation"])
            if texts["recommendation"] is not None
            else None
        ),
        decision=texts["decision"],
        attachments=tuple(
            line.strip() for line in (texts["attachments"] or "").split("\n") if line.strip()
        ),
        time_slot=_time_slot(decorations.start, decorations.end, minutes),
        presenters=decorations.presenters,
        guests=decorations.guests,
        public=public,
        case_type=case_type,
    )


def _split_title(heading: str, *, prefix: str | None) -> tuple[str, _Decorations]:
    title = heading.strip()
    if prefix is not None and (match := PREFIX_RE.match(title)) and match[1] == prefix:
        title = match[2].strip()
    found = _Decorations()
    changed = True
    while changed:
        changed = False
        if found.start is None and (time := TIME_DECORATION_RE.search(title)):
            found.start = f"{int(time[1]):02d}:{time[2]}"
            if time[3] is not None:
                found.end = f"{int(time[3]):02d}:{time[4]}"
            title, changed = title[: time.start()].rstrip(), True
        if found.minutes is None and (duration := DURATION_DECORATION_RE.search(title)):
            found.minutes = int(duration[1])
            title, changed = title[: duration.start()].rstrip(), True
        if not found.guests and (guests := _guests_at_end(title)) is not None:
            found.guests, title = guests[0], guests[1]
            changed = True
        if changed:
            continue  # strip every trailing decoration before looking for presenters
        if not found.presenters and (presenters := PRESENTERS_RE.search(title)):
            before = title[: presenters.start()].rstrip()
            after = title[presenters.end() :].strip()
            if after:
                found.presenters = split_names(after)
                title, changed = before, True
    return title, found


def _guests_at_end(title: str) -> tuple[tuple[str, ...], str] | None:
    """``"Title (Bente Poulsen deltager)"`` -> the guests and the title before them."""
    group = PARENTHESES_AT_END_RE.search(title)
    if group is None:
        return None
    inside = group[1].removesuffix(".")
    names = inside.removesuffix(GUESTS_WORD)
    if len(names) == len(inside) or not names[-1:].isspace() or not names.strip():
        return None
    return split_names(names), title[: group.start()].rstrip()


def split_names(text: str) -> tuple[str, ...]:
    """``"René, Birgit og Susanne"`` -> the three names."""
    return tuple(name.strip() for name in NAME_SPLIT_RE.split(text.strip()) if name.strip())


def _take_duration_marker(lines: list[str]) -> tuple[int | None, list[str]]:
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = DURATION_RE.match(line.strip())
        if match is None:
            return None, lines
        rest = match[2].strip()
        return int(match[1]), [*lines[:index], *([rest] if rest else []), *lines[index + 1 :]]
    return None, lines


def section_text(lines: list[str]) -> str:
    """Trimmed text, paragraphs separated by exactly one blank line, inner lines kept."""
    out: list[str] = []
    for line in lines:
        if line.strip():
            out.append(line.rstrip())
        elif out and out[-1] != "":
            out.append("")
    return "\n".join(out).strip()


def parse_recommendation(text: str) -> Recommendation:
    """Split an Indstilling into who recommends and the ordered points."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    proposer: str | None = None
    points: list[str] = []
    if lines and not POINT_MARK_RE.match(lines[0]):
        match = PROPOSER_RE.search(lines[0])
        if match is not None:
            proposer = lines[0][: match.start()].strip() or None
            rest = lines[0][match.end() :].strip().lstrip(",:;").strip()
            if rest.lower().rstrip(":") not in ("", "at"):
                points.append(rest)
            lines = lines[1:]
    for line in lines:
        point = POINT_MARK_RE.sub("", line, count=1).strip()
        if point:
            points.append(point)
    return Recommendation(proposer=proposer, points=tuple(points))


def _time_slot(start: str | None, end: str | None, minutes: int | None) -> TimeSlot | None:
    if start is None and end is None and minutes is None:
        return None
    if minutes is None and start is not None and end is not None:
        span = _minutes_of(end) - _minutes_of(start)
        minutes = span if span > 0 else None
    return TimeSlot(start=start, end=end, minutes=minutes)


def _minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

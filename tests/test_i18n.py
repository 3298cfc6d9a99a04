"""The English catalogue: complete, compiled, and chosen by the visitor's language."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client

from dagsorden.meetings.models import Meeting
from tests.factories import (
    FIRST_MEETING,
    AgendaItemFactory,
    MeetingFactory,
    OrganizationFactory,
)

LOCALE = Path(__file__).resolve().parents[1] / "dagsorden" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [value for key, value in self.fields.items() if key.startswith("msgstr")]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], "\\" + m[1]), text)


def read_po(path: Path) -> list[Entry]:
    """A small .po reader: entries separated by blank lines, continued strings joined."""
    entries: list[Entry] = []
    current = Entry()
    last: str | None = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current.fields:
                entries.append(current)
            current, last = Entry(), None
            continue
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            last = match[1]
            current.fields[last] = _unescape(match[2])
        elif line.startswith('"') and line.endswith('"') and last is not None:
            current.fields[last] += _unescape(line[1:-1])
        else:
            raise AssertionError(f"{path}: cannot read line {raw!r}")
    return entries


def messages() -> list[Entry]:
    return [e for e in read_po(PO) if e.msgid and not e.obsolete]


def test_catalogue_is_complete() -> None:
    entries = read_po(PO)
    header = entries[0]
    assert header.msgid == "" and "Language: en" in header.fields["msgstr"]
    assert "fuzzy" not in header.flags
    found = messages()
    assert len(found) > 400  # every UI string of the project, not a handful
    assert [e.msgid for e in found if "fuzzy" in e.flags] == []
    assert [e.msgid for e in found if not all(e.translations)] == []
    assert [e.msgid for e in entries if e.obsolete] == []
    # Placeholders survive translation: msgstr and msgstr[0] those of msgid, the other plural
    # forms those of msgid_plural (a singular may leave the count out: "the next minute").
    for entry in found:
        for key, text in entry.fields.items():
            if not key.startswith("msgstr"):
                continue
            source = entry.msgid if key in ("msgstr", "msgstr[0]") else entry.fields["msgid_plural"]
            wanted = sorted(re.findall(r"%\(\w+\)[sd]", source))
            assert sorted(re.findall(r"%\(\w+\)[sd]", text)) == wanted, entry.msgid


def test_compiled_catalogue_matches_the_po() -> None:
    """The shipped .mo holds exactly the .po's translations (nothing compiles at run time)."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages():
        context = entry.fields.get("msgctxt")
        if "msgid_plural" in entry.fields:
            plural = entry.fields["msgid_plural"]
            pairs = [
                (compiled.ngettext(entry.msgid, plural, 1), entry.fields["msgstr[0]"]),
                (compiled.ngettext(entry.msgid, plural, 2), entry.fields["msgstr[1]"]),
            ]
        elif context is not None:
            pairs = [(compiled.pgettext(context, entry.msgid), entry.fields["msgstr"])]
        else:
            pairs = [(compiled.gettext(entry.msgid), entry.fields["msgstr"])]
        stale += [entry.msgid for got, wanted in pairs if got != wanted]
    assert stale == [], "run `make messages` to compile the catalogue"


@pytest.fixture
def meeting(db: None) -> Meeting:
    forum = OrganizationFactory.create(name="Chefforum", slug="cf")
    meeting = MeetingFactory.create(
        organization=forum, starts_at=FIRST_MEETING, state=Meeting.State.AGENDA_PUBLISHED
    )
    AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    AgendaItemFactory.create(meeting=meeting, number=2, order=2, public=False)
    return meeting


def test_pages_are_danish_by_default_and_english_on_request(
    client: Client, meeting: Meeting
) -> None:
    url = "/cf/2023-01-05/"
    danish = client.get(url).content.decode()
    assert '<html lang="da">' in danish
    assert "<h1>Dagsorden: Chefforum</h1>" in danish
    assert "Indholdsfortegnelse" in danish and "Lukket punkt" in danish

    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in english
    assert "<h1>Agenda: Chefforum</h1>" in english
    for heading in ("Table of contents", "Meeting date", "Venue", "Occasion", "Presentation"):
        assert heading in english
    assert "Recommendation" in english and "Closed item" in english
    assert "Indholdsfortegnelse" not in english and "Lukket punkt" not in english


def test_language_switch_remembers_english(client: Client, meeting: Meeting) -> None:
    url = "/cf/2023-01-05/"
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    english = client.get(url).content.decode()
    assert '<html lang="en">' in english and "<h1>Agenda: Chefforum</h1>" in english
    client.post("/i18n/setlang/", {"language": "da", "next": url})
    assert "<h1>Dagsorden: Chefforum</h1>" in client.get(url).content.decode()

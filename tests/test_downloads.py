"""Downloads on the meeting page: the same visibility rules as the pages, else 404."""

from __future__ import annotations

import io

import docx
import pytest
from django.contrib.auth.models import User
from django.test import Client

from dagsorden.importers.services import document_import, sha512_hex
from dagsorden.meetings.models import AgendaItem, Meeting
from tests.conftest import SEED_NAMES, seed_path
from tests.test_render import page_texts, seed_document

BASE = "/chefforum/2022-12-08/"
CLOSED_NUMBER = 3


@pytest.fixture
def meeting(db: None) -> Meeting:
    """The first seed, imported, with item 3 closed."""
    path = seed_path(SEED_NAMES[0])
    document_import(
        document=seed_document(SEED_NAMES[0]),
        source_name=path.name,
        sha512=sha512_hex(path.read_bytes()),
    )
    found = Meeting.objects.get()
    AgendaItem.objects.filter(meeting=found, number=CLOSED_NUMBER).update(public=False)
    return found


@pytest.fixture
def staff(db: None) -> Client:
    user = User.objects.create_user("sekretaer", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def set_state(meeting: Meeting, state: str) -> None:
    meeting.state = state
    meeting.save()


def closed_title() -> str:
    return seed_document(SEED_NAMES[0]).items[CLOSED_NUMBER - 1].title


def test_anonymous_gets_the_public_minutes_without_the_closed_item(
    client: Client, meeting: Meeting
) -> None:
    set_state(meeting, Meeting.State.MINUTES_APPROVED)
    response = client.get(BASE + "referat.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert f"Punkt {CLOSED_NUMBER}: CF - Lukket punkt" in text
    assert closed_title() not in text
    assert "Offentlig udgave" in text
    assert "\nBeslutning\n" in text


def test_anonymous_pdf_and_docx(client: Client, meeting: Meeting) -> None:
    set_state(meeting, Meeting.State.MINUTES_APPROVED)
    pdf = client.get(BASE + "referat.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    joined = "\n".join(page_texts(pdf.content))
    assert closed_title() not in joined
    assert "Offentlig udgave" in joined
    word = client.get(BASE + "dagsorden.docx")
    assert word.status_code == 200
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert "Beslutning" not in paragraphs  # the agenda: no decisions
    assert closed_title() not in "\n".join(paragraphs)


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (Meeting.State.PLANNED, "dagsorden.pdf"),  # not published
        (Meeting.State.HELD, "referat.pdf"),  # decisions not public until approved
        (Meeting.State.AGENDA_PUBLISHED, "referat.txt"),  # no minutes yet
        (Meeting.State.MINUTES_APPROVED, "referat-intern.pdf"),  # closed items: staff only
        (Meeting.State.MINUTES_APPROVED, "dagsorden-intern.docx"),
    ],
)
def test_anonymous_404(client: Client, meeting: Meeting, state: str, name: str) -> None:
    set_state(meeting, state)
    assert client.get(BASE + name).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        BASE + "referat.odt",
        BASE + "protokol.pdf",
        "/chefforum/2022-12-09/referat.txt",
        "/chefforum/2022-13-08/referat.txt",
        "/ukendt-forum/2022-12-08/referat.txt",
    ],
)
def test_unknown_files_404(staff: Client, meeting: Meeting, url: str) -> None:
    set_state(meeting, Meeting.State.MINUTES_APPROVED)
    assert staff.get(url).status_code == 404


def test_staff_gets_the_internal_version_of_held_minutes(staff: Client, meeting: Meeting) -> None:
    set_state(meeting, Meeting.State.HELD)
    response = staff.get(BASE + "referat-intern.txt")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    assert closed_title() in text
    assert "Intern udgave – indeholder lukkede punkter" in text


def test_meeting_page_links_only_what_the_visitor_may_download(
    client: Client, staff: Client, meeting: Meeting
) -> None:
    set_state(meeting, Meeting.State.AGENDA_PUBLISHED)
    page = client.get(BASE).content.decode()
    assert f'href="{BASE}dagsorden.pdf"' in page
    assert f'href="{BASE}dagsorden.docx"' in page
    assert f"{BASE}referat.pdf" not in page
    assert "-intern." not in page
    set_state(meeting, Meeting.State.MINUTES_APPROVED)
    page = client.get(BASE).content.decode()
    assert f'href="{BASE}referat.pdf"' in page
    assert "-intern." not in page
    staff_page = staff.get(BASE).content.decode()
    assert f'href="{BASE}referat-intern.pdf"' in staff_page
    assert f'href="{BASE}dagsorden-intern.txt"' in staff_page

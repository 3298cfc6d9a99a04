"""The public pages: content, stable URLs, and what anonymous visitors never see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from icalendar import Calendar

from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import document_import, sha512_hex
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.public.text_blocks import Block, text_blocks
from tests.conftest import seed_path

pytestmark = pytest.mark.django_db
SECRET_WORD = "Konsulentnetværket"  # title of item 5 in the 2023-09-14 seed


def load(name: str) -> Meeting:
    path = seed_path(name)
    result = document_import(
        document=parse_path(path), source_name=path.name, sha512=sha512_hex(path.read_bytes())
    )
    return Meeting.objects.get(pk=result.meeting_id)


@pytest.fixture
def archive(seeds_dir: Path) -> Meeting:
    for name in ("chefforum-2022-12-08.txt", "chefforum-2023-10-12.txt"):
        load(name)
    meeting = load("chefforum-2023-09-14.txt")
    AgendaItem.objects.filter(meeting=meeting, number=5).update(public=False)
    return meeting


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(User.objects.create_user("sekretaer", is_staff=True))
    return client


def test_home_and_forum_list_newest_first(client: Client, archive: Meeting) -> None:
    home = client.get("/").content.decode()
    assert "Chefforum" in home and 'lang="da"' in home and 'href="#indhold"' in home
    page = client.get("/chefforum/").content.decode()
    positions = [
        page.index(day) for day in ("12. oktober 2023", "14. september 2023", "08. december 2022")
    ]
    assert positions == sorted(positions)


def test_meeting_page_shows_sections_in_template_order(client: Client, archive: Meeting) -> None:
    page = client.get("/chefforum/2023-09-14/").content.decode()
    assert "Torsdag d. 14. september 2023 kl. 09:00" in page
    assert "Mødelokale 915" in page
    assert 'href="#punkt-3"' in page and 'id="punkt-3"' in page
    assert "00.01.00-P22-3-23" in page and 'href="/sag/00.01.00-P22-3-23/"' in page
    first_item = page[page.index('id="punkt-1"') : page.index('id="punkt-2"')]
    order = [first_item.index(h) for h in ("Anledning", "Indstilling", "Beslutning")]
    assert order == sorted(order)
    assert "<li>Tid - En væsentlig faktor for at imødekomme hykleri og dekobling</li>" in page
    assert "Forandringsledelse CF.pptx" in page


def test_closed_item_shows_only_number_and_label_to_anonymous(
    client: Client, archive: Meeting
) -> None:
    for url in ("/chefforum/2023-09-14/", "/chefforum/2023-09-14/punkt-5/"):
        page = client.get(url).content.decode()
        assert "Punkt 5" in page and "Lukket punkt" in page
        assert SECRET_WORD not in page
        assert "81.00.00-A00-4-22" not in page
        assert "besluttede at udsætte drøftelsen" not in page
    assert client.get("/sag/81.00.00-A00-4-22/").status_code == 404


def test_staff_see_closed_items(staff: Client, archive: Meeting) -> None:
    page = staff.get("/chefforum/2023-09-14/").content.decode()
    assert SECRET_WORD in page and "81.00.00-A00-4-22" in page
    assert staff.get("/sag/81.00.00-A00-4-22/").status_code == 200


def test_unpublished_meeting_is_hidden_from_anonymous(
    client: Client, staff: Client, archive: Meeting
) -> None:
    archive.state = Meeting.State.PLANNED
    archive.save()
    assert client.get("/chefforum/2023-09-14/").status_code == 404
    assert client.get("/chefforum/2023-09-14/punkt-1/").status_code == 404
    assert "14. september 2023" not in client.get("/chefforum/").content.decode()
    assert staff.get("/chefforum/2023-09-14/").status_code == 200


def test_decisions_wait_for_the_minutes(client: Client, archive: Meeting) -> None:
    archive.state = Meeting.State.AGENDA_PUBLISHED
    archive.save()
    page = client.get("/chefforum/2023-09-14/").content.decode()
    assert "Chefforum godkendte referat og dagsorden." not in page
    assert "Dagsorden: Chefforum" in page


def test_soft_deleted_rows_never_show(client: Client, archive: Meeting) -> None:
    AgendaItem.objects.get(meeting=archive, number=2).soft_delete()
    assert "Budget 2024" not in client.get("/chefforum/2023-09-14/").content.decode()
    archive.soft_delete()
    assert client.get("/chefforum/2023-09-14/").status_code == 404


def test_case_history_across_meetings(client: Client, archive: Meeting) -> None:
    page = client.get("/sag/00.01.00-P22-3-23/").content.decode()
    assert "Centrale udfordringer for 2024" in page and "Målsætninger 2024" in page
    assert page.index("12. oktober 2023") < page.index("14. september 2023")


def test_404s_are_danish(client: Client, archive: Meeting) -> None:
    for url in (
        "/ukendt/",
        "/chefforum/2023-09-15/",
        "/chefforum/2023-99-99/",
        "/chefforum/x/",
        "/chefforum/2023-09-14/punkt-42/",
        "/sag/00.00.00-A00-1-99/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    assert "Siden findes ikke" in client.get("/ukendt/").content.decode()


def test_two_meetings_on_one_day_get_their_own_urls(client: Client, archive: Meeting) -> None:
    afternoon = Meeting.objects.create(
        organization=archive.organization,
        starts_at=archive.starts_at + dt.timedelta(hours=5),
        state=Meeting.State.AGENDA_PUBLISHED,
    )
    choice = client.get("/chefforum/2023-09-14/").content.decode()
    assert "/chefforum/2023-09-14-0900/" in choice and "/chefforum/2023-09-14-1400/" in choice
    assert client.get("/chefforum/2023-09-14-0900/").status_code == 200
    assert afternoon.pk and client.get("/chefforum/2023-09-14-1400/").status_code == 200


def test_query_counts_do_not_grow_with_items(
    client: Client, archive: Meeting, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(8):
        client.get("/chefforum/2023-09-14/")
    with django_assert_max_num_queries(6):
        client.get("/chefforum/")


def test_calendar_feeds(client: Client, archive: Meeting) -> None:
    archive.starts_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    archive.save()
    cancelled = Meeting.objects.create(
        organization=archive.organization,
        starts_at=archive.starts_at + dt.timedelta(days=14),
        state=Meeting.State.CANCELLED,
    )
    Meeting.objects.create(
        organization=archive.organization,
        starts_at=archive.starts_at + dt.timedelta(days=28),
        state=Meeting.State.PLANNED,
    )
    for url in ("/kalender.ics", "/kalender/chefforum.ics"):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/calendar")
        events = Calendar.from_ical(response.content).walk("VEVENT")
        uids = {str(e["UID"]) for e in events}
        assert f"meeting-{archive.pk}@testserver" in uids
        assert len(events) == 2  # the planned (unpublished) meeting is not in the feed
        status = {str(e["UID"]): str(e["STATUS"]) for e in events}
        assert status[f"meeting-{cancelled.pk}@testserver"] == "CANCELLED"
    again = Calendar.from_ical(client.get("/kalender.ics").content).walk("VEVENT")
    assert {str(e["UID"]) for e in again} == uids
    assert client.get("/kalender/ukendt.ics").status_code == 404


def test_text_blocks() -> None:
    text = "Indledning\n\nLinje et\nlinje to\n\nPunkter:\n- a\n- b\n\nA\tB\n1\t2"
    assert text_blocks(text) == [
        Block("heading", ("Indledning",)),
        Block("paragraph", ("Linje et", "linje to")),
        Block("paragraph", ("Punkter:",)),
        Block("list", ("a", "b")),
        Block("table", rows=(("A", "B"), ("1", "2"))),
    ]
    assert text_blocks(None) == [] and text_blocks("") == []


def test_user_text_is_escaped(client: Client, archive: Meeting) -> None:
    AgendaItem.objects.filter(meeting=archive, number=2).update(title="<script>alert(1)</script>")
    page = client.get("/chefforum/2023-09-14/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page

"""The public pages: content, stable URLs, and what anonymous visitors never see."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from dagsorden.core.danish import meeting_date_words
from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import document_import, sha512_hex
from dagsorden.meetings.models import AgendaItem, Meeting, Organization
from dagsorden.public.templatetags.dagsorden import danish_date, danish_datetime
from tests.conftest import seed_path
from tests.factories import (
    AgendaItemFactory,
    AttachmentFactory,
    CaseFactory,
    MeetingFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db
COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
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
def staff(staff_client: Client) -> Client:
    return staff_client


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
        agenda_published_at=archive.starts_at,  # published, then cancelled
    )
    Meeting.objects.create(
        organization=archive.organization,
        starts_at=archive.starts_at + dt.timedelta(days=28),
        state=Meeting.State.PLANNED,
    )
    Meeting.objects.create(  # cancelled before its agenda was published: never in a feed
        organization=archive.organization,
        starts_at=archive.starts_at + dt.timedelta(days=35),
        state=Meeting.State.CANCELLED,
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


def test_user_text_is_escaped(client: Client, archive: Meeting) -> None:
    AgendaItem.objects.filter(meeting=archive, number=2).update(title="<script>alert(1)</script>")
    page = client.get("/chefforum/2023-09-14/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


# --- The same pages built from factories: every field, every rule, query counts.

CLOSED_TITLE = "Personalesag om en navngiven medarbejder"
CLOSED_JOURNAL = "81.00.00-A00-4-22"
CLOSED_TEXT = "Oplysninger der aldrig må nå offentligheden"
CLOSED_ATTACHMENT = "Fortroligt notat.pdf"


def _at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


@pytest.fixture
def forum() -> Organization:
    return OrganizationFactory.create(name="Chefforum", slug="cf")


@pytest.fixture
def meeting(forum: Organization) -> Meeting:
    """A meeting with an open item in every detail and a closed item."""
    meeting = MeetingFactory.create(
        organization=forum, starts_at=_at(2023, 9, 14), location="Lokale 915"
    )
    open_item = AgendaItemFactory.create(
        meeting=meeting,
        number=1,
        order=1,
        title="Målsætninger 2024",
        case=CaseFactory.create(journal_number="00.01.00-P22-3-23"),
        case_type=AgendaItem.CaseType.DISCUSSION,
        time_start=dt.time(9, 0),
        time_end=dt.time(9, 45),
        duration_minutes=45,
        presenters=["René", "Birgit"],
        guests=["Bente Poulsen"],
        occasion="Anledningens tekst.",
        presentation="Baggrund\n\nTal for året:\n- første\n- andet\n\nÅr\tBeløb\n2023\t10",
        recommendation_proposer="Kommunaldirektøren",
        recommendation_points=["at målsætningerne drøftes.", "at de godkendes."],
        decision="Chefforum drøftede målsætningerne.",
    )
    AttachmentFactory.create(item=open_item, order=1, name="Målsætninger.pptx")
    closed = AgendaItemFactory.create(
        meeting=meeting,
        number=2,
        order=2,
        public=False,
        title=CLOSED_TITLE,
        case=CaseFactory.create(journal_number=CLOSED_JOURNAL),
        occasion=CLOSED_TEXT,
        presentation=CLOSED_TEXT,
        recommendation_points=[CLOSED_TEXT],
        decision=CLOSED_TEXT,
        time_start=dt.time(10, 0),
    )
    AttachmentFactory.create(item=closed, order=1, name=CLOSED_ATTACHMENT)
    return meeting


def _html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def _assert_no_closed_content(html: str) -> None:
    for secret in (CLOSED_TITLE, CLOSED_JOURNAL, CLOSED_TEXT, CLOSED_ATTACHMENT):
        assert secret not in html


def test_home_lists_every_forum_with_its_latest_meetings(
    client: Client, forum: Organization
) -> None:
    for month in (3, 1, 2):
        MeetingFactory.create(organization=forum, starts_at=_at(2023, month, 2))
    MeetingFactory.create(
        organization=forum, starts_at=_at(2023, 4, 6), state=Meeting.State.PLANNED
    )
    OrganizationFactory.create(name="Direktørforum", slug="df")
    html = _html(client, "/")
    assert 'href="/cf/"' in html and 'href="/df/"' in html
    days = [html.index(f"d. 02. {m} 2023") for m in ("marts", "februar", "januar")]
    assert days == sorted(days)
    assert "april 2023" not in html  # planned: not published
    assert 'href="/cf/2023-03-02/"' in html


def test_forum_page_newest_first_in_pages_of_fifty(client: Client, forum: Organization) -> None:
    first = _at(2020, 1, 2)
    for week in range(51):
        MeetingFactory.create(organization=forum, starts_at=first + dt.timedelta(weeks=week))
    html = _html(client, "/cf/")
    assert html.count('<tr><td><a href="/cf/') == 50
    assert "Side 1 af 2" in html and 'href="?side=2"' in html
    newest, second = html.index("2020-12-17"), html.index("2020-12-10")
    assert newest < second
    assert "2020-01-02" not in html
    assert "2020-01-02" in _html(client, "/cf/?side=2")


def test_meeting_page_shows_every_part_of_the_item(client: Client, meeting: Meeting) -> None:
    html = _html(client, "/cf/2023-09-14/")
    assert "Referat: Chefforum" in html
    assert "Torsdag d. 14. september 2023 kl. 09:00" in html and "Lokale 915" in html
    assert "Referat godkendt" in html
    toc = html[
        html.index('id="toc-heading"') : html.index("</nav>", html.index('id="toc-heading"'))
    ]
    assert '<a href="#punkt-1">Målsætninger 2024</a>' in toc
    assert '<span class="slot">9.00 – 9.45 (45)</span>' in toc
    item = html[html.index('id="punkt-1"') : html.index('id="punkt-2"')]
    assert 'href="/cf/2023-09-14/punkt-1/"' in item
    assert '<a href="/sag/00.01.00-P22-3-23/">00.01.00-P22-3-23</a>' in item
    assert "Drøftelse" in item and "9.00 – 9.45 (45)" in item
    assert "René, Birgit" in item and "Bente Poulsen" in item
    headings = ["Anledning", "Sagsfremstilling", "Indstilling", "Beslutning", "Bilag"]
    positions = [item.index(f">{h}</h3>") for h in headings]
    assert positions == sorted(positions)
    assert '<h4 class="sub-heading">Baggrund</h4>' in item
    assert "<li>første</li>" in item and '<th scope="col">Beløb</th>' in item
    assert "<p>Kommunaldirektøren indstiller,</p>" in item
    assert '<ol class="points"><li>at målsætningerne drøftes.</li><li>at de godkendes.</li>' in item
    assert "Chefforum drøftede målsætningerne." in item and "Målsætninger.pptx" in item


def test_item_page(client: Client, meeting: Meeting) -> None:
    html = _html(client, "/cf/2023-09-14/punkt-1/")
    assert "<h1>Punkt 1: Målsætninger 2024</h1>" in html
    assert 'href="/cf/2023-09-14/"' in html and "00.01.00-P22-3-23" in html
    assert ">Anledning</h2>" in html and '<h3 class="sub-heading">Baggrund</h3>' in html


def test_case_page(client: Client, meeting: Meeting) -> None:
    later = MeetingFactory.create(organization=meeting.organization, starts_at=_at(2023, 10, 12))
    AgendaItemFactory.create(
        meeting=later,
        number=4,
        order=4,
        case=meeting.items.get(number=1).case,
        title="Målsætninger 2024, opfølgning",
        decision="Chefforum besluttede følgende:\n- at godkende målsætningerne\n\n" + "ord " * 60,
    )
    html = _html(client, "/sag/00.01.00-P22-3-23/")
    assert "Sag 00.01.00-P22-3-23" in html and "00.01.00" in html and "P22" in html
    assert html.index("12. oktober 2023") < html.index("14. september 2023")
    assert 'href="/cf/2023-10-12/punkt-4/"' in html and "Chefforum" in html
    # The decision in short: on one line, cut after 40 words.
    assert "Chefforum besluttede følgende: at godkende målsætningerne ord" in html
    assert html.count("ord ") < 40 and "…" in html
    assert '<p class="lead">Målsætninger 2024, opfølgning</p>' in html


def test_closed_item_is_only_a_number_for_anonymous(client: Client, meeting: Meeting) -> None:
    # The case of the closed item also has an open item, so its page exists.
    AgendaItemFactory.create(
        case=meeting.items.get(number=2).case,
        meeting=MeetingFactory.create(
            organization=meeting.organization, starts_at=_at(2023, 11, 9)
        ),
        title="Åbent punkt i samme sag",
    )
    html = _html(client, "/cf/2023-09-14/")
    assert '<li value="2"><a href="#punkt-2">Lukket punkt</a></li>' in html  # TOC
    assert "Punkt 2: Lukket punkt</h2>" in html
    assert "10.00" not in html  # not even its time slot
    _assert_no_closed_content(html)
    item = _html(client, "/cf/2023-09-14/punkt-2/")
    assert "<h1>Punkt 2: Lukket punkt</h1>" in item
    _assert_no_closed_content(item)
    case = _html(client, f"/sag/{CLOSED_JOURNAL}/")
    assert "Åbent punkt i samme sag" in case and "14. september 2023" not in case
    assert CLOSED_TITLE not in case and CLOSED_TEXT not in case
    _assert_no_closed_content(_html(client, "/"))
    _assert_no_closed_content(_html(client, "/cf/"))


def test_case_with_only_closed_items_does_not_exist_for_anonymous(
    client: Client, staff_client: Client, meeting: Meeting
) -> None:
    assert "Siden findes ikke" in _html(client, f"/sag/{CLOSED_JOURNAL}/", status=404)
    html = _html(staff_client, f"/sag/{CLOSED_JOURNAL}/")
    assert CLOSED_TITLE in html and "Lukket punkt" in html


def test_staff_see_closed_items_in_full(staff_client: Client, meeting: Meeting) -> None:
    for url in ("/cf/2023-09-14/", "/cf/2023-09-14/punkt-2/"):
        html = _html(staff_client, url)
        for shown in (CLOSED_TITLE, CLOSED_JOURNAL, CLOSED_TEXT, CLOSED_ATTACHMENT):
            assert shown in html, (url, shown)
        assert "(vises kun for medarbejdere)" in html


def test_unpublished_meeting(client: Client, staff_client: Client, meeting: Meeting) -> None:
    meeting.state = Meeting.State.PLANNED
    meeting.save()
    for url in ("/cf/2023-09-14/", "/cf/2023-09-14/punkt-1/"):
        _html(client, url, status=404)
        _html(staff_client, url)
    assert "14. september 2023" not in _html(client, "/cf/")
    assert "14. september 2023" in _html(staff_client, "/cf/")
    _html(client, "/sag/00.01.00-P22-3-23/", status=404)
    assert "Dagsorden: Chefforum" in _html(staff_client, "/cf/2023-09-14/")


def test_decisions_only_with_approved_minutes(
    client: Client, staff_client: Client, meeting: Meeting
) -> None:
    meeting.state = Meeting.State.HELD
    meeting.save()
    html = _html(client, "/cf/2023-09-14/")
    assert "Chefforum drøftede målsætningerne." not in html and ">Beslutning</h3>" not in html
    assert "Dagsorden: Chefforum" in html
    assert "Chefforum drøftede" not in _html(client, "/sag/00.01.00-P22-3-23/")
    assert "Chefforum drøftede målsætningerne." in _html(staff_client, "/cf/2023-09-14/")


def test_soft_deleted_rows_are_never_shown(
    client: Client, staff_client: Client, meeting: Meeting
) -> None:
    item = meeting.items.get(number=1)
    item.attachments.get().soft_delete()
    assert "Målsætninger.pptx" not in _html(staff_client, "/cf/2023-09-14/")
    item.soft_delete()
    for page in (client, staff_client):
        assert "Målsætninger 2024" not in _html(page, "/cf/2023-09-14/")
        _html(page, "/cf/2023-09-14/punkt-1/", status=404)
    meeting.soft_delete()
    for page in (client, staff_client):
        _html(page, "/cf/2023-09-14/", status=404)
        assert "14. september 2023" not in _html(page, "/cf/")
        assert "14. september 2023" not in _html(page, "/")


@pytest.mark.parametrize(
    "url",
    [
        "/ukendt-forum/",
        "/ukendt-forum/2023-09-14/",
        "/cf/2023-09-15/",
        "/cf/2023-02-30/",
        "/cf/14-09-2023/",
        "/cf/2023-09-14-1000/",
        "/cf/2023-09-14-2599/",
        "/cf/2023-09-14/punkt-9/",
        "/sag/99.99.99-A00-1-99/",
        "/sag/ikke-et-nummer/",
    ],
)
def test_unknown_addresses_are_danish_404s(client: Client, meeting: Meeting, url: str) -> None:
    html = _html(client, url, status=404)
    assert "Siden findes ikke" in html and 'lang="da"' in html


def test_two_meetings_on_one_day(client: Client, meeting: Meeting) -> None:
    afternoon = MeetingFactory.create(
        organization=meeting.organization, starts_at=_at(2023, 9, 14, 13)
    )
    AgendaItemFactory.create(meeting=afternoon, number=1, order=1, title="Eftermiddagens punkt")
    listing = _html(client, "/cf/")
    assert 'href="/cf/2023-09-14-0900/"' in listing and 'href="/cf/2023-09-14-1300/"' in listing
    choice = _html(client, "/cf/2023-09-14/")
    assert 'href="/cf/2023-09-14-0900/"' in choice and 'href="/cf/2023-09-14-1300/"' in choice
    morning = _html(client, "/cf/2023-09-14-0900/")
    assert 'href="/cf/2023-09-14-0900/punkt-1/"' in morning
    assert "Eftermiddagens punkt" in _html(client, "/cf/2023-09-14-1300/punkt-1/")
    item_choice = _html(client, "/cf/2023-09-14/punkt-1/")
    assert 'href="/cf/2023-09-14-1300/punkt-1/"' in item_choice
    case = _html(client, "/sag/00.01.00-P22-3-23/")
    assert 'href="/cf/2023-09-14-0900/punkt-1/"' in case


def test_query_counts_do_not_depend_on_the_number_of_items_or_meetings(
    client: Client, staff_client: Client, forum: Organization
) -> None:
    def queries(page: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page.get(url).status_code == 200
        return len(captured)

    small = MeetingFactory.create(organization=forum, starts_at=_at(2023, 1, 5))
    big = MeetingFactory.create(organization=forum, starts_at=_at(2023, 1, 12))
    for meeting, count in ((small, 1), (big, 25)):
        for n in range(1, count + 1):
            item = AgendaItemFactory.create(meeting=meeting, number=n, order=n, public=n % 3 != 0)
            AttachmentFactory.create(item=item, order=1)
    pages = {"anonymous": client, "staff": staff_client}
    for page in pages.values():
        assert queries(page, "/cf/2023-01-05/") == queries(page, "/cf/2023-01-12/")
    lists = ("/", "/cf/")
    before = {(who, url): queries(page, url) for who, page in pages.items() for url in lists}
    for week in range(30):
        MeetingFactory.create(organization=OrganizationFactory.create(), starts_at=_at(2022, 1, 6))
        MeetingFactory.create(
            organization=forum, starts_at=_at(2021, 1, 7) + dt.timedelta(weeks=week)
        )
    after = {(who, url): queries(page, url) for who, page in pages.items() for url in lists}
    assert after == before


def test_query_limits(client: Client, meeting: Meeting, django_assert_max_num_queries: Any) -> None:
    # cache stamp, forum with the meetings of the day, items, attachments, amendments,
    # attendance: one query each, whatever the size of the meeting
    with django_assert_max_num_queries(6):
        client.get("/cf/2023-09-14/")
    with django_assert_max_num_queries(3):  # forum, count, page
        client.get("/cf/")
    with django_assert_max_num_queries(3):  # forums, upcoming, latest
        client.get("/")


def test_danish_dates_need_no_locale() -> None:
    assert meeting_date_words(dt.datetime(2023, 9, 14, 9, 0, tzinfo=COPENHAGEN)) == (
        "Torsdag d. 14. september 2023 kl. 09:00"
    )
    assert meeting_date_words(dt.datetime(2022, 12, 8, 12, 30, tzinfo=COPENHAGEN)) == (
        "Torsdag d. 08. december 2022 kl. 12:30"
    )
    week = [meeting_date_words(_at(2024, 1, day, 8, 5)).split()[0] for day in range(1, 8)]
    assert week == ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
    months = [meeting_date_words(_at(2024, m, 1)).split()[3] for m in range(1, 13)]
    assert months[0] == "januar" and months[2] == "marts" and months[4] == "maj"
    assert months[11] == "december"
    # The template filters show Copenhagen time whatever the stored time zone.
    utc = dt.datetime(2023, 9, 14, 7, 0, tzinfo=dt.UTC)
    assert danish_datetime(utc) == "Torsdag d. 14. september 2023 kl. 09:00"
    assert danish_date(utc) == "14. september 2023"
    assert danish_datetime(None) == ""


def test_layout_language_switch_and_no_inline_code(client: Client, meeting: Meeting) -> None:
    html = _html(client, "/cf/2023-09-14/")
    assert '<a class="skip-link" href="#indhold">' in html and '<main id="indhold"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert 'action="/i18n/setlang/" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<option value="en" lang="en"' in html and ">Dansk</option>" in html
    assert "<script" not in html and "<style" not in html and " style=" not in html
    assert " onclick=" not in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cf/2023-09-14/"})
    assert response.status_code == 302
    assert 'lang="en"' in _html(client, "/cf/2023-09-14/")


def test_headings_go_in_order(client: Client, meeting: Meeting) -> None:
    for url in (
        "/",
        "/cf/",
        "/cf/2023-09-14/",
        "/cf/2023-09-14/punkt-1/",
        "/sag/00.01.00-P22-3-23/",
    ):
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", _html(client, url))]
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (url, levels)


def test_month_calendar(client: Client, archive: Meeting, staff: Client) -> None:
    page = client.get("/kalender/2023/09/").content.decode()
    assert "september 2023" in page
    assert 'href="/chefforum/2023-09-14/"' in page and "09.00 Chefforum" in page
    assert "1 møde denne måned." in page
    assert 'href="/kalender/2023/8/"' in page and 'href="/kalender/2023/10/"' in page
    assert "Chefforum" in client.get("/kalender/2023/10/?forum=chefforum").content.decode()
    assert client.get("/kalender/2023/13/").status_code == 404
    assert client.get("/kalender/2023/09/?forum=findes-ikke").status_code == 404
    assert client.get("/kalender/").status_code == 200
    # An unpublished meeting is on the staff's calendar only.
    Meeting.objects.filter(pk=archive.pk).update(state=Meeting.State.PLANNED)
    assert "0 møder denne måned." in client.get("/kalender/2023/09/").content.decode()
    assert "1 møde denne måned." in staff.get("/kalender/2023/09/").content.decode()

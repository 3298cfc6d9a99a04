"""The cached anonymous meeting page: shared only where it may be, never stale on a change
that matters for visibility, and with each visitor's own CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dagsorden.meetings.models import AgendaItem, Attachment, Meeting
from tests.factories import (
    FIRST_MEETING,
    AgendaItemFactory,
    AttachmentFactory,
    MeetingFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db
URL = "/cf/2023-01-05/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meeting() -> Meeting:
    forum = OrganizationFactory.create(name="Chefforum", slug="cf")
    meeting = MeetingFactory.create(organization=forum, starts_at=FIRST_MEETING)
    AgendaItemFactory.create(meeting=meeting, number=1, order=1, title="Åbent emne")
    AgendaItemFactory.create(meeting=meeting, number=2, order=2, title="Fortroligt emne")
    return meeting


def get(client: Client, url: str = URL, **headers: str) -> tuple[int, str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response.status_code, response.content.decode(), len(queries)


def test_second_anonymous_visit_is_one_query_and_the_same_page(meeting: Meeting) -> None:
    status, first, cold = get(Client())
    status_again, again, warm = get(Client())
    assert status == status_again == 200
    assert warm == 1 < cold  # the stamp only
    assert TOKEN.sub("", first) == TOKEN.sub("", again)
    assert "Fortroligt emne" in again


def test_each_visitor_gets_a_working_csrf_token(meeting: Meeting) -> None:
    get(Client())  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(URL)
    token = TOKEN.search(response.content.decode())
    assert token is not None and "csrf-mark" not in token[1]
    assert "csrftoken" in response.cookies
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": URL, "csrfmiddlewaretoken": token[1]}
    )
    assert switched.status_code == 302
    assert '<html lang="en">' in visitor.get(URL).content.decode()


def test_closing_an_item_or_hiding_an_attachment_shows_at_once(meeting: Meeting) -> None:
    item = AgendaItem.objects.get(meeting=meeting, number=2)
    attachment = AttachmentFactory.create(item=item, order=1, name="Notat om emnet.pdf")
    assert "Notat om emnet.pdf" in get(Client())[1]
    attachment.public = False
    attachment.save()
    assert "Notat om emnet.pdf" not in get(Client())[1]
    item.public = False
    item.save()
    page = get(Client())[1]
    assert "Fortroligt emne" not in page and "Lukket punkt" in page


def test_deleted_rows_disappear_at_once(meeting: Meeting) -> None:
    item = AgendaItem.objects.get(meeting=meeting, number=2)
    attachment = AttachmentFactory.create(item=item, order=1, name="Slettes helt.pdf")
    assert "Slettes helt.pdf" in get(Client())[1]
    Attachment.all_objects.filter(pk=attachment.pk).delete()  # a hard delete: the count shows it
    assert "Slettes helt.pdf" not in get(Client())[1]
    item.soft_delete()
    assert "Fortroligt emne" not in get(Client())[1]


def test_unpublishing_or_a_second_meeting_that_day_shows_at_once(meeting: Meeting) -> None:
    assert get(Client())[0] == 200
    meeting.state = Meeting.State.PLANNED
    meeting.save()
    assert get(Client())[0] == 404
    meeting.state = Meeting.State.AGENDA_PUBLISHED
    meeting.save()
    assert get(Client())[0] == 200
    MeetingFactory.create(
        organization=meeting.organization, starts_at=FIRST_MEETING.replace(hour=14)
    )
    page = get(Client())[1]
    assert "Fortroligt emne" not in page and "/cf/2023-01-05-1400/" in page  # the choice


def test_languages_are_kept_apart(meeting: Meeting) -> None:
    assert "<h1>Referat: Chefforum</h1>" in get(Client())[1]
    assert "<h1>Minutes: Chefforum</h1>" in get(Client(), accept_language="en")[1]
    assert "<h1>Referat: Chefforum</h1>" in get(Client())[1]


def test_signed_in_visitors_neither_read_nor_fill_the_cache(
    meeting: Meeting, staff_client: Client
) -> None:
    AgendaItem.objects.filter(meeting=meeting, number=2).update(public=False)
    staff_page = get(staff_client)[1]
    assert "Fortroligt emne" in staff_page and "sekretaer" in staff_page
    page = get(Client())[1]
    assert "Fortroligt emne" not in page and "sekretaer" not in page
    assert "Fortroligt emne" in get(staff_client)[1]


def test_addresses_with_a_query_string_are_not_cached(meeting: Meeting) -> None:
    get(Client())
    status, page, queries = get(Client(), URL + "?utm=x")
    assert status == 200 and queries > 1 and "?utm=x" in page
    assert "?utm=x" not in get(Client())[1]

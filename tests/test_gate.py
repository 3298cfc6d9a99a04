"""Issue 9, leaks 1-6 and the crafted-input 500s: one visibility gate, applied when reading.

Each test changes the archive the way a writer that forgets the rules would (a plain ORM
``update``, a ``save`` outside the services) and reads through every output: the search
index must never show what the gate would not.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from dagsorden.access.rules import OPERATOR
from dagsorden.documents.export import NotVisible, meeting_document
from dagsorden.meetings.models import AgendaItem, Meeting, Organization
from dagsorden.publishing.services import meeting_render
from dagsorden.search.selectors import SearchFilters, search_items
from dagsorden.search.services import search_index_meeting, search_index_missing
from tests.factories import AgendaItemFactory, AttachmentFactory, CaseFactory, MeetingFactory
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def found(word: str, user: Any = ANONYMOUS, **filters: Any) -> list[int]:
    """Item ids of the hits for ``word`` as ``user`` sees them (every page at once)."""
    results = search_items(query=word, user=user, filters=SearchFilters(**filters), per_page=1000)
    return [hit.entry.item_id for hit in results.hits]


def facet_values(word: str, name: str, user: Any = ANONYMOUS) -> dict[str, int]:
    results = search_items(query=word, user=user)
    return {value: count for value, _label, count in results.facets[name]}


def cli_search(word: str, *options: str) -> str:
    out = io.StringIO()
    call_command("search", word, *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def world() -> World:
    return make_world()


def indexed_item(world: World, **fields: Any) -> AgendaItem:
    meeting_fields = {
        key[8:]: fields.pop(key) for key in list(fields) if key.startswith("meeting_")
    }
    meeting = MeetingFactory.create(organization=world.forum, **meeting_fields)
    item = AgendaItemFactory.create(meeting=meeting, **fields)
    search_index_meeting(meeting_id=meeting.pk)
    return item


# --- Leak 1: changes outside the services (the admin, a script) never leave text findable


def test_closing_an_item_outside_the_services_hides_it_from_search_at_once(
    world: World,
) -> None:
    item = indexed_item(world, title="Rokadeplan for ledergruppen")
    assert found("rokadeplan") == [item.pk]
    assert cli_search("rokadeplan").strip().endswith("1 hits")
    AgendaItem.objects.filter(pk=item.pk).update(public=False)  # no service, no re-index
    assert found("rokadeplan") == []
    assert facet_values("rokadeplan", "forum") == {}
    assert cli_search("rokadeplan").strip().endswith("0 hits")
    # Those who read the forum's closed items still find it once it is re-indexed.
    search_index_missing()
    assert found("rokadeplan", world.users["member"]) == [item.pk]
    assert found("rokadeplan") == []


def test_hiding_an_attachment_hides_its_name_and_snippet(world: World) -> None:
    item = indexed_item(world, title="Budgetopfølgning")
    attachment = AttachmentFactory.create(item=item, order=1, name="Lønliste for sekretariatet")
    search_index_meeting(meeting_id=item.meeting_id)
    [hit] = search_items(query="lønliste", user=ANONYMOUS).hits
    assert "Lønliste" in hit.snippet
    attachment.public = False
    attachment.save()  # a plain save, as a careless admin form would
    assert found("lønliste") == []
    assert "Lønliste" not in str(search_items(query="budgetopfølgning", user=ANONYMOUS).hits)
    search_index_missing()
    assert found("lønliste") == []
    assert found("lønliste", world.users["member"]) == [item.pk]
    assert found("lønliste", world.users["secretary"]) == [item.pk]


def test_unpublishing_a_meeting_hides_its_items(world: World) -> None:
    item = indexed_item(world, title="Kanalstrategi")
    Meeting.objects.filter(pk=item.meeting_id).update(state=Meeting.State.PLANNED)
    assert found("kanalstrategi") == []
    search_index_missing()
    assert found("kanalstrategi") == []
    assert found("kanalstrategi", world.users["member"]) == []  # members: published only
    assert found("kanalstrategi", world.users["secretary"]) == [item.pk]
    assert found("kanalstrategi", world.users["other_secretary"]) == []


def test_the_minute_timer_indexes_each_missing_meeting_once(world: World) -> None:
    first = indexed_item(world, title="Sundhedspolitik")
    AgendaItemFactory.create(meeting=first.meeting, number=2, order=2, title="Sundhedsaftale")
    search_index_meeting(meeting_id=first.meeting_id)
    assert search_index_missing() == 0
    AgendaItem.objects.filter(meeting=first.meeting).update(title="Sundhedsplan")
    assert search_index_missing() == 2  # two items of one meeting, indexed once
    assert sorted(found("sundhedsplan")) == sorted(
        AgendaItem.objects.filter(meeting=first.meeting).values_list("pk", flat=True)
    )


def test_a_changed_title_is_not_found_by_its_old_words(world: World) -> None:
    item = indexed_item(world, title="Sag om 010203-1234 Jensen")
    AgendaItem.objects.filter(pk=item.pk).update(title="Personalesag")
    assert found("jensen") == [] and found("jensen", OPERATOR) == []


# --- Leak 2: cancelling never publishes


def test_a_cancelled_never_published_meeting_stays_hidden_everywhere(
    world: World, client: Client
) -> None:
    meeting = MeetingFactory.create(
        organization=world.forum, state=Meeting.State.CANCELLED, agenda_published_at=None
    )
    item = AgendaItemFactory.create(meeting=meeting, title="Hemmelig omstrukturering")
    AttachmentFactory.create(item=item, order=1, name="Udkast.pdf")
    search_index_meeting(meeting_id=meeting.pk)
    key = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
    assert client.get(f"/chefforum/{key}/").status_code == 404
    assert client.get(f"/chefforum/{key}/punkt-{item.number}/").status_code == 404
    assert client.get(f"/chefforum/{key}/dagsorden.pdf").status_code == 404
    assert b"Hemmelig" not in client.get("/kalender.ics").content
    assert found("omstrukturering") == []
    with pytest.raises(NotVisible):
        meeting_document(meeting=meeting, user=ANONYMOUS)
    # Cancelling a published meeting keeps it public, marked as cancelled.
    published = MeetingFactory.create(organization=world.forum, state=Meeting.State.CANCELLED)
    assert meeting_document(meeting=published, user=ANONYMOUS).forum == "Chefforum"


# --- Leak 3: the outcome of unapproved minutes


def test_outcome_of_unapproved_minutes_is_not_in_facets_or_filters(world: World) -> None:
    held = indexed_item(
        world,
        title="Arbejdsmiljøstrategi",
        decision="Udsat.",
        outcome="postponed",
        meeting_state=Meeting.State.HELD,
    )
    approved = indexed_item(
        world, title="Arbejdsmiljøstrategi del 2", decision="Godkendt.", outcome="approved"
    )
    assert facet_values("arbejdsmiljøstrategi", "outcome") == {"approved": 1}
    assert found("arbejdsmiljøstrategi", outcome="postponed") == []
    assert found("arbejdsmiljøstrategi", outcome="approved") == [approved.pk]
    assert found("udsat") == []  # nor the decision's words
    assert sorted(found("arbejdsmiljøstrategi")) == sorted([held.pk, approved.pk])


def test_the_facet_reads_the_stored_outcome(world: World) -> None:
    indexed_item(world, title="Sygefravær", decision="Chefforum drøftede.", outcome="approved")
    assert facet_values("sygefravær", "outcome") == {"approved": 1}


# --- Leak 4: the command line's public outputs


def test_public_export_and_render_leave_out_planned_meetings_and_draft_decisions(
    world: World,
) -> None:
    planned = MeetingFactory.create(organization=world.forum, state=Meeting.State.PLANNED)
    AgendaItemFactory.create(meeting=planned)
    held = MeetingFactory.create(
        organization=world.forum, state=Meeting.State.HELD, minutes_ready_at=timezone.now()
    )
    AgendaItemFactory.create(meeting=held, decision="Udkast til beslutning.", outcome="approved")
    day = f"{timezone.localtime(planned.starts_at):%Y-%m-%d}"
    with pytest.raises(SystemExit) as exit_info:
        call_command("export", "--forum", "Chefforum", "--date", day, "--public")
    assert exit_info.value.code == 2
    out = io.StringIO()
    call_command("export", "--forum", "Chefforum", "--date", day, stdout=out)
    assert '"kind": "agenda"' in out.getvalue()
    held_day = f"{timezone.localtime(held.starts_at):%Y-%m-%d}"
    out = io.StringIO()
    call_command("export", "--forum", "Chefforum", "--date", held_day, "--public", stdout=out)
    assert "Udkast til beslutning" not in out.getvalue()
    assert '"kind": "agenda"' in out.getvalue()
    public_text = meeting_render(meeting=held, user=OPERATOR, as_="agenda", fmt="txt")
    assert b"Udkast til beslutning" not in public_text
    with pytest.raises(Exception, match="not approved yet"):
        meeting_render(meeting=held, user=OPERATOR, as_="minutes", fmt="txt")
    internal = meeting_render(meeting=held, user=OPERATOR, as_="minutes", fmt="txt", internal=True)
    assert "Udkast til beslutning" in internal.decode()


# --- Leak 5: soft deletion


def test_soft_deleted_meetings_and_forums_are_not_found(world: World, client: Client) -> None:
    item = indexed_item(world, title="Ledelsesinformation")
    other = MeetingFactory.create(organization=world.other_forum)
    kept = AgendaItemFactory.create(meeting=other, title="Ledelsesinformation for direktionen")
    search_index_meeting(meeting_id=other.pk)
    item.meeting.soft_delete()
    assert found("ledelsesinformation") == [kept.pk]
    Organization.objects.filter(pk=world.other_forum.pk).update(deleted_at=timezone.now())
    response = client.get("/soeg/", {"q": "ledelsesinformation"})
    assert response.status_code == 200
    assert found("ledelsesinformation") == [] and found("ledelsesinformation", OPERATOR) == []
    search_index_missing()
    assert found("ledelsesinformation", OPERATOR) == []


# --- Leak 6: addresses


def test_an_unpublished_meeting_the_same_day_does_not_change_public_links(
    world: World, client: Client
) -> None:
    published = MeetingFactory.create(organization=world.forum)
    item = AgendaItemFactory.create(meeting=published, number=1, title="Tilgængelighed")
    search_index_meeting(meeting_id=published.pk)
    MeetingFactory.create(
        organization=world.forum,
        starts_at=published.starts_at + dt.timedelta(hours=4),
        state=Meeting.State.PLANNED,
    )
    key = f"{timezone.localtime(published.starts_at):%Y-%m-%d}"
    page = client.get(f"/chefforum/{key}/")
    assert page.status_code == 200
    assert f"/chefforum/{key}-" not in page.content.decode()
    hits = client.get("/soeg/", {"q": "tilgængelighed"}).content.decode()
    assert f"/chefforum/{key}/punkt-{item.number}/" in hits
    assert b"-0900" not in client.get("/kalender.ics").content
    # The secretary sees both meetings, so their addresses carry the time.
    secretary = Client()
    secretary.force_login(world.users["secretary"])
    assert secretary.get(f"/chefforum/{key}/").status_code == 200
    assert f"/chefforum/{key}-0900/" in secretary.get(f"/chefforum/{key}/").content.decode()


# --- Members and secretaries find what they may read on the pages


def test_members_find_closed_items_and_decisions_once_sent_to_them(world: World) -> None:
    closed = indexed_item(world, title="Omplacering af medarbejder", public=False)
    member, secretary = world.users["member"], world.users["secretary"]
    assert found("omplacering") == []
    assert found("omplacering", member) == [closed.pk]
    assert found("omplacering", world.users["other_secretary"]) == []
    draft = indexed_item(
        world,
        title="Mødekalender",
        decision="Forslaget om fredagsmøder blev forkastet.",
        meeting_state=Meeting.State.HELD,
    )
    assert found("fredagsmøder", secretary) == [draft.pk]
    assert found("fredagsmøder", member) == []
    assert found("mødekalender", member) == [draft.pk]  # the item itself, not its decision
    [hit] = search_items(query="mødekalender", user=member).hits
    assert "fredagsmøder" not in hit.snippet
    Meeting.objects.filter(pk=draft.meeting_id).update(minutes_ready_at=timezone.now())
    search_index_missing()
    assert found("fredagsmøder", member) == [draft.pk]
    assert found("fredagsmøder") == []


def test_journal_numbers_follow_the_same_tiers(world: World) -> None:
    case = CaseFactory.create()
    closed = indexed_item(world, title="Lukket sag", public=False, case=case)
    assert found(case.journal_number) == []
    assert found(case.journal_number, world.users["member"]) == [closed.pk]


# --- Defect 13: the debug cursor of `make run`


def test_reindexing_works_through_the_debug_cursor(world: World) -> None:
    item = indexed_item(world, title="Digitaliseringsstrategi")
    connection.force_debug_cursor = True
    try:
        search_index_meeting(meeting_id=item.meeting_id)
    finally:
        connection.force_debug_cursor = False
    assert found("digitaliseringsstrategi") == [item.pk]


# --- Defect 16: crafted input is a 404 or an empty answer, never a 500


@pytest.mark.parametrize(
    "query",
    [
        {"q": "budget", "aar": "99999999999999999999"},
        {"q": "budget", "aar": "²"},
        {"q": "budget", "side": "99999999999999999999"},
        {"q": "budget", "side": "²"},
        {"q": "budget", "til": "9999-12-31"},
        {"q": "budget", "fra": "0001-01-01"},
        {"q": "budget", "fra": "2023-02-30"},
        {"q": "00.01", "side": "-1"},
    ],
)
def test_crafted_search_parameters(world: World, client: Client, query: dict[str, str]) -> None:
    indexed_item(world, title="Budget 2024")
    assert client.get("/soeg/", query).status_code == 200


@pytest.mark.parametrize("key", ["9999-12-31", "0001-01-01", "9999-12-31-2359", "2023-02-30"])
def test_crafted_meeting_keys_are_404(world: World, client: Client, key: str) -> None:
    for url in (
        f"/chefforum/{key}/",
        f"/chefforum/{key}/punkt-1/",
        f"/chefforum/{key}/dagsorden.pdf",
        f"/chefforum/{key}/punkt-1/bilag-1/bilag.pdf",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "arguments",
    [
        ["search", "budget", "--limit", "99999999999999999999"],
        ["export", "--forum", "Chefforum", "--date", "0001-01-01"],
        ["export", "--forum", "Chefforum", "--date", "9999-12-31"],
        [
            "render",
            "--forum",
            "Chefforum",
            "--date",
            "0001-01-01",
            "--as",
            "agenda",
            "--format",
            "txt",
            "-o",
            "-",
        ],
    ],
)
def test_crafted_command_line_input_is_one_line_and_exit_2(
    world: World, arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command(*arguments)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") <= 1 and "Traceback" not in err

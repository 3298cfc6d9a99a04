"""Crafted input on every work page is a 404 or a form error, never a 500 (defect 16).

Walks each desk URL as a secretary and as an administrator with what a fuzzer or a curious
user sends: non-numeric and huge ids, unknown choices, dates at the ends of the calendar
(0001-01-01 and 9999-12-31 overflow when converted to UTC), times out of range, a time in
the spring-forward gap, control characters and over-long text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dagsorden.cases.models import CaseDocument
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Meeting
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond a 64-bit integer
NUMBERS = ["x", HUGE, f"-{HUGE}", "-1", "0", "1.5", "²", "١", "1e400", "", " ", "\x00"]
DAYS = ["0001-01-01", "9999-12-31", "2024-02-30", "²", "x", "", "10000-01-01"]
TIMES = ["25:00", "24:00", "23:60", "-1:00", "99:99", "x", "²", "9"]
MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59", "2025-03-30T02:30", "x", "2024-13-01T09:00"]
TEXT = ["\x00\x0b\x1b\x85\u2028\ufffe", "x" * 100_000, "Linje\nlinje"]
OK = {200, 302, 400, 403, 404, 405}


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def build(world: World) -> dict[str, Any]:
    """A planned meeting, a held one (published, begun, with a case item), approved
    minutes, a draft case and a case waiting to be placed."""
    secretary = world.users["secretary"]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    planned = meetings.meeting_create(
        organization=world.forum, user=secretary, day=yesterday + dt.timedelta(days=30)
    )
    held = meetings.meeting_create(organization=world.forum, user=secretary, day=yesterday)

    def case(state: str, headline: str) -> CaseDocument:
        return CaseDocument.objects.create(
            author=world.users["producer"],
            department=world.department,
            organization=world.forum,
            headline=headline,
            journal_number="00.01.00-P35-9-24",
            recommendation_points=["at a.", "at b."],
            state=state,
        )

    placed = case(CaseDocument.State.SUBMITTED, "Placeret")
    meetings.agenda_place_case(meeting=held, document=placed, user=secretary)
    meetings.agenda_publish(meeting=held, user=secretary)
    approved = meetings.meeting_create(
        organization=world.forum, user=secretary, day=yesterday - dt.timedelta(days=30)
    )
    meetings.agenda_publish(meeting=approved, user=secretary)
    for item in meetings.agenda_items(approved):
        meetings.minutes_record(item=item, user=secretary, outcome="noted")
    meetings.minutes_send_for_approval(meeting=approved, user=secretary)
    meetings.minutes_approve(meeting=approved, user=secretary)
    return {
        "planned": planned,
        "held": held,
        "approved": approved,
        "item": AgendaItem.objects.get(meeting=held, title="Placeret"),
        "approved_item": meetings.agenda_items(approved)[0],
        "draft": case(CaseDocument.State.DRAFT, "Kladde"),
        "waiting": case(CaseDocument.State.SUBMITTED, "Venter"),
    }


def requests(world: World, things: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    planned: Meeting = things["planned"]
    held: Meeting = things["held"]
    item: AgendaItem = things["item"]
    draft: CaseDocument = things["draft"]
    waiting: CaseDocument = things["waiting"]
    forum = world.forum.pk
    out: list[tuple[str, str, dict[str, Any]]] = []

    def get(url: str) -> None:
        out.append(("get", url, {}))

    def post(url: str, data: dict[str, Any]) -> None:
        out.append(("post", url, data))

    for number in NUMBERS:
        get(f"/arbejde/moeder/nyt/?forum={number}")
        get(f"/arbejde/?side={number}")
        post(f"/arbejde/moeder/{planned.pk}/placer/", {"document": number})
        post(f"/arbejde/moeder/{held.pk}/punkter/{item.pk}/flyt/", {"position": number})
        post(
            f"/arbejde/moeder/{held.pk}/punkter/{item.pk}/tid/",
            {f"i{item.pk}-duration_minutes": number, f"i{item.pk}-break_after_minutes": number},
        )
        post("/arbejde/moeder/nyt/", {"organization": number, "day": "2031-01-09"})
        post("/arbejde/sager/ny/", {"department": number, "organization": number, "headline": "x"})
        post(f"/arbejde/moeder/{held.pk}/referat/", {f"status_{number}": "present"})
        post(f"/arbejde/moeder/{held.pk}/referat/", {f"i{number}-outcome": "noted"})
        for target in (draft, waiting):
            post(f"/arbejde/sager/{target.pk}/", editor(forum, remove=number))
            post(f"/arbejde/sager/{target.pk}/", editor(forum, duration_minutes=number))
            post(f"/arbejde/sager/{target.pk}/", editor(number))
            post(f"/arbejde/sager/{target.pk}/kvalitet/", editor(number, public=number))
    for path in ("", "referat/", "placer/", "offentliggoer/", f"punkter/{HUGE}/flyt/"):
        get(f"/arbejde/moeder/{HUGE}/{path}")
        post(f"/arbejde/moeder/{HUGE}/{path}", {})
    for action in ("flyt", "tid", "fjern"):
        post(f"/arbejde/moeder/{held.pk}/punkter/{HUGE}/{action}/", {})
    for path in ("", "kvalitet/", "handling/", "indsaet/"):
        get(f"/arbejde/sager/{HUGE}/{path}")
        post(f"/arbejde/sager/{HUGE}/{path}", {})
    get("/arbejde/moeder/abc/")
    post(f"/arbejde/moeder/{things['approved'].pk}/referat/punkter/{HUGE}/ret/", {})
    for day in DAYS:
        for start in ("09:00", "23:30", ""):
            post("/arbejde/moeder/nyt/", {"organization": forum, "day": day, "start": start})
    for clock in TIMES:
        post("/arbejde/moeder/nyt/", {"organization": forum, "day": "2031-01-09", "start": clock})
        post("/arbejde/moeder/nyt/", {"organization": forum, "day": "2031-01-09", "end": clock})
        post(
            f"/arbejde/moeder/{held.pk}/referat/",
            {
                f"i{item.pk}-outcome": "noted",
                f"i{item.pk}-actual_start": clock,
                f"i{item.pk}-actual_end": clock,
            },
        )
    for moment in MOMENTS:
        post(f"/arbejde/moeder/{planned.pk}/offentliggoer/", {"at": moment})
    for choice in ("x", "per_point", "", "Noted", HUGE):
        post(f"/arbejde/moeder/{held.pk}/referat/", {f"i{item.pk}-outcome": choice})
        post(f"/arbejde/moeder/{held.pk}/referat/", {"action": choice})
        post(f"/arbejde/moeder/{held.pk}/referat/", {f"status_{forum}": choice})
        post(f"/arbejde/moeder/{held.pk}/punkter/{item.pk}/flyt/", {"direction": choice})
        post(f"/arbejde/sager/{waiting.pk}/handling/", {"action": choice})
        post(f"/arbejde/sager/{draft.pk}/", editor(forum, action=choice, case_type=choice))
        approved_item = things["approved_item"]
        post(
            f"/arbejde/moeder/{things['approved'].pk}/referat/punkter/{approved_item.pk}/ret/",
            {f"a{approved_item.pk}-field": choice, f"a{approved_item.pk}-text": "x"},
        )
    for text in TEXT:
        post(f"/arbejde/sager/{draft.pk}/", editor(forum, headline=text, occasion=text))
        post(f"/arbejde/sager/{draft.pk}/", editor(forum, **{"override:x": text}))
        post(f"/arbejde/sager/{draft.pk}/indsaet/", {"html": text})
        post(f"/arbejde/sager/{waiting.pk}/handling/", {"action": "return", "comment": text})
        post(
            f"/arbejde/moeder/{held.pk}/referat/",
            {f"i{item.pk}-outcome": "noted", f"i{item.pk}-decision": text},
        )
        post("/arbejde/moeder/nyt/", {"organization": forum, "day": "2031-01-09", "location": text})
    return out


def editor(forum: Any, **changes: Any) -> dict[str, Any]:
    return {
        "headline": "Sag",
        "organization": forum,
        "public": "1",
        "journal_number": "00.01.00-P35-9-24",
        **changes,
    }


@pytest.mark.parametrize("role", ["secretary", "administrator"])
def test_crafted_input_never_answers_500(world: World, role: str) -> None:
    things = build(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    failures = []
    walked = requests(world, things)
    for method, url, data in walked:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        if response.status_code not in OK:
            error = getattr(response, "exc_info", None)
            failures.append(
                f"{method.upper()} {url} {data!r:.160} → {response.status_code} {error}"
            )
    assert failures == [], "\n".join(failures)
    assert len(walked) > 300


def test_a_crafted_forum_choice_falls_back_to_the_first_forum(world: World) -> None:
    client = Client()
    client.force_login(world.users["secretary"])
    for value in ("x", HUGE, "²", str(world.other_forum.pk)):  # another's forum: not offered
        page = client.get(f"/arbejde/moeder/nyt/?forum={value}").content.decode()
        assert f'<option value="{world.forum.pk}" selected>Chefforum</option>' in page


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_at_the_end_of_the_calendar_is_a_form_error(world: World, day: str) -> None:
    client = Client()
    client.force_login(world.users["secretary"])
    response = client.post("/arbejde/moeder/nyt/", {"organization": world.forum.pk, "day": day})
    assert response.status_code == 200
    assert "Vælg en dato mellem år 1900 og 2100." in response.content.decode()
    assert not Meeting.objects.exists()

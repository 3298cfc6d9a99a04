"""What a user types on the work pages is cleaned in one place (the desk's text fields):
control characters removed, Word's Shift+Enter (U+000B) stored as a line break, and a line
break refused in a single-line field with an error beside it (issue 9, defects 11 and 14).
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import timezone

from dagsorden.cases.models import CaseDocument, CaseEvent
from dagsorden.desk import forms as desk_forms
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Amendment, Meeting
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db

CASE = {
    "headline": "Telefontider i Borgerservice",
    "case_type": "Beslutning",
    "journal_number": "00.01.00-P35-9-24",
    "public": "1",
    "occasion": "Borgerne har bedt om længere telefontider.",
    "presentation": "I dag er der åbent fra kl. 9 til 12.",
    "recommendation_proposer": "Direktionen indstiller,",
    "recommendation_points": "at telefontiderne udvides.",
}


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def draft(world: World, **fields: Any) -> CaseDocument:
    return CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        organization=world.forum,
        headline=fields.pop("headline", "Sag"),
        **fields,
    )


def error_beside(page: str, field_id: str) -> str:
    """The error list rendered beside the field (Django links it by id)."""
    start = page.index(f'id="{field_id}_error"')
    return page[start : page.index("</ul>", start)]


def test_every_text_field_of_the_work_pages_cleans_what_is_typed() -> None:
    """A new form or field cannot bypass the cleaning: each CharField is a LineField or a
    TextField (dynamic fields included)."""
    fields: list[tuple[str, forms.Field]] = []
    for name, form_class in inspect.getmembers(desk_forms, inspect.isclass):
        if issubclass(form_class, forms.BaseForm) and form_class.__module__ == desk_forms.__name__:
            fields += [(f"{name}.{f}", field) for f, field in form_class.base_fields.items()]
    item = AgendaItem(pk=1, recommendation_points=["at a", "at b"])
    dynamic = desk_forms.DecisionForm(item=item).fields
    fields += [(f"DecisionForm.{f}", field) for f, field in dynamic.items()]
    plain = [
        name
        for name, field in fields
        if isinstance(field, forms.CharField)
        and not isinstance(field, desk_forms.LineField | desk_forms.TextField)
    ]
    assert plain == []
    assert any(isinstance(field, desk_forms.LineField) for _, field in fields)


def test_the_case_editor_stores_cleaned_text(world: World) -> None:
    document = draft(world)
    response = signed_in(world, "producer").post(
        f"/arbejde/sager/{document.pk}/",
        {
            **CASE,
            "organization": world.forum.pk,
            "headline": "Telefon\x00tider\x7f",
            "occasion": "Første linje\x0bAnden linje\x0cTredje\u2028Fjerde",
            "presentation": "Afsnit et\x1b.\r\n\r\nLinje et\x0blinje to.",
            "recommendation_points": "at a\x0bat b",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.headline == "Telefontider"
    assert document.occasion == "Første linje\nAnden linje\nTredje\nFjerde"
    assert document.presentation == [
        {"kind": "paragraph", "text": "Afsnit et."},
        {"kind": "paragraph", "text": "Linje et linje to."},  # a line break within a paragraph
    ]
    assert document.recommendation_points == ["at a", "at b"]


@pytest.mark.parametrize("headline", ["To\nlinjer", "Shift+Enter\x0bfra Word", "CR\rLF"])
def test_a_headline_with_a_line_break_is_refused_beside_the_field(
    world: World, headline: str
) -> None:
    producer = signed_in(world, "producer")
    created = producer.post(
        "/arbejde/sager/ny/",
        {
            "department": world.department.pk,
            "organization": world.forum.pk,
            "headline": headline,
            "case_type": "Beslutning",
        },
    )
    assert created.status_code == 200 and not CaseDocument.objects.exists()
    assert "én linje" in error_beside(created.content.decode(), "id_headline")

    document = draft(world, headline="Gammel overskrift")
    edited = producer.post(
        f"/arbejde/sager/{document.pk}/",
        {**CASE, "organization": world.forum.pk, "headline": headline},
    )
    assert edited.status_code == 200
    page = edited.content.decode()
    assert "én linje" in error_beside(page, "id_headline")
    assert "Borgerne har bedt om længere telefontider." in page  # the rest of the text stays
    document.refresh_from_db()
    assert document.headline == "Gammel overskrift"


def held_meeting(world: World) -> Meeting:
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() - dt.timedelta(days=1)
    )
    meetings.agenda_publish(meeting=meeting, user=secretary)
    return meeting


def test_a_vertical_tab_in_a_decision_is_stored_as_a_line_break(world: World) -> None:
    meeting = held_meeting(world)
    item = meetings.agenda_items(meeting)[0]
    response = signed_in(world, "secretary").post(
        f"/arbejde/moeder/{meeting.pk}/referat/",
        {
            f"i{item.pk}-outcome": "approved",
            f"i{item.pk}-decision": "Godkendt.\x0bDog med en bemærkning\x00.",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == "Godkendt.\nDog med en bemærkning."


def test_amendments_and_comments_are_cleaned(world: World) -> None:
    meeting = held_meeting(world)
    secretary = world.users["secretary"]
    items = meetings.agenda_items(meeting)
    for item in items:
        meetings.minutes_record(item=item, user=secretary, outcome="noted")
    meetings.minutes_send_for_approval(meeting=meeting, user=secretary)
    meetings.minutes_approve(meeting=meeting, user=secretary)
    item = items[0]
    client = signed_in(world, "secretary")
    client.post(
        f"/arbejde/moeder/{meeting.pk}/referat/punkter/{item.pk}/ret/",
        {
            f"a{item.pk}-field": "decision",
            f"a{item.pk}-text": "Godkendt.\x0bMed rettelse\x1f.",
            f"a{item.pk}-reason": "Skrive\x07fejl.",
        },
    )
    amendment = Amendment.objects.get(item=item)
    assert (amendment.amended, amendment.reason) == ("Godkendt.\nMed rettelse.", "Skrivefejl.")
    # A title is one line: an amendment that would break it is refused beside the text.
    refused = client.post(
        f"/arbejde/moeder/{meeting.pk}/referat/punkter/{item.pk}/ret/",
        {
            f"a{item.pk}-field": "title",
            f"a{item.pk}-text": "Ny\x0btitel",
            f"a{item.pk}-reason": "x",
        },
    )
    assert "én linje" in error_beside(refused.content.decode(), f"id_a{item.pk}-text")

    document = draft(world, state=CaseDocument.State.DEPARTMENT_REVIEW)
    signed_in(world, "head").post(
        f"/arbejde/sager/{document.pk}/handling/",
        {"action": "return", "comment": "Tilføj tal\x0bog kilder\x1b."},
    )
    assert document.events.get(action=CaseEvent.Action.RETURNED).comment == "Tilføj tal\nog kilder."


def test_a_point_decision_is_one_line(world: World) -> None:
    meeting = held_meeting(world)
    item = meetings.agenda_items(meeting)[0]
    AgendaItem.objects.filter(pk=item.pk).update(recommendation_points=["at a", "at b"])
    response = signed_in(world, "secretary").post(
        f"/arbejde/moeder/{meeting.pk}/referat/",
        {
            f"i{item.pk}-outcome": "per_point",
            f"i{item.pk}-point_1": "Tiltrådt.\x0bMen ikke helt",
            f"i{item.pk}-point_2": "Tiltrådt.",
        },
    )
    assert response.status_code == 200
    assert "én linje" in error_beside(response.content.decode(), f"id_i{item.pk}-point_1")
    item.refresh_from_db()
    assert item.decision is None

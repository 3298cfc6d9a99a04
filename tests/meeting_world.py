"""Meetings built through the services, in any state of their life (for the lock, audit and
admin tests): a planned agenda with two placed cases, published, minutes ready, approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from dagsorden.cases.models import CaseDocument
from dagsorden.core.models import AuditEvent
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting
from tests.roles import World

DAY = dt.date(2021, 3, 11)  # past: minutes are written once a meeting has begun
STATES = ("planned", "published", "ready", "approved")


def submitted_case(world: World, headline: str, **fields: Any) -> CaseDocument:
    return CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        unit=world.unit,
        organization=world.forum,
        headline=headline,
        case_type="Beslutning",
        journal_number=fields.pop("journal_number", "00.01.00-P35-9-24"),
        occasion=fields.pop("occasion", "Borgerne har bedt om længere telefontider."),
        presentation=[{"kind": "paragraph", "text": "I dag er der åbent om formiddagen."}],
        recommendation_points=["at telefontiderne udvides."],
        state=CaseDocument.State.SUBMITTED,
        **fields,
    )


def meeting_in(world: World, state: str, *, day: dt.date = DAY) -> Meeting:
    """Items: 1 approval, 2 "Telefontider i Borgerservice" (with an attachment named
    "Bilagsliste zebrafinke"), 3 "Lukket personalesag", 4 "Eventuelt"."""
    assert state in STATES
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(organization=world.forum, user=secretary, day=day)
    open_item = meetings.agenda_place_case(
        meeting=meeting,
        document=submitted_case(world, "Telefontider i Borgerservice"),
        user=secretary,
    )
    Attachment.objects.create(item=open_item, order=1, name="Bilagsliste zebrafinke")
    meetings.agenda_place_case(
        meeting=meeting,
        document=submitted_case(
            world, "Lukket personalesag", public=False, closed_reason="Personsag"
        ),
        user=secretary,
    )
    if state == "planned":
        return meeting
    meetings.agenda_publish(meeting=meeting, user=secretary)
    if state == "published":
        return meeting
    for item in meetings.agenda_items(meeting):
        meetings.minutes_record(
            item=item, user=secretary, outcome="noted", decision="Beslutningstekst."
        )
    meetings.minutes_send_for_approval(meeting=meeting, user=secretary)
    if state == "ready":
        return meeting
    meetings.minutes_approve(meeting=meeting, user=secretary)
    meeting.refresh_from_db()
    return meeting


def item_titled(meeting: Meeting, title: str) -> AgendaItem:
    return AgendaItem.objects.get(meeting=meeting, title=title)


def superuser() -> User:
    return User.objects.create_superuser("root", "root@example.org", "x")


def audit_mark() -> int:
    """The newest audit row now: rows after it are what the next step recorded."""
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last is not None else 0


def audit_since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=mark).order_by("pk"))

"""The minutes lock lives in the domain: approved minutes change only by an amendment,
whoever writes (work pages, the admin's services, scripts). Each refusal has a clear
message and leaves the row, the audit trail and the search index as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting
from dagsorden.meetings.services import LOCKED_FIELDS, MeetingError, minutes_assert_unlocked
from tests.meeting_world import audit_mark, audit_since, item_titled, meeting_in, superuser
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db

LOCK_MESSAGE = "Referatet er godkendt og låst"


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def approved(world: World) -> Meeting:
    return meeting_in(world, "approved")


def row_state(obj: Any) -> dict[str, Any]:
    fresh = type(obj).all_objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


def refused(step: Any, *, obj: Any, message: str = LOCK_MESSAGE) -> None:
    """``step`` raises with ``message``; ``obj`` and the audit trail stay unchanged."""
    before, mark = row_state(obj), audit_mark()
    with pytest.raises(MeetingError, match=message):
        step()
    assert row_state(obj) == before
    assert audit_since(mark) == []


def test_the_rule_names_what_is_locked_and_points_to_amendments(approved: Meeting) -> None:
    with pytest.raises(MeetingError) as error:
        minutes_assert_unlocked(meeting=approved, fields=["decision", "title", "presenters"])
    message = str(error.value)
    assert LOCK_MESSAGE in message and "rettelse" in message
    assert "beslutning" in message and "overskrift" in message
    assert "fremlæggere" not in message  # not locked: named only when it is
    minutes_assert_unlocked(meeting=approved, fields=["presenters", "actual_start"])
    minutes_assert_unlocked(meeting=approved, fields=["location", "ends_at"], model=Meeting)
    with pytest.raises(MeetingError, match="sletning"):
        minutes_assert_unlocked(meeting=approved, fields=["deleted_at"], model=Attachment)


@pytest.mark.parametrize("state", ["planned", "published", "ready"])
def test_nothing_is_locked_before_approval(world: World, state: str) -> None:
    meeting = meeting_in(world, state)
    for model, fields in LOCKED_FIELDS.items():
        minutes_assert_unlocked(meeting=meeting, fields=fields, model=model)


def test_the_rule_reads_the_stored_state_not_the_object(approved: Meeting) -> None:
    """A form or an importer may already have changed the object in memory."""
    approved.state = Meeting.State.PLANNED
    with pytest.raises(MeetingError):
        minutes_assert_unlocked(meeting=approved, fields=["state"], model=Meeting)


def test_the_work_pages_service_refuses_a_decision(world: World, approved: Meeting) -> None:
    item = item_titled(approved, "Telefontider i Borgerservice")
    refused(
        lambda: meetings.minutes_record(
            item=item, user=world.users["secretary"], outcome="postponed", decision="Udsat."
        ),
        obj=item,
    )
    refused(
        lambda: meetings.minutes_send_for_approval(meeting=approved, user=world.users["secretary"]),
        obj=approved,
    )


def test_the_work_page_refuses_and_changes_nothing(world: World, approved: Meeting) -> None:
    item = item_titled(approved, "Telefontider i Borgerservice")
    client = Client()
    client.force_login(world.users["secretary"])
    before, mark = row_state(item), audit_mark()
    response = client.post(
        f"/arbejde/moeder/{approved.pk}/referat/",
        {f"i{item.pk}-outcome": "postponed", f"i{item.pk}-decision": "Udsat."},
    )
    assert response.status_code == 403
    assert row_state(item) == before and audit_since(mark) == []


LOCKED_ITEM_CHANGES = {
    "decision": "Ny beslutning.",
    "outcome": "postponed",
    "point_decisions": ["Tiltrådt"],
    "title": "Ny overskrift",
    "public": False,
    "case_type": "Orientering",
    "occasion": "Ny anledning.",
    "presentation": "Ny sagsfremstilling.",
    "recommendation_proposer": "Direktionen indstiller,",
    "recommendation_points": ["at noget andet sker."],
    "has_recommendation": False,
}


def test_the_changes_listed_cover_every_locked_field_of_an_item() -> None:
    assert set(LOCKED_ITEM_CHANGES) | {"deleted_at"} == LOCKED_FIELDS[AgendaItem]


@pytest.mark.parametrize("field", sorted(LOCKED_ITEM_CHANGES))
def test_the_admin_service_refuses_each_locked_item_field(
    world: World, approved: Meeting, field: str
) -> None:
    item = item_titled(approved, "Telefontider i Borgerservice")
    refused(
        lambda: meetings.item_update(
            item=item, user=superuser(), changes={field: LOCKED_ITEM_CHANGES[field]}
        ),
        obj=item,
    )


def test_unlocked_fields_of_approved_minutes_still_change(approved: Meeting) -> None:
    item = item_titled(approved, "Telefontider i Borgerservice")
    meetings.item_update(
        item=item, user=superuser(), changes={"actual_start": dt.time(9, 5), "guests": ["Bo"]}
    )
    item.refresh_from_db()
    assert item.actual_start == dt.time(9, 5) and item.guests == ["Bo"]


def test_an_approved_item_is_not_deleted(world: World, approved: Meeting) -> None:
    item = item_titled(approved, "Telefontider i Borgerservice")
    refused(lambda: meetings.item_soft_delete(item=item, user=superuser()), obj=item)
    before = row_state(item)
    with pytest.raises((MeetingError, PermissionDenied)):
        meetings.agenda_remove_item(item=item, user=world.users["administrator"])
    assert row_state(item) == before


def test_attachments_of_approved_minutes_are_locked(approved: Meeting) -> None:
    attachment = Attachment.objects.get(name="Bilagsliste zebrafinke")
    root = superuser()
    for changes in ({"name": "Andet navn"}, {"public": False}, {"file": "bilag/andet.pdf"}):
        refused(
            lambda changes=changes: meetings.attachment_update(
                attachment=attachment, user=root, changes=changes
            ),
            obj=attachment,
        )
    refused(
        lambda: meetings.attachment_soft_delete(attachment=attachment, user=root), obj=attachment
    )
    count = Attachment.objects.count()
    with pytest.raises(MeetingError, match=LOCK_MESSAGE):
        meetings.attachment_create(item=attachment.item, user=root, fields={"name": "Nyt bilag"})
    assert Attachment.objects.count() == count
    meetings.attachment_update(attachment=attachment, user=root, changes={"order": 7})
    assert Attachment.objects.get(pk=attachment.pk).order == 7


@pytest.mark.parametrize(
    "changes",
    [
        {"state": Meeting.State.HELD},
        {"state": Meeting.State.PLANNED},
        {"state": Meeting.State.CANCELLED},
        {"starts_at": dt.datetime(2031, 3, 14, 9, 0, tzinfo=dt.UTC)},
    ],
    ids=["held", "planned", "cancelled", "start"],
)
def test_the_meeting_of_approved_minutes_keeps_its_state_and_start(
    approved: Meeting, changes: dict[str, Any]
) -> None:
    refused(
        lambda: meetings.meeting_update(meeting=approved, user=superuser(), changes=changes),
        obj=approved,
    )


def test_cancelling_approved_minutes_is_refused(world: World, approved: Meeting) -> None:
    refused(
        lambda: meetings.meeting_cancel(meeting=approved, user=world.users["secretary"]),
        obj=approved,
    )


def test_an_amendment_is_the_one_way(world: World, approved: Meeting) -> None:
    item = item_titled(approved, "Telefontider i Borgerservice")
    amendment = meetings.minutes_amend(
        item=item,
        user=world.users["secretary"],
        field="occasion",
        text="Rettet anledning.",
        reason="Skrivefejl.",
    )
    item.refresh_from_db()
    assert item.occasion == "Rettet anledning."
    assert amendment.original == "Borgerne har bedt om længere telefontider."
    with pytest.raises(MeetingError):
        meetings.minutes_amend(
            item=item, user=world.users["secretary"], field="public", text="0", reason="x"
        )

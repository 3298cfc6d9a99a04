"""The audit trail: every service that changes a meeting, an item, a case, an attachment
or a role writes exactly its row(s), with who, what and before -> after, in its own
transaction (a refused step writes none)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dagsorden.access import services as roles
from dagsorden.access.models import Role, RoleAssignment
from dagsorden.cases import services as flow
from dagsorden.cases.models import CaseDocument
from dagsorden.core.audit import audit_trail
from dagsorden.core.models import AuditEvent
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting, Person
from tests.meeting_world import (
    DAY,
    audit_mark,
    audit_since,
    item_titled,
    meeting_in,
    submitted_case,
    superuser,
)
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db
ANY = object()  # a value the test does not pin (a time stamp)


@pytest.fixture
def world() -> World:
    return make_world()


def rows(mark: int) -> list[tuple[str, str, str]]:
    """(action, target type, actor) of each row recorded since ``mark``."""
    return [(e.action, e.target_type, e.actor_label) for e in audit_since(mark)]


def only_row(mark: int, action: str) -> AuditEvent:
    [event] = [e for e in audit_since(mark) if e.action == action]
    return event


def assert_changes(event: AuditEvent, expected: dict[str, Any]) -> None:
    assert set(event.changes) == set(expected), event.changes
    for name, pair in expected.items():
        for got, want in zip(event.changes[name], pair, strict=True):
            assert want is ANY or got == want, (name, event.changes[name])


# --- The agenda


def test_meeting_create(world: World) -> None:
    mark = audit_mark()
    meeting = meetings.meeting_create(
        organization=world.forum, user=world.users["secretary"], day=DAY
    )
    assert rows(mark) == [("meeting.create", "meetings.meeting", "secretary")]
    event = only_row(mark, "meeting.create")
    assert event.actor == world.users["secretary"] and event.target_id == meeting.pk
    assert_changes(
        event,
        {
            "organization": [None, world.forum.pk],
            "starts_at": [None, ANY],
            "ends_at": [None, ANY],
            "location": [None, "Mødelokale 1"],
            "state": [None, "planned"],
        },
    )
    assert list(audit_trail(meeting)) == [event]


def test_agenda_place_case(world: World) -> None:
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(organization=world.forum, user=secretary, day=DAY)
    document = submitted_case(world, "Telefontider i Borgerservice")
    mark = audit_mark()
    item = meetings.agenda_place_case(meeting=meeting, document=document, user=secretary)
    assert rows(mark) == [
        ("agenda.place_case", "meetings.agendaitem", "secretary"),
        ("case.place", "cases.casedocument", "secretary"),
    ]
    assert_changes(
        only_row(mark, "agenda.place_case"),
        {
            "meeting": [None, meeting.pk],
            "number": [None, 2],
            "title": [None, "Telefontider i Borgerservice"],
            "public": [None, True],
            "case_type": [None, "Beslutning"],
            "case": [None, item.case_id],
        },
    )
    assert_changes(
        only_row(mark, "case.place"),
        {"state": ["submitted", "placed"], "agenda_item": [None, item.pk]},
    )


def test_agenda_move_set_timing_and_remove(world: World) -> None:
    secretary = world.users["secretary"]
    meeting = meeting_in(world, "planned")
    closed = item_titled(meeting, "Lukket personalesag")

    mark = audit_mark()
    meetings.agenda_move_item(item=closed, user=secretary, position=1)
    assert rows(mark) == [("agenda.move_item", "meetings.agendaitem", "secretary")]
    assert_changes(only_row(mark, "agenda.move_item"), {"number": [3, 2]})

    mark = audit_mark()
    meetings.agenda_move_item(item=closed, user=secretary, position=1)
    assert rows(mark) == []  # nowhere to go: nothing changed, nothing recorded

    mark = audit_mark()
    meetings.agenda_set_timing(
        item=closed, user=secretary, duration_minutes=40, break_after_minutes=10
    )
    assert_changes(
        only_row(mark, "agenda.set_timing"),
        {"duration_minutes": [None, 40], "break_after_minutes": [0, 10]},
    )
    assert rows(mark) == [("agenda.set_timing", "meetings.agendaitem", "secretary")]

    mark = audit_mark()
    meetings.agenda_remove_item(item=closed, user=secretary)
    assert rows(mark) == [
        ("case.postponed", "cases.casedocument", "secretary"),
        ("agenda.remove_item", "meetings.agendaitem", "secretary"),
    ]
    assert_changes(only_row(mark, "agenda.remove_item"), {"deleted_at": [None, ANY]})
    assert_changes(
        only_row(mark, "case.postponed"),
        {"state": ["placed", "submitted"], "agenda_item": [closed.pk, None]},
    )


def test_agenda_publish_now_and_at_a_chosen_time(world: World) -> None:
    secretary = world.users["secretary"]
    meeting = meeting_in(world, "planned")
    later = timezone.now() + dt.timedelta(hours=2)

    mark = audit_mark()
    meetings.agenda_publish(meeting=meeting, user=secretary, at=later)
    assert rows(mark) == [("agenda.schedule", "meetings.meeting", "secretary")]
    assert_changes(only_row(mark, "agenda.schedule"), {"agenda_publish_at": [None, ANY]})

    mark = audit_mark()
    published = meetings.publish_due_agendas(now=later + dt.timedelta(minutes=1))
    assert [m.pk for m in published] == [meeting.pk]
    assert rows(mark) == [("agenda.publish", "meetings.meeting", "system")]
    event = only_row(mark, "agenda.publish")
    assert event.actor is None and event.note == "publish_due"
    assert_changes(
        event, {"state": ["planned", "agenda_published"], "agenda_published_at": [None, ANY]}
    )

    other = meetings.meeting_create(
        organization=world.forum, user=secretary, day=DAY + dt.timedelta(days=7)
    )
    mark = audit_mark()
    meetings.agenda_publish(meeting=other, user=secretary)
    assert rows(mark) == [("agenda.publish", "meetings.meeting", "secretary")]
    assert_changes(
        only_row(mark, "agenda.publish"),
        {
            "state": ["planned", "agenda_published"],
            "agenda_publish_at": [None, ANY],
            "agenda_published_at": [None, ANY],
        },
    )


# --- The minutes


def test_minutes_record_attendance_send_and_approve(world: World) -> None:
    secretary = world.users["secretary"]
    meeting = meeting_in(world, "published")
    item = item_titled(meeting, "Telefontider i Borgerservice")

    mark = audit_mark()
    meetings.minutes_record(
        item=item,
        user=secretary,
        outcome="per_point",
        decision="Drøftet.",
        point_decisions=["Tiltrådt"],
        actual_start=dt.time(9, 5),
    )
    # The first decision after the meeting began marks it held.
    assert rows(mark) == [
        ("minutes.record", "meetings.agendaitem", "secretary"),
        ("meeting.held", "meetings.meeting", "secretary"),
    ]
    assert_changes(
        only_row(mark, "minutes.record"),
        {
            "outcome": ["", "per_point"],
            "decision": [None, "Drøftet.\nAd 1: Tiltrådt"],
            "point_decisions": [[], ["Tiltrådt"]],
            "actual_start": [None, "09:05:00"],
        },
    )

    people = {p.name: p.pk for p in Person.objects.all()}
    mark = audit_mark()
    meetings.minutes_attendance(
        meeting=meeting,
        user=secretary,
        statuses={people["Anne Direktør"]: "present", people["Bo Chef"]: "absent"},
        notes={people["Bo Chef"]: "Ferie"},
    )
    assert rows(mark) == [("minutes.attendance", "meetings.meeting", "secretary")]
    assert_changes(
        only_row(mark, "minutes.attendance"),
        {"Anne Direktør": [None, ["present", ""]], "Bo Chef": [None, ["absent", "Ferie"]]},
    )

    for other in meetings.agenda_items(meeting):
        if other.pk != item.pk:
            meetings.minutes_record(item=other, user=secretary, outcome="noted")
    mark = audit_mark()
    meetings.minutes_send_for_approval(meeting=meeting, user=secretary)
    assert rows(mark) == [("minutes.send_for_approval", "meetings.meeting", "secretary")]
    assert_changes(
        only_row(mark, "minutes.send_for_approval"),
        {"state": ["agenda_published", "held"], "minutes_ready_at": [None, ANY]},
    )

    mark = audit_mark()
    meetings.minutes_approve(meeting=meeting, user=secretary)
    assert rows(mark) == [("minutes.approve", "meetings.meeting", "secretary")]
    assert_changes(
        only_row(mark, "minutes.approve"),
        {"state": ["held", "minutes_approved"], "minutes_approved_at": [None, ANY]},
    )

    item = item_titled(meeting, "Telefontider i Borgerservice")  # its meeting, now approved
    mark = audit_mark()
    meetings.minutes_amend(
        item=item, user=secretary, field="title", text="Telefontider", reason="Kortere."
    )
    assert rows(mark) == [("minutes.amend", "meetings.agendaitem", "secretary")]
    event = only_row(mark, "minutes.amend")
    assert event.note == "Kortere."
    assert_changes(event, {"title": ["Telefontider i Borgerservice", "Telefontider"]})


def test_recording_a_held_meeting_and_approval_under_item_1(world: World) -> None:
    """Item 1 of the next meeting approves the previous minutes: both are recorded, by the
    secretary who wrote the decision."""
    secretary = world.users["secretary"]
    past = timezone.localdate() - dt.timedelta(days=14)
    previous = meeting_in(world, "ready", day=past)
    today = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() - dt.timedelta(days=1)
    )
    meetings.agenda_publish(meeting=today, user=secretary)
    approval = meetings.agenda_items(today)[0]
    mark = audit_mark()
    meetings.minutes_record(item=approval, user=secretary, outcome="approved")
    assert rows(mark) == [
        ("minutes.record", "meetings.agendaitem", "secretary"),
        ("meeting.held", "meetings.meeting", "secretary"),
        ("minutes.approve", "meetings.meeting", "secretary"),
    ]
    assert_changes(only_row(mark, "meeting.held"), {"state": ["agenda_published", "held"]})
    event = only_row(mark, "minutes.approve")
    assert event.target_id == previous.pk
    assert_changes(
        event,
        {
            "state": ["held", "minutes_approved"],
            "minutes_approved_at": [None, ANY],
            "minutes_approved_in": [None, approval.pk],
        },
    )


def test_a_postponed_item_returns_its_case(world: World) -> None:
    secretary = world.users["secretary"]
    meeting = meeting_in(world, "published")
    item = item_titled(meeting, "Telefontider i Borgerservice")
    mark = audit_mark()
    meetings.minutes_record(item=item, user=secretary, outcome="postponed")
    assert rows(mark) == [
        ("minutes.record", "meetings.agendaitem", "secretary"),
        ("meeting.held", "meetings.meeting", "secretary"),
        ("case.postponed", "cases.casedocument", "secretary"),
    ]


def test_saving_the_same_decision_again_records_nothing(world: World) -> None:
    secretary = world.users["secretary"]
    item = item_titled(meeting_in(world, "published"), "Eventuelt")
    meetings.minutes_record(item=item, user=secretary, outcome="noted", decision="Intet.")
    mark = audit_mark()
    meetings.minutes_record(item=item, user=secretary, outcome="noted", decision="Intet.")
    assert rows(mark) == []


# --- The administration's services


def test_meeting_update_cancel_and_soft_delete(world: World) -> None:
    root = superuser()
    meeting = meeting_in(world, "published")
    mark = audit_mark()
    meetings.meeting_update(
        meeting=meeting, user=root, changes={"location": "Byrådssalen", "state": "planned"}
    )
    assert rows(mark) == [("meeting.update", "meetings.meeting", "root")]
    assert_changes(
        only_row(mark, "meeting.update"),
        {"location": ["Mødelokale 1", "Byrådssalen"], "state": ["agenda_published", "planned"]},
    )

    mark = audit_mark()
    meetings.meeting_cancel(meeting=meeting, user=world.users["secretary"], reason="Ingen sager.")
    event = only_row(mark, "meeting.cancel")
    assert rows(mark) == [("meeting.cancel", "meetings.meeting", "secretary")]
    assert event.note == "Ingen sager."
    assert_changes(event, {"state": ["planned", "cancelled"]})
    with pytest.raises(meetings.MeetingError, match="allerede aflyst"):
        meetings.meeting_cancel(meeting=meeting, user=world.users["secretary"])

    mark = audit_mark()
    meetings.meeting_soft_delete(meeting=meeting, user=root)
    assert rows(mark) == [("meeting.delete", "meetings.meeting", "root")]
    assert_changes(only_row(mark, "meeting.delete"), {"deleted_at": [None, ANY]})
    assert Meeting.all_objects.get(pk=meeting.pk).deleted

    mark = audit_mark()
    meetings.organization_soft_delete(organization=world.other_forum, user=root)
    assert rows(mark) == [("forum.delete", "meetings.organization", "root")]


def test_a_state_set_in_the_admin_is_the_same_step_as_on_the_work_pages(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """Publishing sets its time and tells the members; cancelling and approving are recorded
    as those steps, beside any other field the same save changed."""
    root = superuser()
    meeting = meeting_in(world, "planned")
    mark = audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_update(
            meeting=meeting, user=root, changes={"state": "agenda_published", "location": "Sal 2"}
        )
    assert rows(mark) == [
        ("meeting.update", "meetings.meeting", "root"),
        ("agenda.publish", "meetings.meeting", "root"),
    ]
    assert_changes(only_row(mark, "meeting.update"), {"location": ["Mødelokale 1", "Sal 2"]})
    assert_changes(
        only_row(mark, "agenda.publish"),
        {
            "state": ["planned", "agenda_published"],
            "agenda_publish_at": [None, ANY],
            "agenda_published_at": [None, ANY],
        },
    )
    # The forum's members are told once the change is saved, as from the work pages.
    assert [m.subject.startswith("Dagsorden offentliggjort") for m in mail.outbox] == [True]
    assert mail.outbox[0].to == ["member@example.org"]

    mark = audit_mark()
    meetings.meeting_update(meeting=meeting, user=root, changes={"state": "cancelled"})
    assert rows(mark) == [("meeting.cancel", "meetings.meeting", "root")]

    ready = meeting_in(world, "ready", day=DAY + dt.timedelta(days=7))
    mark = audit_mark()
    meetings.meeting_update(meeting=ready, user=root, changes={"state": "minutes_approved"})
    assert rows(mark) == [("minutes.approve", "meetings.meeting", "root")]
    assert Meeting.objects.get(pk=ready.pk).minutes_approved_at is not None


def test_a_held_meeting_is_not_cancelled(world: World) -> None:
    meeting = meeting_in(world, "ready")
    mark = audit_mark()
    with pytest.raises(meetings.MeetingError, match="afholdt"):
        meetings.meeting_cancel(meeting=meeting, user=world.users["secretary"])
    with pytest.raises(meetings.MeetingError, match="afholdt"):
        meetings.meeting_update(meeting=meeting, user=superuser(), changes={"state": "cancelled"})
    assert rows(mark) == [] and Meeting.objects.get(pk=meeting.pk).state == "held"


def test_item_and_attachment_services(world: World) -> None:
    root = superuser()
    meeting = meeting_in(world, "published")
    item = item_titled(meeting, "Telefontider i Borgerservice")
    attachment = Attachment.objects.get(item=item)

    mark = audit_mark()
    meetings.item_update(item=item, user=root, changes={"public": False, "title": item.title})
    assert rows(mark) == [("item.update", "meetings.agendaitem", "root")]
    assert_changes(only_row(mark, "item.update"), {"public": [True, False]})

    mark = audit_mark()
    meetings.attachment_update(attachment=attachment, user=root, changes={"public": False})
    assert rows(mark) == [("attachment.update", "meetings.attachment", "root")]
    assert_changes(only_row(mark, "attachment.update"), {"public": [True, False]})

    mark = audit_mark()
    created = meetings.attachment_create(item=item, user=root, fields={"name": "Tidsplan"})
    assert rows(mark) == [("attachment.create", "meetings.attachment", "root")]
    assert_changes(
        only_row(mark, "attachment.create"),
        {
            "item": [None, item.pk],
            "order": [None, 2],
            "name": [None, "Tidsplan"],
            "public": [None, True],
        },
    )

    mark = audit_mark()
    meetings.attachment_soft_delete(attachment=created, user=root)
    assert rows(mark) == [("attachment.delete", "meetings.attachment", "root")]

    mark = audit_mark()
    meetings.item_soft_delete(item=item, user=root)
    assert rows(mark) == [
        ("case.postponed", "cases.casedocument", "root"),
        ("item.delete", "meetings.agendaitem", "root"),
    ]
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


# --- Cases


def test_the_case_flow(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    producer, head = world.users["producer"], world.users["head"]
    mark = audit_mark()
    document = flow.case_document_create(
        user=producer,
        department=world.department,
        organization=world.forum,
        headline="Telefontider",
        case_type="Beslutning",
    )
    assert rows(mark) == [("case.create", "cases.casedocument", "producer")]
    assert_changes(
        only_row(mark, "case.create"),
        {
            "author": [None, producer.pk],
            "department": [None, world.department.pk],
            "unit": [None, world.unit.pk],
            "organization": [None, world.forum.pk],
            "headline": [None, "Telefontider"],
            "case_type": [None, "Beslutning"],
        },
    )

    mark = audit_mark()
    flow.case_document_update(
        document=document,
        user=producer,
        data={"headline": "Telefontider i Borgerservice", "case_type": "Beslutning"},
    )
    assert rows(mark) == [("case.update", "cases.casedocument", "producer")]
    assert_changes(
        only_row(mark, "case.update"),
        {"headline": ["Telefontider", "Telefontider i Borgerservice"]},
    )
    mark = audit_mark()
    flow.case_document_update(document=document, user=producer, data={"case_type": "Beslutning"})
    assert rows(mark) == []  # an unchanged save

    mark = audit_mark()
    upload = SimpleUploadedFile("Tidsplan.pdf", b"%PDF-1.7 plan", content_type="application/pdf")
    attachment = flow.case_attachment_add(document=document, user=producer, upload=upload)
    assert rows(mark) == [("case_attachment.add", "cases.caseattachment", "producer")]
    assert only_row(mark, "case_attachment.add").changes["name"] == [None, "Tidsplan.pdf"]
    mark = audit_mark()
    flow.case_attachment_remove(attachment=attachment, user=producer)
    assert rows(mark) == [("case_attachment.remove", "cases.caseattachment", "producer")]

    # A step the quality checks refuse records nothing.
    mark = audit_mark()
    with pytest.raises(flow.QualityBlocked):
        flow.case_submit(document=document, user=producer)
    assert rows(mark) == []

    overrides = {f.code: "Aftalt med chefen." for f in flow.case_findings(document)}
    mark = audit_mark()
    flow.case_submit(document=document, user=producer, overrides=overrides)
    assert rows(mark) == [("case.submit", "cases.casedocument", "producer")]
    event = only_row(mark, "case.submit")
    assert event.changes["state"] == ["draft", "department_review"]
    assert event.changes["quality_overrides"][0] == {}
    assert set(event.changes["quality_overrides"][1]) == set(overrides)
    assert set(event.changes) == {"state", "submitted_at", "quality_overrides"}

    mark = audit_mark()
    flow.case_return(document=document, user=head, comment="Tilføj tal.")
    assert rows(mark) == [("case.return", "cases.casedocument", "head")]
    event = only_row(mark, "case.return")
    assert event.note == "Tilføj tal."
    assert_changes(event, {"state": ["department_review", "returned"]})

    mark = audit_mark()
    flow.case_fast_track(
        document=document, user=producer, reason="Frist i morgen.", overrides=overrides
    )
    assert rows(mark) == [("case.fast_track", "cases.casedocument", "producer")]
    assert_changes(
        only_row(mark, "case.fast_track"),
        {
            "state": ["returned", "submitted"],
            "fast_track": [False, True],
            "fast_track_reason": ["", "Frist i morgen."],
            "submitted_at": [ANY, ANY],
        },
    )


def test_unit_review_and_approval(world: World) -> None:
    document = submitted_case(world, "Sag til gennemsyn")
    CaseDocument.objects.filter(pk=document.pk).update(state=CaseDocument.State.UNIT_REVIEW)
    document.refresh_from_db()
    mark = audit_mark()
    flow.case_review(document=document, user=world.users["unit_leader"], comment="Fin.")
    flow.case_approve(document=document, user=world.users["head"])
    assert rows(mark) == [
        ("case.review", "cases.casedocument", "unit_leader"),
        ("case.approve", "cases.casedocument", "head"),
    ]
    assert_changes(only_row(mark, "case.review"), {"state": ["unit_review", "department_review"]})
    assert_changes(only_row(mark, "case.approve"), {"state": ["department_review", "submitted"]})


# --- Roles


def test_role_services(world: World) -> None:
    root, member = superuser(), world.users["member"]
    mark = audit_mark()
    assignment = roles.role_assignment_create(
        actor=root, user=member, role=Role.SECRETARY, organization=world.forum
    )
    assert rows(mark) == [("role.create", "access.roleassignment", "root")]
    assert_changes(
        only_row(mark, "role.create"),
        {
            "user": [None, member.pk],
            "role": [None, "secretary"],
            "organization": [None, world.forum.pk],
        },
    )
    assert member.groups.filter(name="Sekretær").exists()

    mark = audit_mark()
    roles.role_assignment_update(
        assignment=assignment, actor=root, changes={"organization": world.other_forum}
    )
    assert_changes(
        only_row(mark, "role.update"), {"organization": [world.forum.pk, world.other_forum.pk]}
    )

    with pytest.raises(roles.RoleError):
        roles.role_assignment_update(
            assignment=assignment, actor=root, changes={"organization": None}
        )
    assert RoleAssignment.objects.get(pk=assignment.pk).organization == world.other_forum

    mark = audit_mark()
    roles.role_assignment_delete(assignment=assignment, actor=root)
    assert rows(mark) == [("role.delete", "access.roleassignment", "root")]
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not member.groups.filter(name="Sekretær").exists()
    assert Group.objects.get(name="Forummedlem") in member.groups.all()  # the other role stays


def test_only_administrators_give_roles(world: World) -> None:
    mark = audit_mark()
    with pytest.raises(PermissionDenied):
        roles.role_assignment_create(
            actor=world.users["secretary"], user=world.users["member"], role=Role.ADMINISTRATOR
        )
    assert rows(mark) == []
    assert not RoleAssignment.objects.filter(
        user=world.users["member"], role="administrator"
    ).exists()

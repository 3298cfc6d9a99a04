"""The minutes lock, as the importer keeps it (issue 9, defect 7, import part).

An import never changes an existing meeting's state or publication; a meeting made or held in
the work pages is theirs; approved minutes change only by amendment (``--amend REASON``, by a
named user); a user who imports needs the permission the work pages require; every import that
creates or changes a meeting is in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from dagsorden.access.rules import OPERATOR
from dagsorden.core.models import AuditEvent
from dagsorden.documents.contract import Document
from dagsorden.documents.export import meeting_document
from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import (
    DocumentRejected,
    Outcome,
    document_import,
    sha512_hex,
)
from dagsorden.meetings.models import AgendaItem, Amendment, Meeting, MeetingSource
from dagsorden.meetings.services import meeting_create, minutes_record
from dagsorden.publishing.renderers.txt import render_text
from tests.conftest import seed_path
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db

SEED = "chefforum-2023-09-14.txt"
REFUSED = "approved minutes change only by amendment; use --amend REASON"


@pytest.fixture
def world() -> World:
    return make_world()


def minutes() -> Document:
    return parse_path(seed_path(SEED))


def agenda() -> Document:
    document = minutes()
    return replace(
        document, kind="agenda", items=tuple(replace(i, decision=None) for i in document.items)
    )


def changed(document: Document, index: int, **fields: Any) -> Document:
    items = list(document.items)
    items[index] = replace(items[index], **fields)
    return replace(document, items=tuple(items))


def store(document: Document, name: str, **options: Any) -> Any:
    """Import ``document`` as if from the file ``name`` (its checksum: the name's)."""
    return document_import(
        document=document, source_name=name, sha512=sha512_hex(name.encode()), **options
    )


def imports_of(meeting: Meeting) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action="meeting.import", target_id=meeting.pk).order_by("pk")
    )


# --- Approved minutes change only by amendment


def test_changed_minutes_over_approved_minutes_are_refused() -> None:
    store(minutes(), "referat")
    meeting = Meeting.objects.get()
    assert meeting.state == Meeting.State.MINUTES_APPROVED
    before = meeting_document(meeting=meeting, user=OPERATOR)
    edited = changed(minutes(), 0, decision="Godkendt med en rettelse.")
    with pytest.raises(DocumentRejected, match=REFUSED):
        store(edited, "rettet")
    assert meeting_document(meeting=meeting, user=OPERATOR) == before
    assert not Amendment.objects.exists()
    assert meeting.sources.count() == 1


def test_amend_records_each_changed_title_and_decision(world: World) -> None:
    secretary = world.users["secretary"]
    store(minutes(), "referat")
    meeting = Meeting.objects.get()
    original = minutes()
    edited = changed(
        changed(original, 0, decision="Chefforum godkendte referat og dagsorden med en rettelse."),
        2,
        title="Centrale udfordringer for 2025",
    )
    result = store(edited, "rettet", actor=secretary, amend="Stavefejl i referatet")
    assert (result.outcome, result.note) == (Outcome.UPDATED, "2 amendments")

    amendments = list(Amendment.objects.order_by("item__order"))
    assert [(a.item.order, a.field, a.original, a.amended) for a in amendments] == [
        (1, "decision", original.items[0].decision, edited.items[0].decision),
        (3, "title", original.items[2].title, "Centrale udfordringer for 2025"),
    ]
    assert {(a.reason, a.author) for a in amendments} == {("Stavefejl i referatet", secretary)}
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_APPROVED
    assert meeting_document(meeting=meeting, user=OPERATOR) == edited
    audit = imports_of(meeting)[-1]
    assert audit.actor == secretary
    assert audit.note == "import: rettet; amended: Stavefejl i referatet"
    assert audit.changes["item 3 title"] == [original.items[2].title, edited.items[2].title]
    assert meeting.sources.count() == 2


def test_an_amendment_changes_titles_and_decisions_only(world: World) -> None:
    store(minutes(), "referat")
    edited = changed(minutes(), 1, decision="Ny tekst.", attachments=("Et andet bilag.pdf",))
    with pytest.raises(DocumentRejected, match="item 2: the attachments differs"):
        store(edited, "rettet", actor=world.users["secretary"], amend="Rettelse")
    shorter = replace(minutes(), items=minutes().items[:3])
    with pytest.raises(DocumentRejected, match="have 7 items, the document 3"):
        store(shorter, "kortere", actor=world.users["secretary"], amend="Rettelse")
    assert not Amendment.objects.exists()


def test_an_amendment_names_who_makes_it_and_needs_the_right_to() -> None:
    world = make_world()
    store(minutes(), "referat")
    edited = changed(minutes(), 0, decision="Godkendt.")
    with pytest.raises(DocumentRejected, match="an amendment records who makes it"):
        store(edited, "rettet", amend="Rettelse")
    with pytest.raises(PermissionDenied):
        store(edited, "rettet", actor=world.users["member"], amend="Rettelse")
    assert not Amendment.objects.exists()


def test_the_same_approved_minutes_from_another_file_change_nothing() -> None:
    store(minutes(), "referat")
    again = store(replace(minutes(), location=minutes().location), "kopi")
    assert (again.outcome, again.note) == (Outcome.UNCHANGED, "the approved minutes say the same")
    assert not Amendment.objects.exists()
    assert MeetingSource.objects.count() == 2  # recognised next time by its checksum


# --- An import never changes a meeting's state or publication


def test_a_meeting_planned_in_the_work_pages_is_not_published_by_an_import(world: World) -> None:
    meeting = meeting_create(
        organization=world.forum,
        user=world.users["secretary"],
        day=dt.date(2023, 9, 14),
        start=dt.time(9, 0),
    )
    for document in (agenda(), minutes()):
        with pytest.raises(DocumentRejected, match="made in the work pages"):
            store(document, document.kind)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED
    assert [item.title for item in AgendaItem.objects.filter(meeting=meeting)] == [
        "Godkendelse af dagsorden og referat",
        "Eventuelt",
    ]


def test_minutes_imported_over_an_imported_agenda_leave_it_unpublished() -> None:
    store(agenda(), "dagsorden")
    result = store(minutes(), "referat")
    assert result.outcome is Outcome.UPDATED
    assert "stays Dagsorden offentliggjort" in result.note
    meeting = Meeting.objects.get()
    assert meeting.state == Meeting.State.AGENDA_PUBLISHED  # decisions are not public yet
    assert [i.decision for i in meeting_document(meeting=meeting, user=OPERATOR).items] == [
        i.decision for i in minutes().items
    ]


def test_a_meeting_held_in_the_work_pages_takes_only_its_own_kind(world: World) -> None:
    store(agenda(), "dagsorden")
    meeting = Meeting.objects.get()
    first = AgendaItem.objects.get(meeting=meeting, order=1)
    minutes_record(item=first, user=world.users["secretary"], outcome="approved")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    with pytest.raises(
        DocumentRejected, match=r"held in the work pages \(state: Afholdt\); only a changed agenda"
    ):
        store(minutes(), "referat")
    unchanged = store(changed(agenda(), 1, title="Ny titel"), "ny-dagsorden")
    assert unchanged.outcome is Outcome.UNCHANGED  # an agenda does not replace minutes
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    assert AgendaItem.objects.get(pk=first.pk).decision


def test_a_cancelled_meeting_stays_cancelled() -> None:
    store(agenda(), "dagsorden")
    Meeting.objects.update(state=Meeting.State.CANCELLED)
    result = store(changed(agenda(), 1, title="Ny titel"), "ny-dagsorden")
    assert result.outcome is Outcome.UPDATED
    assert Meeting.objects.get().state == Meeting.State.CANCELLED


# --- The audit trail


def test_every_import_that_creates_or_changes_a_meeting_is_audited() -> None:
    store(agenda(), "dagsorden.txt")
    meeting = Meeting.objects.get()
    (created,) = imports_of(meeting)
    assert (created.actor, created.actor_label, created.note) == (
        None,
        "system",
        "import: dagsorden.txt",
    )
    assert created.changes["state"] == [None, "agenda_published"]
    assert created.changes["items"] == [None, 7]

    store(changed(agenda(), 1, title="Ny titel"), "ny.txt")
    store(changed(agenda(), 1, title="Ny titel"), "ny.txt")  # the same file again: no change
    created, updated = imports_of(meeting)
    assert updated.note == "import: ny.txt"
    old_title = agenda().items[1].title
    assert updated.changes == {"item 2": [[2, old_title, None, True], [2, "Ny titel", None, True]]}


# --- A user who imports needs the work pages' permission for the same change


def test_a_user_needs_the_work_pages_permission(world: World) -> None:
    users = world.users
    for name in ("member", "producer", "other_secretary"):
        with pytest.raises(PermissionDenied):
            store(agenda(), "dagsorden", actor=users[name])
    assert not Meeting.objects.exists()
    store(agenda(), "dagsorden", actor=users["secretary"])
    meeting = Meeting.objects.get()
    assert imports_of(meeting)[0].actor == users["secretary"]
    with pytest.raises(PermissionDenied):
        store(changed(agenda(), 1, title="Ny"), "ny", actor=users["member"])
    store(changed(agenda(), 1, title="Ny"), "ny", actor=users["administrator"])
    with pytest.raises(PermissionDenied):  # a new forum is made by an administrator only
        store(replace(agenda(), forum="Økonomiudvalget"), "ny-forum", actor=users["secretary"])


# --- The command line


def write(path: Path, document: Document) -> Path:
    path.write_text(render_text(document), encoding="utf-8")
    return path


def test_the_command_refuses_then_amends(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import", str(write(tmp_path / "referat.txt", minutes())))
    edited = write(tmp_path / "rettet.txt", changed(minutes(), 0, decision="Godkendt."))
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(edited))
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert f"failed: {edited}: {REFUSED}" in err and "1 failed." in out

    for arguments, message in (
        (["--amend", "Rettelse"], "--amend needs --user USERNAME"),
        (["--amend", " ", "--user", "secretary"], "--amend needs a reason"),
        (["--user", "nobody"], "no active user named 'nobody'"),
    ):
        with pytest.raises(SystemExit) as exited:
            call_command("import", *arguments, str(edited))
        assert exited.value.code == 2
        assert message in capsys.readouterr().err

    call_command("import", "--amend", "Rettelse", "--user", "secretary", str(edited))
    out = capsys.readouterr().out
    assert f"note: {edited}: 1 amendment" in out and "1 updated" in out
    amendment = Amendment.objects.get()
    assert (amendment.amended, amendment.reason, amendment.author) == (
        "Godkendt.",
        "Rettelse",
        world.users["secretary"],
    )

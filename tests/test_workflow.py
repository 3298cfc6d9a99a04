"""Write, assemble, decide: the whole case flow through the work pages, on a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dagsorden.cases.models import CaseDocument, CaseEvent
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Meeting,
    Membership,
    Organization,
)
from dagsorden.search.models import SearchEntry
from tests.make_run import run_settings  # noqa: F401 (a fixture, used through pytestmark)
from tests.roles import World, make_world

# Every test runs under the test settings and again under `make run`'s (DEBUG on).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_settings")]

GOOD_CASE = {
    "headline": "Telefontider i Borgerservice",
    "case_type": "Beslutning",
    "journal_number": "00.01.00-P35-9-24",
    "public": "1",
    "closed_reason": "",
    "occasion": "Borgerne har bedt om længere telefontider. Sagen forelægges til beslutning.",
    "presentation": (
        "Baggrund\n\nI dag er der åbent fra kl. 9 til 12. Se bilag 1.\n\n- mandag\n- torsdag"
    ),
    "recommendation_proposer": "Direktionen indstiller,",
    "recommendation_points": "at telefontiderne udvides.\nat ændringen evalueres efter et år.",
    "duration_minutes": "30",
    "responsible_head": "Bo Chef",
    "presenters": "Bo Chef",
}


def client_for(world: World, role: str, capture: Any = None) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.fixture
def world() -> World:
    return make_world()


def write_case(world: World, **changes: str) -> CaseDocument:
    producer = client_for(world, "producer")
    response = producer.post(
        "/arbejde/sager/ny/",
        {
            "department": world.department.pk,
            "organization": world.forum.pk,
            "headline": changes.get("headline", GOOD_CASE["headline"]),
            "case_type": "Beslutning",
        },
    )
    document = CaseDocument.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/arbejde/sager/{document.pk}/"
    data = {**GOOD_CASE, "organization": world.forum.pk, **changes}
    assert producer.post(f"/arbejde/sager/{document.pk}/", data).status_code == 302
    # The attachment goes up through the same form, with the text.
    upload = SimpleUploadedFile(
        "Tidsplan.pdf", b"%PDF-1.7 tidsplan", content_type="application/pdf"
    )
    producer.post(
        f"/arbejde/sager/{document.pk}/",
        {**data, "attachment": upload, "attachment_publish": "on", "action": "attach"},
    )
    document.refresh_from_db()
    return document


def test_the_whole_flow(
    world: World, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    document = write_case(world)
    assert document.presentation[0] == {"kind": "heading", "text": "Baggrund"}
    assert document.recommendation_points == [
        "at telefontiderne udvides.",
        "at ændringen evalueres efter et år.",
    ]
    assert document.attachments.get().media_type == "application/pdf"

    producer = client_for(world, "producer")
    page = producer.get(f"/arbejde/sager/{document.pk}/").content.decode()
    assert "Kvalitetstjek" in page and "LIX" in page

    # Submit: to the department head (no unit review in this department).
    with django_capture_on_commit_callbacks(execute=True):
        producer.post(f"/arbejde/sager/{document.pk}/handling/", {"action": "submit"})
    document.refresh_from_db()
    assert document.state == CaseDocument.State.DEPARTMENT_REVIEW

    # The head returns it with a comment; the producer is told by e-mail.
    head = client_for(world, "head")
    with django_capture_on_commit_callbacks(execute=True):
        head.post(
            f"/arbejde/sager/{document.pk}/handling/",
            {"action": "return", "comment": "Tilføj tal."},
        )
    document.refresh_from_db()
    assert document.state == CaseDocument.State.RETURNED
    assert mail.outbox[-1].to == ["producer@example.org"] and "Tilføj tal." in mail.outbox[-1].body

    # Resubmitted and approved; the producer hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        producer.post(f"/arbejde/sager/{document.pk}/handling/", {"action": "submit"})
        head.post(f"/arbejde/sager/{document.pk}/handling/", {"action": "approve"})
    document.refresh_from_db()
    assert document.state == CaseDocument.State.SUBMITTED
    assert "godkendt" in mail.outbox[-1].subject
    actions = list(document.events.values_list("action", flat=True))
    assert actions == ["created", "submitted", "returned", "submitted", "approved"]

    # The secretary creates a meeting from the forum's defaults and places the case. It was
    # held yesterday: minutes are written only once a meeting has begun.
    secretary = client_for(world, "secretary")
    day = timezone.localdate() - dt.timedelta(days=1)
    secretary.post(
        "/arbejde/moeder/nyt/",
        {"organization": world.forum.pk, "day": day.isoformat(), "start": "09:00", "location": ""},
    )
    meeting = Meeting.objects.get(organization=world.forum)
    assert meeting.location == "Mødelokale 1"
    assert [i.title for i in meetings.agenda_items(meeting)] == [
        "Godkendelse af dagsorden og referat",
        "Eventuelt",
    ]
    secretary.post(f"/arbejde/moeder/{meeting.pk}/placer/", {"document": document.pk})
    items = meetings.agenda_items(meeting)
    assert [i.title for i in items] == [
        "Godkendelse af dagsorden og referat",
        "Telefontider i Borgerservice",
        "Eventuelt",
    ]
    assert [i.time_slot_label() for i in items] == [
        "9.00 – 9.05 (5)",
        "9.05 – 9.35 (30)",
        "9.35 – 9.40 (5)",
    ]
    placed = items[1]
    assert placed.case.journal_number == "00.01.00-P35-9-24"
    assert placed.presentation.startswith("Baggrund\n\nI dag er der åbent")
    placed_attachment = placed.attachments.get()
    assert placed_attachment.name == "Tidsplan.pdf"  # the extension kept (issue 9, defect 18)
    assert placed_attachment.file.name.endswith(".pdf")

    # A break after item 2 moves "Eventuelt".
    secretary.post(
        f"/arbejde/moeder/{meeting.pk}/punkter/{placed.pk}/tid/",
        {f"i{placed.pk}-duration_minutes": "45", f"i{placed.pk}-break_after_minutes": "15"},
    )
    assert meetings.agenda_items(meeting)[2].time_slot_label() == "10.05 – 10.10 (5)"

    # Not public before publishing; published at once, members told.
    anonymous = Client()
    assert anonymous.get(f"/chefforum/{day.isoformat()}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(f"/arbejde/moeder/{meeting.pk}/offentliggoer/", {"at": ""})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.AGENDA_PUBLISHED
    assert mail.outbox[-1].to == ["member@example.org"] and "Dagsorden" in mail.outbox[-1].subject
    public_page = anonymous.get(f"/chefforum/{day.isoformat()}/").content.decode()
    assert "Telefontider i Borgerservice" in public_page

    # Times and order change on the published agenda too (under `make run`'s DEBUG as well).
    timed = secretary.post(
        f"/arbejde/moeder/{meeting.pk}/punkter/{placed.pk}/tid/",
        {f"i{placed.pk}-duration_minutes": "30", f"i{placed.pk}-break_after_minutes": "0"},
    )
    moved = secretary.post(
        f"/arbejde/moeder/{meeting.pk}/punkter/{placed.pk}/flyt/", {"direction": "down"}
    )
    assert (timed.status_code, moved.status_code) == (302, 302)
    assert meetings.agenda_items(meeting)[1].time_slot_label() == "9.05 – 9.35 (30)"

    # Minutes: point by point, attendance, sent for approval, approved: public and locked.
    # The minutes page is one form: the decisions and the attendance are saved together.
    prefix = f"i{placed.pk}"
    anne = world.forum.memberships.get(person__name="Anne Direktør").person
    minutes_url = f"/arbejde/moeder/{meeting.pk}/referat/"
    response = secretary.post(
        minutes_url,
        {
            f"{prefix}-outcome": "per_point",
            f"{prefix}-point_1": "Tiltrådt.",
            f"{prefix}-point_2": "Tiltrådt med evaluering efter seks måneder.",
            f"{prefix}-actual_start": "09:05",
            f"{prefix}-actual_end": "09:50",
            **{
                f"i{item.pk}-outcome": "noted"
                for item in meetings.agenda_items(meeting)
                if item.pk != placed.pk
            },
            f"status_{anne.pk}": "absent",
            f"note_{anne.pk}": "Ferie",
        },
    )
    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.decision == "Ad 1: Tiltrådt.\nAd 2: Tiltrådt med evaluering efter seks måneder."
    assert all(item.decision for item in meetings.agenda_items(meeting))
    assert Attendance.objects.get(meeting=meeting, person=anne).status == "absent"
    assert "Ad 1: Tiltrådt" not in anonymous.get(f"/chefforum/{day.isoformat()}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(minutes_url, {"action": "ready"})
    assert "godkendelse" in mail.outbox[-1].subject
    # Members read the draft minutes; the public does not yet.
    assert (
        "Ad 1: Tiltrådt"
        in client_for(world, "member").get(f"/chefforum/{day.isoformat()}/").content.decode()
    )
    assert "Ad 1: Tiltrådt" not in anonymous.get(f"/chefforum/{day.isoformat()}/").content.decode()
    secretary.post(minutes_url, {"action": "approve"})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_APPROVED
    assert "Ad 1: Tiltrådt" in anonymous.get(f"/chefforum/{day.isoformat()}/").content.decode()
    assert SearchEntry.objects.get(item=placed).decision_public
    minutes_page = anonymous.get(f"/chefforum/{day.isoformat()}/").content.decode()
    assert "Afbud" in minutes_page and "Anne Direktør (Ferie)" in minutes_page

    # Locked: the decision form is refused; an amendment keeps the original.
    refused = secretary.post(minutes_url, {f"{prefix}-outcome": "noted"})
    assert refused.status_code == 403
    secretary.post(
        f"/arbejde/moeder/{meeting.pk}/referat/punkter/{placed.pk}/ret/",
        {
            f"a{placed.pk}-field": "decision",
            f"a{placed.pk}-text": "Ad 1: Tiltrådt.\nAd 2: Tiltrådt.",
            f"a{placed.pk}-reason": "Skrivefejl i punkt 2.",
        },
    )
    amendment = Amendment.objects.get(item=placed)
    assert (
        amendment.original.endswith("seks måneder.")
        and amendment.author == world.users["secretary"]
    )
    placed.refresh_from_db()
    assert placed.decision == "Ad 1: Tiltrådt.\nAd 2: Tiltrådt."
    item_page = anonymous.get(f"/chefforum/{day.isoformat()}/punkt-2/").content.decode()
    assert "Skrivefejl i punkt 2." in item_page


def test_quality_errors_block_until_overridden_with_a_reason(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    document = write_case(world, recommendation_points="telefontiderne udvides.")
    producer = client_for(world, "producer")
    producer.post(f"/arbejde/sager/{document.pk}/handling/", {"action": "submit"})
    document.refresh_from_db()
    assert document.state == CaseDocument.State.DRAFT
    producer.post(
        f"/arbejde/sager/{document.pk}/handling/",
        {"action": "submit", "override:recommendation.point1.at": "Ordlyd aftalt med direktionen."},
    )
    document.refresh_from_db()
    assert document.state == CaseDocument.State.DEPARTMENT_REVIEW
    assert document.quality_overrides == {
        "recommendation.point1.at": "Ordlyd aftalt med direktionen."
    }
    assert document.events.filter(action=CaseEvent.Action.OVERRIDDEN).exists()


def test_fast_track_needs_a_reason_and_is_counted(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    document = write_case(world)
    producer = client_for(world, "producer")
    producer.post(f"/arbejde/sager/{document.pk}/handling/", {"action": "fast_track", "reason": ""})
    document.refresh_from_db()
    assert document.state == CaseDocument.State.DRAFT
    producer.post(
        f"/arbejde/sager/{document.pk}/handling/",
        {"action": "fast_track", "reason": "Frist i morgen."},
    )
    document.refresh_from_db()
    assert document.state == CaseDocument.State.SUBMITTED and document.fast_track
    overview = client_for(world, "head").get("/arbejde/").content.decode()
    assert "Hastesager pr. afdeling" in overview


def test_unit_review_when_the_department_asks_for_it(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = make_world(unit_review=True)
    document = write_case(world)
    client_for(world, "producer").post(
        f"/arbejde/sager/{document.pk}/handling/", {"action": "submit"}
    )
    document.refresh_from_db()
    assert document.state == CaseDocument.State.UNIT_REVIEW
    assert (
        client_for(world, "head")
        .post(f"/arbejde/sager/{document.pk}/handling/", {"action": "approve"})
        .status_code
        == 403
    )
    document.refresh_from_db()
    assert document.state == CaseDocument.State.UNIT_REVIEW  # not the head's turn yet
    client_for(world, "unit_leader").post(
        f"/arbejde/sager/{document.pk}/handling/", {"action": "review"}
    )
    document.refresh_from_db()
    assert document.state == CaseDocument.State.DEPARTMENT_REVIEW


def test_postponed_item_goes_back_to_the_secretary(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    document = write_case(world)
    document.state = CaseDocument.State.SUBMITTED
    document.save()
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() - dt.timedelta(days=1)
    )
    item = meetings.agenda_place_case(meeting=meeting, document=document, user=secretary)
    meetings.agenda_publish(meeting=meeting, user=secretary)
    meetings.minutes_record(item=item, user=secretary, outcome=AgendaItem.Outcome.POSTPONED)
    document.refresh_from_db()
    assert document.state == CaseDocument.State.SUBMITTED and document.agenda_item is None
    item.refresh_from_db()
    assert item.decision == "Udsat."


def test_approving_item_one_approves_the_previous_minutes(world: World) -> None:
    secretary = world.users["secretary"]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    first = meetings.meeting_create(
        organization=world.forum, user=secretary, day=yesterday - dt.timedelta(days=28)
    )
    meetings.agenda_publish(meeting=first, user=secretary)
    for item in meetings.agenda_items(first):
        meetings.minutes_record(item=item, user=secretary, outcome="noted")
    meetings.minutes_send_for_approval(meeting=first, user=secretary)
    second = meetings.meeting_create(organization=world.forum, user=secretary, day=yesterday)
    meetings.agenda_publish(meeting=second, user=secretary)
    approval = meetings.agenda_items(second)[0]
    meetings.minutes_record(item=approval, user=secretary, outcome="approved")
    first.refresh_from_db()
    assert first.state == Meeting.State.MINUTES_APPROVED
    assert first.minutes_approved_in == approval


def test_scheduled_publication(world: World) -> None:
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() + dt.timedelta(days=3)
    )
    later = timezone.now() + dt.timedelta(hours=1)
    assert meetings.agenda_publish(meeting=meeting, user=secretary, at=later) is False
    assert meetings.publish_due_agendas() == []
    assert meetings.publish_due_agendas(now=later + dt.timedelta(minutes=1)) == [meeting]
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.AGENDA_PUBLISHED


def test_attachment_type_and_size_limits(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.DAGSORDEN_ATTACHMENT_MAX_BYTES = 10
    document = write_case(world)  # its 17-byte PDF is refused by the new limit
    assert document.attachments.count() == 0
    producer = client_for(world, "producer")
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = producer.post(
        f"/arbejde/sager/{document.pk}/",
        {**GOOD_CASE, "organization": world.forum.pk, "attachment": exe, "action": "attach"},
    )
    # Refused beside the file field; the text was saved first.
    assert response.status_code == 200
    page = response.content.decode()
    beside = page[page.index('id="id_attachment_error"') :]
    assert beside[: beside.index("</ul>")].count("Filtypen .exe kan ikke bruges") == 1
    assert document.attachments.count() == 0


def test_publish_due_command(world: World, capsys: Any) -> None:
    from django.core.management import call_command

    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() + dt.timedelta(days=3)
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_publish_at=timezone.now() - dt.timedelta(minutes=1)
    )
    call_command("publish_due")
    assert "published: Chefforum" in capsys.readouterr().out
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.AGENDA_PUBLISHED


def test_login_page_and_workspace_redirect() -> None:
    client = Client()
    response = client.get("/arbejde/")
    assert response.status_code == 302 and response["Location"].startswith("/log-ind/")
    page = client.get("/log-ind/").content.decode()
    assert 'autocomplete="current-password"' in page


def test_demo_data_brings_one_account_per_role(capsys: Any) -> None:
    from django.core.management import call_command

    from dagsorden.access.rules import grants_for
    from dagsorden.demo.services import DEMO_PASSWORD

    call_command("demo", "--meetings", "8")
    assert f"password: {DEMO_PASSWORD}" in capsys.readouterr().out
    client = Client()
    # Through the login page: django-axes needs the request that ``client.login`` lacks.
    signed_in = client.post("/log-ind/", {"username": "sagsproducent", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/arbejde/"
    assert client.get("/arbejde/sager/ny/").status_code == 200
    from django.contrib.auth.models import User

    secretary = grants_for(User.objects.get(username="sekretaer"))
    assert secretary.secretary_forums == {Organization.objects.get(name="Chefforum").pk}
    assert Membership.objects.filter(organization__name="Chefforum").count() == 4


def test_pasted_html_comes_back_as_clean_text(world: World) -> None:
    document = CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        organization=world.forum,
        headline="Sag",
    )
    html = "<p><b>Status</b></p><p>Tekst<script>alert(1)</script></p><ul><li>a</li></ul>"
    response = client_for(world, "producer").post(
        f"/arbejde/sager/{document.pk}/indsaet/", {"html": html}
    )
    assert response.content.decode() == "Status\n\nTekst\n\n- a"
    other = client_for(world, "head").post(f"/arbejde/sager/{document.pk}/indsaet/", {"html": html})
    assert other.status_code == 404


def test_the_public_page_follows_the_agenda_builder(
    world: World, settings: Any, tmp_path: Any
) -> None:
    """The anonymous page is cached; a change made in the builder must show at once."""
    settings.MEDIA_ROOT = tmp_path
    secretary = world.users["secretary"]
    day = timezone.localdate() + dt.timedelta(days=2)
    meeting = meetings.meeting_create(organization=world.forum, user=secretary, day=day)
    for headline in ("Første sag", "Anden sag"):
        document = write_case(world, headline=headline)
        CaseDocument.objects.filter(pk=document.pk).update(state=CaseDocument.State.SUBMITTED)
        document.refresh_from_db()
        meetings.agenda_place_case(meeting=meeting, document=document, user=secretary)
    meetings.agenda_publish(meeting=meeting, user=secretary)
    anonymous = Client()
    url = f"/chefforum/{day.isoformat()}/"
    first = anonymous.get(url).content.decode()
    assert first.index("Første sag") < first.index("Anden sag")
    anonymous.get(url)  # now served from the cache
    second_item = AgendaItem.objects.get(meeting=meeting, title="Anden sag")
    meetings.agenda_move_item(item=second_item, user=secretary, position=1)
    moved = anonymous.get(url).content.decode()
    assert moved.index("Anden sag") < moved.index("Første sag")


def test_admin_shows_the_records_read_only(world: World, settings: Any, tmp_path: Any) -> None:
    from django.contrib.auth.models import User

    settings.MEDIA_ROOT = tmp_path
    document = write_case(world)
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    page = admin.get(f"/admin/cases/casedocument/{document.pk}/change/")
    assert page.status_code == 200 and "Oprettet" in page.content.decode()
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate()
    )
    item = meetings.agenda_items(meeting)[0]
    assert admin.get(f"/admin/meetings/agendaitem/{item.pk}/change/").status_code == 200
    assert admin.get(f"/admin/meetings/meeting/{meeting.pk}/change/").status_code == 200
    assert admin.get("/admin/access/roleassignment/").status_code == 200

"""Nothing a user types on the work pages is lost (issue 9, defect 15).

One form per page where a user writes: every button of the case editor saves the text on
the screen first; the minutes page saves every item and the attendance together, in one
transaction; a refused save shows the typed text again with the error beside its field;
the quality panel checks the text on the screen. Minutes wait for the meeting to begin.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dagsorden.cases.models import CaseDocument
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Attendance, Meeting
from tests.make_run import run_settings  # noqa: F401 (a fixture, used through pytestmark)
from tests.roles import World, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_settings")]

CASE = {
    "headline": "Telefontider i Borgerservice",
    "case_type": "Beslutning",
    "journal_number": "00.01.00-P35-9-24",
    "public": "1",
    "closed_reason": "",
    "occasion": "Borgerne har bedt om længere telefontider. Sagen forelægges til beslutning.",
    "presentation": "I dag er der åbent fra kl. 9 til 12.",
    "recommendation_proposer": "Direktionen indstiller,",
    "recommendation_points": "at telefontiderne udvides.\nat ændringen evalueres efter et år.",
    "duration_minutes": "30",
    "responsible_head": "Bo Chef",
    "presenters": "Bo Chef",
}
NEW_OCCASION = "Borgerne og erhvervslivet har bedt om længere telefontider."


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def saved_case(world: World, **fields: Any) -> CaseDocument:
    """A draft whose stored text is CASE."""
    document = CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        organization=world.forum,
        headline="Sag",
    )
    assert (
        signed_in(world, "producer")
        .post(f"/arbejde/sager/{document.pk}/", {**CASE, "organization": world.forum.pk})
        .status_code
        == 302
    )
    CaseDocument.objects.filter(pk=document.pk).update(**fields)
    document.refresh_from_db()
    return document


def on_screen(world: World, **changes: Any) -> dict[str, Any]:
    """The editor's form as the browser posts it, with the user's unsaved changes."""
    return {**CASE, "organization": world.forum.pk, **changes}


def error_beside(page: str, field_id: str) -> str:
    start = page.index(f'id="{field_id}_error"')
    return page[start : page.index("</ul>", start)]


# --- The case editor


@pytest.mark.parametrize(
    ("button", "extra", "state"),
    [
        ("submit", {}, CaseDocument.State.DEPARTMENT_REVIEW),
        ("fast_track", {"reason": "Frist i morgen."}, CaseDocument.State.SUBMITTED),
    ],
)
def test_sending_the_case_saves_the_text_on_the_screen_first(
    world: World, button: str, extra: dict[str, str], state: str
) -> None:
    document = saved_case(world)
    response = signed_in(world, "producer").post(
        f"/arbejde/sager/{document.pk}/",
        on_screen(world, occasion=NEW_OCCASION, action=button, **extra),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.occasion, document.state) == (NEW_OCCASION, state)


def test_adding_an_attachment_saves_the_text_on_the_screen_first(world: World) -> None:
    document = saved_case(world)
    upload = SimpleUploadedFile("Bilag.pdf", b"%PDF-1.7 bilag", content_type="application/pdf")
    response = signed_in(world, "producer").post(
        f"/arbejde/sager/{document.pk}/",
        on_screen(world, occasion=NEW_OCCASION, attachment=upload, action="attach"),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.occasion == NEW_OCCASION
    assert [a.name for a in document.attachments.all()] == ["Bilag.pdf"]

    # Removing it is a button of the same form, and saves the text too.
    attachment = document.attachments.get()
    signed_in(world, "producer").post(
        f"/arbejde/sager/{document.pk}/",
        on_screen(world, occasion="Tredje udgave.", remove=str(attachment.pk)),
    )
    document.refresh_from_db()
    assert document.occasion == "Tredje udgave." and not document.attachments.exists()


def test_a_refused_step_keeps_the_text_saved_and_says_why_beside_the_field(world: World) -> None:
    document = saved_case(world)
    response = signed_in(world, "producer").post(
        f"/arbejde/sager/{document.pk}/",
        on_screen(world, occasion=NEW_OCCASION, action="fast_track", reason=""),
    )
    assert response.status_code == 200
    assert "begrundelse" in error_beside(response.content.decode(), "id_reason")
    document.refresh_from_db()
    assert (document.occasion, document.state) == (NEW_OCCASION, CaseDocument.State.DRAFT)


def test_a_refused_save_shows_the_typed_text_with_the_error_beside_the_field(
    world: World,
) -> None:
    document = saved_case(world)
    response = signed_in(world, "producer").post(
        f"/arbejde/sager/{document.pk}/",
        on_screen(world, occasion=NEW_OCCASION, journal_number="sag 12", action="submit"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "journalnummer" in error_beside(page, "id_journal_number")
    assert 'aria-describedby="id_journal_number_helptext id_journal_number_error"' in page
    assert NEW_OCCASION in page and 'value="sag 12"' in page
    assert 'data-dirty="1"' in page  # leaving the page now asks first
    panel = page[page.index('id="quality-panel"') :]
    assert "kan ikke gemmes" in panel[: panel.index("</aside>")]  # the panel agrees
    document.refresh_from_db()
    assert (document.occasion, document.state) == (CASE["occasion"], CaseDocument.State.DRAFT)


def test_the_quality_panel_checks_the_text_on_the_screen(world: World) -> None:
    document = saved_case(world, journal_number="")  # saved: no journal number, open item
    producer = signed_in(world, "producer")
    saved_page = producer.get(f"/arbejde/sager/{document.pk}/").content.decode()
    assert "Sagen mangler et journalnummer." in saved_page

    panel = producer.post(
        f"/arbejde/sager/{document.pk}/kvalitet/",
        on_screen(world, public="0", closed_reason="", recommendation_points="udvides."),
    ).content.decode()
    assert "Sagen mangler et journalnummer." not in panel  # typed on the screen
    assert "Et lukket punkt skal have en begrundelse" in panel  # closed on the screen
    assert "Punkt 1 i indstillingen skal begynde med" in panel

    refused = producer.post(
        f"/arbejde/sager/{document.pk}/kvalitet/", on_screen(world, journal_number="sag 12")
    ).content.decode()
    assert "kan ikke gemmes" in refused and "Journalnummer" in refused


def test_a_reviewer_comment_is_kept_when_the_step_is_refused(world: World) -> None:
    document = saved_case(world, state=CaseDocument.State.DEPARTMENT_REVIEW)
    head = signed_in(world, "head")
    refused = head.post(
        f"/arbejde/sager/{document.pk}/handling/", {"action": "return", "comment": "   "}
    )
    assert refused.status_code == 200
    assert "kommentar" in error_beside(refused.content.decode(), "id_comment").lower()
    document.refresh_from_db()
    assert document.state == CaseDocument.State.DEPARTMENT_REVIEW


# --- The minutes


def held_meeting(world: World, *, points: int = 2) -> tuple[Meeting, list[AgendaItem]]:
    """Published and begun yesterday: approval, one case item with ``points`` points, AOB."""
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() - dt.timedelta(days=1)
    )
    document = saved_case(world, state=CaseDocument.State.SUBMITTED)
    CaseDocument.objects.filter(pk=document.pk).update(
        recommendation_points=[f"at punkt {n} vedtages." for n in range(1, points + 1)]
    )
    document.refresh_from_db()
    meetings.agenda_place_case(meeting=meeting, document=document, user=secretary)
    meetings.agenda_publish(meeting=meeting, user=secretary)
    return meeting, meetings.agenda_items(meeting)


def page_as_posted(client: Client, url: str) -> dict[str, str]:
    """The minutes form's fields with the values the page shows (what a browser posts)."""
    page = client.get(url).content.decode()
    form = page[page.index('id="minutes-form"') : page.index("</form>", page.index("minutes-form"))]
    data: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
        data[name] = unescape(value)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = unescape(body.removeprefix("\n"))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen[1] if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_all_items_and_the_attendance_are_saved_together(world: World) -> None:
    meeting, (approval, case_item, aob) = held_meeting(world)
    anne = world.forum.memberships.get(person__name="Anne Direktør").person
    url = f"/arbejde/moeder/{meeting.pk}/referat/"
    response = signed_in(world, "secretary").post(
        url,
        {
            f"i{approval.pk}-outcome": "approved",
            f"i{approval.pk}-decision": "Dagsordenen blev godkendt.",
            f"i{case_item.pk}-outcome": "endorsed",
            f"i{case_item.pk}-decision": "Tiltrådt, med en bemærkning om åbningstider.",
            f"i{aob.pk}-outcome": "noted",
            f"i{aob.pk}-decision": "Intet.",
            f"status_{anne.pk}": "absent",
            f"note_{anne.pk}": "Ferie",
        },
    )
    assert response.status_code == 302
    decisions = [item.decision for item in meetings.agenda_items(meeting)]
    assert decisions == [
        "Dagsordenen blev godkendt.",
        "Tiltrådt, med en bemærkning om åbningstider.",
        "Intet.",
    ]
    row = Attendance.objects.get(meeting=meeting, person=anne)
    assert (row.status, row.note) == ("absent", "Ferie")


def test_a_point_by_point_decision_keeps_its_lead_text_when_saved_again(world: World) -> None:
    meeting, (_, case_item, _) = held_meeting(world)
    url = f"/arbejde/moeder/{meeting.pk}/referat/"
    secretary = signed_in(world, "secretary")
    prefix = f"i{case_item.pk}"
    secretary.post(
        url,
        {
            f"{prefix}-outcome": "per_point",
            f"{prefix}-decision": "Chefforum drøftede sagen grundigt.",
            f"{prefix}-point_1": "Tiltrådt.",
            f"{prefix}-point_2": "Tiltrådt med evaluering efter seks måneder.",
        },
    )
    stored = (
        "Chefforum drøftede sagen grundigt.\n"
        "Ad 1: Tiltrådt.\n"
        "Ad 2: Tiltrådt med evaluering efter seks måneder."
    )
    case_item.refresh_from_db()
    assert case_item.decision == stored

    # The page shows the lead text again, and saving the page as shown changes nothing.
    shown = page_as_posted(secretary, url)
    assert shown[f"{prefix}-decision"] == "Chefforum drøftede sagen grundigt."
    assert shown[f"{prefix}-point_2"] == "Tiltrådt med evaluering efter seks måneder."
    assert secretary.post(url, shown).status_code == 302
    case_item.refresh_from_db()
    assert case_item.decision == stored
    # Changing one point keeps the lead.
    secretary.post(url, {**shown, f"{prefix}-point_1": "Tiltrådt uden ændringer."})
    case_item.refresh_from_db()
    assert case_item.decision.startswith("Chefforum drøftede sagen grundigt.\nAd 1: Tiltrådt uden")


def test_one_refused_item_saves_nothing_and_shows_everything_typed(world: World) -> None:
    meeting, (approval, case_item, aob) = held_meeting(world)
    anne = world.forum.memberships.get(person__name="Anne Direktør").person
    url = f"/arbejde/moeder/{meeting.pk}/referat/"
    response = signed_in(world, "secretary").post(
        url,
        {
            f"i{approval.pk}-outcome": "approved",
            f"i{approval.pk}-decision": "Godkendt med en tilføjelse til punkt 3.",
            f"i{case_item.pk}-outcome": "per_point",
            f"i{case_item.pk}-decision": "Indledning der ikke må gå tabt.",
            f"i{case_item.pk}-point_1": "Tiltrådt.",
            f"i{case_item.pk}-point_2": "",
            f"i{aob.pk}-outcome": "",
            f"i{aob.pk}-decision": "Tekst uden udfald.",
            f"status_{anne.pk}": "absent",
            f"note_{anne.pk}": "Syg",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "punkt 2" in error_beside(page, f"id_i{case_item.pk}-point_2")
    assert "Vælg et udfald" in error_beside(page, f"id_i{aob.pk}-outcome")
    for typed in (
        "Godkendt med en tilføjelse til punkt 3.",
        "Indledning der ikke må gå tabt.",
        "Tekst uden udfald.",
        'value="Syg"',
    ):
        assert typed in page
    assert "Ret punkt 2, 3" in page
    assert [item.decision for item in meetings.agenda_items(meeting)] == [None, None, None]
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_an_attendance_note_needs_a_status_rather_than_being_dropped(world: World) -> None:
    meeting, _ = held_meeting(world)
    anne = world.forum.memberships.get(person__name="Anne Direktør").person
    response = signed_in(world, "secretary").post(
        f"/arbejde/moeder/{meeting.pk}/referat/",
        {f"status_{anne.pk}": "", f"note_{anne.pk}": "Kom kl. 10"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "afbud" in error_beside(page, f"id_status_{anne.pk}") and 'value="Kom kl. 10"' in page
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_the_service_saves_the_whole_page_or_nothing(world: World) -> None:
    meeting, (approval, case_item, _) = held_meeting(world)
    secretary = world.users["secretary"]
    with pytest.raises(meetings.ItemMinutesError) as refused:
        meetings.minutes_save(
            meeting=meeting,
            user=secretary,
            items=[
                meetings.ItemMinutes(item=approval, outcome="approved"),
                # Two points in the recommendation, one decision: refused by the domain.
                meetings.ItemMinutes(item=case_item, outcome="per_point", point_decisions=["Ja"]),
            ],
            attendance={world.forum.memberships.first().person_id: ("present", "")},
        )
    assert refused.value.items == [case_item]
    approval.refresh_from_db()
    assert approval.decision is None
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_points_written_under_another_outcome_are_not_dropped(world: World) -> None:
    meeting, (_, case_item, _) = held_meeting(world)
    response = signed_in(world, "secretary").post(
        f"/arbejde/moeder/{meeting.pk}/referat/",
        {f"i{case_item.pk}-outcome": "endorsed", f"i{case_item.pk}-point_1": "Tiltrådt."},
    )
    assert response.status_code == 200
    assert "Punkt for punkt" in error_beside(
        response.content.decode(), f"id_i{case_item.pk}-outcome"
    )
    case_item.refresh_from_db()
    assert case_item.decision is None


def test_the_default_wording_follows_a_changed_outcome(world: World) -> None:
    meeting, (_, case_item, _) = held_meeting(world)
    url = f"/arbejde/moeder/{meeting.pk}/referat/"
    secretary = signed_in(world, "secretary")
    secretary.post(url, {f"i{case_item.pk}-outcome": "endorsed"})
    case_item.refresh_from_db()
    assert case_item.decision == "Chefforum tiltrådte indstillingen."
    shown = page_as_posted(secretary, url)
    secretary.post(url, {**shown, f"i{case_item.pk}-outcome": "postponed"})
    case_item.refresh_from_db()
    assert (case_item.outcome, case_item.decision) == ("postponed", "Udsat.")


def test_items_not_on_the_submitted_page_are_left_alone(world: World) -> None:
    """A script posting only the button, or a page shown before an item was placed."""
    meeting, items = held_meeting(world)
    secretary = world.users["secretary"]
    for item in items:
        meetings.minutes_record(item=item, user=secretary, outcome="noted", decision="Noteret.")
    Attendance.objects.create(meeting=meeting, person=world.forum.memberships.first().person)
    response = signed_in(world, "secretary").post(
        f"/arbejde/moeder/{meeting.pk}/referat/", {"action": "ready"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_ready_at is not None
    assert [item.decision for item in meetings.agenda_items(meeting)] == ["Noteret."] * 3
    assert Attendance.objects.filter(meeting=meeting).count() == 1


def test_sending_for_approval_names_the_items_without_a_decision(world: World) -> None:
    meeting, (approval, case_item, aob) = held_meeting(world)
    response = signed_in(world, "secretary").post(
        f"/arbejde/moeder/{meeting.pk}/referat/",
        {f"i{approval.pk}-outcome": "approved", "action": "ready"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    for item in (case_item, aob):
        section = page[page.index(f'id="punkt-{item.pk}"') :]
        assert "mangler en beslutning" in section[: section.index("</section>")]
    approval.refresh_from_db()
    assert approval.decision == "Godkendt."  # saved before the step was refused
    meeting.refresh_from_db()
    assert meeting.minutes_ready_at is None


def test_minutes_wait_for_the_meeting_to_begin(world: World) -> None:
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() + dt.timedelta(days=3)
    )
    meetings.agenda_publish(meeting=meeting, user=secretary)
    item = meetings.agenda_items(meeting)[0]
    client = signed_in(world, "secretary")
    url = f"/arbejde/moeder/{meeting.pk}/referat/"
    page = client.get(url).content.decode()
    assert "Mødet er ikke begyndt endnu" in page and 'id="minutes-form"' not in page
    response = client.post(url, {f"i{item.pk}-outcome": "approved"}, follow=True)
    assert "Mødet er ikke begyndt endnu" in response.content.decode()
    item.refresh_from_db()
    assert item.decision is None
    for step in ("ready", "approve"):
        client.post(url, {"action": step})
    meeting.refresh_from_db()
    assert meeting.minutes_ready_at is None and meeting.state == Meeting.State.AGENDA_PUBLISHED
    with pytest.raises(meetings.MeetingError, match="ikke begyndt"):
        meetings.minutes_record(item=item, user=secretary, outcome="approved")
    Meeting.objects.filter(pk=meeting.pk).update(minutes_ready_at=timezone.now())
    meeting.refresh_from_db()
    with pytest.raises(meetings.MeetingError, match="ikke begyndt"):
        meetings.minutes_approve(meeting=meeting, user=secretary)


def test_a_meeting_created_in_the_past_is_warned_about_not_refused(world: World) -> None:
    client = signed_in(world, "secretary")
    last_week = timezone.localdate() - dt.timedelta(days=7)
    response = client.post(
        "/arbejde/moeder/nyt/",
        {"organization": world.forum.pk, "day": last_week.isoformat(), "start": "09:00"},
        follow=True,
    )
    assert "ligger i fortiden" in response.content.decode()
    assert Meeting.objects.filter(organization=world.forum).count() == 1
    next_week = timezone.localdate() + dt.timedelta(days=7)
    response = client.post(
        "/arbejde/moeder/nyt/",
        {"organization": world.forum.pk, "day": next_week.isoformat(), "start": "09:00"},
        follow=True,
    )
    assert "ligger i fortiden" not in response.content.decode()


def test_a_refused_amendment_keeps_the_new_text(world: World) -> None:
    meeting, items = held_meeting(world)
    secretary = world.users["secretary"]
    for item in items:
        meetings.minutes_record(item=item, user=secretary, outcome="noted")
    meetings.minutes_send_for_approval(meeting=meeting, user=secretary)
    meetings.minutes_approve(meeting=meeting, user=secretary)
    item = items[1]
    response = signed_in(world, "secretary").post(
        f"/arbejde/moeder/{meeting.pk}/referat/punkter/{item.pk}/ret/",
        {
            f"a{item.pk}-field": "decision",
            f"a{item.pk}-text": "Den rettede tekst.",
            f"a{item.pk}-reason": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Den rettede tekst." in page
    assert error_beside(page, f"id_a{item.pk}-reason")
    assert "<details open>" in page


def test_an_imported_decision_without_an_outcome_does_not_block_the_page(world: World) -> None:
    """Imported minutes carry decisions but no outcome: shown as they are, left as they are."""
    meeting, (_, case_item, aob) = held_meeting(world)
    AgendaItem.objects.filter(pk=case_item.pk).update(decision="Tiltrådt (importeret).")
    url = f"/arbejde/moeder/{meeting.pk}/referat/"
    secretary = signed_in(world, "secretary")
    shown = page_as_posted(secretary, url)
    assert shown[f"i{case_item.pk}-decision"] == "Tiltrådt (importeret)."
    response = secretary.post(url, {**shown, f"i{aob.pk}-outcome": "noted"})
    assert response.status_code == 302
    case_item.refresh_from_db()
    assert (case_item.outcome, case_item.decision) == ("", "Tiltrådt (importeret).")
    aob.refresh_from_db()
    assert aob.decision == "Taget til efterretning."
    # Changing its text asks for an outcome rather than losing it.
    changed = secretary.post(url, {**shown, f"i{case_item.pk}-decision": "Tiltrådt."})
    assert "Vælg et udfald" in error_beside(changed.content.decode(), f"id_i{case_item.pk}-outcome")

"""Nothing typed is lost, in a real browser (issue 9, defect 15 and "Done means").

The case producer's every button saves the text on the screen; the quality panel checks
that text; leaving a page with unsaved text asks first; a secretary writes the minutes of
every item, point by point included, in one form, and a refused save shows everything
typed with the error beside its field. Each state is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dagsorden.cases.models import CaseDocument
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import Attendance, Meeting
from tests.browser.conftest import axe_violations, describe
from tests.make_run import run_settings  # noqa: F401 (a fixture, used through pytestmark)
from tests.roles import PASSWORD, World, make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("run_settings"),
]

OCCASION = "Borgerne har bedt om længere telefontider. Sagen forelægges til beslutning."


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def signed_in(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(
        locale="da-DK", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/log-ind/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> text=Log ind")
    page.wait_for_url("**/arbejde/")
    return page


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def draft(world: World) -> CaseDocument:
    return CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        organization=world.forum,
        headline="Længere telefontider i Borgerservice",
        case_type="Beslutning",
        journal_number="00.01.00-P35-9-24",
        occasion=OCCASION,
        presentation=[{"kind": "paragraph", "text": "I dag er der åbent fra kl. 9 til 12."}],
        recommendation_proposer="Direktionen indstiller,",
        recommendation_points=["at telefontiderne udvides."],
    )


def test_every_button_of_the_case_editor_saves_the_text_on_the_screen(
    browser: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    document = draft(world)
    page = signed_in(browser, live_server, "producer")
    page.goto(f"{live_server.url}/arbejde/sager/{document.pk}/")

    # The panel checks the screen: a closed item without a reason, never saved.
    page.check("input[name=public][value='0']")
    page.wait_for_selector("#quality-panel >> text=Et lukket punkt skal have en begrundelse")
    page.check("input[name=public][value='1']")
    page.wait_for_selector(
        "#quality-panel >> text=Et lukket punkt skal have en begrundelse", state="detached"
    )

    # "Tilføj bilag" saves the text typed before it.
    page.fill("#id_occasion", f"{OCCASION} Første tilføjelse.")
    attachment = tmp_path / "Tidsplan.pdf"
    attachment.write_bytes(b"%PDF-1.7 tidsplan")
    page.set_input_files("#id_attachment", str(attachment))
    page.click("button:text-is('Tilføj bilag')")
    page.wait_for_selector("text=Sagen er gemt, og bilaget er tilføjet.")
    document.refresh_from_db()
    assert document.occasion.endswith("Første tilføjelse.")
    assert [a.name for a in document.attachments.all()] == ["Tidsplan.pdf"]

    # A fast track without a reason: the text is saved, the error stands beside the field.
    page.fill("#id_occasion", f"{OCCASION} Anden tilføjelse.")
    page.click("text=Send som hastesag direkte til sekretariatet")
    page.wait_for_selector("#id_reason_error")
    assert page.get_attribute("#id_reason", "aria-invalid") == "true"
    no_violations(page)
    document.refresh_from_db()
    assert document.occasion.endswith("Anden tilføjelse.")
    assert document.state == CaseDocument.State.DRAFT

    # "Send til godkendelse" saves the text typed before it, then sends.
    page.fill("#id_occasion", f"{OCCASION} Tredje tilføjelse.")
    page.click("text=Send til godkendelse")
    page.wait_for_selector("text=Hos afdelingschefen")
    document.refresh_from_db()
    assert document.occasion.endswith("Tredje tilføjelse.")
    assert document.state == CaseDocument.State.DEPARTMENT_REVIEW
    page.context.close()


def test_a_refused_save_shows_the_text_with_the_error_beside_the_field(
    browser: Any, live_server: Any, world: World
) -> None:
    document = draft(world)
    page = signed_in(browser, live_server, "producer")
    page.goto(f"{live_server.url}/arbejde/sager/{document.pk}/")
    page.fill("#id_journal_number", "sag tolv")
    page.fill("#id_occasion", "En helt ny anledning, som ikke må gå tabt.")
    page.click("#case-form button:text-is('Gem')")
    page.wait_for_selector("#id_journal_number_error")
    assert page.input_value("#id_occasion") == "En helt ny anledning, som ikke må gå tabt."
    assert page.input_value("#id_journal_number") == "sag tolv"
    no_violations(page)
    document.refresh_from_db()
    assert document.occasion == OCCASION
    page.context.close()


def leaving_asks(page: Any, leave: Any) -> bool:
    """Whether ``leave()`` raised the browser's "leave the page?" question (answered: stay)."""
    asked: list[str] = []

    def on_dialog(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        leave()
        page.wait_for_timeout(500)
    finally:
        page.remove_listener("dialog", on_dialog)
    return "beforeunload" in asked


def test_leaving_a_page_with_unsaved_text_asks_first(
    browser: Any, live_server: Any, world: World
) -> None:
    document = draft(world)
    page = signed_in(browser, live_server, "producer")
    url = f"{live_server.url}/arbejde/sager/{document.pk}/"
    page.goto(url)
    overview = page.locator("nav.desk-nav a", has_text="Mit overblik")
    assert not leaving_asks(page, lambda: overview.click())  # nothing typed: no question
    page.wait_for_url("**/arbejde/")
    page.goto(url)
    page.click("#id_occasion")
    page.keyboard.type(" Skrevet, men ikke gemt.")
    assert leaving_asks(page, lambda: overview.click(no_wait_after=True))
    assert page.url == url  # stayed, with the text
    assert page.input_value("#id_occasion").endswith("Skrevet, men ikke gemt.")
    # Saving is not leaving: the form's own buttons do not ask.
    assert not leaving_asks(page, lambda: page.click("#case-form button:text-is('Gem')"))
    page.wait_for_selector("text=Sagen er gemt.")
    page.context.close()


def held_meeting(world: World) -> tuple[Meeting, list[Any]]:
    """Published and begun yesterday: approval, one case with two points, any other business."""
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() - dt.timedelta(days=1)
    )
    document = draft(world)
    CaseDocument.objects.filter(pk=document.pk).update(
        state=CaseDocument.State.SUBMITTED,
        recommendation_points=["at telefontiderne udvides.", "at ændringen evalueres."],
    )
    document.refresh_from_db()
    meetings.agenda_place_case(meeting=meeting, document=document, user=secretary)
    meetings.agenda_publish(meeting=meeting, user=secretary)
    return meeting, meetings.agenda_items(meeting)


def test_a_secretary_writes_the_minutes_of_every_item_and_nothing_is_lost(
    browser: Any, live_server: Any, world: World
) -> None:
    meeting, (approval, case_item, aob) = held_meeting(world)
    anne = world.forum.memberships.get(person__name="Anne Direktør").person
    bo = world.forum.memberships.get(person__name="Bo Chef").person
    page = signed_in(browser, live_server, "secretary")
    page.goto(f"{live_server.url}/arbejde/moeder/{meeting.pk}/referat/")
    no_violations(page)

    # Everything typed on the page, then saved with one button.
    page.select_option(f"#id_status_{anne.pk}", "absent")
    page.fill(f"#id_note_{anne.pk}", "Ferie")
    page.select_option(f"#id_status_{bo.pk}", "present")
    page.select_option(f"#id_i{approval.pk}-outcome", "approved")
    case = f"#id_i{case_item.pk}"
    page.select_option(f"{case}-outcome", "per_point")
    page.fill(f"{case}-decision", "Chefforum drøftede sagen grundigt.")
    page.fill(f"{case}-point_1", "Tiltrådt.")
    page.fill(f"{case}-point_2", "Tiltrådt med evaluering efter seks måneder.")
    page.fill(f"{case}-actual_start", "09:05")
    page.fill(f"{case}-actual_end", "09:50")
    page.select_option(f"#id_i{aob.pk}-outcome", "noted")
    page.fill(f"#id_i{aob.pk}-decision", "Ingen bemærkninger.")
    page.locator("button:text-is('Gem referatet')").last.click()
    page.wait_for_selector("text=Referatet er gemt.")
    stored = (
        "Chefforum drøftede sagen grundigt.\n"
        "Ad 1: Tiltrådt.\n"
        "Ad 2: Tiltrådt med evaluering efter seks måneder."
    )
    assert [i.decision for i in meetings.agenda_items(meeting)] == [
        "Godkendt.",
        stored,
        "Ingen bemærkninger.",
    ]
    assert {
        a.person_id: (a.status, a.note) for a in Attendance.objects.filter(meeting=meeting)
    } == {
        anne.pk: ("absent", "Ferie"),
        bo.pk: ("present", ""),
    }

    # The page shows what was written, the lead text included; saving again keeps it.
    assert page.input_value(f"{case}-decision") == "Chefforum drøftede sagen grundigt."
    assert page.input_value(f"{case}-point_2") == "Tiltrådt med evaluering efter seks måneder."
    page.locator("button:text-is('Gem referatet')").first.click()
    page.wait_for_selector("text=Referatet er gemt.")
    case_item.refresh_from_db()
    assert case_item.decision == stored

    # A refused save: everything typed is shown again, the error beside its field.
    page.fill(f"{case}-point_2", "")
    page.fill(f"#id_i{aob.pk}-decision", "En ny tekst til Eventuelt, som ikke må gå tabt.")
    page.locator("button:text-is('Gem referatet')").first.click()
    page.wait_for_selector(f"{case}-point_2_error")
    assert page.input_value(f"#id_i{aob.pk}-decision").startswith("En ny tekst til Eventuelt")
    assert page.get_attribute(f"{case}-point_2", "aria-invalid") == "true"
    no_violations(page)
    aob.refresh_from_db()
    assert aob.decision == "Ingen bemærkninger."  # nothing saved from a refused page
    assert leaving_asks(
        page,
        lambda: page.locator("nav.desk-nav a", has_text="Mit overblik").click(no_wait_after=True),
    )

    # Corrected and sent for approval in one step: the text is saved first.
    page.fill(f"{case}-point_2", "Tiltrådt.")
    page.click("text=Gem og send referatet til godkendelse")
    page.wait_for_selector("text=Referatet er gemt og sendt til godkendelse.")
    meeting.refresh_from_db()
    assert meeting.minutes_ready_at is not None
    aob.refresh_from_db()
    assert aob.decision == "En ny tekst til Eventuelt, som ikke må gå tabt."
    page.context.close()


def test_minutes_before_the_meeting_begins_are_refused_with_a_clear_message(
    browser: Any, live_server: Any, world: World
) -> None:
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() + dt.timedelta(days=2)
    )
    meetings.agenda_publish(meeting=meeting, user=secretary)
    page = signed_in(browser, live_server, "secretary")
    page.goto(f"{live_server.url}/arbejde/moeder/{meeting.pk}/referat/")
    assert "Mødet er ikke begyndt endnu" in page.inner_text("main")
    assert page.locator("#minutes-form").count() == 0
    no_violations(page)
    page.context.close()

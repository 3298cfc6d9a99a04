"""End to end in a real browser: a case is written, approved, placed, published, decided,
its minutes approved, and the public reads the result. Each work page passes axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dagsorden.cases.models import CaseDocument
from dagsorden.meetings.models import AgendaItem, Meeting
from tests.browser.conftest import axe_violations, describe
from tests.make_run import run_settings  # noqa: F401 (a fixture, used through pytestmark)
from tests.roles import PASSWORD, World, make_world

# Under the test settings and again under `make run`'s (DEBUG on).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("run_settings"),
]


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def signed_in(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(
        locale="da-DK", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/arbejde/")
    page.wait_for_url("**/log-ind/**")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> text=Log ind")
    page.wait_for_url("**/arbejde/")
    return page


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_case_to_published_minutes(browser: Any, live_server: Any, world: World) -> None:
    # Held yesterday: minutes are written once a meeting has begun.
    day = timezone.localdate() - dt.timedelta(days=1)

    # The case producer writes the case; the quality panel follows the text live.
    producer = signed_in(browser, live_server, "producer")
    producer.click("text=Skriv en ny sag")
    producer.select_option("#id_department", label="Organisation & Politik")
    producer.select_option("#id_organization", label="Chefforum")
    producer.fill("#id_headline", "Længere telefontider i Borgerservice")
    producer.select_option("#id_case_type", label="Beslutning")
    producer.click("text=Opret sag")
    producer.wait_for_selector("#case-form")
    no_violations(producer)
    producer.fill("#id_journal_number", "00.01.00-P35-9-24")
    producer.fill("#id_occasion", "Borgerne har bedt om længere telefontider.")
    producer.fill(
        "#id_presentation",
        "Baggrund\n\nI dag er der åbent fra kl. 9 til 12.\n\n- mandag\n- torsdag",
    )
    producer.fill("#id_recommendation_proposer", "Direktionen indstiller,")
    producer.fill("#id_recommendation_points", "telefontiderne udvides.")
    producer.wait_for_selector(
        '#quality-panel >> text=Punkt 1 i indstillingen skal begynde med "at"'
    )
    producer.fill("#id_recommendation_points", "at telefontiderne udvides.")
    producer.fill("#id_duration_minutes", "30")
    producer.click("#case-form button[type=submit]")
    producer.wait_for_selector("text=Sagen er gemt.")
    producer.click("text=Send til godkendelse")
    producer.wait_for_selector("text=Hos afdelingschefen")
    producer.context.close()

    # The department head approves it from the overview.
    head = signed_in(browser, live_server, "head")
    head.click("text=Længere telefontider i Borgerservice")
    head.click("text=Godkend og send til sekretariatet")
    head.wait_for_selector("text=Hos sekretariatet")
    head.context.close()

    # The secretary creates the meeting, places the case and publishes the agenda.
    secretary = signed_in(browser, live_server, "secretary")
    secretary.click("text=Nyt møde")
    secretary.fill("#id_day", day.isoformat())
    secretary.click("text=Opret møde")
    secretary.wait_for_selector("text=Sager til placering")
    assert "ligger i fortiden" in secretary.inner_text(".messages")  # warned, not refused
    no_violations(secretary)
    secretary.click("text=Sæt på dagsordenen")
    secretary.wait_for_selector("text=Sagen er sat på dagsordenen.")
    labels = secretary.locator(".builder .slot").all_inner_texts()
    assert labels == ["9.00 – 9.05 (5)", "9.05 – 9.35 (30)", "9.35 – 9.40 (5)"]
    secretary.click('button:text-is("Offentliggør")')
    secretary.wait_for_selector("text=Dagsordenen er offentliggjort.")

    # Minutes: the decision on each item, sent for approval, then approved.
    meeting = Meeting.objects.get(organization=world.forum)
    secretary.goto(f"{live_server.url}/arbejde/moeder/{meeting.pk}/referat/")
    no_violations(secretary)
    for item in AgendaItem.objects.filter(meeting=meeting).order_by("order"):
        outcome = "endorsed" if item.recommendation_points else "noted"
        secretary.select_option(f"#id_i{item.pk}-outcome", outcome)
    secretary.locator("button:text-is('Gem referatet')").first.click()
    secretary.wait_for_selector("text=Referatet er gemt.")
    secretary.click("text=Gem og send referatet til godkendelse")
    secretary.wait_for_selector("text=Referatet er gemt og sendt til godkendelse.")
    secretary.click("text=Gem og registrér, at forummet har godkendt referatet")
    secretary.wait_for_selector("text=Referatet er godkendt og låst.")
    secretary.context.close()

    # The public reads the published result.
    public = browser.new_context(locale="da-DK", bypass_csp=True).new_page()
    public.goto(f"{live_server.url}/chefforum/{day.isoformat()}/")
    text = public.inner_text("main")
    assert "Længere telefontider i Borgerservice" in text
    assert "Chefforum tiltrådte indstillingen." in text
    no_violations(public)
    public.context.close()
    document = CaseDocument.objects.get()
    assert document.state == CaseDocument.State.PLACED
    assert list(document.events.values_list("action", flat=True)) == [
        "created",
        "submitted",
        "approved",
        "placed",
    ]

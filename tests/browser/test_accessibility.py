"""Every page type in a real browser: axe-core finds no WCAG 2.1 A/AA violation, the search
works with the keyboard alone, and pages reflow on a phone and at 400% zoom."""

from __future__ import annotations

from typing import Any

import pytest

from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import document_import, sha512_hex
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.search.services import search_index_meeting
from tests.browser.conftest import axe_violations, describe
from tests.conftest import SEED_NAMES, seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/chefforum/",
    "/chefforum/2023-09-14/",
    "/chefforum/2023-09-14/punkt-4/",
    "/chefforum/2023-09-14/punkt-5/",  # a closed item as the public sees it
    "/sag/00.01.00-P22-3-23/",
    "/soeg/?q=m%C3%A5ls%C3%A6tningerne",
    "/soeg/?q=budget&aar=2023",
    "/findes-ikke/",
    "/kalender/2023/09/",
]


@pytest.fixture
def archive(seeds_dir: Any) -> None:
    for name in SEED_NAMES:
        path = seed_path(name)
        result = document_import(
            document=parse_path(path), source_name=name, sha512=sha512_hex(path.read_bytes())
        )
        search_index_meeting(meeting_id=result.meeting_id)
    meeting = Meeting.objects.get(starts_at__date="2023-09-14")
    AgendaItem.objects.filter(meeting=meeting, number=5).update(public=False)
    search_index_meeting(meeting_id=meeting.pk)


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations(page: Any, live_server: Any, archive: None, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response is not None
    assert response.status == (404 if path == "/findes-ikke/" else 200)
    assert page.get_attribute("html", "lang") == "da"
    assert page.locator("main").count() == 1 and page.locator("header").count() >= 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert "Konsulentnetværket fremadrettet" not in page.content()


def test_search_with_the_keyboard_alone(page: Any, live_server: Any, archive: None) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "top-soeg":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("telefontider")
    page.keyboard.press("Enter")
    page.wait_for_url("**/soeg/?q=telefontider*")
    first = page.locator("ol.hits li").first
    assert "Rådhusets telefontider" in first.inner_text()
    # Follow the first hit with the keyboard too.
    page.locator("ol.hits li a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/chefforum/2023-10-12/punkt-5/")
    page.go_back()
    page.wait_for_url("**/soeg/?q=telefontider*")


@pytest.mark.parametrize("width", [320, 375])
def test_pages_reflow_on_a_phone_and_at_400_percent(
    browser: Any, live_server: Any, archive: None, width: int
) -> None:
    """320 CSS pixels is a 1280 px window at 400% zoom (WCAG 1.4.10)."""
    context = browser.new_context(viewport={"width": width, "height": 700})
    tab = context.new_page()
    try:
        for path in [*PAGES[:4], PAGES[6], "/kalender/2023/09/"]:
            tab.goto(live_server.url + path)
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} scrolls sideways at {width}px"
    finally:
        context.close()

"""The admin in a real browser with the Content-Security-Policy enforced (no bypass): its
scripts run (the time widget's shortcuts appear), nothing is blocked, and a change saves.

The other browser tests bypass the CSP to inject axe-core; this one must not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from dagsorden.meetings.models import Organization
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "korrekt-hest-batteri-9"


def test_the_admin_change_form_works_under_the_csp(browser: Any, live_server: Any) -> None:
    User.objects.create_superuser("admin", password=PASSWORD)
    forum = OrganizationFactory.create(name="Chefforum", slug="cf", default_start_time=dt.time(9))
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Blocked by the CSP, or a Permissions-Policy feature this browser does not know.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    change = f"{live_server.url}/admin/meetings/organization/{forum.pk}/change/"
    page.goto(change)
    page.wait_for_url("**/admin/login/**")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(change)
    # DateTimeShortcuts.js adds "Nu" and the clock beside the time field: the admin's
    # scripts ran under the policy.
    page.wait_for_selector("#id_default_start_time + .datetimeshortcuts a", state="attached")

    page.fill("#id_name", "Chefforum for direktionen")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/meetings/organization/")
    assert page.locator(".messagelist .success").count() == 1
    assert Organization.objects.get(pk=forum.pk).name == "Chefforum for direktionen"
    assert blocked == [] and errors == []
    context.close()

"""A mail that cannot be sent never turns a saved step into an error (issue 9, defect 14).

Mail goes out after the step has committed (``core/events.py``): an unreachable server, a
backend that raises, or a case title carrying a line break (a header injection the mail
library refuses) is logged, and the user sees the step done. These tests run on a real
transaction (no test-wide atomic block), so the after-commit handlers run as in production.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

from dagsorden.cases.models import CaseDocument
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import Meeting
from tests.make_run import run_settings  # noqa: F401 (a fixture, used through pytestmark)
from tests.roles import World, make_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("run_settings")]


class RaisingBackend(BaseEmailBackend):
    """A mail server that fails every time."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is unreachable")


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


@pytest.fixture(params=["raising backend", "unreachable server"])
def failing_mail(request: pytest.FixtureRequest, settings: Any) -> str:
    if request.param == "raising backend":
        settings.EMAIL_BACKEND = f"{__name__}.RaisingBackend"
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
        settings.EMAIL_TIMEOUT = 5
    return str(request.param)


def signed_in(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


def case_in(world: World, state: str, headline: str = "Telefontider") -> CaseDocument:
    return CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        organization=world.forum,
        headline=headline,
        journal_number="00.01.00-P35-9-24",
        state=state,
    )


@pytest.mark.parametrize(
    ("action", "extra", "after"),
    [
        ("approve", {}, CaseDocument.State.SUBMITTED),
        ("return", {"comment": "Tilføj tal."}, CaseDocument.State.RETURNED),
    ],
)
def test_a_failing_mail_never_undoes_a_case_step(
    world: World,
    failing_mail: str,
    caplog: pytest.LogCaptureFixture,
    action: str,
    extra: dict[str, str],
    after: str,
) -> None:
    document = case_in(world, CaseDocument.State.DEPARTMENT_REVIEW)
    with caplog.at_level(logging.ERROR, logger="dagsorden.events"):
        response = signed_in(world, "head").post(
            f"/arbejde/sager/{document.pk}/handling/", {"action": action, **extra}
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == after
    assert document.events.filter(to_state=after).exists()
    assert any("failed after" in record.getMessage() for record in caplog.records)


def test_a_failing_mail_never_undoes_publishing_or_sending_minutes(
    world: World, failing_mail: str
) -> None:
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        organization=world.forum, user=secretary, day=timezone.localdate() - dt.timedelta(days=1)
    )
    client = signed_in(world, "secretary")
    assert client.post(f"/arbejde/moeder/{meeting.pk}/offentliggoer/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.AGENDA_PUBLISHED
    items = meetings.agenda_items(meeting)
    response = client.post(
        f"/arbejde/moeder/{meeting.pk}/referat/",
        {**{f"i{item.pk}-outcome": "noted" for item in items}, "action": "ready"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_ready_at is not None
    assert all(item.decision for item in meetings.agenda_items(meeting))


def test_a_case_title_with_a_line_break_is_mailed_on_one_line(world: World) -> None:
    """Written before the forms refused it (or by a script): the step and its mail go
    through, with the title on one line in the subject."""
    document = case_in(world, CaseDocument.State.DEPARTMENT_REVIEW, headline="Telefon\ntider")
    response = signed_in(world, "head").post(
        f"/arbejde/sager/{document.pk}/handling/", {"action": "approve"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == CaseDocument.State.SUBMITTED
    assert [message.subject for message in mail.outbox] == ["Sagen er godkendt: Telefon tider"]

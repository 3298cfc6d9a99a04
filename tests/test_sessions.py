"""Sessions (issue 9, defect 18): a working day at most, gone with the browser, and signed
out after ``DAGSORDEN_SESSION_IDLE_MINUTES`` without a request. Before, they lasted two weeks.

Time is moved by back-dating the stamps the middleware keeps in the session.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from dagsorden.access.models import Role, RoleAssignment
from dagsorden.core.middleware import LAST_SEEN, SIGNED_IN_AT, STAMP_EVERY_SECONDS

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri-9"
WORK_PAGE = "/arbejde/"


@pytest.fixture
def client() -> Client:
    """A user signed in through the login page, as a person signs in."""
    user = User.objects.create_user("sagsbehandler", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    client = Client()
    response = client.post("/log-ind/", {"username": "sagsbehandler", "password": PASSWORD})
    assert response.status_code == 302
    return client


def move_stamps(client: Client, *, seconds: int, key: str = LAST_SEEN) -> None:
    """As if ``seconds`` had passed since the stamp was written."""
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_session_lasts_a_working_day_and_ends_with_the_browser(client: Client) -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60
    # Both limits count from signing in.
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 5
    assert client.session[LAST_SEEN] == client.session[SIGNED_IN_AT]


def test_idle_past_the_limit_signs_out(client: Client) -> None:
    assert client.get(WORK_PAGE).status_code == 200
    move_stamps(client, seconds=settings.DAGSORDEN_SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get(WORK_PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/log-ind/?next=")
    assert not signed_in(client)


def test_activity_keeps_the_session(client: Client) -> None:
    idle = settings.DAGSORDEN_SESSION_IDLE_MINUTES * 60
    assert client.get(WORK_PAGE).status_code == 200
    for _ in range(3):  # three times just under the limit: longer than it in all
        move_stamps(client, seconds=idle - 5)
        assert client.get(WORK_PAGE).status_code == 200
        assert abs(client.session[LAST_SEEN] - time.time()) < 5  # refreshed
    assert signed_in(client)


def test_the_stamp_is_not_written_on_every_request(client: Client) -> None:
    client.get(WORK_PAGE)
    stamp = client.session[LAST_SEEN]
    move_stamps(client, seconds=STAMP_EVERY_SECONDS // 2)
    client.get(WORK_PAGE)
    assert client.session[LAST_SEEN] == stamp - STAMP_EVERY_SECONDS // 2


def test_the_idle_limit_is_configurable(client: Client, settings: Any) -> None:
    settings.DAGSORDEN_SESSION_IDLE_MINUTES = 5
    client.get(WORK_PAGE)
    move_stamps(client, seconds=4 * 60)
    assert client.get(WORK_PAGE).status_code == 200
    move_stamps(client, seconds=5 * 60 + 1)
    assert client.get(WORK_PAGE).status_code == 302
    assert not signed_in(client)


def test_a_session_ends_after_a_working_day_however_active(client: Client) -> None:
    client.get(WORK_PAGE)
    move_stamps(client, seconds=settings.SESSION_COOKIE_AGE - 60, key=SIGNED_IN_AT)
    assert client.get(WORK_PAGE).status_code == 200
    move_stamps(client, seconds=61, key=SIGNED_IN_AT)
    assert client.get(WORK_PAGE).status_code == 302
    assert not signed_in(client)


def test_anonymous_visitors_get_no_session() -> None:
    response = Client().get("/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies

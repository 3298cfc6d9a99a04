"""Login throttling (issue 9, defect 18): guessing stops after a few wrong passwords.

Before django-axes, 200 wrong passwords and then the right one signed in. Now the
``AXES_FAILURE_LIMIT``-th failure locks that user name from that address out of both login
pages, even with the right password, until the cool-off has passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client, RequestFactory

from dagsorden.core.logins import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri-9"
LOCKED = "Log ind er midlertidigt spærret"


@pytest.fixture
def user() -> Any:
    return User.objects.create_user("sagsbehandler", password=PASSWORD, is_staff=True)


def sign_in(client: Client, password: str, *, url: str = "/log-ind/", **extra: Any) -> Any:
    return client.post(url, {"username": "sagsbehandler", "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, times: int, *, url: str = "/log-ind/", **extra: Any) -> Any:
    response = None
    for _ in range(times):
        response = sign_in(client, "forkert", url=url, **extra)
    return response


def pass_cool_off() -> None:
    """As if the cool-off had passed: every recorded failure is that much older."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )


def test_wrong_passwords_lock_the_login_page_until_the_cool_off_has_passed(user: Any) -> None:
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    before_limit = fail(client, limit - 1)
    assert before_limit.status_code == 200 and LOCKED not in before_limit.content.decode()

    locking = fail(client, 1)
    assert locking.status_code == 429
    page = locking.content.decode()
    assert LOCKED in page and "de næste 15 minutter" in page and 'role="alert"' in page

    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert not signed_in(client)

    pass_cool_off()
    accepted = sign_in(client, PASSWORD)
    assert accepted.status_code == 302 and accepted["Location"] == "/arbejde/"
    assert signed_in(client)
    assert not AccessAttempt.objects.exists()  # a successful login forgets the failures


def test_the_admin_login_is_throttled_too(user: Any) -> None:
    client = Client()
    fail(client, settings.AXES_FAILURE_LIMIT, url="/admin/login/")
    refused = sign_in(client, PASSWORD, url="/admin/login/")
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert not signed_in(client)
    # The same user name from the same address is locked on the work pages' login as well.
    assert sign_in(client, PASSWORD).status_code == 429


def test_a_success_resets_the_count(user: Any) -> None:
    client = Client()
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_guesser_elsewhere_does_not_lock_the_user_out(user: Any) -> None:
    fail(Client(), settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.9")
    colleague = Client()
    assert sign_in(colleague, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_more_tries_while_locked_do_not_extend_the_cool_off(user: Any) -> None:
    client = Client()
    fail(client, settings.AXES_FAILURE_LIMIT)
    half = settings.AXES_COOLOFF_TIME / 2
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - half)
    assert sign_in(client, "forkert").status_code == 429  # refused while locked, not counted
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - half - dt.timedelta(seconds=1))
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_client_address_behind_trusted_proxies(settings: Any) -> None:
    factory = RequestFactory()
    request = factory.post(
        "/log-ind/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    settings.DAGSORDEN_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy: the header is the client's word
    settings.DAGSORDEN_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.9"  # what the proxy saw, not what was claimed
    settings.DAGSORDEN_TRUSTED_PROXIES = 2
    assert client_ip(request) == "1.2.3.4"
    settings.DAGSORDEN_TRUSTED_PROXIES = 3
    assert client_ip(request) == "10.0.0.2"  # fewer hops than proxies: not trusted
    settings.DAGSORDEN_TRUSTED_PROXIES = 1
    garbage = factory.post("/log-ind/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")
    assert client_ip(garbage) == "10.0.0.2"

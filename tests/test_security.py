"""Security settings: CSP on every page, production settings clean under check --deploy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_carry_security_headers(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_pass_check_deploy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "dagsorden.settings.production",
        "DAGSORDEN_SECRET_KEY": secrets.token_urlsafe(50),
        "DAGSORDEN_ALLOWED_HOSTS": "dagsorden.example.dk",
        "DAGSORDEN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "dagsorden", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Headers every response needs (issue 9, defect 18)

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/log-ind/", "/findes-ikke/", "/admin/login/", "/arbejde/"])
def test_every_response_denies_browser_features(client: Client, url: str) -> None:
    policy = client.get(url)["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/arbejde/", "/admin/", "/admin/login/", "/log-ind/"])
def test_staff_pages_are_never_cached(client: Client, url: str) -> None:
    assert client.get(url)["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_every_response_to_a_signed_in_user_is_private(client: Client, staff_client: Any) -> None:
    from tests.factories import FIRST_MEETING, AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory.create(starts_at=FIRST_MEETING)
    AgendaItemFactory.create(meeting=meeting, number=1, order=1, public=False)
    base = f"/{meeting.organization.slug}/2023-01-05/"
    anonymous = client.get(base)
    assert anonymous.status_code == 200 and "private" not in anonymous.get("Cache-Control", "")
    for url in ("/", base, f"{base}punkt-1/", f"{base}referat-intern.txt", "/soeg/?q=x"):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url

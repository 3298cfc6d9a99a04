"""Security settings: CSP on every page, production settings clean under check --deploy."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
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


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process (a fresh interpreter: settings load once)."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "dagsorden.settings.production",
        "DAGSORDEN_SECRET_KEY": secrets.token_urlsafe(50),
        "DAGSORDEN_ALLOWED_HOSTS": "dagsorden.example.dk",
        "DAGSORDEN_VAR_DIR": str(tmp_path),
        **extra,
    }


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dagsorden", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_age": settings.SESSION_COOKIE_AGE,
    "session_browser": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "idle_minutes": settings.DAGSORDEN_SESSION_IDLE_MINUTES,
    "first_backend": settings.AUTHENTICATION_BACKENDS[0],
    "last_middleware": settings.MIDDLEWARE[-1],
    "failure_limit": settings.AXES_FAILURE_LIMIT,
    "first_upload_handler": settings.FILE_UPLOAD_HANDLERS[0],
    "log_handlers": sorted(settings.LOGGING["handlers"]),
}))
"""


def test_production_settings_throttle_logins_and_limit_sessions_and_uploads(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SETTINGS],
        env=production_env(tmp_path, DAGSORDEN_SESSION_IDLE_MINUTES="20"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": False,
        "session_secure": True,
        "session_age": 8 * 60 * 60,
        "session_browser": True,
        "idle_minutes": 20,
        "first_backend": "axes.backends.AxesStandaloneBackend",
        "last_middleware": "axes.middleware.AxesMiddleware",
        "failure_limit": 5,
        "first_upload_handler": "dagsorden.core.uploads.UploadSizeLimitHandler",
        "log_handlers": ["stderr"],  # and "file" with DAGSORDEN_LOG_FILE (below)
    }


# A production process answering a request whose view fails, and a side effect that fails
# after its change was saved (``core/events.py``).
FAILING_REQUEST = """
import sys, types
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
from django.urls import path
from dagsorden.core.events import _run_logged

def broken(request):
    raise RuntimeError("planted view failure")

def broken_mail(event):
    raise ConnectionRefusedError("planted mail failure")

urls = types.ModuleType("broken_urls")
urls.urlpatterns = [path("kaput/", broken)]
sys.modules["broken_urls"] = urls
with override_settings(ROOT_URLCONF="broken_urls"):
    client = Client(raise_request_exception=False, HTTP_HOST="dagsorden.example.dk")
    response = client.get("/kaput/", secure=True)
_run_logged(broken_mail, "CaseApproved(document_id=1)")
print(response.status_code)
print(response.content.decode())
"""
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR django\.request \d+: "
    r"Internal Server Error: /kaput/$",
    re.MULTILINE,
)


def test_a_500_in_production_is_logged_with_a_time_stamp(tmp_path: Path) -> None:
    log_file = tmp_path / "dagsorden.log"
    result = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        env=production_env(tmp_path, DAGSORDEN_LOG_FILE=str(log_file)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status, _, page = result.stdout.partition("\n")
    assert status == "500"
    assert "Der opstod en fejl" in page and 'lang="da"' in page and "<script" not in page
    for log in (result.stderr, log_file.read_text(encoding="utf-8")):
        assert LOG_LINE.search(log), log
        assert "RuntimeError: planted view failure" in log  # with its traceback
        assert " ERROR dagsorden.events " in log and "planted mail failure" in log


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


# --- The admin under the Content-Security-Policy (no 'unsafe-inline')

# What the CSP would block: a script without src (JSON data blocks are not run), an event
# handler attribute, a style element or attribute, a javascript: URL.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_CODE = re.compile(r"\son[a-z]+\s*=|<style\b|\sstyle\s*=|javascript:", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    return INLINE_SCRIPT.findall(html) + INLINE_CODE.findall(html)


@pytest.mark.django_db
def test_the_admin_change_form_loads_and_saves_under_the_csp(client: Client) -> None:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.forms.models import model_to_dict

    from dagsorden.meetings.models import Organization
    from tests.factories import FIRST_MEETING, MeetingFactory, OrganizationFactory

    client.force_login(User.objects.create_superuser("admin", password="x" * 20))
    forum = OrganizationFactory.create(name="Chefforum", slug="cf", default_start_time=dt.time(9))
    meeting = MeetingFactory.create(organization=forum, starts_at=FIRST_MEETING)
    change = f"/admin/meetings/organization/{forum.pk}/change/"
    for url in (
        "/admin/",
        "/admin/meetings/organization/",
        change,
        "/admin/meetings/organization/add/",
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        "/admin/axes/accessattempt/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
        assert inline_code(response.content.decode()) == [], url

    data = {k: "" if v is None else v for k, v in model_to_dict(forum).items()}
    response = client.post(change, {**data, "name": "Chefforum for direktionen", "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organization.objects.get(pk=forum.pk).name == "Chefforum for direktionen"


def test_the_inline_code_detector_finds_inline_code() -> None:
    assert inline_code('<script src="/static/a.js"></script><script type="application/json">') == []
    assert len(inline_code("<script>alert(1)</script>")) == 1
    assert len(inline_code('<a onclick="x()" style="color:red" href="javascript:x()">')) == 3

"""Middleware of our own: how long a signed-in session lives, and headers every response
needs but no view should have to remember.

Why middleware: a rule that holds only because each view remembers it does not hold (the
admin, error pages and the login lockout page are not our views).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

Responder = Callable[[HttpRequest], HttpResponse]

# Session keys: when the user was last seen, and when this session was first seen signed in.
LAST_SEEN = "dagsorden_last_seen"
SIGNED_IN_AT = "dagsorden_signed_in_at"
# The last-seen stamp is rewritten at most this often, so that an active user does not cost
# a session write on every request; the idle limit is therefore exact to within a minute.
STAMP_EVERY_SECONDS = 60

PRIVATE = "private, no-store"


def _signed_in(request: HttpRequest) -> bool:
    """Whether a user is signed in, without touching the session of a visitor who has none
    (that would add ``Vary: Cookie`` to, and cost a look-up on, every public page)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SessionLimitsMiddleware:
    """Signs a user out after ``DAGSORDEN_SESSION_IDLE_MINUTES`` without a request, and once
    the session is ``SESSION_COOKIE_AGE`` old however active it was.

    The work pages hold unpublished agendas, draft minutes and closed items; a screen left
    signed in on a shared or unlocked PC must not stay open for the rest of the day.
    ``SESSION_COOKIE_AGE`` alone would not do: Django moves a session's expiry on every
    save, and the activity stamp saves it. Place after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response: Responder) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _signed_in(request):
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        last_seen = session.get(LAST_SEEN)
        signed_in_at = session.get(SIGNED_IN_AT)
        idle_limit = settings.DAGSORDEN_SESSION_IDLE_MINUTES * 60
        idle = isinstance(last_seen, int) and now - last_seen > idle_limit
        too_old = isinstance(signed_in_at, int) and now - signed_in_at > settings.SESSION_COOKIE_AGE
        if idle or too_old:
            # Flushes the session: this request goes on as an anonymous visitor, and a work
            # page sends them to the login page with ``next`` set.
            logout(request)
            return
        if not isinstance(signed_in_at, int):
            session[SIGNED_IN_AT] = now
        if not isinstance(last_seen, int) or now - last_seen >= STAMP_EVERY_SECONDS:
            session[LAST_SEEN] = now


def stamp_session_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver (``CoreConfig.ready``): both limits count from signing in,
    and the stamps are saved with the login itself rather than by the first page after it."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response, and ``Cache-Control: private, no-store`` on
    every response that is not the same for everyone.

    Private are: the work pages, the admin and the login pages (``DAGSORDEN_PRIVATE_PATHS``)
    and anything answered to a signed-in user (an internal download, a public page showing
    closed items). A shared cache or the browser's disk must never keep those. Place right
    after ``SecurityMiddleware`` so that redirects and error pages get the headers too.
    """

    def __init__(self, get_response: Responder) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.DAGSORDEN_PERMISSIONS_POLICY.items()
        )
        self.private_paths = tuple(settings.DAGSORDEN_PRIVATE_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Permissions-Policy"] = self.permissions_policy
        if request.path_info.startswith(self.private_paths) or _signed_in(request):
            response["Cache-Control"] = PRIVATE
        return response

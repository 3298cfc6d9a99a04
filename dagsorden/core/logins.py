"""Login throttling: django-axes, configured in ``settings/base.py``, and its two hooks.

Without it a password can be guessed at the speed of the server. Axes counts failed logins
per user name and client address (``AXES_LOCKOUT_PARAMETERS``) in the database, refuses the
next attempt once ``AXES_FAILURE_LIMIT`` is reached, even with the right password, until
``AXES_COOLOFF_TIME`` has passed, and forgets the failures on a successful login. It guards
every login that goes through ``django.contrib.auth.authenticate`` with a request: the work
pages' ``/log-ind/`` and ``/admin/login/`` alike.

Two details are ours: the address of the client behind a reverse proxy (``client_ip``),
and the Danish page a locked-out user sees (``lockout_response``).
"""

from __future__ import annotations

import ipaddress
import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT_TEMPLATE = "login_locked.html"
# 429 Too Many Requests: the attempt was refused for its rate, not for its credentials.
LOCKED_OUT_STATUS = 429


def client_ip(request: HttpRequest) -> str | None:
    """The address that failed logins are counted against.

    Behind ``DAGSORDEN_TRUSTED_PROXIES`` reverse proxies every request comes from the
    proxy, so the client is read from ``X-Forwarded-For``, counted from the right: each
    trusted proxy appends the address it saw, and anything further left was written by the
    client and proves nothing. A value that is no IP address (axes stores it in an address
    column) falls back to the connection's address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops: int = settings.DAGSORDEN_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page shown instead of the login form while this user name and address are locked
    out: what happened and when to try again, in the site's layout (work pages and admin)."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        LOCKED_OUT_TEMPLATE,
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=LOCKED_OUT_STATUS,
    )

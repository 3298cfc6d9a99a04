"""Calendar feeds: all forums, or one forum. Only what the visitor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from dagsorden.calendars.ical import calendar_for
from dagsorden.meetings.models import Meeting, Organization
from dagsorden.meetings.selectors import meetings_visible_to
from dagsorden.public.links import meeting_url

# A feed covers the recent past and everything planned; old years stay in the archive.
HISTORY = dt.timedelta(days=365)


def _response(
    request: HttpRequest, meetings: list[Meeting], *, name: str, filename: str
) -> HttpResponse:
    body = calendar_for(
        meetings=meetings,
        name=name,
        domain=request.get_host().split(":")[0] or "dagsorden",
        url_for=lambda m: request.build_absolute_uri(meeting_path(m)),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def meeting_path(meeting: Meeting) -> str:
    """The meeting's address, with the time when the forum met twice that day."""
    return meeting_url(meeting)


def _recent(request: HttpRequest) -> QuerySet[Meeting]:
    return (
        meetings_visible_to(user=request.user)
        .filter(starts_at__gte=timezone.now() - HISTORY)
        .select_related("organization")
        .order_by("starts_at")
    )


def all_forums_feed(request: HttpRequest) -> HttpResponse:
    meetings = list(_recent(request))
    return _response(request, meetings, name=_("Alle møder"), filename="moeder.ics")


def forum_feed(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    meetings = list(_recent(request).filter(organization=organization))
    return _response(request, meetings, name=organization.name, filename=f"{organization.slug}.ics")

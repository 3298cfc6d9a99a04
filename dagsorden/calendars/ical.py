"""iCalendar feeds of meetings: one event a meeting, stable UIDs, cancellations marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from dagsorden.meetings.models import Meeting

DEFAULT_LENGTH = dt.timedelta(hours=2)


def meeting_uid(meeting: Meeting, *, domain: str) -> str:
    """Stable across renames and re-imports: the row id never changes."""
    return f"meeting-{meeting.pk}@{domain}"


def calendar_for(
    *,
    meetings: Iterable[Meeting],
    name: str,
    domain: str,
    url_for: Callable[[Meeting], str],
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//dagsorden//Møder//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    for meeting in meetings:
        calendar.add_component(_event(meeting, domain=domain, url=url_for(meeting)))
    return calendar.to_ical()


def _event(meeting: Meeting, *, domain: str, url: str) -> Event:
    event = Event()
    cancelled = meeting.state == Meeting.State.CANCELLED
    title = f"{meeting.organization.name}"
    event.add("uid", meeting_uid(meeting, domain=domain))
    event.add("summary", f"AFLYST: {title}" if cancelled else title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
    event.add("dtstamp", meeting.modified)
    event.add("last-modified", meeting.modified)
    event.add("created", meeting.created)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", url)
    description = f"Dagsorden: {url}"
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", description)
    return event

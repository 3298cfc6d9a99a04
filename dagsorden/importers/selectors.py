"""Finding a meeting by what a user types: forum name, prefix or slug, and a date."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db.models import Q

from dagsorden.core.errors import ApplicationError
from dagsorden.meetings.models import Meeting, Organization

LOCAL_TZ = zoneinfo.ZoneInfo("Europe/Copenhagen")


def organization_by_name(*, name: str) -> Organization:
    found = Organization.objects.filter(
        Q(name__iexact=name) | Q(prefix__iexact=name) | Q(slug__iexact=name)
    ).first()
    if found is None:
        known = ", ".join(Organization.objects.values_list("name", flat=True)) or "none"
        raise ApplicationError(f"no forum named {name!r} (known forums: {known})")
    return found


def meeting_on_date(*, forum: str, date: str, time: str | None = None) -> Meeting:
    """The forum's meeting on a local date (``time`` picks one when a day has several)."""
    organization = organization_by_name(name=forum)
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise ApplicationError(f"{date!r} is not a date of the form YYYY-MM-DD") from None
    start = dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ)
    meetings = list(
        Meeting.objects.filter(
            organization=organization,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
        ).order_by("starts_at")
    )
    if time is not None:
        meetings = [
            m for m in meetings if m.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M") == time
        ]
    if not meetings:
        raise ApplicationError(f"{organization.name} has no meeting on {date}")
    if len(meetings) > 1:
        times = ", ".join(m.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M") for m in meetings)
        raise ApplicationError(
            f"{organization.name} has {len(meetings)} meetings on {date} ({times}); "
            "choose one with --time HH:MM"
        )
    return meetings[0]

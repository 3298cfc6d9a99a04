"""Stable, readable addresses of meetings and items: ``/<forum>/<YYYY-MM-DD>[-HHMM]/``.

An item's attachment lives below the item: ``/<forum>/<key>/punkt-<N>/bilag-<order>/<name>``,
the name being the attachment's own, made readable ASCII (``maalsaetninger-cf.pptx``).

The plain date names a meeting; when a forum has two meetings on one day that the visitor
may see, each is named by date and time instead (and the plain date lists both). Whether a
meeting shares its day is annotated by the visibility gate (``shares_day`` on
``meetings_visible_to``), so lists cost no extra queries and a hidden meeting never shows
in another meeting's address.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from dagsorden.core.danish import danish_slug, local_day_range
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting
from dagsorden.meetings.selectors import meetings_visible_to

MEETING_KEY_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d{2})(\d{2}))?$")
FILE_SUFFIX_RE = re.compile(r"\.([A-Za-z0-9]{1,8})$")


@dataclass(frozen=True)
class MeetingKey:
    day: dt.date
    time: dt.time | None  # set when the address names one of several meetings that day


def parse_meeting_key(key: str) -> MeetingKey | None:
    """``2023-09-14`` or ``2023-09-14-0900``; None for anything else (an impossible date)."""
    match = MEETING_KEY_RE.match(key)
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match[1])
        time = dt.time(int(match[2]), int(match[3])) if match[2] is not None else None
    except ValueError:
        return None
    return MeetingKey(day=day, time=time)


def meeting_key(meeting: Meeting, *, shares_day: bool | None = None) -> str:
    """The date part of the address; with the time when the forum met twice that day."""
    if shares_day is None:
        shares_day = bool(getattr(meeting, "shares_day", False))
    local = timezone.localtime(meeting.starts_at)
    return f"{local:%Y-%m-%d-%H%M}" if shares_day else f"{local:%Y-%m-%d}"


def meeting_url(meeting: Meeting, *, key: str | None = None) -> str:
    return reverse("public:meeting", args=[meeting.organization.slug, key or meeting_key(meeting)])


def item_url(item: AgendaItem, *, key: str | None = None) -> str:
    if key is None:
        key = meeting_key(item.meeting, shares_day=getattr(item, "meeting_shares_day", None))
    return numbered_item_url(item.meeting, item.number, key=key)


def numbered_item_url(meeting: Meeting, number: int, *, key: str | None = None) -> str:
    """``/chefforum/2023-09-14/punkt-5/``."""
    key = key or meeting_key(meeting)
    return reverse("public:item", args=[meeting.organization.slug, key, number])


def attachment_file_name(name: str) -> str:
    """``Målsætninger CF.pptx`` -> ``maalsaetninger-cf.pptx``: the last part of its URL."""
    suffix = FILE_SUFFIX_RE.search(name)
    stem = name[: suffix.start()] if suffix else name
    readable = danish_slug(stem)[:80].strip("-") or "bilag"
    return f"{readable}.{suffix[1].lower()}" if suffix else readable


def attachment_url(attachment: Attachment, *, key: str) -> str:
    """``/chefforum/2023-09-14/punkt-5/bilag-1/maalsaetninger-cf.pptx``.

    ``key`` is the meeting's address key as the page shows it (``meeting_key``); the item
    and its meeting come from the attachment's (prefetched) item.
    """
    item = attachment.item
    return reverse(
        "publishing:attachment",
        args=[
            item.meeting.organization.slug,
            key,
            item.number,
            attachment.order,
            attachment_file_name(attachment.name),
        ],
    )


def meetings_at_address(*, user: Any, slug: str, key: str) -> tuple[list[Meeting], bool]:
    """The meetings the address ``/<slug>/<key>/`` names among those ``user`` may see, and
    whether the forum met more than once that day (visibly to ``user``). None named, an
    impossible date or one outside the meeting years: an empty list (the caller's 404)."""
    parsed = parse_meeting_key(key)
    bounds = local_day_range(parsed.day) if parsed is not None else None
    if parsed is None or bounds is None:
        return [], False
    day = list(
        meetings_visible_to(user=user)
        .filter(organization__slug=slug, starts_at__gte=bounds[0], starts_at__lt=bounds[1])
        .order_by("starts_at")
    )
    if parsed.time is None:
        return day, len(day) > 1
    return [m for m in day if timezone.localtime(m.starts_at).time() == parsed.time], len(day) > 1

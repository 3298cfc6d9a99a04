"""Stable, readable addresses of meetings and items: ``/<forum>/<YYYY-MM-DD>[-HHMM]/``.

An item's attachment lives below the item: ``/<forum>/<key>/punkt-<N>/bilag-<order>/<name>``,
the name being the attachment's own, made readable ASCII (``maalsaetninger-cf.pptx``).

The plain date names a meeting; when a forum has two live meetings on one day, each is
named by date and time instead (and the plain date lists both). Whether a meeting shares
its day is annotated on the query (``shares_day``), so lists cost no extra queries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from dagsorden.core.danish import danish_slug
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting

ONE_DAY = dt.timedelta(days=1)
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


def _same_day_exists(*, via: str) -> Exists:
    # The ±1 day range lets the (organization, starts_at) index find the few candidates;
    # the date comparison (in local time) then decides.
    starts_at = OuterRef(f"{via}starts_at")
    others = Meeting.objects.filter(
        organization_id=OuterRef(f"{via}organization_id"),
        starts_at__gt=starts_at - ONE_DAY,
        starts_at__lt=starts_at + ONE_DAY,
        starts_at__date=OuterRef("local_day"),
    ).exclude(pk=OuterRef(f"{via}pk"))
    return Exists(others)


def with_shares_day(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate ``shares_day``: another live meeting of the forum falls on the same date."""
    return meetings.annotate(local_day=TruncDate("starts_at")).annotate(
        shares_day=_same_day_exists(via="")
    )


def items_with_shares_day(items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    """Annotate ``meeting_shares_day`` on items, for ``item_url`` and ``meeting_url``."""
    return items.annotate(local_day=TruncDate("meeting__starts_at")).annotate(
        meeting_shares_day=_same_day_exists(via="meeting__")
    )

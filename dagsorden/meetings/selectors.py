"""The one visibility gate: every page, feed, search and export reads through these.

Anonymous visitors see published meetings only; of a closed item, only its number and
"Lukket punkt"; decisions only once the minutes are part of the published record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from dagsorden.cases.models import Case
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting


def user_can_see_closed(*, user: Any) -> bool:
    """Signed-in staff see closed items and unpublished meetings."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def meetings_visible_to(*, user: Any) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("organization")
    if user_can_see_closed(user=user):
        return meetings
    return meetings.filter(state__in=Meeting.PUBLIC_STATES)


def decision_visible(*, meeting: Meeting, user: Any) -> bool:
    return user_can_see_closed(user=user) or meeting.state in Meeting.MINUTES_STATES


def item_content_visible(*, item: AgendaItem, user: Any) -> bool:
    return item.public or user_can_see_closed(user=user)


def attachments_visible_to(*, user: Any) -> QuerySet[Attachment]:
    attachments = Attachment.objects.order_by("order")
    return attachments if user_can_see_closed(user=user) else attachments.filter(public=True)


def agenda_items_visible_to(*, user: Any, meeting: Meeting | None = None) -> QuerySet[AgendaItem]:
    """Items of visible meetings (closed ones included: callers show their number only)."""
    items = AgendaItem.objects.select_related("case", "meeting__organization").prefetch_related(
        Prefetch("attachments", queryset=attachments_visible_to(user=user))
    )
    if meeting is not None:
        items = items.filter(meeting=meeting)
    else:
        items = items.filter(meeting__in=meetings_visible_to(user=user))
    return items.order_by("order")


def case_history(*, case: Case, user: Any) -> QuerySet[AgendaItem]:
    """Every visible item of a case across meetings and forums, newest first."""
    items = AgendaItem.objects.filter(
        case=case, meeting__in=meetings_visible_to(user=user)
    ).select_related("meeting__organization")
    if not user_can_see_closed(user=user):
        items = items.filter(public=True)
    return items.order_by("-meeting__starts_at", "order")

"""Template helpers: Danish dates and the stable URLs of meetings and items."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from dagsorden.core.danish import meeting_date_words
from dagsorden.meetings.models import AgendaItem, Meeting

register = template.Library()


@register.filter
def danish_datetime(value: object) -> str:
    """``Torsdag d. 14. september 2023 kl. 09:00``."""
    if value is None:
        return ""
    return meeting_date_words(timezone.localtime(value))  # type: ignore[arg-type]


@register.filter
def meeting_url(meeting: Meeting) -> str:
    key = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
    return reverse("public:meeting", args=[meeting.organization.slug, key])


@register.filter
def meeting_time_url(meeting: Meeting) -> str:
    """The URL that picks one of several meetings on the same day."""
    key = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d-%H%M}"
    return reverse("public:meeting", args=[meeting.organization.slug, key])


@register.filter
def item_url(item: AgendaItem) -> str:
    meeting = item.meeting
    key = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
    return reverse("public:item", args=[meeting.organization.slug, key, item.number])


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def get_param(params: object, name: str) -> str:
    getter = getattr(params, "get", None)
    return str(getter(name, "") or "") if getter else ""

"""Template helpers: Danish dates and the stable addresses of meetings and items."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from dagsorden.core.danish import date_words, meeting_date_words
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.public import links

register = template.Library()


@register.filter
def danish_datetime(value: dt.datetime | None) -> str:
    """``Torsdag d. 14. september 2023 kl. 09:00``, in Copenhagen time, without a locale."""
    if value is None:
        return ""
    return meeting_date_words(timezone.localtime(value))


@register.filter
def danish_date(value: dt.datetime | None) -> str:
    """``14. september 2023`` (for page titles)."""
    if value is None:
        return ""
    return date_words(timezone.localtime(value).date())


@register.filter
def meeting_url(meeting: Meeting) -> str:
    """With the time in the address when the query annotated ``shares_day``."""
    return links.meeting_url(meeting)


@register.filter
def item_url(item: AgendaItem) -> str:
    return links.item_url(item)


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def get_param(params: object, name: str) -> str:
    getter = getattr(params, "get", None)
    return str(getter(name, "") or "") if getter else ""

"""The public archive: forums, meetings, items and cases. Thin views over the selectors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from dagsorden.cases.models import Case
from dagsorden.meetings.models import AgendaItem, Meeting, Organization
from dagsorden.meetings.selectors import (
    agenda_items_visible_to,
    case_history,
    decision_visible,
    item_content_visible,
    meetings_visible_to,
    user_can_see_closed,
)
from dagsorden.public.text_blocks import text_blocks

MEETING_KEY_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d{2})(\d{2}))?$")
LATEST_PER_FORUM = 5
PAGE_SIZE = 50


@dataclass(frozen=True)
class ItemView:
    """What a page may show of one item for this visitor."""

    item: AgendaItem
    visible: bool
    show_decision: bool

    def sections(self) -> list[dict[str, Any]]:
        item = self.item
        sections = []
        for key, heading in (("occasion", "Anledning"), ("presentation", "Sagsfremstilling")):
            value = getattr(item, key)
            if value is not None:
                sections.append({"key": key, "heading": heading, "blocks": text_blocks(value)})
        return sections

    def decision_blocks(self) -> list[Any]:
        return text_blocks(self.item.decision)


def _item_views(items: list[AgendaItem], meeting: Meeting, user: Any) -> list[ItemView]:
    show_decision = decision_visible(meeting=meeting, user=user)
    return [
        ItemView(item, item_content_visible(item=item, user=user), show_decision) for item in items
    ]


def home(request: HttpRequest) -> HttpResponse:
    visible = meetings_visible_to(user=request.user)
    now = timezone.now()
    forums = []
    for organization in Organization.objects.order_by("name"):
        mine = visible.filter(organization=organization)
        upcoming = list(mine.filter(starts_at__gte=now).order_by("starts_at")[:2])
        latest = list(mine.filter(starts_at__lt=now).order_by("-starts_at")[:LATEST_PER_FORUM])
        if upcoming or latest:
            forums.append({"organization": organization, "upcoming": upcoming, "latest": latest})
    return render(request, "public/home.html", {"forums": forums})


def forum(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    meetings = meetings_visible_to(user=request.user).filter(organization=organization)
    page = Paginator(meetings.order_by("-starts_at"), PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "public/forum.html", {"organization": organization, "page": page})


def _meetings_for_key(
    request: HttpRequest, slug: str, key: str
) -> tuple[Organization, list[Meeting]]:
    match = MEETING_KEY_RE.match(key)
    if match is None:
        raise Http404
    organization = get_object_or_404(Organization, slug=slug)
    try:
        day = dt.date.fromisoformat(match[1])
    except ValueError:
        raise Http404 from None
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    meetings = list(
        meetings_visible_to(user=request.user)
        .filter(
            organization=organization,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
        )
        .order_by("starts_at")
    )
    if match[2] is not None:
        meetings = [
            m
            for m in meetings
            if timezone.localtime(m.starts_at).strftime("%H%M") == match[2] + match[3]
        ]
    if not meetings:
        raise Http404
    return organization, meetings


def meeting(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    organization, meetings = _meetings_for_key(request, slug, key)
    if len(meetings) > 1:
        return render(
            request,
            "public/meeting_choice.html",
            {"organization": organization, "meetings": meetings},
        )
    chosen = meetings[0]
    items = list(agenda_items_visible_to(user=request.user, meeting=chosen))
    return render(
        request,
        "public/meeting.html",
        {
            "organization": organization,
            "meeting": chosen,
            "items": _item_views(items, chosen, request.user),
            "meeting_key": key,
            "staff_view": user_can_see_closed(user=request.user),
        },
    )


def item(request: HttpRequest, slug: str, key: str, number: int) -> HttpResponse:
    organization, meetings = _meetings_for_key(request, slug, key)
    if len(meetings) > 1:
        raise Http404
    chosen = meetings[0]
    found = [
        i for i in agenda_items_visible_to(user=request.user, meeting=chosen) if i.number == number
    ]
    if not found:
        raise Http404
    return render(
        request,
        "public/item.html",
        {
            "organization": organization,
            "meeting": chosen,
            "entry": _item_views(found[:1], chosen, request.user)[0],
            "meeting_key": key,
        },
    )


def case(request: HttpRequest, journal_number: str) -> HttpResponse:
    found = get_object_or_404(Case, journal_number=journal_number)
    history = list(case_history(case=found, user=request.user))
    if not history and not user_can_see_closed(user=request.user):
        raise Http404
    rows = [
        {"item": entry, "show_decision": decision_visible(meeting=entry.meeting, user=request.user)}
        for entry in history
    ]
    return render(
        request,
        "public/case.html",
        {"case": found, "history": rows, "title": history[0].title if history else found.title},
    )

"""The public archive: forums, meetings, items and cases. Thin views over the selectors."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR

from dagsorden.cases.models import Case
from dagsorden.meetings.models import Attendance, Meeting, Organization
from dagsorden.meetings.selectors import (
    agenda_items_visible_to,
    case_history,
    decision_visible,
    meetings_per_forum,
    meetings_visible_to,
    user_can_see_closed,
)
from dagsorden.public.links import (
    meeting_key,
    meeting_url,
    meetings_at_address,
    numbered_item_url,
)
from dagsorden.public.page_cache import MeetingPageCache
from dagsorden.public.presentation import case_history_rows, item_entries

LATEST_PER_FORUM = 5
UPCOMING_PER_FORUM = 2
PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    """Every forum with its next and latest meetings (a constant number of queries)."""
    visible = meetings_visible_to(user=request.user)
    now = timezone.now()
    upcoming = meetings_per_forum(
        meetings=visible.filter(starts_at__gte=now), limit=UPCOMING_PER_FORUM, newest_first=False
    )
    latest = meetings_per_forum(meetings=visible.filter(starts_at__lt=now), limit=LATEST_PER_FORUM)
    forums = [
        {
            "organization": organization,
            "upcoming": upcoming.get(organization.pk, []),
            "latest": latest.get(organization.pk, []),
        }
        for organization in Organization.objects.order_by("name")
    ]
    return render(request, "public/home.html", {"forums": forums})


def calendar_month(
    request: HttpRequest, year: int | None = None, month: int | None = None
) -> HttpResponse:
    """A month of meetings, Monday first, optionally for one forum (``?forum=slug``)."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        raise Http404
    first = dt.date(year, month, 1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(after, dt.time()))
    meetings = (
        meetings_visible_to(user=request.user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at")
    )
    chosen = None
    if slug := request.GET.get("forum"):
        chosen = get_object_or_404(Organization, slug=slug)
        meetings = meetings.filter(organization=chosen)
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    weeks = [
        [(day, by_day.get(day, [])) if day.month == month else (None, []) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "public/month.html",
        {
            "first": first,
            "weeks": weeks,
            "count": sum(len(found) for found in by_day.values()),
            "previous": previous,
            "next": after,
            "forum": chosen,
            "forums": Organization.objects.order_by("name"),
            "weekdays": [(WEEKDAYS[day], WEEKDAYS_ABBR[day]) for day in range(7)],
        },
    )


def forum(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    meetings = (
        meetings_visible_to(user=request.user)
        .filter(organization=organization)
        .order_by("-starts_at")
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "public/forum.html", {"organization": organization, "page": page})


def _meetings_for_key(
    request: HttpRequest, slug: str, key: str
) -> tuple[Organization, list[Meeting], bool]:
    """The visible meetings the address names, and whether the forum met more than once;
    none is a 404 whether or not the forum exists."""
    meetings, shared = meetings_at_address(user=request.user, slug=slug, key=key)
    if not meetings:
        raise Http404
    return meetings[0].organization, meetings, shared


def _choice(
    request: HttpRequest,
    organization: Organization,
    meetings: list[Meeting],
    *,
    number: int | None = None,
) -> HttpResponse:
    """The plain date of a day the forum met twice: a short list to choose from."""
    choices = [
        {
            "meeting": m,
            "url": meeting_url(m) if number is None else numbered_item_url(m, number),
        }
        for m in meetings
    ]
    return render(
        request,
        "public/meeting_choice.html",
        {"organization": organization, "choices": choices, "number": number},
    )


def meeting(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    # Anonymous visitors share one rendered page per address and language, kept until a
    # row it shows changes (see page_cache); everyone else gets a fresh one.
    page_cache = MeetingPageCache.for_request(request, slug, key)
    if page_cache is not None and (cached := page_cache.response(request)) is not None:
        return cached
    organization, meetings, _ = _meetings_for_key(request, slug, key)
    if len(meetings) > 1:
        return _choice(request, organization, meetings)
    chosen = meetings[0]
    key = meeting_key(chosen)
    items = agenda_items_visible_to(user=request.user, meeting=chosen)
    entries = item_entries(items, meeting=chosen, key=key, user=request.user)
    show_minutes = chosen.has_minutes and decision_visible(meeting=chosen, user=request.user)
    render_page = render if page_cache is None else page_cache.render
    return render_page(
        request,
        "public/meeting.html",
        {
            "organization": organization,
            "meeting": chosen,
            "meeting_key": key,
            "items": entries,
            "show_minutes": show_minutes,
            # Who attended and who sent apologies is part of the minutes.
            "attendance": (
                list(Attendance.objects.filter(meeting=chosen).select_related("person"))
                if show_minutes
                else []
            ),
            "staff_view": user_can_see_closed(
                user=request.user, organization_id=chosen.organization_id
            ),
        },
    )


def item(request: HttpRequest, slug: str, key: str, number: int) -> HttpResponse:
    organization, meetings, _ = _meetings_for_key(request, slug, key)
    if len(meetings) > 1:
        return _choice(request, organization, meetings, number=number)
    chosen = meetings[0]
    key = meeting_key(chosen)
    found = agenda_items_visible_to(user=request.user, meeting=chosen).filter(number=number)[:1]
    entries = item_entries(found, meeting=chosen, key=key, user=request.user)
    if not entries:
        raise Http404
    return render(
        request,
        "public/item.html",
        {"organization": organization, "meeting": chosen, "meeting_key": key, "entry": entries[0]},
    )


def case(request: HttpRequest, journal_number: str) -> HttpResponse:
    found = get_object_or_404(Case, journal_number=journal_number)
    history = list(case_history(case=found, user=request.user))
    staff = user_can_see_closed(user=request.user)
    if not history and not staff:
        # Only closed items or unpublished meetings: the public may not learn the case exists.
        raise Http404
    # The newest visible item names the case best ("Målsætninger 2024" after "Centrale
    # udfordringer"); the stored title may come from an item the visitor may not see.
    title = history[0].title if history else found.title
    return render(
        request,
        "public/case.html",
        {
            "case": found,
            "title": title,
            "history": case_history_rows(history, user=request.user),
        },
    )

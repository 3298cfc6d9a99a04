"""The one visibility gate: every page, feed, search hit, file, export and command reads
through these, and decides from the rows as they are now (never from a copy).

Anonymous visitors see published meetings only (a cancelled meeting only if its agenda had
been published); of a closed item, only its number and "Lukket punkt"; decisions only once
the minutes are approved; attachments only those that may be published; nothing of a
soft-deleted meeting, item or forum. Who may see more comes from the roles in
``dagsorden.access.rules``: an administrator sees everything; a forum's secretary its
unpublished meetings, closed items and draft minutes; a forum's member its closed items,
and its minutes once sent for approval.

Meetings come annotated with ``shares_day`` (items with ``meeting_shares_day``): whether
another meeting of the forum *that this user may see* falls on the same day, which puts
the time into the address (``public/links.py``) without revealing a hidden meeting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate

from dagsorden.access.rules import grants_for, reads_closed_items_of
from dagsorden.cases.models import Case
from dagsorden.core.danish import MEETING_YEARS, local_day_range
from dagsorden.core.errors import ApplicationError
from dagsorden.core.vocabulary import LOCAL_TZ
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting, Organization


def user_can_see_closed(*, user: Any, organization_id: int | None = None) -> bool:
    """Closed items: administrators everywhere, a forum's secretaries and members there."""
    if organization_id is None:
        return grants_for(user).administrator
    return reads_closed_items_of(user, organization_id)


def _visible_meetings_q(*, user: Any, via: str = "") -> Q:
    """Live meetings of live forums, and for the public only the published ones.

    ``via`` is the path from the queried model to the meeting (``"meeting__"`` for items):
    the default manager hides soft-deleted rows only for the queried model, not for the
    rows reached through a relation.
    """
    condition = Q(**{f"{via}deleted_at__isnull": True}) & Q(
        **{f"{via}organization__deleted_at__isnull": True}
    )
    grants = grants_for(user)
    if not grants.administrator:
        published = published_meetings_q(via=via)
        if grants.secretary_forums:
            published |= Q(**{f"{via}organization_id__in": grants.secretary_forums})
        condition &= published
    return condition


def published_meetings_q(*, via: str = "") -> Q:
    """Meetings the public may read: published agendas, held meetings, approved minutes,
    and a cancelled meeting only if its agenda had been published (``Meeting.is_published``)."""
    return Q(**{f"{via}state__in": Meeting.PUBLISHED_STATES}) | Q(
        **{f"{via}state": Meeting.State.CANCELLED, f"{via}agenda_published_at__isnull": False}
    )


ONE_DAY = dt.timedelta(days=1)


def _shares_day(*, user: Any, via: str) -> Exists:
    """Another meeting of the same forum, visible to ``user``, on the same local date.

    The ±1 day range lets the (organization, starts_at) index find the few candidates; the
    date comparison (in local time, ``local_day`` annotated by the caller) then decides."""
    starts_at = OuterRef(f"{via}starts_at")
    others = Meeting.objects.filter(
        _visible_meetings_q(user=user),
        organization_id=OuterRef(f"{via}organization_id"),
        starts_at__gt=starts_at - ONE_DAY,
        starts_at__lt=starts_at + ONE_DAY,
        starts_at__date=OuterRef("local_day"),
    ).exclude(pk=OuterRef(f"{via}pk"))
    return Exists(others)


def meetings_visible_to(*, user: Any) -> QuerySet[Meeting]:
    """Anonymous: published meetings only; secretaries also their forums' planned ones.
    Annotated with ``shares_day`` (see the module's docstring)."""
    return (
        Meeting.objects.filter(_visible_meetings_q(user=user))
        .select_related("organization")
        .annotate(local_day=TruncDate("starts_at"))
        .annotate(shares_day=_shares_day(user=user, via=""))
    )


_Rows = TypeVar("_Rows", bound=QuerySet[Any])


def with_meeting_shares_day(rows: _Rows, *, user: Any, via: str = "meeting__") -> _Rows:
    """Annotate ``meeting_shares_day`` on items (or rows that reach a meeting by ``via``) of
    visible meetings, for their addresses."""
    return rows.annotate(local_day=TruncDate(f"{via}starts_at")).annotate(
        meeting_shares_day=_shares_day(user=user, via=via)
    )


def meetings_per_forum(
    *, meetings: QuerySet[Meeting], limit: int, newest_first: bool = True
) -> dict[int, list[Meeting]]:
    """Up to ``limit`` of ``meetings`` per forum id, in one query (a window function).

    ``meetings`` must come from ``meetings_visible_to``; narrow it first (say, to upcoming
    meetings). Without this, a start page listing N forums would cost N queries.
    """
    start = F("starts_at").desc() if newest_first else F("starts_at").asc()
    ranked = meetings.annotate(
        forum_rank=Window(RowNumber(), partition_by=[F("organization_id")], order_by=[start])
    ).filter(forum_rank__lte=limit)
    found: dict[int, list[Meeting]] = {}
    for meeting in ranked.order_by("organization_id", "forum_rank"):
        found.setdefault(meeting.organization_id, []).append(meeting)
    return found


def decision_visible(*, meeting: Meeting, user: Any) -> bool:
    """Decisions are public once the minutes are approved; the forum's secretaries see them
    as they are written, its members once the minutes are sent for approval."""
    if meeting.state in Meeting.MINUTES_STATES:
        return meeting.is_published
    grants = grants_for(user)
    if grants.administrator or meeting.organization_id in grants.secretary_forums:
        return True
    return meeting.organization_id in grants.member_forums and meeting.minutes_ready_at is not None


def item_content_visible(*, item: AgendaItem, user: Any) -> bool:
    """Everything but the number of a closed item is for those who read the forum's closed
    items."""
    return item.public or reads_closed_items_of(user, item.meeting.organization_id)


def attachments_visible_to(*, user: Any) -> QuerySet[Attachment]:
    """Live attachments; the public sees only those that may be published."""
    attachments = Attachment.objects.order_by("order")
    grants = grants_for(user)
    if grants.administrator:
        return attachments
    allowed = Q(public=True)
    if grants.reader_forums:
        allowed |= Q(item__meeting__organization_id__in=grants.reader_forums)
    return attachments.filter(allowed)


def agenda_items_visible_to(*, user: Any, meeting: Meeting | None = None) -> QuerySet[AgendaItem]:
    """Live items of visible meetings, in agenda order, with case, meeting and attachments.

    Closed items are included so pages can show that they exist: show their content only
    where ``item_content_visible`` says so. A meeting the user may not see has no items.
    """
    items = (
        AgendaItem.objects.filter(_visible_meetings_q(user=user, via="meeting__"))
        .select_related("case", "meeting__organization")
        .prefetch_related(
            Prefetch("attachments", queryset=attachments_visible_to(user=user)), "amendments"
        )
    )
    if meeting is not None:
        items = items.filter(meeting=meeting)
    return with_meeting_shares_day(items, user=user).order_by("meeting__starts_at", "order")


def _readable_items(*, user: Any) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(_visible_meetings_q(user=user, via="meeting__"))
    grants = grants_for(user)
    if not grants.administrator:
        allowed = Q(public=True)
        if grants.reader_forums:
            allowed |= Q(meeting__organization_id__in=grants.reader_forums)
        items = items.filter(allowed)
    return items


def agenda_items_readable_by(*, user: Any) -> QuerySet[AgendaItem]:
    """Items whose content (not only their number) this user may read: live items of
    visible meetings, closed ones only for those who read the forum's closed items."""
    items = _readable_items(user=user).select_related("meeting__organization", "case")
    return with_meeting_shares_day(items, user=user)


def item_readable_exists(*, user: Any, item_ref: str = "item_id") -> Exists:
    """Whether the item a row refers to (``item_ref``) is one this user may read, as a
    correlated EXISTS for rows found elsewhere (a page of search hits): evaluated per row,
    so only for the rows at hand."""
    return Exists(_readable_items(user=user).filter(pk=OuterRef(item_ref)))


def case_history(*, case: Case, user: Any) -> QuerySet[AgendaItem]:
    """Every item of a case across meetings and forums the user may see, newest first.

    Unlike an agenda, a case's history leaves closed items out for the public: a
    "Lukket punkt" row here would tie the closed item to this journal number.
    """
    return (
        agenda_items_readable_by(user=user)
        .filter(case=case)
        .order_by("-meeting__starts_at", "order")
    )


# --- Finding a meeting by what a user types (the command line)


def organization_by_name(*, name: str) -> Organization:
    found = Organization.objects.filter(
        Q(name__iexact=name) | Q(prefix__iexact=name) | Q(slug__iexact=name)
    ).first()
    if found is None:
        known = ", ".join(Organization.objects.values_list("name", flat=True)) or "none"
        raise ApplicationError(f"no forum named {name!r} (known forums: {known})")
    return found


def meeting_on_date(*, forum: str, date: str, user: Any, time: str | None = None) -> Meeting:
    """The forum's meeting on a local date that ``user`` may see (``time`` picks one when a
    day has several). The public command-line outputs pass an anonymous user."""
    organization = organization_by_name(name=forum)
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise ApplicationError(f"{date!r} is not a date of the form YYYY-MM-DD") from None
    bounds = local_day_range(day)
    if bounds is None:
        raise ApplicationError(
            f"{date!r} is outside the years a meeting can fall in "
            f"({MEETING_YEARS.start}-{MEETING_YEARS.stop - 1})"
        )
    meetings = list(
        meetings_visible_to(user=user)
        .filter(organization=organization, starts_at__gte=bounds[0], starts_at__lt=bounds[1])
        .order_by("starts_at")
    )
    if time is not None:
        meetings = [
            m for m in meetings if m.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M") == time
        ]
    if not meetings:
        published = "" if grants_for(user).administrator else "published "
        raise ApplicationError(f"{organization.name} has no {published}meeting on {date}")
    if len(meetings) > 1:
        times = ", ".join(m.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M") for m in meetings)
        raise ApplicationError(
            f"{organization.name} has {len(meetings)} meetings on {date} ({times}); "
            "choose one with --time HH:MM"
        )
    return meetings[0]

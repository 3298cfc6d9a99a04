"""Export: a stored meeting back as the dagsorden.document/1 it was imported from, as a
given user may read it (the visibility gate decides; the public version is what an
anonymous visitor reads)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from dagsorden.core.vocabulary import CLOSED_ITEM_TITLE, LOCAL_TZ
from dagsorden.documents.contract import Document, Item, Recommendation, TimeSlot
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.meetings.selectors import (
    agenda_items_visible_to,
    decision_visible,
    item_content_visible,
    meetings_visible_to,
)


class NotVisible(Exception):
    """The meeting is not one this user may read (the caller names it its own way)."""


def meeting_document(*, meeting: Meeting, user: Any) -> Document:
    """The meeting as ``user`` may read it: a closed item they may not read keeps only its
    number, decisions appear only where the gate shows them (and only then is the document
    minutes), bilag only those they may see. A meeting they may not see is ``NotVisible``."""
    if not meetings_visible_to(user=user).filter(pk=meeting.pk).exists():
        raise NotVisible(meeting.pk)
    items = agenda_items_visible_to(user=user, meeting=meeting)
    decisions = decision_visible(meeting=meeting, user=user)
    kind: Literal["agenda", "minutes"] = (
        "minutes" if meeting.has_minutes and decisions else "agenda"
    )
    return Document(
        kind=kind,
        forum=meeting.organization.name,
        starts_at=meeting.starts_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M"),
        location=meeting.location,
        items=tuple(
            _item(row, decisions=decisions)
            if item_content_visible(item=row, user=user)
            else _closed_stub(row)
            for row in items
        ),
        prefix=meeting.organization.prefix or None,
    )


def _clock(value: dt.time | None) -> str | None:
    return None if value is None else f"{value.hour:02d}:{value.minute:02d}"


def _item(row: AgendaItem, *, decisions: bool) -> Item:
    """``row.attachments`` holds the bilag the gate lets this user see (prefetched)."""
    has_slot = row.has_time_slot
    attachments = list(row.attachments.all())
    return Item(
        number=row.number,
        title=row.title,
        journal_number=row.case.journal_number if row.case else None,
        occasion=row.occasion,
        presentation=row.presentation,
        recommendation=(
            Recommendation(
                proposer=row.recommendation_proposer, points=tuple(row.recommendation_points)
            )
            if row.has_recommendation
            else None
        ),
        decision=row.decision if decisions else None,
        attachments=tuple(a.name for a in attachments),
        time_slot=(
            TimeSlot(
                start=_clock(row.time_start),
                end=_clock(row.time_end),
                minutes=row.duration_minutes,
            )
            if has_slot
            else None
        ),
        presenters=tuple(row.presenters),
        guests=tuple(row.guests),
        public=row.public,
        case_type=row.case_type or None,
    )


def _closed_stub(row: AgendaItem) -> Item:
    return Item(number=row.number, title=CLOSED_ITEM_TITLE, public=False)

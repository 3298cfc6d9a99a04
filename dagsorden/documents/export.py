"""Export: a stored meeting back as the dagsorden.document/1 it was imported from."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Prefetch

from dagsorden.core.vocabulary import CLOSED_ITEM_TITLE, LOCAL_TZ
from dagsorden.documents.contract import Document, Item, Recommendation, TimeSlot
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting

Audience = Literal["internal", "public"]


def meeting_document(*, meeting: Meeting, audience: Audience = "internal") -> Document:
    """The meeting as a document; the public version keeps only a closed item's number."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("order")))
        .order_by("order")
    )
    kind: Literal["agenda", "minutes"] = "minutes" if meeting.has_minutes else "agenda"
    return Document(
        kind=kind,
        forum=meeting.organization.name,
        starts_at=meeting.starts_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M"),
        location=meeting.location,
        items=tuple(
            _closed_stub(row) if audience == "public" and not row.public else _item(row, audience)
            for row in items
        ),
        prefix=meeting.organization.prefix or None,
    )


def _clock(value: dt.time | None) -> str | None:
    return None if value is None else f"{value.hour:02d}:{value.minute:02d}"


def _item(row: AgendaItem, audience: Audience) -> Item:
    has_slot = row.has_time_slot
    attachments = [a for a in row.attachments.all() if audience == "internal" or a.public]
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
        decision=row.decision,
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

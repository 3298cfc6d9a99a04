"""What a page shows of an item, decided once from the selectors.

Templates never get a closed item's row for a visitor who may not see it: ``ItemEntry.item``
is None then, so a template slip cannot leak a title, journal number or attachment name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from dagsorden.cases.models import Case
from dagsorden.meetings.models import AgendaItem, Amendment, Attachment, Meeting
from dagsorden.meetings.selectors import decision_visible, item_content_visible
from dagsorden.public.links import item_url, meeting_key, meeting_url
from dagsorden.public.text_blocks import Block, text_blocks

CASE_DECISION_WORDS = 40


@dataclass(frozen=True)
class Section:
    heading: str | Promise
    blocks: list[Block]


@dataclass(frozen=True)
class ItemEntry:
    """One item as this visitor may see it; ``item`` is None for a closed item they may not."""

    number: int
    url: str
    item: AgendaItem | None
    show_decision: bool

    @property
    def anchor(self) -> str:
        return f"punkt-{self.number}"

    @property
    def closed(self) -> bool:
        """Shown to staff as a warning; the public sees "Lukket punkt" instead of content."""
        return self.item is None or not self.item.public

    @property
    def case(self) -> Case | None:
        """The item's live case (a soft-deleted case has no page to link to)."""
        if self.item is None or self.item.case is None or self.item.case.deleted:
            return None
        return self.item.case

    @cached_property
    def texts(self) -> list[Section]:
        """Anledning and Sagsfremstilling, in the case template's order, when present."""
        if self.item is None:
            return []
        return [
            Section(heading, text_blocks(value))
            for heading, value in (
                (_("Anledning"), self.item.occasion),
                (_("Sagsfremstilling"), self.item.presentation),
            )
            if value is not None
        ]

    @property
    def has_recommendation(self) -> bool:
        item = self.item
        return item is not None and bool(
            item.has_recommendation or item.recommendation_proposer or item.recommendation_points
        )

    @cached_property
    def decision(self) -> Section | None:
        if self.item is None or not self.show_decision or self.item.decision is None:
            return None
        return Section(_("Beslutning"), text_blocks(self.item.decision))

    @property
    def amendments(self) -> list[Amendment]:
        """Corrections to approved minutes, shown with the original text beside them."""
        if self.item is None or not self.show_decision:
            return []
        return list(self.item.amendments.all())

    @property
    def attachments(self) -> list[Attachment]:
        """The prefetched, visible attachments (see ``agenda_items_visible_to``)."""
        return [] if self.item is None else list(self.item.attachments.all())


def item_entries(
    items: Iterable[AgendaItem], *, meeting: Meeting, key: str, user: Any
) -> list[ItemEntry]:
    """Entries for the items of one meeting whose address key is ``key``."""
    show_decision = decision_visible(meeting=meeting, user=user)
    return [
        ItemEntry(
            number=item.number,
            url=item_url(item, key=key),
            item=item if item_content_visible(item=item, user=user) else None,
            show_decision=show_decision,
        )
        for item in items
    ]


def decision_summary(text: str) -> str:
    """The decision's words on one line, shortened: "besluttede følgende:" needs what follows."""
    words = " ".join(
        " ".join(block.lines or [" ".join(row) for row in block.rows])
        for block in text_blocks(text)
    )
    return Truncator(words).words(CASE_DECISION_WORDS)


@dataclass(frozen=True)
class CaseHistoryRow:
    item: AgendaItem
    meeting_url: str
    item_url: str
    decision: str | None  # the decision's first paragraph, when the visitor may see it


def case_history_rows(items: Iterable[AgendaItem], *, user: Any) -> list[CaseHistoryRow]:
    """Rows of a case page from ``case_history`` (annotated by ``items_with_shares_day``)."""
    rows = []
    for item in items:
        key = None
        shares_day = getattr(item, "meeting_shares_day", None)
        if shares_day is not None:
            key = meeting_key(item.meeting, shares_day=shares_day)
        decision = None
        if decision_visible(meeting=item.meeting, user=user) and item.decision:
            decision = decision_summary(item.decision)
        rows.append(
            CaseHistoryRow(
                item=item,
                meeting_url=meeting_url(item.meeting, key=key),
                item_url=item_url(item, key=key),
                decision=decision,
            )
        )
    return rows

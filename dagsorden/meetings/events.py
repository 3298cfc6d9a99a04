"""What the meeting services announce (see ``core/events.py``); search and mail listen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeetingChanged:
    """Something the archive shows of this meeting changed: its state, items or texts."""

    meeting_id: int


@dataclass(frozen=True)
class AgendaPublished:
    meeting_id: int


@dataclass(frozen=True)
class MinutesReady:
    """The minutes were sent to the members for approval."""

    meeting_id: int

"""Time slots of an agenda (pure): start, durations and breaks give "9.00 – 9.45 (45)"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    start: dt.time
    end: dt.time
    minutes: int


@dataclass(frozen=True)
class Timing:
    duration_minutes: int | None
    break_after_minutes: int = 0


def time_slots(start: dt.time, items: Sequence[Timing]) -> list[Slot | None]:
    """Each item runs from where the previous one (and its break) ended.

    An item without a duration has no slot and takes no time; the clock wraps at midnight
    only in theory (a meeting past midnight is flagged by ``overrun_minutes``).
    """
    clock = dt.datetime.combine(dt.date(2000, 1, 1), start)
    slots: list[Slot | None] = []
    for item in items:
        if item.duration_minutes is None:
            slots.append(None)
        else:
            end = clock + dt.timedelta(minutes=item.duration_minutes)
            slots.append(Slot(clock.time(), end.time(), item.duration_minutes))
            clock = end
        clock += dt.timedelta(minutes=item.break_after_minutes)
    return slots


def agenda_minutes(items: Sequence[Timing]) -> int:
    return sum((item.duration_minutes or 0) + item.break_after_minutes for item in items)


def overrun_minutes(start: dt.time, end: dt.time | None, items: Sequence[Timing]) -> int:
    """How far the agenda runs past the meeting's end (0 when it fits or no end is set)."""
    if end is None:
        return 0
    available = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(0, agenda_minutes(items) - available)


def slot_label(slot: Slot) -> str:
    """The agenda's own form: "9.00 – 9.45 (45)"."""
    start, end = slot.start, slot.end
    return f"{start.hour}.{start.minute:02d} – {end.hour}.{end.minute:02d} ({slot.minutes})"

"""Agenda time slots from start, durations and breaks (pure)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dagsorden.meetings.agenda import (
    Timing,
    agenda_minutes,
    overrun_minutes,
    slot_label,
    time_slots,
)


def test_slots_follow_durations_and_breaks() -> None:
    slots = time_slots(dt.time(9, 0), [Timing(5), Timing(45, 15), Timing(None), Timing(30)])
    labels = [slot_label(s) if s else None for s in slots]
    assert labels == ["9.00 – 9.05 (5)", "9.05 – 9.50 (45)", None, "10.05 – 10.35 (30)"]


def test_overrun_against_the_meeting_end() -> None:
    items = [Timing(60), Timing(60, 15), Timing(60)]
    assert overrun_minutes(dt.time(9, 0), dt.time(12, 0), items) == 15
    assert overrun_minutes(dt.time(9, 0), dt.time(12, 15), items) == 0
    assert overrun_minutes(dt.time(9, 0), None, items) == 0


@given(st.lists(st.tuples(st.integers(0, 90), st.integers(0, 30)), max_size=12))
def test_slots_are_contiguous(pairs: list[tuple[int, int]]) -> None:
    items = [Timing(d, b) for d, b in pairs]
    slots = time_slots(dt.time(8, 0), items)
    clock = dt.datetime(2000, 1, 1, 8, 0, tzinfo=dt.UTC)
    for item, slot in zip(items, slots, strict=True):
        assert slot is not None and slot.start == clock.time()
        clock += dt.timedelta(minutes=item.duration_minutes or 0)
        assert slot.end == clock.time()
        clock += dt.timedelta(minutes=item.break_after_minutes)
    assert agenda_minutes(items) == sum(d + b for d, b in pairs)

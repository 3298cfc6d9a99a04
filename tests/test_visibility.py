"""The visibility gate (meetings.selectors): who sees which meetings, items and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from dagsorden.meetings.models import Meeting
from dagsorden.meetings.selectors import (
    agenda_items_visible_to,
    attachments_visible_to,
    case_history,
    decision_visible,
    item_content_visible,
    meetings_per_forum,
    meetings_visible_to,
    user_can_see_closed,
)
from tests.factories import (
    AgendaItemFactory,
    AttachmentFactory,
    CaseFactory,
    MeetingFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
HIDDEN_STATES = [s for s in Meeting.State if s not in Meeting.PUBLISHED_STATES]


def test_only_signed_in_staff_see_closed(staff_user: Any) -> None:
    citizen = User.objects.create_user("borger")
    assert user_can_see_closed(user=staff_user)
    assert not user_can_see_closed(user=citizen)
    assert not user_can_see_closed(user=ANONYMOUS)
    assert not user_can_see_closed(user=None)


@pytest.mark.parametrize("state", list(Meeting.State))
def test_meetings_by_state(state: Meeting.State, staff_user: Any) -> None:
    meeting = MeetingFactory.create(state=state)
    published = state != Meeting.State.PLANNED  # the factory publishes all but planned
    assert (meeting in meetings_visible_to(user=ANONYMOUS)) == published
    assert meeting in meetings_visible_to(user=staff_user)


def test_planned_and_cancelled_are_the_states_that_may_hide() -> None:
    assert HIDDEN_STATES == [Meeting.State.PLANNED, Meeting.State.CANCELLED]


def test_cancelling_never_publishes(staff_user: Any) -> None:
    """Issue 9, defect 2: a never-published meeting set to "Aflyst" stays hidden, with its
    items and their bilag; one cancelled after publication stays public, marked."""
    never = MeetingFactory.create(state=Meeting.State.CANCELLED, agenda_published_at=None)
    item = AgendaItemFactory.create(meeting=never)
    AttachmentFactory.create(item=item, order=1)
    after = MeetingFactory.create(state=Meeting.State.CANCELLED)
    assert list(meetings_visible_to(user=ANONYMOUS)) == [after]
    assert not agenda_items_visible_to(user=ANONYMOUS, meeting=never).exists()
    assert not attachments_visible_to(user=ANONYMOUS).filter(item__meeting=never).exists() or (
        not agenda_items_visible_to(user=ANONYMOUS).filter(meeting=never).exists()
    )
    assert set(meetings_visible_to(user=staff_user)) == {never, after}


def test_soft_deleted_meetings_and_forums_are_hidden_from_everyone(staff_user: Any) -> None:
    deleted = MeetingFactory.create()
    deleted.soft_delete()
    of_deleted_forum = MeetingFactory.create()
    of_deleted_forum.organization.soft_delete()
    kept = MeetingFactory.create()
    for user in (ANONYMOUS, staff_user):
        assert list(meetings_visible_to(user=user)) == [kept]
        assert not agenda_items_visible_to(user=user, meeting=deleted).exists()


def test_items_of_a_hidden_meeting_are_hidden_even_when_asked_for(staff_user: Any) -> None:
    planned = MeetingFactory.create(state=Meeting.State.PLANNED)
    item = AgendaItemFactory.create(meeting=planned)
    assert list(agenda_items_visible_to(user=ANONYMOUS, meeting=planned)) == []
    assert list(agenda_items_visible_to(user=ANONYMOUS)) == []
    assert list(agenda_items_visible_to(user=staff_user, meeting=planned)) == [item]


def test_items_in_agenda_order_without_deleted_ones() -> None:
    meeting = MeetingFactory.create()
    third = AgendaItemFactory.create(meeting=meeting, number=3, order=3)
    first = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    closed = AgendaItemFactory.create(meeting=meeting, number=2, order=2, public=False)
    AgendaItemFactory.create(meeting=meeting, number=4, order=4).soft_delete()
    # Closed items are listed (pages show "Lukket punkt"); their content is not visible.
    assert list(agenda_items_visible_to(user=ANONYMOUS, meeting=meeting)) == [first, closed, third]


def test_closed_item_content_is_for_staff_only(staff_user: Any) -> None:
    closed = AgendaItemFactory.create(public=False)
    open_item = AgendaItemFactory.create()
    assert not item_content_visible(item=closed, user=ANONYMOUS)
    assert item_content_visible(item=closed, user=staff_user)
    assert item_content_visible(item=open_item, user=ANONYMOUS)


@pytest.mark.parametrize("state", list(Meeting.State))
def test_decisions_are_public_with_the_approved_minutes(
    state: Meeting.State, staff_user: Any
) -> None:
    meeting = MeetingFactory.create(state=state)
    assert decision_visible(meeting=meeting, user=ANONYMOUS) == (
        state == Meeting.State.MINUTES_APPROVED
    )
    assert decision_visible(meeting=meeting, user=staff_user)


def test_unpublishable_and_deleted_attachments(staff_user: Any) -> None:
    item = AgendaItemFactory.create()
    shown = AttachmentFactory.create(item=item, order=1)
    internal = AttachmentFactory.create(item=item, order=2, public=False)
    AttachmentFactory.create(item=item, order=3).soft_delete()
    assert list(attachments_visible_to(user=ANONYMOUS).filter(item=item)) == [shown]
    assert list(attachments_visible_to(user=staff_user).filter(item=item)) == [shown, internal]
    [found] = agenda_items_visible_to(user=ANONYMOUS, meeting=item.meeting)
    assert list(found.attachments.all()) == [shown]


def test_case_history_newest_first_across_forums(staff_user: Any) -> None:
    case = CaseFactory.create(journal_number="00.01.00-P22-3-23")
    chefforum, direktoerforum = OrganizationFactory.create(), OrganizationFactory.create()
    september = AgendaItemFactory.create(
        case=case,
        meeting=MeetingFactory.create(organization=chefforum, starts_at=_day(2023, 9, 14)),
    )
    october = AgendaItemFactory.create(
        case=case,
        meeting=MeetingFactory.create(organization=direktoerforum, starts_at=_day(2023, 10, 12)),
    )
    closed = AgendaItemFactory.create(
        case=case,
        public=False,
        meeting=MeetingFactory.create(organization=chefforum, starts_at=_day(2023, 11, 9)),
    )
    unpublished = AgendaItemFactory.create(
        case=case,
        meeting=MeetingFactory.create(
            organization=chefforum, starts_at=_day(2023, 12, 7), state=Meeting.State.PLANNED
        ),
    )
    AgendaItemFactory.create(
        case=case, meeting=MeetingFactory.create(starts_at=_day(2023, 8, 1))
    ).soft_delete()
    AgendaItemFactory.create(meeting=september.meeting, number=999, order=999)  # other case

    assert list(case_history(case=case, user=ANONYMOUS)) == [october, september]
    assert list(case_history(case=case, user=staff_user)) == [
        unpublished,
        closed,
        october,
        september,
    ]


def test_case_history_reads_meetings_and_forums_in_the_same_query(
    django_assert_num_queries: Any,
) -> None:
    case = CaseFactory.create()
    for _ in range(5):
        AgendaItemFactory.create(case=case)
    with django_assert_num_queries(1):
        names = [i.meeting.organization.name for i in case_history(case=case, user=ANONYMOUS)]
    assert len(names) == 5


def test_meetings_per_forum_in_one_query(django_assert_num_queries: Any) -> None:
    forums = [OrganizationFactory.create() for _ in range(3)]
    for forum in forums:
        for week in range(4):
            MeetingFactory.create(
                organization=forum, starts_at=_day(2023, 1, 5) + dt.timedelta(weeks=week)
            )
    MeetingFactory.create(
        organization=forums[0], state=Meeting.State.PLANNED, starts_at=_day(2024, 1, 4)
    )
    with django_assert_num_queries(1):
        latest = meetings_per_forum(meetings=meetings_visible_to(user=ANONYMOUS), limit=2)
    assert set(latest) == {forum.pk for forum in forums}
    for meetings in latest.values():
        assert [m.starts_at.date() for m in meetings] == [
            dt.date(2023, 1, 26),
            dt.date(2023, 1, 19),
        ]
    oldest = meetings_per_forum(
        meetings=meetings_visible_to(user=ANONYMOUS), limit=1, newest_first=False
    )
    assert [m.starts_at.date() for m in oldest[forums[0].pk]] == [dt.date(2023, 1, 5)]


def _day(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=dt.UTC)

"""Issue 9: a stateful property test of the visibility gate.

Random sequences of publish, close, reopen, cancel, soft-delete, approve, amend and import,
made through the services where they exist and through plain queryset updates where a
careless writer would. After every step the public outputs (search, the meeting page, the
public export) show exactly what a small model of the rules allows: the model, not the gate,
is the oracle.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from dagsorden.documents.contract import Document, Item
from dagsorden.documents.export import NotVisible, meeting_document
from dagsorden.importers.services import document_import
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.public.links import meeting_url
from dagsorden.search.selectors import search_items
from dagsorden.search.services import search_index_meeting, search_index_missing
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
PUBLISHED = {"agenda_published", "held", "minutes_approved"}
STATES = ["cancelled", "held", "minutes_approved", "planned"]


def word(n: int) -> str:
    """A distinctive word per planted text: zqa, zqb, ..., zqba (letters only)."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = string.ascii_lowercase[rest] + letters
    return f"zqx{letters}"


@dataclass
class ModelItem:
    pk: int
    title_word: str
    decision_word: str
    public: bool = True
    deleted: bool = False


@dataclass
class ModelMeeting:
    pk: int
    state: str
    published_before: bool
    items: list[ModelItem] = field(default_factory=list)
    deleted: bool = False

    @property
    def public(self) -> bool:
        if self.deleted:
            return False
        if self.state == "cancelled":
            return self.published_before
        return self.state in PUBLISHED


class GateMachine(RuleBasedStateMachine):
    meetings = Bundle("meetings")
    items = Bundle("items")

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        cache.clear()
        self.world: World = make_world()
        self.secretary = self.world.users["secretary"]
        self.counter = itertools.count()
        self.model: dict[int, ModelMeeting] = {}
        self.day = itertools.count(1)

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)
        cache.clear()

    # --- Making meetings

    def _next_day(self) -> dt.date:
        return timezone.localdate() + dt.timedelta(days=7 * next(self.day))

    @rule(target=meetings, closed=st.booleans())
    def plan(self, closed: bool) -> int:
        """The secretary creates a meeting and an item on it (work pages' services)."""
        meeting = meetings.meeting_create(
            organization=self.world.forum, user=self.secretary, day=self._next_day()
        )
        model = ModelMeeting(pk=meeting.pk, state="planned", published_before=False)
        for item in AgendaItem.objects.filter(meeting=meeting):
            title_word, decision_word = word(next(self.counter)), word(next(self.counter))
            AgendaItem.objects.filter(pk=item.pk).update(
                title=f"{item.title} {title_word}",
                decision=f"Beslutning {decision_word}.",
                public=not (closed and item.number == 2),
            )
            public = not (closed and item.number == 2)
            model.items.append(ModelItem(item.pk, title_word, decision_word, public=public))
        search_index_meeting(meeting_id=meeting.pk)
        self.model[meeting.pk] = model
        return meeting.pk

    @rule(target=meetings, closed=st.booleans())
    def import_minutes(self, closed: bool) -> int:
        """The importer brings approved minutes with an open and maybe a closed item."""
        words = [word(next(self.counter)) for _ in range(4)]
        day = self._next_day()
        document = Document(
            kind="minutes",
            forum=self.world.forum.name,
            starts_at=f"{day:%Y-%m-%d}T13:00",
            location="Mødelokale 915",
            items=(
                Item(number=1, title=f"Importeret {words[0]}", decision=f"Godkendt {words[1]}."),
                Item(
                    number=2,
                    title=f"Importeret {words[2]}",
                    decision=f"Godkendt {words[3]}.",
                    public=not closed,
                ),
            ),
        )
        result = document_import(document=document, source_name="x.txt", sha512=words[0] * 20)
        model = ModelMeeting(pk=result.meeting_id, state="minutes_approved", published_before=True)
        rows = AgendaItem.objects.filter(meeting_id=result.meeting_id).order_by("order")
        for row, (title_word, decision_word), public in zip(
            rows, [(words[0], words[1]), (words[2], words[3])], [True, not closed], strict=True
        ):
            model.items.append(ModelItem(row.pk, title_word, decision_word, public=public))
        self.model[result.meeting_id] = model
        return result.meeting_id

    # --- Changing them

    @rule(meeting=meetings)
    def publish(self, meeting: int) -> None:
        model = self.model[meeting]
        if model.state != "planned" or model.deleted:
            return
        meetings.agenda_publish(meeting=Meeting.objects.get(pk=meeting), user=self.secretary)
        model.state, model.published_before = "agenda_published", True

    @rule(meeting=meetings, state=st.sampled_from(STATES))
    def set_state_carelessly(self, meeting: int, state: str) -> None:
        """A script (or an old admin form) sets the state with a plain update."""
        Meeting.all_objects.filter(pk=meeting).update(state=state)
        self.model[meeting].state = state
        self._no_leak_then_heal()

    @rule(meeting=meetings)
    def cancel(self, meeting: int) -> None:
        """Cancelling (as the admin's old status field did): never a publication."""
        self.set_state_carelessly(meeting, "cancelled")

    @rule(meeting=meetings)
    def approve(self, meeting: int) -> None:
        """Through the services: ready for approval, then approved."""
        model = self.model[meeting]
        if model.deleted or model.state not in ("agenda_published", "held"):
            return
        row = Meeting.objects.get(pk=meeting)
        if row.starts_at > timezone.now():
            Meeting.objects.filter(pk=meeting).update(
                starts_at=timezone.now() - dt.timedelta(days=next(self.day))
            )
            row.refresh_from_db()
        try:
            meetings.minutes_send_for_approval(meeting=row, user=self.secretary)
            row.refresh_from_db()
            meetings.minutes_approve(meeting=row, user=self.secretary)
        except meetings.MeetingError:
            return  # refused by a rule (say, a missing decision): nothing changed
        model.state = "minutes_approved"

    @rule(item=items, public=st.booleans())
    def close_or_reopen_carelessly(self, item: int, public: bool) -> None:
        AgendaItem.all_objects.filter(pk=item).update(public=public)
        self._item(item).public = public
        self._no_leak_then_heal()

    @rule(item=items)
    def amend(self, item: int) -> None:
        model_item = self._item(item)
        meeting = self._meeting_of(item)
        if meeting.deleted or model_item.deleted or meeting.state != "minutes_approved":
            return
        row = AgendaItem.objects.get(pk=item)
        if not row.meeting.minutes_locked:
            return
        new_word = word(next(self.counter))
        meetings.minutes_amend(
            item=row,
            user=self.secretary,
            field="decision",
            text=f"Rettet {new_word}.",
            reason="Stavefejl",
        )
        model_item.decision_word = new_word

    @rule(meeting=consumes(meetings))
    def soft_delete_meeting(self, meeting: int) -> None:
        Meeting.objects.filter(pk=meeting).soft_delete()
        self.model[meeting].deleted = True
        self._no_leak_then_heal()

    @rule(item=consumes(items))
    def soft_delete_item(self, item: int) -> None:
        AgendaItem.objects.filter(pk=item).soft_delete()
        self._item(item).deleted = True
        self._no_leak_then_heal()

    @rule(target=items, meeting=meetings, n=st.integers(0, 1))
    def pick_item(self, meeting: int, n: int) -> int:
        items = self.model[meeting].items
        return items[n % len(items)].pk

    def _no_leak_then_heal(self) -> None:
        """A write outside the services re-indexes nothing: until the minute timer runs
        (``search_reindex --missing``), search may find less than it should, never more."""
        for text, pk, expected in self._expectations():
            if not expected:
                assert pk not in self._found(text), (text, "found before re-indexing")
        search_index_missing()

    def _expectations(self) -> list[tuple[str, int, bool]]:
        """(word, item, whether the public may find it) for every planted word."""
        found = []
        for model in self.model.values():
            for item in model.items:
                content = model.public and item.public and not item.deleted
                decision = content and model.state == "minutes_approved"
                found.append((item.title_word, item.pk, content))
                found.append((item.decision_word, item.pk, decision))
        return found

    def _found(self, text: str) -> list[int]:
        return [hit.entry.item_id for hit in search_items(query=text, user=ANONYMOUS).hits]

    def _item(self, pk: int) -> ModelItem:
        return next(i for m in self.model.values() for i in m.items if i.pk == pk)

    def _meeting_of(self, pk: int) -> ModelMeeting:
        return next(m for m in self.model.values() if any(i.pk == pk for i in m.items))

    # --- What the public reads, against the model

    @invariant()
    def public_outputs_follow_the_model(self) -> None:
        client = Client()
        for model in self.model.values():
            row = Meeting.all_objects.select_related("organization").get(pk=model.pk)
            try:
                document = meeting_document(meeting=row, user=ANONYMOUS)
            except NotVisible:
                document = None
            assert (document is not None) == model.public, (model, row.state)
            page = client.get(meeting_url(row))
            assert (page.status_code == 200) == model.public, (model, page.status_code)
            exported = document.dumps().lower() if document is not None else ""
            shown = page.content.decode().lower() if page.status_code == 200 else ""
            pks = {item.pk for item in model.items}
            for text, pk, expected in self._expectations():
                if pk in pks:
                    assert (pk in self._found(text)) == expected, (text, model)
                    assert (text in exported) == expected, (text, model)
                    assert (text in shown) == expected, (text, model)


def test_public_outputs_equal_what_the_rules_allow() -> None:
    run_state_machine_as_test(
        GateMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )

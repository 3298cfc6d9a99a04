"""Migrating keeps the index's freshness triggers, on a database that has them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dagsorden.search.freshness import TRIGGER_NAMES, installed_triggers
from dagsorden.search.services import search_index_meeting
from tests.factories import AgendaItemFactory, MeetingFactory


@pytest.mark.django_db(transaction=True)
def test_a_migration_that_rebuilds_the_index_table_runs_with_the_triggers_in_place() -> None:
    """SQLite renames a rebuilt table into place and refused to while the triggers of other
    tables named it ("error in trigger search_forget_item: no such table")."""
    item = AgendaItemFactory.create(meeting=MeetingFactory.create(), title="Vejplan")
    search_index_meeting(meeting_id=item.meeting_id)
    assert installed_triggers() == set(TRIGGER_NAMES)
    call_command("migrate", "search", "0004", verbosity=0)  # removes a column: a rebuild
    call_command("migrate", verbosity=0)
    assert installed_triggers() == set(TRIGGER_NAMES)
    from dagsorden.search.models import SearchEntry

    assert SearchEntry.objects.filter(item=item).exists()  # the index is whole again

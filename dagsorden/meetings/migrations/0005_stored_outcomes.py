"""Imported decisions get their outcome stored, as new imports now do (the facet reads it)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from dagsorden.meetings.outcome import decision_outcome


def derive(apps: Any, schema_editor: Any) -> None:
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    pending = AgendaItem.objects.filter(outcome="").exclude(decision=None).exclude(decision="")
    batch = []
    for item in pending.only("pk", "decision").iterator(chunk_size=2000):
        item.outcome = decision_outcome(item.decision) or ""
        if item.outcome:
            batch.append(item)
        if len(batch) >= 2000:
            AgendaItem.objects.bulk_update(batch, ["outcome"])
            batch = []
    AgendaItem.objects.bulk_update(batch, ["outcome"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_agenda_published_at")]
    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]

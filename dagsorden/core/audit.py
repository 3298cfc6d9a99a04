"""The audit trail: who changed what, when, from what to what.

The service that makes a change records it with ``audit_record`` inside its own
transaction, so a change and its audit row are saved together or not at all. Rows are
only ever added (``AuditEvent``); administrators read them in /admin/.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from dagsorden.core.models import AuditEvent

Changes = dict[str, list[Any]]  # field -> [before, after]


def json_value(value: Any) -> Any:
    """A field's value as JSON can hold it (dates as ISO text, rows as their id)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` (foreign keys by id), ready to compare and store."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attribute = field.attname if isinstance(field, models.ForeignKey) else name
        values[name] = json_value(getattr(obj, attribute))
    return values


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return str(actor.get_username())


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: Changes | None = None,
    note: str = "",
) -> AuditEvent:
    """One row: ``action`` like "meeting.publish"; ``actor`` None for the system (import,
    scheduled publication), ``note`` names the source then ("import: referat.pdf")."""
    user = actor if getattr(actor, "is_authenticated", False) and actor.pk else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label(actor)[:150],
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=str(target)[:300],
        changes=changes or {},
        note=note[:2000],
    )


def audit_trail(target: models.Model) -> models.QuerySet[AuditEvent]:
    """Every recorded change of one row, oldest first."""
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).order_by("created", "pk")

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
from django.utils import timezone

from dagsorden.core.bulk import insert_rows
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
    """Only what differs, as field -> [before, after]."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def changes_created(obj: models.Model, fields: Iterable[str]) -> Changes:
    """A new row: each named field that holds something, from None to its value."""
    return {
        name: [None, value]
        for name, value in snapshot(obj, fields).items()
        if value is not None and value not in ("", [], {})
    }


def audited_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields worth recording for ``model``: every stored field but the bookkeeping
    (id, created, modified), the soft delete included."""
    skip = {"id", "created", "modified"}
    return tuple(f.name for f in model._meta.concrete_fields if f.name not in skip)


class audited:  # lower case: used like a function, ``with audited(...):``
    """Record what the block changes in ``fields`` of ``target``: a snapshot before, one
    after. ``only_if_changed`` for edits (saving an unchanged form records nothing); a state
    step is recorded even when it changes nothing else. Nothing is recorded when the block
    raises: the transaction that holds the change rolls back anyway.

    A class, not ``@contextmanager``: that one re-raises by assigning ``__traceback__``,
    which frozen dataclass errors (``cases.services.QualityBlocked``) refuse."""

    def __init__(
        self,
        *,
        actor: Any,
        action: str,
        target: models.Model,
        fields: Iterable[str],
        note: str = "",
        only_if_changed: bool = False,
    ) -> None:
        self.actor, self.action, self.target, self.note = actor, action, target, note
        self.fields = tuple(fields)
        self.only_if_changed = only_if_changed
        self.before: dict[str, Any] = {}

    def __enter__(self) -> None:
        self.before = snapshot(self.target, self.fields)

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        if exc_type is None:
            changes = changes_between(self.before, snapshot(self.target, self.fields))
            if changes or not self.only_if_changed:
                audit_record(
                    actor=self.actor,
                    action=self.action,
                    target=self.target,
                    changes=changes,
                    note=self.note,
                )


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
    event = AuditEvent(
        actor=user,
        actor_label=actor_label(actor)[:150],
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=str(target)[:300],
        changes=changes or {},
        note=note[:2000],
        created=timezone.now(),
    )
    # A plain multi-row insert (one row): a save() compiles more than the database does,
    # and every imported document writes one of these.
    columns = [*_AUDIT_COLUMNS]
    [event.pk] = insert_rows(
        AuditEvent,
        columns,
        [[getattr(event, column) for column in columns]],
        returning_ids=True,
    )
    event._state.adding, event._state.db = False, "default"
    return event


_AUDIT_COLUMNS = (
    "actor_id", "actor_label", "action", "target_type", "target_id", "target_label",
    "changes", "note", "created",
)  # fmt: skip


def audit_trail(target: models.Model) -> models.QuerySet[AuditEvent]:
    """Every recorded change of one row, oldest first."""
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).order_by("created", "pk")


# --- Finding the trail of a row and its parts (the admin's "Historik" link)

Target = tuple[str, int]  # ("meetings.agendaitem", 5)


def audit_targets_param(targets: Iterable[models.Model]) -> str:
    """``meetings.agendaitem:5,meetings.attachment:7``: rows named in one URL parameter."""
    return ",".join(f"{t._meta.label_lower}:{t.pk}" for t in targets)


def parse_audit_targets(value: str) -> list[Target]:
    """The rows named by ``audit_targets_param``; anything malformed is left out."""
    targets = []
    for part in value.split(","):
        label, _sep, pk = part.strip().rpartition(":")
        # ASCII digits that fit a bigint: "²" or a 30-digit id must not reach the database.
        if label and pk.isascii() and pk.isdigit() and len(pk) <= 18:
            targets.append((label, int(pk)))
    return targets


def audit_targets_q(targets: Iterable[Target]) -> models.Q:
    """Events of any of ``targets`` (one condition per type: ``target_id IN (...)``)."""
    ids: dict[str, list[int]] = {}
    for label, pk in targets:
        ids.setdefault(label, []).append(pk)
    condition = models.Q(pk__in=[])
    for label, pks in ids.items():
        condition |= models.Q(target_type=label, target_id__in=pks)
    return condition

"""Domain events: a service says what happened; the interface apps that care react.

The domain never imports search, mail or pages (the import-linter contract in
``pyproject.toml``). A service calls ``emit(MeetingChanged(meeting_id=...))`` inside its
transaction, and apps subscribe in ``AppConfig.ready()``:

- ``subscribe(Event, handler)`` runs the handler at once, inside the transaction: the
  search index is rewritten with the change, so it never disagrees with the archive;
- ``subscribe(Event, handler, after_commit=True)`` runs it once the change is saved (mail):
  a failing handler is logged and never undoes, or hides, the change already saved.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger("dagsorden.events")

Handler = Callable[[Any], None]
_now: dict[type, list[Handler]] = defaultdict(list)
_after_commit: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type, handler: Handler, *, after_commit: bool = False) -> None:
    handlers = (_after_commit if after_commit else _now)[event_type]
    if handler not in handlers:
        handlers.append(handler)


def emit(event: object) -> None:
    """Call inside the transaction that made the change."""
    for handler in _now[type(event)]:
        handler(event)
    for handler in _after_commit[type(event)]:
        transaction.on_commit(partial(_run_logged, handler, event), robust=True)


def _run_logged(handler: Handler, event: object) -> None:
    try:
        handler(event)
    except Exception:  # the change is saved; a side effect that fails is reported, not raised
        logger.exception(
            "%s failed after %r was saved", getattr(handler, "__name__", handler), event
        )

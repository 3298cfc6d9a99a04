"""The import limits this installation uses: the defaults, ``DAGSORDEN_IMPORT_LIMITS`` over
them, and a command line's ``--limit name=value`` over that (the parsers take the result as a
parameter and know nothing of Django)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dagsorden.importers.parsers.limits import SETTING, Limits

LIMIT_HELP = (
    "raise or lower one import limit for this run, e.g. --limit pages=1000 "
    f"(names as in {SETTING}; repeatable)"
)


def import_limits(overrides: Mapping[str, object] | None = None) -> Limits:
    """The limits from the settings, with ``overrides`` (from the command line) applied."""
    configured = getattr(settings, SETTING, None) or {}
    try:
        limits = Limits.from_mapping(configured)
    except ValueError as error:
        raise ImproperlyConfigured(f"{SETTING}: {error}") from None
    return Limits.from_mapping(overrides or {}, base=limits)


def limit_overrides(assignments: Iterable[str]) -> dict[str, str]:
    """``["pages=1000", "seconds=60"]`` from ``--limit`` flags; ValueError when malformed."""
    overrides = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise ValueError(f"--limit takes NAME=VALUE, not {assignment!r}")
        overrides[name.strip()] = value.strip()
    return overrides

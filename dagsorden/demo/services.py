"""Load the synthetic archive through the same import path real documents take."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from dagsorden.demo.generator import forums, generate_documents
from dagsorden.importers.services import document_import, organization_for_forum
from dagsorden.meetings.models import Meeting, Organization


def demo_load(
    *,
    meetings: int,
    seed: int = 2023,
    today: dt.date | None = None,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Import ``meetings`` generated meetings; returns how many were stored."""
    for spec in forums(meetings):
        organization = organization_for_forum(name=spec.name, prefix=spec.prefix)
        _apply_forum_defaults(organization, spec.default_start_time, spec.default_venue)
    stored = 0
    for document in generate_documents(meetings=meetings, seed=seed, today=today):
        payload = document.dumps().encode("utf-8")
        document_import(
            document=document,
            source_name=f"demo-{document.forum}-{document.starts_at}.json",
            sha512=hashlib.sha512(payload).hexdigest(),
        )
        stored += 1
        if progress is not None:
            progress(stored)
    return stored


def demo_is_loaded() -> bool:
    return Meeting.objects.exists()


def _apply_forum_defaults(
    organization: Organization, start: dt.time | None, venue: str | None
) -> None:
    if organization.default_start_time is None and start is not None:
        organization.default_start_time = start
        organization.default_location = venue or ""
        organization.save(update_fields=["default_start_time", "default_location", "modified"])

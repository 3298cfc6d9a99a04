"""What the case flow announces (see ``core/events.py``); the producer is told by mail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseReturned:
    document_id: int
    comment: str


@dataclass(frozen=True)
class CaseApproved:
    document_id: int

"""The dagsorden.document/1 model: the one intermediate form every importer and exporter speaks.

See ``shared/contracts/document-json.md``. Pure Python: no Django here, so parsers stay
importable and testable on their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from dagsorden.core import vocabulary

SCHEMA = "dagsorden.document/1"

Kind = Literal["agenda", "minutes"]
CASE_TYPES = vocabulary.CASE_TYPES


@dataclass(frozen=True)
class TimeSlot:
    start: str | None = None  # "HH:MM"
    end: str | None = None
    minutes: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "minutes": self.minutes}


@dataclass(frozen=True)
class Recommendation:
    proposer: str | None
    points: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"proposer": self.proposer, "points": list(self.points)}


@dataclass(frozen=True)
class Item:
    number: int
    title: str
    journal_number: str | None = None
    occasion: str | None = None
    presentation: str | None = None
    recommendation: Recommendation | None = None
    decision: str | None = None
    attachments: tuple[str, ...] = ()
    time_slot: TimeSlot | None = None
    presenters: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    # Additions to the contract (allowed: "more keys may be added").
    public: bool = True
    case_type: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "journal_number": self.journal_number,
            "occasion": self.occasion,
            "presentation": self.presentation,
            "recommendation": self.recommendation.to_json() if self.recommendation else None,
            "decision": self.decision,
            "attachments": list(self.attachments),
            "time_slot": self.time_slot.to_json() if self.time_slot else None,
            "presenters": list(self.presenters),
            "guests": list(self.guests),
            "public": self.public,
            "case_type": self.case_type,
        }


@dataclass(frozen=True)
class Document:
    kind: Kind
    forum: str
    starts_at: str  # "YYYY-MM-DDTHH:MM", local time Europe/Copenhagen
    location: str | None
    items: tuple[Item, ...] = field(default_factory=tuple)
    # Addition to the contract: the forum prefix the titles carry ("CF"), or None.
    prefix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "kind": self.kind,
            "forum": self.forum,
            "starts_at": self.starts_at,
            "location": self.location,
            "items": [item.to_json() for item in self.items],
            "prefix": self.prefix,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


def document_from_json(data: dict[str, Any]) -> Document:
    """Build a Document from its JSON form (the inverse of ``Document.to_json``)."""
    items = []
    for raw in data["items"]:
        rec = raw.get("recommendation")
        slot = raw.get("time_slot")
        items.append(
            Item(
                number=int(raw["number"]),
                title=raw["title"],
                journal_number=raw.get("journal_number"),
                occasion=raw.get("occasion"),
                presentation=raw.get("presentation"),
                recommendation=(
                    Recommendation(proposer=rec.get("proposer"), points=tuple(rec["points"]))
                    if rec is not None
                    else None
                ),
                decision=raw.get("decision"),
                attachments=tuple(raw.get("attachments", ())),
                time_slot=TimeSlot(**slot) if slot is not None else None,
                presenters=tuple(raw.get("presenters", ())),
                guests=tuple(raw.get("guests", ())),
                public=bool(raw.get("public", True)),
                case_type=raw.get("case_type"),
            )
        )
    return Document(
        kind=data["kind"],
        forum=data["forum"],
        starts_at=data["starts_at"],
        location=data.get("location"),
        items=tuple(items),
        prefix=data.get("prefix"),
    )

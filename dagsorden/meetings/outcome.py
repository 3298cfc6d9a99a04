"""The outcome of a decision, read from its wording (pure, no Django).

The importer stores it on the item (``AgendaItem.outcome``) when a document's decision
has no outcome of its own; the work pages store the outcome the secretary chose.

Rule for mixed wording: the first of postponed, endorsed, approved, noted, discussed that
the text contains wins. A postponement outweighs whatever was said before it ("Sagen
udskydes, idet der dog kort blev drøftet"), and a formal decision outweighs a discussion
("drøftede sagen ... godkendte oplægget" is approved).
"""

from __future__ import annotations

import re

_RULES = (
    ("postponed", re.compile(r"\b(udsat|udsatte|udsætte|udsættes|udskyde|udskydes|udskudt)\b")),
    ("endorsed", re.compile(r"\b(tiltrådt|tiltrådte|tiltræder|tiltrædes)\b")),
    ("approved", re.compile(r"\b(godkendt|godkendte|godkender|godkendes|vedtog|vedtaget)\b")),
    ("noted", re.compile(r"\btil efterretning\b|\btaget til orientering\b")),
    ("discussed", re.compile(r"\b(drøftede|drøftet|drøftes|drøftelse)\b")),
)


def decision_outcome(text: str | None) -> str | None:
    """``"Chefforum tog Økonomirapporten til efterretning."`` -> ``"noted"``."""
    if not text:
        return None
    lowered = text.lower()
    for outcome, pattern in _RULES:
        if pattern.search(lowered):
            return outcome
    return None

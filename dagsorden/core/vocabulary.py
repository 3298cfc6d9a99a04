"""The domain's words, each defined once: case types, outcomes and their wording, the
closed item's title, readability bands and the time zone meetings are held in.

Pure Python, so the parsers and the document contract use it too. Words shown in the
interface are marked with the ``gettext_noop`` below (``makemessages`` collects it by
name); show them through ``gettext``.
"""

from __future__ import annotations

import math
import zoneinfo
from typing import NamedTuple


def gettext_noop(message: str) -> str:
    """Marks a word for the translation catalogue; translated where it is shown."""
    return message


# Meetings are held, and their times written, in Danish local time.
TIME_ZONE_NAME = "Europe/Copenhagen"
LOCAL_TZ = zoneinfo.ZoneInfo(TIME_ZONE_NAME)

# Case types (sagstyper): the Danish word is the stored value and the document's word.
DECISION = "Beslutning"
INFORMATION = "Orientering"
DISCUSSION = "Drøftelse"
CASE_TYPES = (DECISION, INFORMATION, DISCUSSION)

# What the public version shows instead of a closed item's title and content.
CLOSED_ITEM_TITLE = gettext_noop("Lukket punkt")


class OutcomeWords(NamedTuple):
    code: str  # stored in AgendaItem.outcome
    label: str  # the facet and the minutes form
    wording: str | None  # the decision text a secretary starts from; {forum} = the forum


OUTCOMES = (
    OutcomeWords("approved", gettext_noop("Godkendt"), "Godkendt."),
    OutcomeWords(
        "endorsed", gettext_noop("Indstillingen tiltrådt"), "{forum} tiltrådte indstillingen."
    ),
    OutcomeWords("noted", gettext_noop("Taget til efterretning"), "Taget til efterretning."),
    OutcomeWords("discussed", gettext_noop("Drøftet"), "Drøftet."),
    OutcomeWords("postponed", gettext_noop("Udsat"), "Udsat."),
    OutcomeWords("per_point", gettext_noop("Punkt for punkt"), None),
)
OUTCOME_LABELS = {outcome.code: outcome.label for outcome in OUTCOMES}


def outcome_wording(code: str, *, forum: str) -> str:
    """The default decision text of an outcome, naming the meeting's own forum."""
    wording = next((o.wording for o in OUTCOMES if o.code == code), None)
    return (wording or "").format(forum=forum)


class LixBand(NamedTuple):
    key: str
    upper: float  # the highest whole score in the band
    label: str


# LIX readability bands, from easy to hard (a forum's target is one of the first four).
LIX_BANDS = (
    LixBand("very_easy", 24, gettext_noop("Meget let")),
    LixBand("easy", 34, gettext_noop("Let")),
    LixBand("medium", 44, gettext_noop("Middel")),
    LixBand("hard", 54, gettext_noop("Svær")),
    LixBand("very_hard", math.inf, gettext_noop("Meget svær")),
)


def lix_band_range(band: LixBand) -> str:
    """ "25–34", "til 24", "55 og derover": the scores a band covers."""
    index = LIX_BANDS.index(band)
    lower = 0 if index == 0 else int(LIX_BANDS[index - 1].upper) + 1
    if index == 0:
        return f"til {int(band.upper)}"
    if math.isinf(band.upper):
        return f"{lower} og derover"
    return f"{lower}–{int(band.upper)}"

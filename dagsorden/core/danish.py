"""Danish dates in words, as Danish agendas write them; no locale needs to be installed."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from dagsorden.core.vocabulary import LOCAL_TZ as COPENHAGEN

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
# Month names and the abbreviations found in real documents ("sept.", "okt.").
MONTH_NUMBERS: dict[str, int] = {name: i for i, name in enumerate(MONTHS, start=1)}
MONTH_NUMBERS.update(
    {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "nov": 11,
        "dec": 12,
    }
)


def local_today() -> dt.date:
    """Today in Copenhagen, whatever the machine's time zone."""
    return dt.datetime.now(COPENHAGEN).date()


# Years a meeting can fall in. Dates outside (a crafted 0001-01-01 or 9999-12-31) name no
# meeting, and would overflow once converted between time zones.
MEETING_YEARS = range(1900, 3000)


def local_day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """The first instant of ``day`` in Copenhagen and of the day after; None for a day
    outside ``MEETING_YEARS``."""
    if day.year not in MEETING_YEARS:
        return None
    start = dt.datetime.combine(day, dt.time(), tzinfo=COPENHAGEN)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=COPENHAGEN)


def meeting_date_words(value: dt.datetime) -> str:
    """``Torsdag d. 14. september 2023 kl. 09:00`` (the Mødedato line of the seeds)."""
    weekday = WEEKDAYS[value.weekday()].capitalize()
    return (
        f"{weekday} d. {value.day:02d}. {MONTHS[value.month - 1]} {value.year} "
        f"kl. {value.hour:02d}:{value.minute:02d}"
    )


def date_words(value: dt.date) -> str:
    """``14. september 2023``."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slug(text: str) -> str:
    """``Børne- og Skoleudvalget`` -> ``boerne-og-skoleudvalget`` (readable ASCII URLs)."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")

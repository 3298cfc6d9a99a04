"""Journal numbers (journalnumre): ``00.01.00-P35-9-22`` = KLE subject . facet - serial - year.

Validated by shape only: KL's classification tables are not bundled; a municipality may
load KLE titles from its own export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

JOURNAL_NUMBER_RE = re.compile(
    r"^(?P<kle>\d{2}\.\d{2}\.\d{2})-(?P<facet>[A-ZÆØÅ]\d{2})-(?P<serial>\d{1,6})-(?P<year>\d{2})$"
)
KLE_PREFIX_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2})?)?$")


class InvalidJournalNumber(ValueError):
    pass


@dataclass(frozen=True)
class JournalNumber:
    kle_number: str  # "00.01.00"
    facet: str  # "P35"
    serial: int
    year: int  # two digits, as written

    @property
    def main_group(self) -> str:
        return self.kle_number[:2]

    def __str__(self) -> str:
        return f"{self.kle_number}-{self.facet}-{self.serial}-{self.year:02d}"


def is_journal_number(text: str) -> bool:
    return JOURNAL_NUMBER_RE.match(text.strip()) is not None


def parse_journal_number(text: str) -> JournalNumber:
    match = JOURNAL_NUMBER_RE.match(text.strip())
    if match is None:
        raise InvalidJournalNumber(
            f"{text!r} is not a journal number of the form 00.01.00-P35-9-22"
        )
    return JournalNumber(
        kle_number=match["kle"],
        facet=match["facet"],
        serial=int(match["serial"]),
        year=int(match["year"]),
    )

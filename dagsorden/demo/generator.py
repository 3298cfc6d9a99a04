"""A synthetic archive: years of meetings of several forums, as dagsorden.document/1.

Deterministic for a seed. Feeds `dagsorden demo`, the tests and the benchmarks, and covers
every format variation DOMAIN.md lists that the document model can express.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from dagsorden.core.danish import MONTHS, local_today
from dagsorden.demo import vocabulary as v
from dagsorden.documents.contract import Document, Item, Recommendation, TimeSlot


@dataclass(frozen=True)
class ForumSpec:
    name: str
    prefix: str
    default_start_time: dt.time
    default_venue: str
    weekday: int  # Monday = 0
    every_weeks: int


FORUMS = (
    ForumSpec("Chefforum", "CF", dt.time(9, 0), "Mødelokale 915", 3, 2),
    ForumSpec("Direktørforum", "DF", dt.time(8, 30), "Mødelokale 1", 0, 1),
    ForumSpec("Økonomiudvalget", "ØU", dt.time(16, 0), "Byrådssalen", 1, 4),
    ForumSpec("Børne- og Skoleudvalget", "BSU", dt.time(17, 0), "Mødelokale 3", 2, 4),
    ForumSpec("Teknik- og Miljøudvalget", "TMU", dt.time(17, 0), "Mødelokale 3", 3, 4),
    ForumSpec("Social- og Sundhedsudvalget", "SSU", dt.time(16, 30), "Mødelokale 2", 0, 4),
)
# Large archives (benchmarks) spread over local councils rather than back into the 1800s.
DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Centrum", "Hede", "Strand", "Skov", "Mark", "By")
FIRST_YEAR = 2010


def forums(meetings: int = 0) -> list[ForumSpec]:
    """The forums an archive of ``meetings`` meetings needs (more for a larger archive)."""
    specs = list(FORUMS)
    weeks = max(52, (local_today().year - FIRST_YEAR) * 52)
    per_week = sum(1 / spec.every_weeks for spec in specs)
    index = 0
    while per_week * weeks < meetings:
        district = DISTRICTS[index % len(DISTRICTS)]
        round_ = index // len(DISTRICTS)
        name = f"Lokalrådet {district}" + (f" {round_ + 1}" if round_ else "")
        specs.append(
            ForumSpec(name, f"LR{index + 1}", dt.time(19, 0), "Medborgerhuset", index % 5, 1)
        )
        per_week += 1
        index += 1
    return specs


def _meeting_dates(count: int, today: dt.date) -> list[tuple[ForumSpec, dt.date]]:
    """The latest ``count`` meeting dates over all forums, a few of them in the future."""
    horizon = today + dt.timedelta(weeks=6)
    dates: list[tuple[ForumSpec, dt.date]] = []
    week = 0
    specs = forums(count)
    while len(dates) < count:
        monday = horizon - dt.timedelta(days=horizon.weekday()) - dt.timedelta(weeks=week)
        for spec in specs:
            if week % spec.every_weeks == 0:
                dates.append((spec, monday + dt.timedelta(days=spec.weekday)))
        week += 1
    dates.sort(key=lambda pair: (pair[1], pair[0].name))
    return dates[-count:]


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serials: dict[tuple[str, str, int], str] = {}

    def name(self) -> str:
        return f"{self.rng.choice(v.FIRST_NAMES)} {self.rng.choice(v.LAST_NAMES)}"

    def journal(self, kle: str, facet: str, key: str, year: int) -> str:
        """One journal number per topic and year: the same case comes back many times."""
        lookup = (key, facet, year)
        if lookup not in self.serials:
            serial = len(self.serials) % 97 + 1
            self.serials[lookup] = f"{kle}-{facet}-{serial}-{year % 100:02d}"
        return self.serials[lookup]

    def paragraph(self, sentences: tuple[str, ...], year: int) -> str:
        picked = self.rng.sample(sentences, k=self.rng.randint(1, len(sentences)))
        return " ".join(s.format(year=year, n=self.rng.randint(2, 9)) for s in picked)

    def presentation(self, sentences: tuple[str, ...], year: int) -> str | None:
        roll = self.rng.random()
        if roll < 0.15:
            return None
        blocks = [self.paragraph(sentences, year)]
        if roll > 0.55:
            blocks.append(self.rng.choice(v.SUB_HEADINGS))
            blocks.append(self.paragraph(sentences, year))
        if roll > 0.7:
            bullets = self.rng.sample(v.BULLETS, k=self.rng.randint(2, 4))
            blocks.append("Indsatsen skal sikre:\n" + "\n".join(f"- {b}" for b in bullets))
        if roll > 0.85:
            rows = ["Område\tBudget\tForbrug"] + [
                f"{dept}\t{self.rng.randint(10, 90)},{self.rng.randint(0, 9)}"
                f"\t{self.rng.randint(10, 90)},{self.rng.randint(0, 9)}"
                for dept in self.rng.sample(v.DEPARTMENTS, k=3)
            ]
            blocks.append("\n".join(rows))
        return "\n\n".join(blocks)


def generate_documents(
    *, meetings: int, seed: int = 2023, today: dt.date | None = None
) -> list[Document]:
    """``meetings`` documents in chronological order; past ones are minutes, future agendas."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    today = today or local_today()
    documents = []
    for spec, day in _meeting_dates(meetings, today):
        minutes = day < today
        documents.append(_meeting(writer, spec, day, minutes=minutes))
    return documents


def _meeting(writer: _Writer, spec: ForumSpec, day: dt.date, *, minutes: bool) -> Document:
    rng = writer.rng
    year = day.year
    starts = dt.datetime.combine(day, spec.default_start_time)
    venue_roll = rng.random()
    location: str | None = spec.default_venue
    if venue_roll < 0.1:
        location = "915"
    elif venue_roll < 0.13:
        location = None
    housekeeping = writer.journal("00.01.00", "A21", spec.prefix, year)
    items: list[Item] = [
        Item(
            number=1,
            title="Godkendelse af dagsorden og referat",
            journal_number=housekeeping,
            occasion=(
                "Dagsordenen til dette møde og referatet fra seneste møde skal godkendes."
                if rng.random() < 0.8
                else None
            ),
            recommendation=Recommendation(
                proposer="Kommunaldirektøren",
                points=("at dagsordenen og referatet fra seneste møde godkendes.",),
            ),
            decision=rng.choice(("Godkendt.", f"{spec.name} godkendte dagsorden og referat."))
            if minutes
            else None,
            case_type="Beslutning",
        )
    ]
    clock = spec.default_start_time.hour * 60 + spec.default_start_time.minute + 10
    for _ in range(rng.randint(3, 8)):
        number = len(items) + 1
        item, clock = _substantive_item(writer, spec, number, year, day, clock, minutes=minutes)
        items.append(item)
    items.append(
        Item(
            number=len(items) + 1,
            title="Eventuelt",
            journal_number=housekeeping,
            occasion="Eventuelt" if rng.random() < 0.5 else None,
            decision=rng.choice(("Intet.", "Der var intet under punktet.")) if minutes else None,
            case_type=rng.choice(("Orientering", None)),
        )
    )
    return Document(
        kind="minutes" if minutes else "agenda",
        forum=spec.name,
        starts_at=starts.strftime("%Y-%m-%dT%H:%M"),
        location=location,
        items=tuple(items),
        prefix=spec.prefix if rng.random() < 0.92 else None,
    )


def _substantive_item(
    writer: _Writer,
    spec: ForumSpec,
    number: int,
    year: int,
    day: dt.date,
    clock: int,
    *,
    minutes: bool,
) -> tuple[Item, int]:
    rng = writer.rng
    if rng.random() < 0.05:
        title, kle, facet = rng.choice(v.CLOSED_TOPICS)
        return (
            Item(
                number=number,
                title=title,
                journal_number=writer.journal(kle, facet, title, year),
                occasion="Sagen behandles for lukkede døre.",
                recommendation=Recommendation(
                    proposer="Kommunaldirektøren", points=("at indstillingen tiltrædes.",)
                ),
                decision=f"{spec.name} tiltrådte indstillingen." if minutes else None,
                public=False,
                case_type="Beslutning",
            ),
            clock,
        )
    template, kle, facet, occasion, sentences = rng.choice(v.TOPICS)
    fill = {"year": year + (1 if day.month >= 8 else 0), "n": rng.randint(1, 7)}
    title = template.format(**fill)
    case_type = rng.choice(("Beslutning", "Beslutning", "Orientering", "Drøftelse"))
    journal = writer.journal(kle, facet, template, fill["year"])
    length = rng.choice((15, 20, 30, 45, 60))
    slot = _time_slot(rng, clock, length)
    recommendation = _recommendation(rng, case_type)
    outcome = _outcome(rng, case_type)
    decision: str | None = None
    if minutes:
        decision = rng.choice(v.DECISIONS[outcome]).format(forum=spec.name)
        if recommendation and len(recommendation.points) > 1 and rng.random() < 0.4:
            decision = "\n".join(
                f"Ad {i}: {rng.choice(('Tiltrådt.', 'Godkendt.', 'Drøftet.'))}"
                for i in range(1, len(recommendation.points) + 1)
            )
        if rng.random() < 0.3:
            later = day + dt.timedelta(days=rng.randint(14, 90))
            decision += "\n\n" + rng.choice(v.FOLLOW_UPS).format(
                date=f"{later.day}. {_month(later)}"
            )
    shape = rng.random()
    item = Item(
        number=number,
        title=title,
        journal_number=journal,
        occasion=None if shape < 0.08 else occasion.format(**fill),
        presentation=None if shape < 0.12 else writer.presentation(sentences, fill["year"]),
        recommendation=None if shape < 0.04 else recommendation,
        decision=decision,
        attachments=tuple(
            rng.choice(v.ATTACHMENTS).format(topic=title.lower(), i=i, year=fill["year"])
            for i in range(1, rng.choice((0, 0, 1, 1, 2, 3, 5)) + 1)
        ),
        time_slot=slot,
        presenters=tuple(rng.sample(v.FIRST_NAMES, k=rng.choice((0, 0, 0, 1, 2, 3)))),
        guests=tuple(writer.name() for _ in range(rng.choice((0, 0, 0, 0, 1, 2)))),
        case_type=case_type,
    )
    if shape > 0.97:  # an item with only a decision, as in real minutes
        item = Item(number=number, title=title, journal_number=journal, decision=decision)
    return item, clock + length


def _time_slot(rng: random.Random, clock: int, length: int) -> TimeSlot | None:
    roll = rng.random()
    if clock + length >= 24 * 60:
        return TimeSlot(minutes=length)
    start = f"{clock // 60:02d}:{clock % 60:02d}"
    end = f"{(clock + length) // 60:02d}:{(clock + length) % 60:02d}"
    if roll < 0.5:
        return None
    if roll < 0.7:
        return TimeSlot(start=start, end=end, minutes=length)
    if roll < 0.85:
        return TimeSlot(minutes=length)
    return TimeSlot(start=start)


def _recommendation(rng: random.Random, case_type: str) -> Recommendation:
    proposer = v.PROPOSER_TYPO if rng.random() < 0.02 else rng.choice(v.PROPOSERS)
    if case_type == "Orientering":
        points: tuple[str, ...] = v.POINTS_INFORMATION
    elif case_type == "Drøftelse":
        points = (rng.choice(v.POINTS_DISCUSSION),)
    else:
        points = tuple(rng.sample(v.POINTS_DECISION, k=rng.randint(1, 3)))
    if rng.random() < 0.05:
        points = (*points, rng.choice(v.POINTS_OTHER))
    return Recommendation(proposer=proposer, points=points)


def _outcome(rng: random.Random, case_type: str) -> str:
    if rng.random() < 0.06:
        return "postponed"
    return {"Orientering": "noted", "Drøftelse": "discussed"}.get(
        case_type, rng.choice(("approved", "endorsed"))
    )


def _month(day: dt.date) -> str:
    return MONTHS[day.month - 1]

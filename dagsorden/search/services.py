"""Keeping the search index in step with the archive (see ``search/models.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from dagsorden.core.bulk import insert_rows
from dagsorden.meetings.events import MeetingChanged
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.search.models import SearchEntry
from dagsorden.search.stemming import exact_text, search_stems_text, stems_text

FacetKey = tuple[int, int, str, str, str]


def _body(item: AgendaItem, attachment_names: list[str]) -> str:
    parts = [item.occasion or "", item.presentation or ""]
    if item.has_recommendation:
        parts.append(item.recommendation_proposer or "")
        parts.extend(item.recommendation_points)
    parts.extend(attachment_names)
    return "\n\n".join(p for p in parts if p)


@transaction.atomic
def search_index_meeting(*, meeting_id: int) -> int:
    """Rewrite the index rows of one meeting; returns how many items are indexed.

    A deleted meeting, or a meeting of a deleted forum, keeps no rows."""
    SearchEntry.objects.filter(meeting_id=meeting_id).delete()
    meeting = (
        Meeting.objects.filter(pk=meeting_id, organization__deleted_at__isnull=True)
        .select_related("organization")
        .first()
    )
    if meeting is None:
        return 0
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related("attachments")
    )
    public_names: dict[int, list[str]] = {}
    restricted_names: dict[int, list[str]] = {}
    for item in items:
        for attachment in item.attachments.all():
            names = public_names if attachment.public else restricted_names
            names.setdefault(item.pk, []).append(attachment.name)
    return search_index_new_items(
        meeting=meeting,
        items=items,
        attachment_names=public_names,
        restricted_names=restricted_names,
    )


def search_index_changed_meeting(event: MeetingChanged) -> None:
    """The domain event's handler: the meeting's rows, rewritten in the same transaction."""
    search_index_meeting(meeting_id=event.meeting_id)


def search_index_new_items(
    *,
    meeting: Meeting,
    items: list[AgendaItem],
    attachment_names: dict[int, list[str]],
    restricted_names: dict[int, list[str]] | None = None,
    known_facets: dict[FacetKey, int] | None = None,
) -> int:
    """Index items that have no index rows yet, from rows already in memory (the importer's
    fast path: no second read of what it just wrote). ``attachment_names``: the bilag that
    may be published; ``restricted_names``: the others. ``known_facets``: facet ids a batch
    import has already seen committed (see ``importers.services.ImportCache``)."""
    published = meeting.is_published
    decision_public = meeting.state == Meeting.State.MINUTES_APPROVED
    # Members read the decisions once the minutes are sent to them for approval.
    decision_for_readers = decision_public or meeting.minutes_ready_at is not None
    year = timezone.localtime(meeting.starts_at).year
    restricted_names = restricted_names or {}
    entries = []
    for item in items:
        case = item.case
        decision = item.decision or ""
        entries.append(
            SearchEntry(
                item_id=item.pk,
                meeting_id=meeting.pk,
                organization_id=meeting.organization_id,
                starts_at=meeting.starts_at,
                year=year,
                number=item.number,
                title=item.title,
                case_type=item.case_type,
                outcome=item.outcome if decision_public else "",
                journal_number=case.journal_number if case else "",
                kle_number=case.kle_number if case else "",
                kle_main_group=case.kle_number[:2] if case else "",
                public=published and item.public,
                published=published,
                decision_public=decision_public,
                reader_own_text=bool(decision) and not decision_for_readers,
                body=_body(item, attachment_names.get(item.pk, [])),
                restricted="\n".join(restricted_names.get(item.pk, [])),
                decision=decision,
            )
        )
    for entry in entries:
        texts = tier_texts(entry)
        entry.staff_own_text = texts.staff is not None
        entry.reader_own_text = texts.reader is not None
    _assign_facets(entries, known=known_facets)
    if connection.vendor == "postgresql":
        _insert_postgres(entries)
    else:
        SearchEntry.objects.bulk_create(entries)
        _write_sqlite_fts(entries)
    return len(entries)


def _facet_key(entry: SearchEntry) -> FacetKey:
    return (
        entry.organization_id,
        entry.year,
        entry.case_type,
        entry.outcome,
        entry.kle_main_group,
    )


def _assign_facets(entries: list[SearchEntry], *, known: dict[FacetKey, int] | None = None) -> None:
    """Point each entry to the row of its facet combination, adding the combinations not
    seen before (concurrent writers may add the same one: the unique constraint keeps one).
    Combinations are never removed, so ids in ``known`` stay valid; new ones join it once
    the transaction commits."""
    wanted = {_facet_key(entry) for entry in entries}
    if not wanted:
        return
    if known is not None and wanted <= known.keys():
        for entry in entries:
            entry.facets_id = known[_facet_key(entry)]
        return
    ids = _facet_ids(wanted)
    if missing := sorted(wanted - ids.keys()):
        # One statement adds the new combinations and returns their ids; a combination a
        # concurrent writer added meanwhile is not returned, and is read back after.
        rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(missing))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchfacets"  # noqa: S608 (placeholders only)
                " (organization_id, year, case_type, outcome, kle_main_group)"
                f" VALUES {rows} ON CONFLICT DO NOTHING RETURNING"
                " organization_id, year, case_type, outcome, kle_main_group, id",
                [value for key in missing for value in key],
            )
            ids.update({tuple(row[:5]): row[5] for row in cursor.fetchall()})  # type: ignore[misc]
        if not wanted <= ids.keys():
            ids = _facet_ids(wanted)
    for entry in entries:
        entry.facets_id = ids[_facet_key(entry)]
    if known is not None:
        found = dict(ids)
        transaction.on_commit(lambda: known.update(found))


def _facet_ids(wanted: set[FacetKey]) -> dict[FacetKey, int]:
    """Ids of the known combinations among ``wanted``, read by forum and year (a meeting's
    items share both: a handful of rows, through the unique index). Plain SQL: the ORM's
    query building cost more than the query on the importer's path."""
    pairs = sorted({key[:2] for key in wanted})
    condition = " OR ".join(["(organization_id = %s AND year = %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organization_id, year, case_type, outcome, kle_main_group, id"  # noqa: S608
            f" FROM search_searchfacets WHERE {condition}",
            [value for pair in pairs for value in pair],
        )
        rows = cursor.fetchall()
    found: dict[FacetKey, int] = {}
    for forum, year, case_type, outcome, kle, pk in rows:
        key = (forum, year, case_type, outcome, kle)
        if key in wanted:
            found[key] = pk
    return found


def search_reindex_all() -> int:
    SearchEntry.objects.all().delete()
    return sum(
        search_index_meeting(meeting_id=pk) for pk in Meeting.objects.values_list("pk", flat=True)
    )


def search_index_missing() -> int:
    """Index the live items that have no row: those whose row a trigger forgot and that no
    service re-indexed (a write outside the services, or a failed re-index). Cheap when
    nothing is missing (one anti-join), so it can run every minute."""
    missing = (
        AgendaItem.objects.filter(
            search_entry__isnull=True,
            meeting__deleted_at__isnull=True,
            meeting__organization__deleted_at__isnull=True,
        )
        .order_by()  # no ordering columns in the DISTINCT: one row a meeting
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    return sum(search_index_meeting(meeting_id=pk) for pk in list(missing))


@dataclass(frozen=True)
class TierTexts:
    """What each audience may find in one row (see ``SearchEntry``). A tier that finds what
    the one below it finds is None and not stored: secretaries (staff) read the public text
    in most rows (an open item of approved minutes), and members (reader) read the staff
    text but for a decision not yet sent to them."""

    public: str
    staff: str | None
    reader: str | None


def tier_texts(entry: SearchEntry) -> TierTexts:
    content = f"{entry.title}\n{entry.journal_number}\n{entry.body}"
    readable = f"{content}\n{entry.restricted}" if entry.restricted else content
    staff = f"{readable}\n{entry.decision}" if entry.decision else readable
    public = ""
    if entry.public:
        public = f"{content}\n{entry.decision}" if entry.decision_public else content
    reader = readable if entry.decision and readable != staff and entry.reader_own_text else None
    return TierTexts(public=public, staff=None if staff == public else staff, reader=reader)


def _write_sqlite_fts(entries: list[SearchEntry]) -> None:
    rows = []
    for entry in entries:
        texts = tier_texts(entry)
        rows.append(
            (
                entry.pk,
                *_sqlite_words(texts.public),
                *_sqlite_words(texts.reader),
                *_sqlite_words(texts.staff),
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts(rowid, public_exact, public_stems, reader_exact,"
            " reader_stems, staff_exact, staff_stems) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )


def _sqlite_words(text: str | None) -> tuple[str, str]:
    return ("", "") if text is None else (exact_text(text), search_stems_text(text))


# The vectors are computed by the database in the INSERT itself: updating them afterwards
# would write every row (and all its indexes) twice. A NULL text gives a NULL vector.
_PG_VECTOR = (
    "setweight(to_tsvector('simple', %s::text), 'A') || "
    "setweight(to_tsvector('danish', %s::text), 'B')"  # once-stemmed text, stemmed again
)
_ENTRY_COLUMNS = [
    "item_id", "meeting_id", "organization_id", "starts_at", "year", "number", "title",
    "case_type", "outcome", "journal_number", "kle_number", "kle_main_group", "facets_id",
    "public", "published", "decision_public", "staff_own_text", "reader_own_text", "body",
    "restricted", "decision",
]  # fmt: skip


def _insert_postgres(entries: list[SearchEntry]) -> None:
    """The vectors of the staff and reader tiers only where they differ from the tier below
    (4 % of the rows of the benchmark archive): half the row size, one tsvector less."""
    rows = []
    for entry in entries:
        texts = tier_texts(entry)
        values = [getattr(entry, column) for column in _ENTRY_COLUMNS]
        rows.append(
            [
                *values,
                texts.public,
                stems_text(texts.public),
                texts.reader,
                None if texts.reader is None else stems_text(texts.reader),
                texts.staff,
                None if texts.staff is None else stems_text(texts.staff),
            ]
        )
    ids = insert_rows(
        SearchEntry,
        _ENTRY_COLUMNS,
        rows,
        returning_ids=True,
        expressions=[
            ("public_vector", _PG_VECTOR),
            ("reader_vector", _PG_VECTOR),
            ("staff_vector", _PG_VECTOR),
        ],
    )
    for entry, pk in zip(entries, ids, strict=True):
        entry.pk = pk

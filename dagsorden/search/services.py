"""Keeping the search index in step with the archive."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dagsorden.core.bulk import insert_rows
from dagsorden.meetings.events import MeetingChanged
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.search.models import SearchEntry
from dagsorden.search.outcome import decision_outcome
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
    """Rewrite the index rows of one meeting; returns how many items are indexed."""
    _delete_rows(SearchEntry.objects.filter(meeting_id=meeting_id))
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("organization").first()
    if meeting is None:
        return 0
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related("attachments")
    )
    names = {item.pk: [a.name for a in item.attachments.all() if a.public] for item in items}
    return search_index_new_items(meeting=meeting, items=items, attachment_names=names)


def search_index_new_items(
    *,
    meeting: Meeting,
    items: list[AgendaItem],
    attachment_names: dict[int, list[str]],
    known_facets: dict[FacetKey, int] | None = None,
) -> int:
    """Index items that have no index rows yet, from rows already in memory (the importer's
    fast path: no second read of what it just wrote). ``known_facets``: facet ids a batch
    import has already seen committed (see ``importers.services.ImportCache``)."""
    published = meeting.state in Meeting.PUBLIC_STATES
    decision_public = meeting.state in Meeting.MINUTES_STATES
    year = timezone.localtime(meeting.starts_at).year
    entries = []
    for item in items:
        case = item.case
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
                outcome=decision_outcome(item.decision) or "",
                journal_number=case.journal_number if case else "",
                kle_number=case.kle_number if case else "",
                kle_main_group=case.kle_number[:2] if case else "",
                public=published and item.public,
                decision_public=decision_public,
                body=_body(item, attachment_names.get(item.pk, [])),
                decision=item.decision or "",
            )
        )
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
    _delete_rows(SearchEntry.objects.all())
    return sum(
        search_index_meeting(meeting_id=pk) for pk in Meeting.objects.values_list("pk", flat=True)
    )


def _texts(entry: SearchEntry) -> tuple[str, str]:
    """What the public may find, and what staff may find."""
    content = f"{entry.title}\n{entry.journal_number}\n{entry.body}"
    staff = f"{content}\n{entry.decision}"
    if not entry.public:
        return "", staff
    return (staff if entry.decision_public else content), staff


def _delete_rows(entries: QuerySet[SearchEntry]) -> None:
    if connection.vendor == "sqlite":
        ids = list(entries.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                # %s, not ?: Django's debug cursor (DEBUG on, as `make run` has it) formats
                # the parameters into the statement with Python's % operator.
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608
    entries.delete()


def _write_sqlite_fts(entries: list[SearchEntry]) -> None:
    rows = []
    for entry in entries:
        public, staff = _texts(entry)
        staff_exact, staff_stems = exact_text(staff), search_stems_text(staff)
        if public == staff:
            rows.append((entry.pk, staff_exact, staff_stems, staff_exact, staff_stems))
        else:
            public_row = (exact_text(public), search_stems_text(public))
            rows.append((entry.pk, *public_row, staff_exact, staff_stems))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts(rowid, public_exact, public_stems, staff_exact, staff_stems)"
            " VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


# The vectors are computed by the database in the INSERT itself: updating them afterwards
# would write every row (and all its indexes) twice.
_PG_VECTOR = (
    "setweight(to_tsvector('simple', %s::text), 'A') || "
    "setweight(to_tsvector('danish', %s::text), 'B')"  # once-stemmed text, stemmed again
)
_ENTRY_COLUMNS = [
    "item_id", "meeting_id", "organization_id", "starts_at", "year", "number", "title",
    "case_type", "outcome", "journal_number", "kle_number", "kle_main_group", "facets_id",
    "public", "decision_public", "body", "decision",
]  # fmt: skip


def _insert_postgres(entries: list[SearchEntry]) -> None:
    rows = []
    for entry in entries:
        public, staff = _texts(entry)
        staff_stems = stems_text(staff)
        public_stems = staff_stems if public == staff else stems_text(public)
        values = [getattr(entry, column) for column in _ENTRY_COLUMNS]
        rows.append([*values, public, public_stems, staff, staff_stems])
    ids = insert_rows(
        SearchEntry,
        _ENTRY_COLUMNS,
        rows,
        returning_ids=True,
        expressions=[("public_vector", _PG_VECTOR), ("staff_vector", _PG_VECTOR)],
    )
    for entry, pk in zip(entries, ids, strict=True):
        entry.pk = pk


def search_index_changed_meeting(event: MeetingChanged) -> None:
    search_index_meeting(meeting_id=event.meeting_id)

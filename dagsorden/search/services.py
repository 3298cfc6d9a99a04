"""Keeping the search index in step with the archive."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dagsorden.core.bulk import insert_rows
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.search.models import SearchEntry
from dagsorden.search.outcome import decision_outcome
from dagsorden.search.stemming import exact_text, search_stems_text, stems_text


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
    *, meeting: Meeting, items: list[AgendaItem], attachment_names: dict[int, list[str]]
) -> int:
    """Index items that have no index rows yet, from rows already in memory (the importer's
    fast path: no second read of what it just wrote)."""
    published = meeting.state in Meeting.PUBLIC_STATES
    decision_public = meeting.state in Meeting.MINUTES_STATES
    entries = []
    for item in items:
        case = item.case
        entries.append(
            SearchEntry(
                item=item,
                meeting=meeting,
                organization_id=meeting.organization_id,
                starts_at=meeting.starts_at,
                year=timezone.localtime(meeting.starts_at).year,
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
    if connection.vendor == "postgresql":
        _insert_postgres(entries)
    else:
        SearchEntry.objects.bulk_create(entries)
        _write_sqlite_fts(entries)
    return len(entries)


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
                marks = ",".join("?" * len(chunk))
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
    "case_type", "outcome", "journal_number", "kle_number", "kle_main_group", "public",
    "decision_public", "body", "decision",
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

"""Import: one document in, one meeting stored; idempotent, one transaction per document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from dagsorden.access.rules import OPERATOR, require
from dagsorden.cases.journal import is_journal_number
from dagsorden.cases.models import Case
from dagsorden.core.audit import audit_record, changes_between
from dagsorden.core.bulk import insert_rows
from dagsorden.core.danish import danish_slug
from dagsorden.core.errors import ApplicationError
from dagsorden.core.events import emit
from dagsorden.core.text import clean_text
from dagsorden.core.vocabulary import LOCAL_TZ
from dagsorden.documents.contract import CASE_TYPES, Document, Item
from dagsorden.documents.export import meeting_document
from dagsorden.meetings.events import MeetingChanged
from dagsorden.meetings.models import (
    AgendaItem,
    Attachment,
    Body,
    Meeting,
    MeetingSource,
    Organization,
)
from dagsorden.meetings.outcome import decision_outcome
from dagsorden.meetings.services import AMENDABLE_FIELDS, minutes_amend
from dagsorden.search.services import FacetKey, search_index_new_items

AUDIT_ACTION = "meeting.import"
WORK_PAGE_STATES = (Meeting.State.PLANNED, Meeting.State.HELD)
# What the work pages require for the same change (``access/rules.py``).
WORK_PAGE_ACTIONS = {"agenda": "meeting.assemble", "minutes": "meeting.minutes"}
AMENDABLE = tuple(AMENDABLE_FIELDS)  # what an amendment may correct (meetings.services)
AMENDABLE_WORDS = "titles, decisions, occasions and presentations"
ITEM_FIELD_NAMES = tuple(item_field.name for item_field in dataclasses.fields(Item))

_Row = TypeVar("_Row")
_Model = TypeVar("_Model", bound=models.Model)


class DocumentRejected(ApplicationError):
    """The document is well-formed but cannot be stored as it is."""


class Outcome(Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportResult:
    meeting_id: int
    outcome: Outcome
    note: str = ""


def sha512_hex(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()


def body_default() -> Body:
    """The municipality this installation serves; created on first use."""
    body = Body.objects.filter(name=settings.DAGSORDEN_BODY_NAME).first()
    if body is None:
        body = Body.objects.create(name=settings.DAGSORDEN_BODY_NAME)
    return body


@dataclass
class ImportCache:
    """Forums and cases a batch import has already met, shared by all its documents.

    A row is remembered only once the transaction that found or created it has committed,
    so a rolled-back document can never leave a cached row that does not exist.
    """

    forums: dict[str, Organization] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    facets: dict[FacetKey, int] = field(default_factory=dict)

    def remember(self, store: dict[str, _Row], key: str, row: _Row) -> None:
        transaction.on_commit(lambda: store.__setitem__(key, row))


# Concurrent imports (two people, or two cron jobs, importing the same folder). SQLite lets
# one transaction write at a time (settings: IMMEDIATE transactions), so the races below are
# PostgreSQL's, and each is closed by a transaction-level advisory lock taken before the rows
# it guards are read: a forum's name (documents of one forum are stored one after the other,
# and the second finds the forum and the meeting the first made), forum creation (two new
# forums cannot pick the same address, nor both make the body) and cases (shared between
# forums). Locks are released at commit or rollback and always taken in this order (forum,
# creation, cases), so two imports never wait for each other in a circle.
LOCK_CLASS = 0x6467  # "dg": the first key of dagsorden's advisory locks
LOCK_FORUM_CREATION = 0
LOCK_CASES = 1
SLUG_ATTEMPTS = 5


def _lock(key: str | int) -> None:
    """Wait for, and hold until the end of the transaction, the import lock ``key``."""
    if connection.vendor != "postgresql":
        return
    number = key if isinstance(key, int) else _lock_number(key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, number])


def _lock_number(text: str) -> int:
    """A forum name as a lock number: 32 bits of its hash (a collision only makes two forums
    take turns); never one of the fixed locks' numbers."""
    digest = hashlib.sha256(text.casefold().encode()).digest()
    number = int.from_bytes(digest[:4], "big", signed=True)
    return number if number not in (LOCK_FORUM_CREATION, LOCK_CASES) else 2


def organization_for_forum(
    *, name: str, prefix: str | None, cache: ImportCache | None = None
) -> Organization:
    """The forum called ``name``, created on first use (safe when imports run at once)."""
    key = name.casefold()
    cached = cache.forums.get(key) if cache is not None else None
    if cached is not None and (not prefix or cached.prefix):
        return cached
    with transaction.atomic():
        _lock(key)
        organization = Organization.objects.filter(name__iexact=name).first()
        if organization is None:
            _lock(LOCK_FORUM_CREATION)
            organization = Organization.objects.filter(name__iexact=name).first()
        if organization is None:
            organization = _create_organization(name=name, prefix=prefix)
        elif prefix and not organization.prefix:
            organization.prefix = prefix
            organization.save(update_fields=["prefix", "modified"])
    if cache is not None:
        cache.remember(cache.forums, key, organization)
    return organization


def _create_organization(*, name: str, prefix: str | None) -> Organization:
    """A new forum at a free address; should another writer (the admin) take the address
    in the meantime, the next one is tried."""
    body = body_default()
    attempts = 0
    while True:
        try:
            with transaction.atomic():
                return Organization.objects.create(
                    body=body, name=name, prefix=prefix or "", slug=_free_slug(name)
                )
        except IntegrityError:
            attempts += 1
            if attempts == SLUG_ATTEMPTS:
                raise


def _free_slug(name: str) -> str:
    base = danish_slug(name)[:90] or "forum"
    slug, counter = base, 2
    while Organization.all_objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def local_datetime(value: str) -> dt.datetime:
    """``2023-09-14T09:00`` (Copenhagen wall time) as an aware datetime."""
    naive = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M")  # noqa: DTZ007
    return naive.replace(tzinfo=LOCAL_TZ)


@transaction.atomic
def document_import(
    *,
    document: Document,
    source_name: str,
    sha512: str,
    cache: ImportCache | None = None,
    actor: Any = None,
    amend: str | None = None,
) -> ImportResult:
    """Store one document as a meeting: a new one, or a change to one imported before.

    Nothing half-written: one transaction, every value checked before the first write. An
    import never changes a meeting's state or publication: a new meeting is published as
    its document says (an agenda, or approved minutes); an existing one keeps its state,
    and takes a document only when it came from imports, not from the work pages (a
    meeting being planned or held there takes only the same kind of document it came
    from). Approved minutes change only by amendment: changed minutes over them are
    refused unless ``amend`` gives the reason, and then each changed title and decision is
    recorded as an ``Amendment`` by ``actor``, nothing else changing. ``actor`` (a user,
    for the API and ``--user``) must hold the permission the work pages require for the
    same change; without one the import acts for the system, as the command line does.
    Every import that creates or changes a meeting writes an audit row."""
    _validate(document)
    if not 0 < len(sha512) <= (_max_length((MeetingSource, "sha512")) or 0):
        raise DocumentRejected(f"{sha512[:20]!r}… is not a SHA-512 checksum")
    organization = _forum_for(document, cache=cache, actor=actor)
    starts_at = local_datetime(document.starts_at)
    meeting = _locked_meeting(organization, starts_at, forum=document.forum)
    if meeting is None:
        return _create(document, organization, starts_at, source_name, sha512, cache, actor)
    if meeting.sources.filter(sha512=sha512).exists():
        return ImportResult(meeting.pk, Outcome.UNCHANGED, "already imported")
    _check_origin(meeting, document)
    if document.kind == "agenda" and _has_minutes(meeting):
        return ImportResult(
            meeting.pk,
            Outcome.UNCHANGED,
            "the meeting has minutes; an agenda does not replace them",
        )
    if document.kind == "minutes" and meeting.minutes_locked:
        return _amend(meeting, document, source_name, sha512, actor, amend)
    return _update(meeting, document, source_name, sha512, cache, actor)


def _locked_meeting(
    organization: Organization, starts_at: dt.datetime, *, forum: str
) -> Meeting | None:
    """The live meeting of this forum and start, locked for this transaction, after the
    forum's import lock is taken (PostgreSQL): documents of one forum are stored one at a
    time. SQLite writes one transaction at a time anyway."""
    if connection.vendor != "postgresql":
        meetings = Meeting.objects.select_for_update().filter(
            organization=organization, starts_at=starts_at
        )
        found = list(meetings[:1])
    else:
        found = _rows_after_lock(
            _lock_number(forum),
            Meeting,
            f"{_column(Meeting, 'organization')} = %s AND {_column(Meeting, 'starts_at')} = %s "
            "LIMIT 1 FOR UPDATE",
            [organization.pk, starts_at],
        )
    if not found:
        return None
    found[0].organization = organization
    return found[0]


def _rows_after_lock(
    lock: int, model: type[_Model], condition: str, parameters: list[Any]
) -> list[_Model]:
    """The live rows of ``model`` that meet ``condition`` (SQL on its columns), read after
    the import lock ``lock`` is taken (PostgreSQL). The lock and the query go in one round
    trip, and the query is written once per model rather than compiled by the ORM per
    document: the importer's hot path, where either costs a tenth of a document's time."""
    query = f"SELECT pg_advisory_xact_lock(%s, %s); {_select_live(model)} AND {condition}"
    with connection.cursor() as cursor:
        cursor.execute(query, [LOCK_CLASS, lock, *parameters])
        cursor.nextset()
        found = cursor.fetchall()
    names = [field.attname for field in model._meta.concrete_fields]
    return [model.from_db(connection.alias, names, values) for values in found]


@functools.cache
def _select_live(model: type[models.Model]) -> str:
    """``SELECT <every column> FROM <table> WHERE <not soft-deleted>``."""
    columns = ", ".join(
        connection.ops.quote_name(str(field.column)) for field in model._meta.concrete_fields
    )
    table = connection.ops.quote_name(model._meta.db_table)
    return f"SELECT {columns} FROM {table} WHERE {_column(model, 'deleted_at')} IS NULL"  # noqa: S608


@functools.cache
def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(str(model._meta.get_field(name).column))  # type: ignore[union-attr]


def _forum_for(document: Document, *, cache: ImportCache | None, actor: Any) -> Organization:
    """The document's forum; a user may have a new one made only as an administrator (the
    forums are set up in /admin/)."""
    if actor is not None and not (
        (cache is not None and document.forum.casefold() in cache.forums)
        or Organization.objects.filter(name__iexact=document.forum).exists()
    ):
        require(actor, "forum.manage", None)
    return organization_for_forum(name=document.forum, prefix=document.prefix, cache=cache)


def _create(
    document: Document,
    organization: Organization,
    starts_at: dt.datetime,
    source_name: str,
    sha512: str,
    cache: ImportCache | None,
    actor: Any,
) -> ImportResult:
    """A new meeting, published as its document says: an agenda, or approved minutes."""
    if actor is not None:  # the work pages' steps from nothing to what the document says
        require(actor, "meeting.create", organization)
        require(actor, "meeting.publish", _draft(organization, starts_at, Meeting.State.PLANNED))
        if document.kind == "minutes":
            require(
                actor,
                "meeting.approve_minutes",
                _draft(organization, starts_at, Meeting.State.HELD),
            )
    state = (
        Meeting.State.MINUTES_APPROVED
        if document.kind == "minutes"
        else Meeting.State.AGENDA_PUBLISHED
    )
    meeting = _insert_meeting(organization, starts_at, document.location, state)
    rows = _store_items(meeting, document.items, _cases_for(document, cache=cache), new=True)
    _record_source(meeting, document, source_name, sha512)
    # The index is written in the same transaction, so it never disagrees with the archive.
    names = {row.pk: list(item.attachments) for row, item in zip(rows, document.items, strict=True)}
    search_index_new_items(
        meeting=meeting,
        items=rows,
        attachment_names=names,
        known_facets=cache.facets if cache is not None else None,
    )
    audit_record(
        actor=actor,
        action=AUDIT_ACTION,
        target=meeting,
        changes={
            "state": [None, state.value],
            "location": [None, meeting.location],
            "items": [None, len(rows)],
        },
        note=f"import: {source_name}",
    )
    return ImportResult(meeting.pk, Outcome.CREATED)


def _draft(organization: Organization, starts_at: dt.datetime, state: str) -> Meeting:
    """The meeting as it would be at an earlier step (to ask who may take the next)."""
    return Meeting(organization=organization, starts_at=starts_at, state=state)


def _check_origin(meeting: Meeting, document: Document) -> None:
    """A meeting made in the work pages is theirs; one imported and now planned or held in
    the work pages takes only the kind of document it came from."""
    origin = meeting.sources.order_by("-created", "-pk").values_list("kind", flat=True).first()
    state = meeting.get_state_display()
    if origin is None:
        raise DocumentRejected(
            f"the meeting was made in the work pages (state: {state}); an import does not "
            "overwrite it"
        )
    if meeting.state in WORK_PAGE_STATES and origin != document.kind:
        raise DocumentRejected(
            f"the meeting is being planned or held in the work pages (state: {state}); only "
            f"a changed {origin}, the kind it was imported from, may be imported "
            "into it"
        )


def _has_minutes(meeting: Meeting) -> bool:
    """Minutes held or approved, or decisions already written in the work pages."""
    return (
        meeting.has_minutes
        or (
            AgendaItem.objects.filter(meeting=meeting).exclude(decision=None).exclude(decision="")
        ).exists()
    )


def _update(
    meeting: Meeting,
    document: Document,
    source_name: str,
    sha512: str,
    cache: ImportCache | None,
    actor: Any,
) -> ImportResult:
    """An imported meeting's items rewritten from a changed document; its state stays."""
    if actor is not None:
        require(actor, WORK_PAGE_ACTIONS[document.kind], meeting)
    before = _contents(meeting)
    meeting.location = document.location
    meeting.save(update_fields=["location", "modified"])
    _store_items(meeting, document.items, _cases_for(document, cache=cache), new=False)
    _record_source(meeting, document, source_name, sha512)
    emit(MeetingChanged(meeting_id=meeting.pk))  # the index is rewritten in this transaction
    audit_record(
        actor=actor,
        action=AUDIT_ACTION,
        target=meeting,
        changes=changes_between(before, _contents(meeting)),
        note=f"import: {source_name}",
    )
    note = ""
    if document.kind == "minutes" and meeting.state not in Meeting.MINUTES_STATES:
        note = (
            f"the minutes are stored, the meeting stays {meeting.get_state_display()!s}: "
            "they are published once approved in the work pages"
        )
    return ImportResult(meeting.pk, Outcome.UPDATED, note)


def _amend(
    meeting: Meeting,
    document: Document,
    source_name: str,
    sha512: str,
    actor: Any,
    reason: str | None,
) -> ImportResult:
    """Changed minutes over approved ones: each changed title and decision an amendment."""
    changes = _amendments(meeting_document(meeting=meeting, user=OPERATOR), document)
    if not changes:
        _record_source(meeting, document, source_name, sha512)
        return ImportResult(meeting.pk, Outcome.UNCHANGED, "the approved minutes say the same")
    if reason is None or not reason.strip():
        raise DocumentRejected(
            "approved minutes change only by amendment; use --amend REASON "
            "(with --user NAME: who amends)"
        )
    if actor is None:
        raise DocumentRejected("an amendment records who makes it: name the user (--user NAME)")
    rows = {row.order: row for row in AgendaItem.objects.filter(meeting=meeting)}
    recorded: dict[str, list[Any]] = {}
    for order, field_name, text in changes:
        row = rows[order]
        recorded[f"item {row.number} {field_name}"] = [getattr(row, field_name), text]
        minutes_amend(item=row, user=actor, field=field_name, text=text, reason=reason)
    _record_source(meeting, document, source_name, sha512)
    audit_record(
        actor=actor,
        action=AUDIT_ACTION,
        target=meeting,
        changes=recorded,
        note=f"import: {source_name}; amended: {reason.strip()}",
    )
    count = len(changes)
    return ImportResult(meeting.pk, Outcome.UPDATED, f"{count} amendment{'s' * (count != 1)}")


def _amendments(stored: Document, document: Document) -> list[tuple[int, str, str]]:
    """(position, field, new text) of each changed amendable text (``AMENDABLE``);
    DocumentRejected when anything else differs."""
    if len(stored.items) != len(document.items):
        raise DocumentRejected(
            f"the approved minutes have {len(stored.items)} items, the document "
            f"{len(document.items)}: an amendment changes only {AMENDABLE_WORDS}"
        )
    if (stored.location, stored.forum.casefold()) != (document.location, document.forum.casefold()):
        raise DocumentRejected(
            "the venue differs from the approved minutes: an amendment changes only "
            f"{AMENDABLE_WORDS}"
        )
    changes = []
    for order, (old, new) in enumerate(zip(stored.items, document.items, strict=True), start=1):
        if dataclasses.replace(new, **{name: getattr(old, name) for name in AMENDABLE}) != old:
            different = [
                name
                for name in ITEM_FIELD_NAMES
                if getattr(old, name) != getattr(new, name) and name not in AMENDABLE
            ]
            raise DocumentRejected(
                f"item {old.number}: the {', '.join(different)} differs from the approved "
                f"minutes: an amendment changes only {AMENDABLE_WORDS}"
            )
        for name in AMENDABLE:
            before, after = (getattr(old, name) or "").strip(), (getattr(new, name) or "").strip()
            if before != after:
                changes.append((order, name, after))
    return changes


def _record_source(meeting: Meeting, document: Document, source_name: str, sha512: str) -> None:
    now = timezone.now()
    insert_rows(
        MeetingSource,
        ["meeting_id", "file_name", "sha512", "kind", "created", "modified"],
        [(meeting.pk, source_name[:500], sha512, document.kind, now, now)],
    )


def _contents(meeting: Meeting) -> dict[str, Any]:
    """What an import may change of a meeting, to compare before and after for the audit
    trail: the venue, and per item its title, decision and which other fields it has."""
    items = AgendaItem.objects.filter(meeting=meeting).order_by("order")
    contents: dict[str, Any] = {"location": meeting.location, "items": items.count()}
    for row in items:
        contents[f"item {row.order}"] = [row.number, row.title, row.decision, row.public]
    return contents


def _insert_meeting(
    organization: Organization, starts_at: dt.datetime, location: str | None, state: str
) -> Meeting:
    """``Meeting.objects.create`` without ``save()``'s bookkeeping (the importer's hot path)."""
    now = timezone.now()
    meeting = Meeting(
        organization=organization,
        starts_at=starts_at,
        location=location,
        state=state,
        agenda_published_at=now,  # an imported agenda or minutes is a published document
        created=now,
        modified=now,
    )
    columns = [
        "organization_id", "starts_at", "location", "state", "agenda_published_at", "created",
        "modified",
    ]  # fmt: skip
    [meeting.pk] = insert_rows(
        Meeting,
        columns,
        [[getattr(meeting, column) for column in columns]],
        returning_ids=True,
    )
    meeting._state.adding, meeting._state.db = False, "default"
    return meeting


def _validate(document: Document) -> None:
    """Every value checked against what its column can hold, before anything is written.

    A value too long or too large would otherwise fail in the database (PostgreSQL's
    DataError, SQLite's OverflowError) or, on SQLite, be stored as it is and fail later on
    PostgreSQL. Lengths and ranges are read from the model fields, so they cannot drift.
    All problems are named at once, each with its item and field."""
    problems = _document_problems(document)
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        raise DocumentRejected("; ".join(shown) + (f"; and {more} more" if more else ""))


MAX_PROBLEMS_SHOWN = 5


def _document_problems(document: Document) -> list[str]:
    problems: list[str] = []
    if not document.items:
        problems.append("the document has no agenda items")
    if document.kind not in ("agenda", "minutes"):
        problems.append(f"kind {document.kind!r} is neither 'agenda' nor 'minutes'")
    if not document.forum.strip():
        problems.append("the document names no forum")
    problems += _text_problems("the forum name", document.forum, (Organization, "name"))
    problems += _text_problems("the forum prefix", document.prefix, (Organization, "prefix"))
    problems += _text_problems("the venue (Mødested)", document.location, (Meeting, "location"))
    try:
        local_datetime(document.starts_at).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        problems.append(f"starts_at {document.starts_at!r} is not a date and time YYYY-MM-DDTHH:MM")
    for position, item in enumerate(document.items, start=1):
        number = _number_problems("the number", item.number, (AgendaItem, "number"))
        label = f"item {position} (in document order)" if number else f"item {item.number}"
        problems += [f"{label}: {problem}" for problem in [*number, *_item_problems(item)]]
    return problems


def _item_problems(item: Item) -> list[str]:
    title_columns = [(AgendaItem, "title"), *([(Case, "title")] if item.journal_number else [])]
    problems = _text_problems("the title", item.title, *title_columns)
    if item.journal_number is not None:
        if not is_journal_number(item.journal_number):
            problems.append(f"{item.journal_number!r} is not a journal number")
        problems += _text_problems(
            "the journal number", item.journal_number, (Case, "journal_number")
        )
    if item.case_type is not None and item.case_type not in CASE_TYPES:
        problems.append(f"unknown case type {item.case_type!r}")
    slot = item.time_slot
    for clock in (slot.start, slot.end) if slot else ():
        if clock is not None and _clock_or_none(clock) is None:
            problems.append(f"{clock!r} is not a time of day")
    if slot is not None and slot.minutes is not None:
        problems += _number_problems("the duration", slot.minutes, (AgendaItem, "duration_minutes"))
    for label, text in (
        ("the occasion (Anledning)", item.occasion),
        ("the presentation (Sagsfremstilling)", item.presentation),
        ("the decision (Beslutning)", item.decision),
    ):
        problems += _text_problems(label, text)
    recommendation = item.recommendation
    if recommendation is not None:
        problems += _text_problems(
            "the recommender", recommendation.proposer, (AgendaItem, "recommendation_proposer")
        )
        for point in recommendation.points:
            problems += _text_problems("a recommendation point", point)
    for name in item.attachments:
        problems += _text_problems(f"the attachment {name[:40]!r}", name, (Attachment, "name"))
    for name in (*item.presenters, *item.guests):
        problems += _text_problems(f"the name {name[:40]!r}", name)
    return problems


Column = tuple[type[models.Model], str]  # a model and one of its fields


@functools.cache
def _max_length(column: Column) -> int | None:
    model, name = column
    return getattr(model._meta.get_field(name), "max_length", None)


@functools.cache
def _integer_range(column: Column) -> tuple[int, int]:
    model, name = column
    kind = model._meta.get_field(name).get_internal_type()
    low, high = BaseDatabaseOperations.integer_field_ranges[kind]
    return low, high


def _text_problems(label: str, value: str | None, *columns: Column) -> list[str]:
    """Too long for the (shortest of the) columns it goes to, or holding control characters
    (which PostgreSQL, XML and the DOCX download refuse; the parsers clean them, a document
    from elsewhere may not)."""
    if value is None:
        return []
    problems = []
    if clean_text(value) != value:
        problems.append(f"{label} holds control characters")
    limit = min((length for column in columns if (length := _max_length(column))), default=None)
    if limit is not None and len(value) > limit:
        problems.append(f"{label} is {len(value):,} characters long; at most {limit:,} fit")
    return problems


def _number_problems(label: str, value: int, column: Column) -> list[str]:
    """Outside the range its column holds on every database (a PositiveIntegerField is 32
    bits on PostgreSQL; SQLite would store more, and the archive could not move)."""
    low, high = _integer_range(column)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return [f"{label} {value!r} is not a whole number from {low} to {high:,}"]
    return []


def _cases_for(document: Document, *, cache: ImportCache | None) -> dict[str, Case]:
    """The live case of every journal number in the document, created where missing."""
    known = cache.cases if cache is not None else {}
    titles: dict[str, str] = {}
    for item in document.items:
        if item.journal_number and item.public:
            titles.setdefault(item.journal_number, item.title)
        elif item.journal_number:
            titles.setdefault(item.journal_number, "")
    cases = {number: known[number] for number in titles if number in known}
    if unknown := [number for number in titles if number not in cases]:
        # Cases are shared between forums: another import may be adding the same one right
        # now. Under the cases' import lock, the cases found are all there are.
        if connection.vendor == "postgresql":
            stored = _rows_after_lock(
                LOCK_CASES, Case, f"{_column(Case, 'journal_number')} = ANY(%s)", [unknown]
            )
        else:  # one writer at a time: no lock needed
            stored = list(Case.objects.filter(journal_number__in=unknown))
        cases.update((case.journal_number, case) for case in stored)
    missing = [
        Case.from_number(number, title=titles[number]) for number in titles if number not in cases
    ]
    for case in Case.objects.bulk_create(missing):
        cases[case.journal_number] = case
    if cache is not None:
        for number, case in cases.items():
            if number not in known:
                cache.remember(known, number, case)
    return cases


def _clock_or_none(value: str) -> dt.time | None:
    try:
        return _clock(value)
    except ValueError:
        return None


def _clock(value: str | None) -> dt.time | None:
    if value is None:
        return None
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def _apply(row: AgendaItem, item: Item, order: int, case: Case | None) -> None:
    slot = item.time_slot
    recommendation = item.recommendation
    row.number = item.number
    row.order = order
    row.title = item.title
    row.public = item.public
    row.case_type = item.case_type or ""
    row.case = case
    row.time_start = _clock(slot.start) if slot else None
    row.time_end = _clock(slot.end) if slot else None
    row.duration_minutes = slot.minutes if slot else None
    row.presenters = list(item.presenters)
    row.guests = list(item.guests)
    row.occasion = item.occasion
    row.presentation = item.presentation
    row.has_recommendation = recommendation is not None
    row.recommendation_proposer = recommendation.proposer if recommendation else None
    row.recommendation_points = list(recommendation.points) if recommendation else []
    row.decision = item.decision
    row.outcome = decision_outcome(item.decision) or ""


ITEM_FIELDS = [
    "number", "order", "title", "public", "case_type", "case", "time_start", "time_end",
    "duration_minutes", "presenters", "guests", "occasion", "presentation",
    "has_recommendation", "recommendation_proposer", "recommendation_points", "decision",
    "outcome", "modified",
]  # fmt: skip


def _store_items(
    meeting: Meeting, items: tuple[Item, ...], cases: dict[str, Case], *, new: bool
) -> list[AgendaItem]:
    """Items matched by position: updated in place (stable ids), created, or soft-deleted."""
    existing = {} if new else {row.order: row for row in AgendaItem.objects.filter(meeting=meeting)}
    now = timezone.now()
    new_rows: list[AgendaItem] = []
    changed_rows: list[AgendaItem] = []
    for order, item in enumerate(items, start=1):
        row = existing.pop(order, None) or AgendaItem(meeting=meeting)
        _apply(row, item, order, cases.get(item.journal_number or ""))
        row.modified = now
        (changed_rows if row.pk else new_rows).append(row)
    if existing:
        AgendaItem.objects.filter(pk__in=[row.pk for row in existing.values()]).soft_delete()
    if changed_rows:
        AgendaItem.objects.bulk_update(changed_rows, ITEM_FIELDS)
    _insert_items(new_rows, now=now)

    rows_by_order = {row.order: row for row in [*changed_rows, *new_rows]}
    rows = [rows_by_order[order] for order in range(1, len(items) + 1)]
    _store_attachments(
        {rows_by_order[order].pk: item.attachments for order, item in enumerate(items, start=1)},
        now=now,
        fresh=new,
    )
    return rows


_INSERT_ITEM_COLUMNS = [
    "meeting_id",
    "created",
    *[f"{f}_id" if f == "case" else f for f in ITEM_FIELDS],
]


def _insert_items(rows: list[AgendaItem], *, now: dt.datetime) -> None:
    values = [
        [row.meeting_id, now, *(getattr(row, c) for c in _INSERT_ITEM_COLUMNS[2:])] for row in rows
    ]
    for row, pk in zip(
        rows, insert_rows(AgendaItem, _INSERT_ITEM_COLUMNS, values, returning_ids=True), strict=True
    ):
        row.pk = pk
        row.created = now
        row._state.adding, row._state.db = False, "default"


def _store_attachments(
    names_by_item: dict[int, tuple[str, ...]], *, now: dt.datetime, fresh: bool
) -> None:
    """Attachments matched by position; a new meeting has none to look up."""
    existing: dict[tuple[int, int], Attachment] = {}
    if not fresh:
        existing = {
            (a.item_id, a.order): a
            for a in Attachment.objects.filter(item_id__in=list(names_by_item))
        }
    new, changed = [], []
    for item_id, names in names_by_item.items():
        for order, name in enumerate(names, start=1):
            attachment = existing.pop((item_id, order), None)
            if attachment is None:
                new.append(Attachment(item_id=item_id, order=order, name=name))
            elif attachment.name != name:
                attachment.name, attachment.modified = name, now
                changed.append(attachment)
    if existing:
        Attachment.objects.filter(pk__in=[a.pk for a in existing.values()]).soft_delete()
    if changed:
        Attachment.objects.bulk_update(changed, ["name", "modified"])
    insert_rows(
        Attachment,
        [
            "item_id",
            "order",
            "name",
            "created",
            "modified",
            "file",
            "size",
            "media_type",
            "sha512",
            "public",
        ],
        [(a.item_id, a.order, a.name, now, now, "", None, "", "", True) for a in new],
    )

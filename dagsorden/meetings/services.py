"""The secretary's work: build the agenda, publish it, write the minutes, have them approved.

Every function checks the rules first (``access.rules``), writes in one transaction,
records what it changed in the audit trail (``core.audit``) and keeps the search index in
step in that same transaction (``emit(MeetingChanged(...))``).

Approved minutes are locked: ``minutes_assert_unlocked`` is the one rule every writer asks
(work pages, admin, importer, scripts); ``minutes_amend`` is the one way to correct them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dagsorden.access.rules import require
from dagsorden.cases.models import Case, CaseDocument, CaseEvent
from dagsorden.cases.richtext import markup_from_blocks
from dagsorden.core.audit import (
    audit_record,
    audited,
    audited_fields,
    changes_between,
    changes_created,
)
from dagsorden.core.errors import ApplicationError
from dagsorden.core.events import emit
from dagsorden.core.vocabulary import LOCAL_TZ, outcome_wording
from dagsorden.meetings.agenda import Timing, time_slots
from dagsorden.meetings.events import AgendaPublished, MeetingChanged, MinutesReady
from dagsorden.meetings.models import (
    AgendaItem,
    Amendment,
    Attachment,
    Attendance,
    Meeting,
    Organization,
    Person,
)

APPROVAL_TITLE = "Godkendelse af dagsorden og referat"
AOB_TITLE = "Eventuelt"
STANDING_MINUTES = 5
Standing = AgendaItem.Standing
Outcome = AgendaItem.Outcome


class MeetingError(ApplicationError):
    """A step the meeting's state or the input does not allow."""


# --- The minutes lock

# What approved minutes fix, per model: only an amendment (``minutes_amend``) changes them.
# "deleted_at" stands for removing the row; for a meeting, "state" means leaving the
# approved state (nothing else can follow it).
LOCKED_FIELDS: dict[type[models.Model], frozenset[str]] = {
    Meeting: frozenset({"state", "starts_at"}),
    AgendaItem: frozenset(
        {
            "title",
            "public",
            "case_type",
            "occasion",
            "presentation",
            "has_recommendation",
            "recommendation_proposer",
            "recommendation_points",
            "decision",
            "outcome",
            "point_decisions",
            "deleted_at",
        }
    ),
    # The file too: replacing it would rewrite what was approved as surely as a new name.
    Attachment: frozenset({"name", "public", "file", "deleted_at"}),
}


def minutes_locked(*, meeting: Meeting) -> bool:
    """Read from the database, not from ``meeting``: a form or an importer may already have
    changed the object in memory (the admin's form sets ``state`` before the service runs)."""
    if meeting.pk is None:
        return False
    return Meeting.all_objects.filter(pk=meeting.pk, state=Meeting.State.MINUTES_APPROVED).exists()


def minutes_locked_fields(
    *, meeting: Meeting, fields: Iterable[str], model: type[models.Model] = AgendaItem
) -> list[str]:
    """Which of ``fields`` (of ``model`` rows of ``meeting``) the lock refuses now."""
    wanted = set(fields) & LOCKED_FIELDS[model]
    if not wanted or not minutes_locked(meeting=meeting):
        return []
    return sorted(wanted)


def minutes_assert_unlocked(
    *, meeting: Meeting, fields: Iterable[str], model: type[models.Model] = AgendaItem
) -> None:
    """Refuse a change of approved minutes: THE lock, asked by every writer.

    ``fields`` are the names the caller is about to change on ``model`` rows belonging to
    ``meeting`` (``AgendaItem`` by default, ``Attachment`` or ``Meeting``); pass
    "deleted_at" for removing a row and every field for adding one. When the meeting's
    minutes are approved and a field is in ``LOCKED_FIELDS``, raises ``MeetingError``
    naming them; call it inside the transaction, before writing. Approved minutes change
    only through ``minutes_amend``, which records the original text beside the new one.

        minutes_assert_unlocked(meeting=meeting, fields=["decision", "title"])
        minutes_assert_unlocked(meeting=meeting, fields=["state"], model=Meeting)
    """
    locked = minutes_locked_fields(meeting=meeting, fields=fields, model=model)
    if locked:
        raise MeetingError(
            _(
                "Referatet er godkendt og låst (%(fields)s). Et godkendt referat ændres kun "
                "med en registreret rettelse."
            )
            % {"fields": ", ".join(_field_label(model, name) for name in locked)}
        )


def _field_label(model: type[models.Model], name: str) -> str:
    if name == "deleted_at":
        return _("sletning")
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _edit(model: type[models.Model], obj: models.Model, changes: Mapping[str, Any]) -> None:
    """Set the admin-editable ``changes`` on ``obj``; anything else is refused."""
    unknown = set(changes) - set(EDITABLE_FIELDS[model])
    if unknown:
        raise MeetingError(_("Ukendte felter: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(obj, name, value)
    try:
        obj.full_clean()
    except ValidationError as error:
        raise MeetingError(" ".join(error.messages)) from error


class ItemMinutesError(MeetingError):
    """An item's part of the minutes was refused (the work pages show it beside the item)."""

    def __init__(self, message: str, *, items: Sequence[AgendaItem]) -> None:
        super().__init__(message)
        self.items = list(items)


class MinutesIncomplete(ItemMinutesError):
    """Items without a decision: the minutes cannot be sent for approval yet."""


# --- Creating and assembling


@transaction.atomic
def meeting_create(
    *,
    organization: Organization,
    user: Any,
    day: dt.date,
    start: dt.time | None = None,
    end: dt.time | None = None,
    location: str | None = None,
) -> Meeting:
    """From the forum's defaults; approval is item 1 and "Eventuelt" the last, always."""
    require(user, "meeting.create", organization)
    start = start or organization.default_start_time or dt.time(9, 0)
    starts_at = dt.datetime.combine(day, start, tzinfo=LOCAL_TZ)
    if end is None:
        ends_at = starts_at + dt.timedelta(minutes=organization.default_duration_minutes)
    else:
        ends_at = dt.datetime.combine(day, end, tzinfo=LOCAL_TZ)
    if ends_at <= starts_at:
        raise MeetingError(_("Mødet skal slutte efter, det begynder."))
    if Meeting.objects.filter(organization=organization, starts_at=starts_at).exists():
        raise MeetingError(_("Forummet har allerede et møde på det tidspunkt."))
    meeting = Meeting.objects.create(
        organization=organization,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location or organization.default_location or None,
        state=Meeting.State.PLANNED,
    )
    common = {"meeting": meeting, "public": True, "duration_minutes": STANDING_MINUTES}
    AgendaItem.objects.create(
        **common, number=1, order=1, title=APPROVAL_TITLE, standing=Standing.APPROVAL,
        case_type=AgendaItem.CaseType.DECISION,
    )  # fmt: skip
    AgendaItem.objects.create(
        **common, number=2, order=2, title=AOB_TITLE, standing=Standing.ANY_OTHER_BUSINESS
    )
    _retime(meeting)
    audit_record(
        actor=user,
        action="meeting.create",
        target=meeting,
        changes=changes_created(meeting, audited_fields(Meeting)),
    )
    return meeting


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).select_related("case").order_by("order"))


def _retime(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[AgendaItem]:
    """Numbers follow the order; slots follow from the start, durations and breaks."""
    items = items if items is not None else agenda_items(meeting)
    start = timezone.localtime(meeting.starts_at).time()
    slots = time_slots(start, [Timing(i.duration_minutes, i.break_after_minutes) for i in items])
    # Orders are rewritten above the current range first: (meeting, order) is unique.
    offset = (max((i.order for i in items), default=0)) + 1
    for index, item in enumerate(items):
        item.order = offset + index
    AgendaItem.objects.bulk_update(items, ["order"])
    now = timezone.now()  # bulk_update does not touch auto_now fields: caches read `modified`
    for index, (item, slot) in enumerate(zip(items, slots, strict=True), start=1):
        item.order = item.number = index
        item.modified = now
        item.time_start = slot.start if slot else None
        item.time_end = slot.end if slot else None
    AgendaItem.objects.bulk_update(items, ["order", "number", "time_start", "time_end", "modified"])
    emit(MeetingChanged(meeting_id=meeting.pk))
    return items


def _ordinary_position(items: Sequence[AgendaItem], position: int | None) -> int:
    """Ordinary items live between the approval item and "Eventuelt"."""
    first = 1 if items and items[0].standing == Standing.APPROVAL else 0
    last = len(items) - (1 if items and items[-1].standing == Standing.ANY_OTHER_BUSINESS else 0)
    if position is None:
        return last
    return min(max(position, first), last)


@transaction.atomic
def agenda_place_case(
    *, meeting: Meeting, document: CaseDocument, user: Any, position: int | None = None
) -> AgendaItem:
    """The case document becomes an agenda item (a copy: the document keeps its history)."""
    require(user, "meeting.assemble", meeting)
    require(user, "case.place", document)
    if document.organization_id != meeting.organization_id:
        raise MeetingError(_("Sagen er sendt til et andet forum."))
    case = None
    if document.journal_number:
        case = Case.objects.filter(journal_number=document.journal_number).first()
        if case is None:
            case = Case(journal_number=document.journal_number, title=document.headline)
            case.save()
    items = agenda_items(meeting)
    index = _ordinary_position(items, position)
    has_points = bool(document.recommendation_points)
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=len(items) + 1,
        order=(max((i.order for i in items), default=0)) + 1,
        title=document.headline,
        public=document.public,
        case_type=document.case_type,
        case=case,
        duration_minutes=document.duration_minutes,
        presenters=list(document.presenters),
        occasion=document.occasion or None,
        presentation=markup_from_blocks(document.presentation) or None,
        has_recommendation=has_points,
        recommendation_proposer=document.recommendation_proposer or None,
        recommendation_points=list(document.recommendation_points),
    )
    for attachment in document.attachments.all():
        Attachment.objects.create(
            item=item,
            order=attachment.order,
            name=attachment.name,
            file=attachment.file.name,
            size=attachment.size,
            media_type=attachment.media_type,
            sha512=attachment.sha512,
            public=attachment.publish,
        )
    items.insert(index, item)
    _retime(meeting, items)
    audit_record(
        actor=user,
        action="agenda.place_case",
        target=item,
        changes=changes_created(
            item, ("meeting", "number", "title", "public", "case_type", "case")
        ),
    )
    before = document.state
    with audited(actor=user, action="case.place", target=document, fields=CASE_FLOW_FIELDS):
        document.state, document.agenda_item = CaseDocument.State.PLACED, item
        document.save()
    CaseEvent.objects.create(
        document=document,
        actor=user,
        action=CaseEvent.Action.PLACED,
        from_state=before,
        to_state=document.state,
        comment=str(meeting),
    )
    return item


@transaction.atomic
def agenda_move_item(*, item: AgendaItem, user: Any, position: int) -> None:
    """Move an ordinary item to ``position`` (0-based); standing items stay where they are."""
    meeting = item.meeting
    require(user, "meeting.assemble", meeting)
    if item.standing:
        raise MeetingError(_("Godkendelse og Eventuelt ligger fast."))
    items = [i for i in agenda_items(meeting) if i.pk != item.pk]
    items.insert(_ordinary_position(items, position), item)
    # The other items renumber as a consequence; the row records the one that was moved.
    with audited(
        actor=user, action="agenda.move_item", target=item, fields=["number"], only_if_changed=True
    ):
        _retime(meeting, items)


@transaction.atomic
def agenda_set_timing(
    *, item: AgendaItem, user: Any, duration_minutes: int | None, break_after_minutes: int
) -> None:
    require(user, "meeting.assemble", item.meeting)
    if (duration_minutes is not None and duration_minutes < 0) or break_after_minutes < 0:
        raise MeetingError(_("Tider kan ikke være negative."))
    with audited(
        actor=user,
        action="agenda.set_timing",
        target=item,
        fields=["duration_minutes", "break_after_minutes"],
        only_if_changed=True,
    ):
        item.duration_minutes = duration_minutes
        item.break_after_minutes = break_after_minutes
        item.save(update_fields=["duration_minutes", "break_after_minutes", "modified"])
    _retime(item.meeting)


@transaction.atomic
def agenda_remove_item(*, item: AgendaItem, user: Any) -> None:
    """Off the agenda (soft-deleted); its case goes back to the secretary's list."""
    meeting = item.meeting
    require(user, "meeting.assemble", meeting)
    if item.standing:
        raise MeetingError(_("Godkendelse og Eventuelt ligger fast."))
    minutes_assert_unlocked(meeting=meeting, fields=["deleted_at"])
    _return_documents(item, user=user, action=CaseEvent.Action.POSTPONED)
    with audited(actor=user, action="agenda.remove_item", target=item, fields=["deleted_at"]):
        item.soft_delete()
    _retime(meeting)


# What the audit trail records of a case document when the agenda takes or returns it.
CASE_FLOW_FIELDS = ("state", "agenda_item")


def _return_documents(item: AgendaItem, *, user: Any, action: str) -> None:
    """The item's case documents go back to the secretary's list (postponed, removed)."""
    for document in CaseDocument.objects.filter(agenda_item=item):
        before = document.state
        with audited(actor=user, action=f"case.{action}", target=document, fields=CASE_FLOW_FIELDS):
            document.state, document.agenda_item = CaseDocument.State.SUBMITTED, None
            document.save()
        CaseEvent.objects.create(
            document=document,
            actor=user,
            action=action,
            from_state=before,
            to_state=document.state,
            comment=str(item.meeting),
        )


@transaction.atomic
def agenda_publish(*, meeting: Meeting, user: Any, at: dt.datetime | None = None) -> bool:
    """Publish now, or at the time the secretary chooses; True when published now."""
    require(user, "meeting.publish", meeting)
    if at is not None and at > timezone.now():
        with audited(
            actor=user, action="agenda.schedule", target=meeting, fields=["agenda_publish_at"]
        ):
            meeting.agenda_publish_at = at
            meeting.save(update_fields=["agenda_publish_at", "modified"])
        return False
    _publish(meeting, actor=user)
    return True


def _publish(meeting: Meeting, *, actor: Any, note: str = "") -> None:
    with audited(
        actor=actor,
        action="agenda.publish",
        target=meeting,
        fields=["state", "agenda_publish_at", "agenda_published_at"],
        note=note,
    ):
        meeting.state = Meeting.State.AGENDA_PUBLISHED
        meeting.agenda_published_at = timezone.now()
        meeting.agenda_publish_at = meeting.agenda_publish_at or meeting.agenda_published_at
        meeting.save(update_fields=["state", "agenda_publish_at", "agenda_published_at"])
    emit(MeetingChanged(meeting_id=meeting.pk))
    emit(AgendaPublished(meeting_id=meeting.pk))


def publish_due_agendas(*, now: dt.datetime | None = None) -> list[Meeting]:
    """Agendas whose chosen time has come (run every minute by `dagsorden publish_due`)."""
    now = now or timezone.now()
    published = []
    due = Meeting.objects.filter(state=Meeting.State.PLANNED, agenda_publish_at__lte=now)
    for meeting_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            if meeting.state == Meeting.State.PLANNED:
                _publish(meeting, actor=None, note="publish_due")
                published.append(meeting)
    return published


# --- Minutes


def _require_started(meeting: Meeting) -> None:
    """No minutes before the meeting: a decision dated before it was taken is an error."""
    if not meeting.has_started:
        raise MeetingError(
            _("Mødet er ikke begyndt endnu (det begynder %(when)s): referatet kan først "
              "skrives og godkendes, når mødet er i gang.")
            % {"when": timezone.localtime(meeting.starts_at, LOCAL_TZ).strftime("%d.%m.%Y %H:%M")}
        )  # fmt: skip


def _ad_lines(points: Sequence[str]) -> str:
    return "\n".join(f"Ad {n}: {p}" for n, p in enumerate(points, start=1))


def _check_clock(value: dt.time | None, name: str) -> None:
    if value is not None and not isinstance(value, dt.time):
        raise MeetingError(_("%(name)s er ikke et klokkeslæt.") % {"name": name})


@transaction.atomic
def minutes_record(
    *,
    item: AgendaItem,
    user: Any,
    outcome: str,
    decision: str = "",
    point_decisions: Sequence[str] = (),
    actual_start: dt.time | None = None,
    actual_end: dt.time | None = None,
) -> None:
    """One item's decision. Point by point gives "Ad 1: ..." lines; postponed sends the case
    back to the secretary's list; approving item 1 approves the previous minutes."""
    meeting = item.meeting
    minutes_assert_unlocked(meeting=meeting, fields=MINUTES_FIELDS)
    require(user, "meeting.minutes", meeting)
    _require_started(meeting)
    if outcome not in Outcome.values:
        raise MeetingError(_("Ukendt udfald: %(outcome)s") % {"outcome": outcome})
    _check_clock(actual_start, _("Start"))
    _check_clock(actual_end, _("Slut"))
    if actual_start and actual_end and actual_end < actual_start:
        raise MeetingError(_("Punktet kan ikke slutte, før det begynder."))
    points = [p.strip() for p in point_decisions]
    if outcome == Outcome.PER_POINT:
        if len(points) != len(item.recommendation_points) or not all(points):
            raise MeetingError(
                _("Skriv en beslutning for hvert af indstillingens %(count)d punkter.")
                % {"count": len(item.recommendation_points)}
            )
        text = _ad_lines(points)
        if decision.strip():
            text = f"{decision.strip()}\n{text}"
    else:
        points = []
        text = decision.strip() or outcome_wording(outcome, forum=meeting.organization.name)
    with audited(
        actor=user,
        action="minutes.record",
        target=item,
        fields=MINUTES_FIELDS,
        only_if_changed=True,
    ):
        item.outcome, item.decision, item.point_decisions = outcome, text, points
        item.actual_start, item.actual_end = actual_start, actual_end
        item.save()
    if meeting.state == Meeting.State.AGENDA_PUBLISHED and meeting.starts_at <= timezone.now():
        with audited(actor=user, action="meeting.held", target=meeting, fields=["state"]):
            meeting.state = Meeting.State.HELD
            meeting.save(update_fields=["state", "modified"])
    if outcome == Outcome.POSTPONED:
        _return_documents(item, user=user, action=CaseEvent.Action.POSTPONED)
    if item.standing == Standing.APPROVAL and outcome in (Outcome.APPROVED, Outcome.ENDORSED):
        previous = previous_meeting_awaiting_approval(meeting)
        if previous is not None:
            _approve(previous, actor=user, approving_item=item)
    emit(MeetingChanged(meeting_id=meeting.pk))


# What recording an item's decision writes (and the audit trail compares).
MINUTES_FIELDS = ("outcome", "decision", "point_decisions", "actual_start", "actual_end")


def previous_meeting_awaiting_approval(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            organization=meeting.organization,
            starts_at__lt=meeting.starts_at,
            state=Meeting.State.HELD,
            minutes_ready_at__isnull=False,
        )
        .order_by("-starts_at")
        .first()
    )


@dataclass(frozen=True)
class ItemMinutes:
    """One item's part of the minutes, as the minutes page sends it."""

    item: AgendaItem
    outcome: str
    decision: str = ""
    point_decisions: Sequence[str] = ()
    actual_start: dt.time | None = None
    actual_end: dt.time | None = None


def decision_lead(item: AgendaItem) -> str:
    """The decision as its writer wrote it: for a point-by-point decision, the text before
    the "Ad 1: ..." lines that ``minutes_record`` added (so saving it again keeps it)."""
    text = item.decision or ""
    if item.outcome != Outcome.PER_POINT or not item.point_decisions:
        return text
    points = _ad_lines(item.point_decisions)
    if text == points:
        return ""
    return text.removesuffix(f"\n{points}")


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    user: Any,
    items: Sequence[ItemMinutes] = (),
    attendance: Mapping[int, tuple[str, str]] | None = None,
) -> list[AgendaItem]:
    """The whole minutes page in one transaction: every changed item's decision and the
    attendance (person id → status, note; "" status: no row), or nothing at all, so a
    refused item never leaves the page half saved. Returns the items recorded."""
    require(user, "meeting.minutes", meeting)
    _require_started(meeting)
    recorded = []
    for entry in items:
        item = entry.item
        if item.meeting_id != meeting.pk:
            raise MeetingError(_("Punktet hører til et andet møde."))
        item.meeting = meeting  # one instance: the state each record sets is seen by the next
        decision = entry.decision
        old_wording = outcome_wording(item.outcome, forum=meeting.organization.name)
        if entry.outcome != item.outcome and old_wording and decision.strip() == old_wording:
            decision = ""  # the old outcome's default wording follows the new outcome
        try:
            minutes_record(
                item=item,
                user=user,
                outcome=entry.outcome,
                decision=decision,
                point_decisions=entry.point_decisions,
                actual_start=entry.actual_start,
                actual_end=entry.actual_end,
            )
        except MeetingError as error:
            raise ItemMinutesError(str(error), items=[item]) from error
        recorded.append(item)
    if attendance:
        current = {
            a.person_id: (a.status, a.note) for a in Attendance.objects.filter(meeting=meeting)
        }
        wanted = dict(current)
        for person_id, (status, note) in attendance.items():
            if status:
                wanted[person_id] = (status, note)
            else:
                wanted.pop(person_id, None)
        if wanted != current:
            minutes_attendance(
                meeting=meeting,
                user=user,
                statuses={person_id: status for person_id, (status, _) in wanted.items()},
                notes={person_id: note for person_id, (_, note) in wanted.items()},
            )
    return recorded


@transaction.atomic
def minutes_attendance(
    *, meeting: Meeting, user: Any, statuses: Mapping[int, str], notes: Mapping[int, str]
) -> None:
    """Present or afbud per person (a person left out keeps no row)."""
    require(user, "meeting.minutes", meeting)
    existing = {
        a.person_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("person")
    }
    before = {a.person.name: [a.status, a.note] for a in existing.values()}
    after: dict[str, list[str]] = {}
    people = Person.objects.in_bulk(list(statuses))
    for person_id, status in statuses.items():
        if person_id not in people:
            raise MeetingError(_("Ukendt person."))
        if status not in Attendance.Status.values:
            raise MeetingError(_("Ukendt fremmøde: %(status)s") % {"status": status})
        row = existing.pop(person_id, None) or Attendance(meeting=meeting, person_id=person_id)
        row.status, row.note = status, (notes.get(person_id) or "").strip()[:300]
        row.save()
        after[people[person_id].name] = [row.status, row.note]
    for row in existing.values():
        row.soft_delete()
    # One row for the meeting: person -> [status, note] before and after.
    changes = changes_between(before, after)
    if changes:
        audit_record(actor=user, action="minutes.attendance", target=meeting, changes=changes)


@transaction.atomic
def minutes_send_for_approval(*, meeting: Meeting, user: Any) -> None:
    """Every item needs its decision first; the members are told the minutes are ready."""
    minutes_assert_unlocked(meeting=meeting, fields=["state"], model=Meeting)
    require(user, "meeting.minutes", meeting)
    _require_started(meeting)
    missing = [i for i in agenda_items(meeting) if not (i.decision or "").strip()]
    if missing:
        raise MinutesIncomplete(
            _("Punkt %(numbers)s mangler en beslutning.")
            % {"numbers": ", ".join(str(i.number) for i in missing)},
            items=missing,
        )
    with audited(
        actor=user,
        action="minutes.send_for_approval",
        target=meeting,
        fields=["state", "minutes_ready_at"],
    ):
        meeting.state = Meeting.State.HELD
        meeting.minutes_ready_at = timezone.now()
        meeting.save(update_fields=["state", "minutes_ready_at", "modified"])
    emit(MeetingChanged(meeting_id=meeting.pk))
    emit(MinutesReady(meeting_id=meeting.pk))


@transaction.atomic
def minutes_approve(
    *, meeting: Meeting, user: Any, approving_item: AgendaItem | None = None
) -> None:
    """The forum approved the minutes (normally under item 1 of its next meeting)."""
    require(user, "meeting.approve_minutes", meeting)
    _require_started(meeting)
    if meeting.minutes_ready_at is None:
        raise MeetingError(_("Referatet er ikke sendt til godkendelse endnu."))
    _approve(meeting, actor=user, approving_item=approving_item)


def _approve(meeting: Meeting, *, actor: Any, approving_item: AgendaItem | None) -> None:
    fields = ["state", "minutes_approved_at", "minutes_approved_in"]
    with audited(actor=actor, action="minutes.approve", target=meeting, fields=fields):
        meeting.state = Meeting.State.MINUTES_APPROVED
        meeting.minutes_approved_at = timezone.now()
        meeting.minutes_approved_in = approving_item
        meeting.save(update_fields=[*fields, "modified"])
    emit(MeetingChanged(meeting_id=meeting.pk))


# The texts an amendment corrects: plain text, so the original is kept whole beside it.
AMENDABLE_FIELDS = {
    "decision": gettext_lazy("beslutning"),
    "title": gettext_lazy("overskrift"),
    "occasion": gettext_lazy("anledning"),
    "presentation": gettext_lazy("sagsfremstilling"),
}


@transaction.atomic
def minutes_amend(*, item: AgendaItem, user: Any, field: str, text: str, reason: str) -> Amendment:
    """Approved minutes are locked: a correction is recorded beside the original."""
    require(user, "meeting.amend", item.meeting)
    if field not in AMENDABLE_FIELDS:
        raise MeetingError(_("Feltet kan ikke rettes."))
    if not reason.strip():
        raise MeetingError(_("En rettelse kræver en begrundelse."))
    original = getattr(item, field) or ""
    if text.strip() == original.strip():
        raise MeetingError(_("Rettelsen ændrer ikke teksten."))
    amendment = Amendment.objects.create(
        item=item,
        field=field,
        original=original,
        amended=text.strip(),
        reason=reason.strip(),
        author=user,
    )
    with audited(
        actor=user, action="minutes.amend", target=item, fields=[field], note=reason.strip()
    ):
        setattr(item, field, text.strip())
        item.save(update_fields=[field, "modified"])
    emit(MeetingChanged(meeting_id=item.meeting_id))
    return amendment


# --- Administration: the admin's edits, cancelling and soft deletion
#
# The admin writes through these, never through ``save()``: each checks the rules and the
# minutes lock, records its audit row and announces the change, so the search index is
# rewritten in the same transaction (a closed item leaves public search at once).

EDITABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Meeting: (
        "organization",
        "starts_at",
        "ends_at",
        "location",
        "state",
        "agenda_publish_at",
        "minutes_ready_at",
        "minutes_approved_at",
        "minutes_approved_in",
    ),
    # Number and order belong to the agenda builder (they are unique per meeting).
    AgendaItem: tuple(
        name
        for name in audited_fields(AgendaItem)
        if name not in ("meeting", "number", "order", "deleted_at")
    ),
    Attachment: ("order", "name", "file", "size", "media_type", "sha512", "public"),
}
# Held or approved: the meeting took place, so it cannot be cancelled.
CANCELLABLE_STATES = (Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED)


def _locked_row(model: type[models.Model], obj: models.Model) -> Any:
    """The row as stored, locked for the transaction: the caller's object may carry a form's
    unsaved values, and the audit trail needs the real "before"."""
    return model._base_manager.select_for_update().get(pk=obj.pk)


def _changed(current: models.Model, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Only what differs from the stored row: a form sends every field, and an unchanged
    value of approved minutes is no change to refuse. Unknown names are kept (refused)."""
    return {k: v for k, v in changes.items() if v != getattr(current, k, object())}


def _check_cancellable(meeting: Meeting) -> None:
    if meeting.state == Meeting.State.CANCELLED:
        raise MeetingError(_("Mødet er allerede aflyst."))
    if meeting.state not in CANCELLABLE_STATES:
        raise MeetingError(_("Mødet er afholdt og kan ikke aflyses."))


@transaction.atomic
def meeting_update(*, meeting: Meeting, user: Any, changes: Mapping[str, Any]) -> Meeting:
    """Change a meeting's fields (the admin). The minutes lock holds (no state back from
    approved, no new start). A new state that is a step of the meeting's life is taken as
    that step, so it means the same here as on the work pages: cancelling (only before the
    meeting is held), publishing a planned agenda (its time set, the members told) and
    approving the minutes (their time set); other states are set as they are."""
    current = _locked_row(Meeting, meeting)
    require(user, "meeting.edit", current)
    changes = _changed(current, changes)
    if not changes:
        return current
    minutes_assert_unlocked(meeting=current, fields=changes, model=Meeting)
    step = _state_step(current, changes.get("state"))
    if step is not None:
        changes = {k: v for k, v in changes.items() if k != "state"}
    if changes:
        with audited(
            actor=user,
            action="meeting.update",
            target=current,
            fields=EDITABLE_FIELDS[Meeting],
            only_if_changed=True,
        ):
            _edit(Meeting, current, changes)
            current.save()
    if step is not None:
        step(current, actor=user)
    emit(MeetingChanged(meeting_id=current.pk))
    return current


def _state_step(meeting: Meeting, state: str | None) -> Callable[..., None] | None:
    """The service step a new state stands for, checked now (before anything is written)."""
    if state == Meeting.State.CANCELLED:
        _check_cancellable(meeting)
        return _cancel
    if state == Meeting.State.AGENDA_PUBLISHED and meeting.state == Meeting.State.PLANNED:
        return _publish
    if state == Meeting.State.MINUTES_APPROVED:
        return lambda meeting, *, actor: _approve(
            meeting, actor=actor, approving_item=meeting.minutes_approved_in
        )
    return None


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, user: Any, reason: str = "") -> Meeting:
    """Aflyst: the forum's secretary or an administrator, before the meeting is held.
    The state value stays ``cancelled``; who may see a cancelled meeting is the visibility
    gate's decision (a never-published meeting must not become public by cancelling)."""
    current = _locked_row(Meeting, meeting)
    require(user, "meeting.cancel", current)
    minutes_assert_unlocked(meeting=current, fields=["state"], model=Meeting)
    _check_cancellable(current)
    _cancel(current, actor=user, note=reason.strip())
    emit(MeetingChanged(meeting_id=current.pk))
    return current


def _cancel(meeting: Meeting, *, actor: Any, note: str = "") -> None:
    with audited(actor=actor, action="meeting.cancel", target=meeting, fields=["state"], note=note):
        meeting.state = Meeting.State.CANCELLED
        meeting.save(update_fields=["state", "modified"])


@transaction.atomic
def meeting_soft_delete(*, meeting: Meeting, user: Any) -> None:
    """Out of the archive (rows are kept, so history and sync stay whole). Allowed for
    approved minutes too: removing a wrongly imported meeting is not changing its minutes."""
    current = _locked_row(Meeting, meeting)
    require(user, "meeting.delete", current)
    if current.deleted:
        return
    with audited(actor=user, action="meeting.delete", target=current, fields=["deleted_at"]):
        current.soft_delete()
    emit(MeetingChanged(meeting_id=current.pk))


@transaction.atomic
def organization_soft_delete(*, organization: Organization, user: Any) -> None:
    """A forum out of the archive: its meetings stay as they are (restoring the forum brings
    them back), and every one of them is announced so the index drops what is gone."""
    current = _locked_row(Organization, organization)
    require(user, "forum.delete", current)
    if current.deleted:
        return
    with audited(actor=user, action="forum.delete", target=current, fields=["deleted_at"]):
        current.soft_delete()
    for meeting_id in Meeting.objects.filter(organization=current).values_list("pk", flat=True):
        emit(MeetingChanged(meeting_id=meeting_id))


@transaction.atomic
def item_update(*, item: AgendaItem, user: Any, changes: Mapping[str, Any]) -> AgendaItem:
    """Change an item's fields (the admin): closing it (``public=False``) included. Fields of
    approved minutes are refused (``minutes_assert_unlocked``)."""
    current = _locked_row(AgendaItem, item)
    meeting = current.meeting
    require(user, "meeting.edit", meeting)
    changes = _changed(current, changes)
    if not changes:
        return current
    minutes_assert_unlocked(meeting=meeting, fields=changes)
    with audited(
        actor=user,
        action="item.update",
        target=current,
        fields=EDITABLE_FIELDS[AgendaItem],
        only_if_changed=True,
    ):
        _edit(AgendaItem, current, changes)
        current.save()
    emit(MeetingChanged(meeting_id=meeting.pk))
    return current


@transaction.atomic
def item_soft_delete(*, item: AgendaItem, user: Any) -> None:
    """Remove an item (the admin). Its case goes back to the secretary's list; the other
    items keep their numbers, which may already have been published."""
    current = _locked_row(AgendaItem, item)
    meeting = current.meeting
    require(user, "meeting.edit", meeting)
    minutes_assert_unlocked(meeting=meeting, fields=["deleted_at"])
    if current.deleted:
        return
    _return_documents(current, user=user, action=CaseEvent.Action.POSTPONED)
    with audited(actor=user, action="item.delete", target=current, fields=["deleted_at"]):
        current.soft_delete()
    emit(MeetingChanged(meeting_id=meeting.pk))


@transaction.atomic
def attachment_create(*, item: AgendaItem, user: Any, fields: Mapping[str, Any]) -> Attachment:
    """A new attachment (the admin); approved minutes take none (its name would change them)."""
    require(user, "meeting.edit", item.meeting)
    minutes_assert_unlocked(
        meeting=item.meeting, fields=["name", "public", "file"], model=Attachment
    )
    attachment = Attachment(item=item)
    if "order" not in fields:
        attachment.order = (item.attachments.aggregate(top=Max("order"))["top"] or 0) + 1
    _edit(Attachment, attachment, fields)
    attachment.save()
    audit_record(
        actor=user,
        action="attachment.create",
        target=attachment,
        changes=changes_created(attachment, ("item", *EDITABLE_FIELDS[Attachment])),
    )
    emit(MeetingChanged(meeting_id=item.meeting_id))
    return attachment


@transaction.atomic
def attachment_update(
    *, attachment: Attachment, user: Any, changes: Mapping[str, Any]
) -> Attachment:
    """Rename, replace or hide an attachment (``public=False``); the lock holds its name and
    public flag once the minutes are approved."""
    current = _locked_row(Attachment, attachment)
    meeting = current.item.meeting
    require(user, "meeting.edit", meeting)
    changes = _changed(current, changes)
    if not changes:
        return current
    minutes_assert_unlocked(meeting=meeting, fields=changes, model=Attachment)
    with audited(
        actor=user,
        action="attachment.update",
        target=current,
        fields=EDITABLE_FIELDS[Attachment],
        only_if_changed=True,
    ):
        _edit(Attachment, current, changes)
        current.save()
    emit(MeetingChanged(meeting_id=meeting.pk))
    return current


@transaction.atomic
def attachment_soft_delete(*, attachment: Attachment, user: Any) -> None:
    current = _locked_row(Attachment, attachment)
    meeting = current.item.meeting
    require(user, "meeting.edit", meeting)
    minutes_assert_unlocked(meeting=meeting, fields=["deleted_at"], model=Attachment)
    if current.deleted:
        return
    with audited(actor=user, action="attachment.delete", target=current, fields=["deleted_at"]):
        current.soft_delete()
    emit(MeetingChanged(meeting_id=meeting.pk))

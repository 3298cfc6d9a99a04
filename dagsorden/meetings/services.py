"""The secretary's work: build the agenda, publish it, write the minutes, have them approved.

Every function checks the rules first (``access.rules``), writes in one transaction and
keeps the search index in step in that same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dagsorden.access.rules import require
from dagsorden.cases.models import Case, CaseDocument, CaseEvent
from dagsorden.cases.richtext import markup_from_blocks
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
    before = document.state
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
    _retime(meeting, items)


@transaction.atomic
def agenda_set_timing(
    *, item: AgendaItem, user: Any, duration_minutes: int | None, break_after_minutes: int
) -> None:
    require(user, "meeting.assemble", item.meeting)
    if (duration_minutes is not None and duration_minutes < 0) or break_after_minutes < 0:
        raise MeetingError(_("Tider kan ikke være negative."))
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
    _return_documents(item, user=user, action=CaseEvent.Action.POSTPONED)
    item.soft_delete()
    _retime(meeting)


def _return_documents(item: AgendaItem, *, user: Any, action: str) -> None:
    for document in CaseDocument.objects.filter(agenda_item=item):
        before = document.state
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
        meeting.agenda_publish_at = at
        meeting.save(update_fields=["agenda_publish_at", "modified"])
        return False
    _publish(meeting)
    return True


def _publish(meeting: Meeting) -> None:
    meeting.state = Meeting.State.AGENDA_PUBLISHED
    meeting.agenda_publish_at = meeting.agenda_publish_at or timezone.now()
    meeting.save(update_fields=["state", "agenda_publish_at", "modified"])
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
                _publish(meeting)
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
    item.outcome, item.decision, item.point_decisions = outcome, text, points
    item.actual_start, item.actual_end = actual_start, actual_end
    item.save()
    if meeting.state == Meeting.State.AGENDA_PUBLISHED and meeting.starts_at <= timezone.now():
        meeting.state = Meeting.State.HELD
        meeting.save(update_fields=["state", "modified"])
    if outcome == Outcome.POSTPONED:
        _return_documents(item, user=user, action=CaseEvent.Action.POSTPONED)
    if item.standing == Standing.APPROVAL and outcome in (Outcome.APPROVED, Outcome.ENDORSED):
        previous = previous_meeting_awaiting_approval(meeting)
        if previous is not None:
            _approve(previous, approving_item=item)
    emit(MeetingChanged(meeting_id=meeting.pk))


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
    existing = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    people = Person.objects.in_bulk(list(statuses))
    for person_id, status in statuses.items():
        if person_id not in people:
            raise MeetingError(_("Ukendt person."))
        if status not in Attendance.Status.values:
            raise MeetingError(_("Ukendt fremmøde: %(status)s") % {"status": status})
        row = existing.pop(person_id, None) or Attendance(meeting=meeting, person_id=person_id)
        row.status, row.note = status, (notes.get(person_id) or "").strip()[:300]
        row.save()
    for row in existing.values():
        row.soft_delete()


@transaction.atomic
def minutes_send_for_approval(*, meeting: Meeting, user: Any) -> None:
    """Every item needs its decision first; the members are told the minutes are ready."""
    require(user, "meeting.minutes", meeting)
    _require_started(meeting)
    missing = [i for i in agenda_items(meeting) if not (i.decision or "").strip()]
    if missing:
        raise MinutesIncomplete(
            _("Punkt %(numbers)s mangler en beslutning.")
            % {"numbers": ", ".join(str(i.number) for i in missing)},
            items=missing,
        )
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
    _approve(meeting, approving_item=approving_item)


def _approve(meeting: Meeting, *, approving_item: AgendaItem | None) -> None:
    meeting.state = Meeting.State.MINUTES_APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_in = approving_item
    meeting.save(update_fields=["state", "minutes_approved_at", "minutes_approved_in", "modified"])
    emit(MeetingChanged(meeting_id=meeting.pk))


AMENDABLE_FIELDS = {"decision": _("beslutning"), "title": _("overskrift")}


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
    setattr(item, field, text.strip())
    item.save(update_fields=[field, "modified"])
    emit(MeetingChanged(meeting_id=item.meeting_id))
    return amendment

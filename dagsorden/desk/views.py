"""The work pages (/arbejde/). Thin: read the input, ask the rules, call a service.

Anything a user may not read is a 404 (its existence is not confirmed); an action on
something they may read but not change is a 403.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dagsorden.access.models import Department
from dagsorden.access.rules import can, grants_for, require
from dagsorden.cases import services as flow
from dagsorden.cases.models import CaseDocument
from dagsorden.cases.quality import CaseText, section_lix
from dagsorden.cases.richtext import blocks_from_html, markup_from_blocks
from dagsorden.core.errors import ApplicationError
from dagsorden.desk.forms import (
    AmendmentForm,
    CaseCreateForm,
    CaseEditForm,
    FlowForm,
    MeetingCreateForm,
    MinutesForm,
    MoveForm,
    PlaceForm,
    PublishForm,
    TimingForm,
    override_reasons,
)
from dagsorden.meetings import services as meetings
from dagsorden.meetings.agenda import Timing, overrun_minutes
from dagsorden.meetings.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Meeting,
    Organization,
    Person,
)
from dagsorden.public.links import meeting_url

State = CaseDocument.State


def _workspace(request: HttpRequest) -> None:
    require(request.user, "workspace.use")


# --- Overview


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Where each of my cases stands, what waits for me, and the secretary's forums."""
    _workspace(request)
    grants = grants_for(request.user)
    mine = CaseDocument.objects.filter(author_id=request.user.pk).select_related(
        "organization", "agenda_item__meeting__organization"
    )
    waiting = CaseDocument.objects.filter(
        Q(state=State.UNIT_REVIEW, unit_id__in=grants.unit_leader_units)
        | Q(state=State.DEPARTMENT_REVIEW, department_id__in=grants.head_departments)
    )
    if grants.administrator:
        waiting = CaseDocument.objects.filter(
            state__in=[State.UNIT_REVIEW, State.DEPARTMENT_REVIEW]
        )
    served = Organization.objects.order_by("name")
    if not grants.administrator:
        served = served.filter(pk__in=grants.secretary_forums)
    # Two queries for all the forums served, grouped here (not two per forum).
    forums = list(served)
    to_place: dict[int, list[CaseDocument]] = {}
    for document in CaseDocument.objects.filter(
        organization__in=forums, state=State.SUBMITTED
    ).order_by("submitted_at", "pk"):
        to_place.setdefault(document.organization_id, []).append(document)
    open_meetings: dict[int, list[Meeting]] = {}
    open_states = [Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED, Meeting.State.HELD]
    for meeting in Meeting.objects.filter(organization__in=forums, state__in=open_states).order_by(
        "starts_at"
    ):
        open_meetings.setdefault(meeting.organization_id, []).append(meeting)
    secretary = [
        {
            "forum": forum,
            "to_place": to_place.get(forum.pk, []),
            "meetings": open_meetings.get(forum.pk, []),
        }
        for forum in forums
    ]
    fast_track = (
        Department.objects.annotate(
            fast=Count("case_documents", filter=Q(case_documents__fast_track=True)),
            total=Count("case_documents", filter=~Q(case_documents__state=State.DRAFT)),
        ).order_by("name")
        if grants.administrator or grants.head_departments or grants.secretary_forums
        else None
    )
    return render(
        request,
        "desk/overview.html",
        {
            "mine": mine,
            "waiting": waiting.select_related("organization", "author"),
            "secretary": secretary,
            "fast_track": fast_track,
            "can_write": bool(grants.producer_departments or grants.administrator),
        },
    )


# --- Cases


def _readable_document(request: HttpRequest, pk: int) -> CaseDocument:
    document = get_object_or_404(
        CaseDocument.objects.select_related("organization", "department", "author"), pk=pk
    )
    if not can(request.user, "case.read", document):
        raise Http404
    return document


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    grants = grants_for(request.user)
    departments = Department.objects.order_by("name")
    if not grants.administrator:
        departments = departments.filter(pk__in=grants.producer_departments)
    if not departments.exists():
        raise PermissionDenied("case.create")
    form = CaseCreateForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        document = flow.case_document_create(
            user=request.user,
            department=form.cleaned_data["department"],
            organization=form.cleaned_data["organization"],
            headline=form.cleaned_data["headline"],
            case_type=form.cleaned_data["case_type"],
        )
        return redirect("desk:case", pk=document.pk)
    return render(request, "desk/case_new.html", {"form": form})


def _on_screen(document: CaseDocument, values: dict[str, Any]) -> tuple[CaseDocument, CaseText]:
    """The case as the editor shows it, unsaved: a copy of the document carrying the
    screen's values (closed or open, journal number, forum) and the screen's text."""
    screen = copy.copy(document)
    for name in ("public", "closed_reason", "journal_number", "organization"):
        if name in values:
            setattr(screen, name, values[name])
    text = CaseText(
        headline=values.get("headline", document.headline),
        case_type=values.get("case_type", document.case_type),
        occasion=values.get("occasion", document.occasion),
        presentation=list(values.get("presentation", document.presentation)),
        recommendation_proposer=values.get(
            "recommendation_proposer", document.recommendation_proposer
        ),
        recommendation_points=list(
            values.get("recommendation_points", document.recommendation_points)
        ),
        attachment_names=[a.name for a in document.attachments.all()],
    )
    return screen, text


def _quality_context(document: CaseDocument, text: CaseText | None = None) -> dict[str, Any]:
    findings = flow.case_findings(document, text=text)
    return {
        "findings": findings,
        "errors": [f for f in findings if f.severity == "error"],
        "lix": section_lix(text or flow.case_text(document)),
    }


def _case_page(
    request: HttpRequest,
    document: CaseDocument,
    *,
    form: CaseEditForm | None = None,
    flow_form: FlowForm | None = None,
    overrides: dict[str, str] | None = None,
    blocked: dict[str, str] | None = None,
    unsaved: bool = False,
) -> HttpResponse:
    """The editor for its author while it is a draft; a read-only view with the flow actions
    for everyone else who may read it. A rejected post comes back here with what was typed
    and the errors beside their fields; the quality panel then checks that text."""
    editable = can(request.user, "case.edit", document)
    if form is None:
        form = CaseEditForm(initial=CaseEditForm.initial_for(document))
    if form.is_bound:
        quality = _quality_context(*_on_screen(document, form.screen_values()))
        quality["refused"] = _refused(form)
    else:
        quality = _quality_context(document)
    overrides, blocked = overrides or {}, blocked or {}
    context = {
        "document": document,
        "form": form,
        "flow_form": flow_form or FlowForm(),
        "editable": editable,
        "unsaved": unsaved,
        "attachments": document.attachments.all(),
        "events": document.events.select_related("actor"),
        "may": {
            action: can(request.user, f"case.{action}", document)
            for action in ("submit", "fast_track", "review", "approve", "return")
        },
        "overrides": [
            {
                "code": finding.code,
                "message": finding.message,
                "value": overrides.get(finding.code, ""),
                "error": blocked.get(finding.code, ""),
            }
            for finding in quality["errors"]
        ],
        **quality,
    }
    return render(request, "desk/case.html", context)


def _refused(form: CaseEditForm) -> list[tuple[str, str]]:
    """What a save of the screen's text would refuse, for the quality panel."""
    return [
        (str(form[name].label), str(message))
        for name in CaseEditForm.TEXT_FIELDS
        for message in form.errors.get(name, [])
    ]


def _add_model_errors(form: CaseEditForm, error: ValidationError) -> None:
    """A model's own validation, beside the form's fields where they match."""
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


class _StepRefused(Exception):
    """A step after the save was refused; ``field`` is where the error belongs."""

    def __init__(self, field: str | None, error: ApplicationError) -> None:
        super().__init__(str(error))
        self.field, self.error = field, error


def _case_step(request: HttpRequest, document: CaseDocument, form: CaseEditForm) -> str:
    """After the text is saved: the file chosen (whichever button was pressed), then the
    step asked for. Returns what to tell the user; raises ``_StepRefused`` or
    ``QualityBlocked`` when refused."""
    data, user = form.cleaned_data, request.user
    action = data["action"]
    done = _("Sagen er gemt.")
    if data["attachment"]:
        try:
            flow.case_attachment_add(
                document=document,
                user=user,
                upload=data["attachment"],
                publish=data["attachment_publish"],
            )
        except ApplicationError as error:
            raise _StepRefused("attachment", error) from error
        done = _("Sagen er gemt, og bilaget er tilføjet.")
    elif action == "attach":
        raise _StepRefused("attachment", flow.FlowError(_("Vælg en fil at tilføje som bilag.")))
    if action == "remove":
        attachment = get_object_or_404(document.attachments, pk=data["remove"])
        flow.case_attachment_remove(attachment=attachment, user=user)
        done = _("Sagen er gemt, og bilaget %(name)s er fjernet.") % {"name": attachment.name}
    if action not in ("submit", "fast_track"):
        return done
    overrides = override_reasons(request.POST)
    try:
        if action == "submit":
            flow.case_submit(document=document, user=user, overrides=overrides)
        else:
            flow.case_fast_track(
                document=document, user=user, reason=data["reason"], overrides=overrides
            )
    except flow.QualityBlocked:
        raise
    except ApplicationError as error:
        raise _StepRefused("reason" if action == "fast_track" else None, error) from error
    return _("Sagen er gemt og står nu: %(state)s.") % {"state": document.get_state_display()}


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One form for everything its author does on the page: every button (save, add or
    remove an attachment, submit, fast track) saves the text on the screen first, and a
    refusal shows that text again with the error beside its field."""
    _workspace(request)
    document = _readable_document(request, pk)
    if request.method != "POST":
        return _case_page(request, document)
    require(request.user, "case.edit", document)
    form = CaseEditForm(request.POST, request.FILES)
    overrides = override_reasons(request.POST)
    not_saved = _("Sagen er ikke gemt. Ret det markerede nedenfor og gem igen.")
    if form.is_valid():
        try:
            flow.case_document_update(document=document, user=request.user, data=form.text_data())
        except ValidationError as error:
            _add_model_errors(form, error)
        except ApplicationError as error:
            form.add_error(None, str(error))
    if form.errors:
        if request.FILES.get("attachment"):
            form.add_error("attachment", _("Vælg filen igen, når teksten er rettet."))
        messages.error(request, not_saved)
        return _case_page(request, document, form=form, overrides=overrides, unsaved=True)
    blocked: dict[str, str] = {}
    try:
        done = _case_step(request, document, form)
    except flow.QualityBlocked as refusal:
        messages.error(request, _("Sagen er gemt, men ikke sendt: %(why)s") % {"why": refusal})
        blocked = {
            finding.code: _("Ret teksten, eller skriv hvorfor tjekket kan tilsidesættes.")
            for finding in refusal.findings
        }
    except _StepRefused as refusal:
        form.add_error(refusal.field, str(refusal.error))
        messages.error(request, _("Sagen er gemt, men: %(why)s") % {"why": refusal.error})
    else:
        messages.success(request, done)
        if can(request.user, "case.read", document):
            return redirect("desk:case", pk=document.pk)
        return redirect("desk:overview")
    typed = bool(form.cleaned_data.get("reason") or any(overrides.values()))
    return _case_page(
        request, document, form=form, overrides=overrides, blocked=blocked, unsaved=typed
    )


@login_required
@require_POST
def case_quality(request: HttpRequest, pk: int) -> HttpResponse:
    """The quality panel for the text on the screen (posted by the editor as it is
    written, not yet saved): the same checks as on submission, and what a save would
    refuse."""
    document = _readable_document(request, pk)
    require(request.user, "case.edit", document)
    form = CaseEditForm(request.POST)
    form.is_valid()
    context = _quality_context(*_on_screen(document, form.screen_values()))
    return render(
        request, "desk/quality_panel.html", context | {"live": True, "refused": _refused(form)}
    )


@login_required
@require_POST
def case_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """Pasted HTML (Word, a web page) back as the editor's plain-text convention: only text
    and structure survive, never markup."""
    document = _readable_document(request, pk)
    require(request.user, "case.edit", document)
    html = request.POST.get("html", "")[:2_000_000]
    return HttpResponse(
        markup_from_blocks(blocks_from_html(html)), content_type="text/plain; charset=utf-8"
    )


@login_required
@require_POST
def case_flow(request: HttpRequest, pk: int) -> HttpResponse:
    """A step on the saved case: the reviewers' form (review, approve, return with a
    comment). A refusal shows the comment again with the error beside it."""
    document = _readable_document(request, pk)
    form = FlowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Handlingen er ikke udført. Ret det markerede nedenfor."))
        return _case_page(request, document, flow_form=form, unsaved=True)
    action = form.cleaned_data["action"]
    comment = form.cleaned_data["comment"]
    overrides = override_reasons(request.POST)
    steps = {
        "submit": lambda: flow.case_submit(
            document=document, user=request.user, overrides=overrides
        ),
        "fast_track": lambda: flow.case_fast_track(
            document=document,
            user=request.user,
            reason=form.cleaned_data["reason"],
            overrides=overrides,
        ),
        "review": lambda: flow.case_review(document=document, user=request.user, comment=comment),
        "approve": lambda: flow.case_approve(document=document, user=request.user, comment=comment),
        "return": lambda: flow.case_return(document=document, user=request.user, comment=comment),
    }
    try:
        steps[action]()
    except flow.QualityBlocked as blocked:
        messages.error(request, str(blocked))
        for finding in blocked.findings:
            messages.error(request, finding.message)
        return _case_page(request, document, flow_form=form, unsaved=bool(comment))
    except ApplicationError as error:
        field = {"fast_track": "reason"}.get(action, "comment")
        form.add_error(field, str(error))
        messages.error(request, _("Handlingen er ikke udført: %(why)s") % {"why": error})
        return _case_page(request, document, flow_form=form, unsaved=bool(comment))
    messages.success(
        request, _("Sagen står nu: %(state)s.") % {"state": document.get_state_display()}
    )
    if can(request.user, "case.read", document):
        return redirect("desk:case", pk=pk)
    return redirect("desk:overview")


# --- Meetings: the agenda builder


def _meeting_for(request: HttpRequest, pk: int, action: str) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("organization"), pk=pk)
    if not can(request.user, "forum.manage", meeting.organization):
        raise Http404
    require(request.user, action, meeting)
    return meeting


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    grants = grants_for(request.user)
    forums = Organization.objects.order_by("name")
    if not grants.administrator:
        forums = forums.filter(pk__in=grants.secretary_forums)
    if not forums.exists():
        raise PermissionDenied("meeting.create")
    chosen = MeetingCreateForm.forum_from_query(forums, request.GET.get("forum")) or forums.first()
    initial = {
        "organization": chosen,
        "start": chosen.default_start_time if chosen else None,
        "location": chosen.default_location if chosen else "",
    }
    form = MeetingCreateForm(request.POST or None, forums=forums, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meetings.meeting_create(
                organization=data["organization"],
                user=request.user,
                day=data["day"],
                start=data["start"],
                end=data["end"],
                location=data["location"],
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            if not meeting.starts_at > timezone.now():
                # Allowed (a meeting held before it was registered), but rarely meant.
                messages.warning(
                    request,
                    _(
                        "Mødet er oprettet, men det ligger i fortiden (%(when)s). "
                        "Tjek datoen, hvis det ikke var meningen."
                    )
                    % {"when": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M")},
                )
            return redirect("desk:meeting", pk=meeting.pk)
    return render(request, "desk/meeting_new.html", {"form": form})


@login_required
def meeting_builder(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.read")
    items = meetings.agenda_items(meeting)
    start = timezone.localtime(meeting.starts_at).time()
    end = timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None
    overrun = overrun_minutes(
        start, end, [Timing(i.duration_minutes, i.break_after_minutes) for i in items]
    )
    return render(
        request,
        "desk/meeting.html",
        {
            "meeting": meeting,
            "items": [
                (
                    item,
                    TimingForm(
                        initial={
                            "duration_minutes": item.duration_minutes,
                            "break_after_minutes": item.break_after_minutes,
                        },
                        prefix=f"i{item.pk}",
                    ),
                )
                for item in items
            ],
            "overrun": overrun,
            "to_place": CaseDocument.objects.filter(
                organization=meeting.organization, state=State.SUBMITTED
            ).select_related("department"),
            "assemble": can(request.user, "meeting.assemble", meeting),
            "publish_form": PublishForm(),
            "public_url": meeting_url(meeting),
        },
    )


def _run(request: HttpRequest, step: Any, done: str) -> None:
    try:
        step()
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)


@login_required
@require_POST
def meeting_place(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.assemble")
    form = PlaceForm(
        request.POST, documents=CaseDocument.objects.filter(organization=meeting.organization)
    )
    if not form.is_valid():
        raise Http404
    document = form.cleaned_data["document"]
    _run(
        request,
        lambda: meetings.agenda_place_case(meeting=meeting, document=document, user=request.user),
        _("Sagen er sat på dagsordenen."),
    )
    return redirect("desk:meeting", pk=pk)


def _item_of(meeting: Meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting=meeting
    )


@login_required
@require_POST
def meeting_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Up, down (buttons, keyboard) or to a position (drag and drop)."""
    meeting = _meeting_for(request, pk, "meeting.assemble")
    item = _item_of(meeting, item_pk)
    items = meetings.agenda_items(meeting)
    current = next(i for i, row in enumerate(items) if row.pk == item.pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Punktet kan ikke flyttes dertil."))
        return redirect("desk:meeting", pk=pk)
    direction, position = form.cleaned_data["direction"], form.cleaned_data["position"]
    if direction:
        position = current - 1 if direction == "up" else current + 1
    elif position is None:
        position = current
    _run(
        request,
        lambda: meetings.agenda_move_item(item=item, user=request.user, position=position),
        _("Rækkefølgen er ændret."),
    )
    if request.headers.get("x-requested-with") == "fetch":
        return HttpResponse(status=204)
    return redirect(f"{request.path.rsplit('/punkter/', 1)[0]}/#punkt-{item.pk}")


@login_required
@require_POST
def meeting_timing(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.assemble")
    item = _item_of(meeting, item_pk)
    form = TimingForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _("Tiderne skal være hele minutter fra 0."))
    else:
        _run(
            request,
            lambda: meetings.agenda_set_timing(
                item=item,
                user=request.user,
                duration_minutes=form.cleaned_data["duration_minutes"],
                break_after_minutes=form.cleaned_data["break_after_minutes"] or 0,
            ),
            _("Tiderne er opdateret."),
        )
    return redirect("desk:meeting", pk=pk)


@login_required
@require_POST
def meeting_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.assemble")
    item = _item_of(meeting, item_pk)
    _run(
        request,
        lambda: meetings.agenda_remove_item(item=item, user=request.user),
        _("Punktet er taget af dagsordenen; sagen ligger igen til placering."),
    )
    return redirect("desk:meeting", pk=pk)


@login_required
@require_POST
def meeting_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.publish")
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv tidspunktet som dato og klokkeslæt."))
        return redirect("desk:meeting", pk=pk)
    at = form.cleaned_data["at"]

    def publish() -> None:
        if meetings.agenda_publish(meeting=meeting, user=request.user, at=at):
            messages.success(request, _("Dagsordenen er offentliggjort."))
        else:
            messages.success(
                request,
                _("Dagsordenen offentliggøres %(when)s.")
                % {"when": timezone.localtime(at).strftime("%d.%m.%Y %H:%M")},
            )

    try:
        publish()
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("desk:meeting", pk=pk)


# --- Minutes


def _minutes_form(meeting: Meeting, data: Any = None) -> MinutesForm:
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .prefetch_related(
            Prefetch("amendments", queryset=Amendment.objects.select_related("author"))
        )
        .order_by("order")
    )
    people = Person.objects.filter(
        memberships__organization=meeting.organization, memberships__deleted_at__isnull=True
    ).distinct()
    attendance = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    return MinutesForm(data, items=items, people=list(people), attendance=attendance)


def _minutes_page(
    request: HttpRequest,
    meeting: Meeting,
    form: MinutesForm,
    *,
    item_errors: dict[int, list[str]] | None = None,
    amendment: tuple[int, AmendmentForm] | None = None,
    unsaved: bool = False,
) -> HttpResponse:
    secretary = can(request.user, "meeting.minutes", meeting)
    item_errors = item_errors or {}
    return render(
        request,
        "desk/minutes.html",
        {
            "meeting": meeting,
            "form": form,
            "rows": [
                (
                    decision.item,
                    decision,
                    decision.item.amendments.all(),
                    amendment[1]
                    if amendment and amendment[0] == decision.item.pk
                    else AmendmentForm(prefix=f"a{decision.item.pk}"),
                    item_errors.get(decision.item.pk, []),
                )
                for decision in form.items
            ],
            "write": secretary and meeting.has_started,
            "not_started": secretary and not meeting.has_started,
            "amend": can(request.user, "meeting.amend", meeting),
            "amending": amendment[0] if amendment else None,
            "unsaved": unsaved,
            "previous": meetings.previous_meeting_awaiting_approval(meeting),
        },
    )


def _minutes_step(request: HttpRequest, meeting: Meeting, action: str) -> str:
    if action == "ready":
        meetings.minutes_send_for_approval(meeting=meeting, user=request.user)
        return _("Referatet er gemt og sendt til godkendelse.")
    if action == "approve":
        meetings.minutes_approve(meeting=meeting, user=request.user)
        return _("Referatet er godkendt og låst.")
    return _("Referatet er gemt.")


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes in one form: every item's decision and the attendance are saved
    together, in one transaction, whichever button is pressed (save, send for approval,
    approved); a refusal shows everything typed again with the error beside its item."""
    if request.method != "POST":
        meeting = _meeting_for(request, pk, "meeting.read")
        return _minutes_page(request, meeting, _minutes_form(meeting))
    meeting = _meeting_for(request, pk, "meeting.minutes")
    form = _minutes_form(meeting, request.POST)
    if not form.is_valid():
        numbers = ", ".join(str(item.number) for item in form.invalid_items)
        messages.error(
            request,
            _("Referatet er ikke gemt. Ret punkt %(numbers)s (markeret nedenfor) og gem igen.")
            % {"numbers": numbers}
            if numbers
            else _("Referatet er ikke gemt. Ret det markerede nedenfor og gem igen."),
        )
        return _minutes_page(request, meeting, form, unsaved=True)
    try:
        meetings.minutes_save(
            meeting=meeting,
            user=request.user,
            items=form.changed_minutes(),
            attendance=form.attendance.changes(),
        )
    except meetings.ItemMinutesError as error:
        messages.error(request, _("Referatet er ikke gemt: %(why)s") % {"why": error})
        errors = {item.pk: [str(error)] for item in error.items}
        return _minutes_page(request, meeting, form, item_errors=errors, unsaved=True)
    except ApplicationError as error:
        messages.error(request, _("Referatet er ikke gemt: %(why)s") % {"why": error})
        return _minutes_page(request, meeting, form, unsaved=True)
    try:
        done = _minutes_step(request, meeting, form.action)
    except meetings.ItemMinutesError as error:
        messages.error(request, _("Referatet er gemt, men: %(why)s") % {"why": error})
        errors = {item.pk: [str(error)] for item in error.items}
        return _minutes_page(request, meeting, _minutes_form(meeting), item_errors=errors)
    except ApplicationError as error:
        messages.error(request, _("Referatet er gemt, men: %(why)s") % {"why": error})
    else:
        messages.success(request, done)
    return redirect("desk:minutes", pk=pk)


@login_required
@require_POST
def minutes_amend(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A correction of approved minutes; a refusal keeps the new text and the reason."""
    meeting = _meeting_for(request, pk, "meeting.amend")
    item = _item_of(meeting, item_pk)
    form = AmendmentForm(request.POST, prefix=f"a{item.pk}")
    if form.is_valid():
        try:
            meetings.minutes_amend(
                item=item,
                user=request.user,
                field=form.cleaned_data["field"],
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Rettelsen er registreret; den oprindelige tekst er bevaret.")
            )
            return redirect("desk:minutes", pk=pk)
    messages.error(
        request,
        _("Rettelsen til punkt %(n)d er ikke registreret. Ret det markerede nedenfor.")
        % {"n": item.number},
    )
    return _minutes_page(
        request, meeting, _minutes_form(meeting), amendment=(item.pk, form), unsaved=True
    )

"""The work pages (/arbejde/). Thin: read the input, ask the rules, call a service.

Anything a user may not read is a 404 (its existence is not confirmed); an action on
something they may read but not change is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dagsorden.access.models import Department
from dagsorden.access.rules import can, grants_for, require
from dagsorden.cases import services as flow
from dagsorden.cases.models import CaseAttachment, CaseDocument
from dagsorden.cases.quality import CaseText, section_lix
from dagsorden.cases.richtext import (
    InvalidRichText,
    blocks_from_html,
    blocks_from_markup,
    markup_from_blocks,
)
from dagsorden.core.errors import ApplicationError
from dagsorden.desk.forms import (
    AmendmentForm,
    AttachmentForm,
    CaseCreateForm,
    CaseEditForm,
    DecisionForm,
    FlowForm,
    MeetingCreateForm,
    PublishForm,
    TimingForm,
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


def _quality_context(document: CaseDocument, text: CaseText | None = None) -> dict[str, Any]:
    findings = flow.case_findings(document, text=text)
    return {
        "findings": findings,
        "errors": [f for f in findings if f.severity == "error"],
        "lix": section_lix(text or flow.case_text(document)),
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor for its author while it is a draft; a read-only view with the flow actions
    for everyone else who may read it."""
    _workspace(request)
    document = _readable_document(request, pk)
    editable = can(request.user, "case.edit", document)
    form = CaseEditForm(
        request.POST if request.method == "POST" else None,
        initial=CaseEditForm.initial_for(document),
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("case.edit")
        if form.is_valid():
            try:
                flow.case_document_update(
                    document=document, user=request.user, data=form.cleaned_data
                )
            except ApplicationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Sagen er gemt."))
                return redirect("desk:case", pk=document.pk)
    context = {
        "document": document,
        "form": form,
        "editable": editable,
        "attachment_form": AttachmentForm(),
        "attachments": document.attachments.all(),
        "events": document.events.select_related("actor"),
        "may": {
            action: can(request.user, f"case.{action}", document)
            for action in ("submit", "fast_track", "review", "approve", "return")
        },
        **_quality_context(document),
    }
    return render(request, "desk/case.html", context)


@login_required
@require_POST
def case_quality(request: HttpRequest, pk: int) -> HttpResponse:
    """The quality panel for the text as it stands in the editor (not yet saved)."""
    document = _readable_document(request, pk)
    require(request.user, "case.edit", document)
    try:
        blocks = blocks_from_markup(request.POST.get("presentation", ""))
    except InvalidRichText:
        blocks = []
    case_text = CaseText(
        headline=request.POST.get("headline", ""),
        case_type=request.POST.get("case_type", ""),
        occasion=request.POST.get("occasion", ""),
        presentation=blocks,
        recommendation_proposer=request.POST.get("recommendation_proposer", ""),
        recommendation_points=[
            line.strip()
            for line in request.POST.get("recommendation_points", "").splitlines()
            if line.strip()
        ],
        attachment_names=[a.name for a in document.attachments.all()],
    )
    return render(
        request, "desk/quality_panel.html", _quality_context(document, case_text) | {"live": True}
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
    document = _readable_document(request, pk)
    form = FlowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ukendt handling."))
        return redirect("desk:case", pk=pk)
    action = form.cleaned_data["action"]
    comment = form.cleaned_data["comment"]
    overrides = {
        key.removeprefix("override:"): str(value)
        for key, value in request.POST.items()
        if key.startswith("override:")
    }
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
        return redirect("desk:case", pk=pk)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("desk:case", pk=pk)
    messages.success(
        request, _("Sagen står nu: %(state)s.") % {"state": document.get_state_display()}
    )
    if can(request.user, "case.read", document):
        return redirect("desk:case", pk=pk)
    return redirect("desk:overview")


@login_required
@require_POST
def case_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = _readable_document(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        # The file's own error (type, size, content), or: no file was chosen.
        refused = not form.has_error("file", "required")
        errors = [str(error) for error in form.errors.get("file", [])] if refused else []
        for error in errors or [_("Vælg en fil.")]:
            messages.error(request, error)
    else:
        try:
            flow.case_attachment_add(
                document=document,
                user=request.user,
                upload=form.cleaned_data["file"],
                publish=form.cleaned_data["publish"],
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Bilaget er tilføjet."))
    return redirect("desk:case", pk=pk)


@login_required
@require_POST
def case_attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    document = _readable_document(request, pk)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_pk, document=document)
    flow.case_attachment_remove(attachment=attachment, user=request.user)
    messages.success(request, _("Bilaget er fjernet."))
    return redirect("desk:case", pk=pk)


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
    chosen = forums.filter(pk=request.GET.get("forum") or 0).first() or forums.first()
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
    document = get_object_or_404(
        CaseDocument, pk=request.POST.get("document") or 0, organization=meeting.organization
    )
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
    direction = request.POST.get("direction")
    try:
        position = {"up": current - 1, "down": current + 1}.get(
            direction or "", int(request.POST.get("position", current))
        )
    except ValueError:
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
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)

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


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.read")
    items = list(
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
    return render(
        request,
        "desk/minutes.html",
        {
            "meeting": meeting,
            "rows": [
                (
                    item,
                    DecisionForm(
                        initial={
                            "outcome": item.outcome,
                            "decision": item.decision if item.outcome != "per_point" else "",
                            "actual_start": item.actual_start,
                            "actual_end": item.actual_end,
                            **{
                                f"point_{n}": text
                                for n, text in enumerate(item.point_decisions, start=1)
                            },
                        },
                        points=len(item.recommendation_points),
                        prefix=f"i{item.pk}",
                    ),
                    item.amendments.all(),
                    AmendmentForm(prefix=f"a{item.pk}"),
                )
                for item in items
            ],
            "people": [(p, attendance.get(p.pk)) for p in people],
            "write": can(request.user, "meeting.minutes", meeting),
            "amend": can(request.user, "meeting.amend", meeting),
            "previous": meetings.previous_meeting_awaiting_approval(meeting),
        },
    )


@login_required
@require_POST
def minutes_decision(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.minutes")
    item = _item_of(meeting, item_pk)
    form = DecisionForm(request.POST, points=len(item.recommendation_points), prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _("Beslutningen kunne ikke gemmes: tjek udfald og tider."))
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: meetings.minutes_record(
                item=item,
                user=request.user,
                outcome=data["outcome"],
                decision=data["decision"],
                point_decisions=form.point_decisions(),
                actual_start=data["actual_start"],
                actual_end=data["actual_end"],
            ),
            _("Beslutningen på punkt %(n)d er gemt.") % {"n": item.number},
        )
    return redirect(f"{request.path.rsplit('/punkter/', 1)[0]}/#punkt-{item.pk}")


@login_required
@require_POST
def minutes_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.minutes")
    statuses: dict[int, str] = {}
    notes: dict[int, str] = {}
    for key, value in request.POST.items():
        if key.startswith("status:") and value:
            person = int(key.split(":", 1)[1]) if key.split(":", 1)[1].isdigit() else 0
            statuses[person] = str(value)
            notes[person] = request.POST.get(f"note:{person}", "")
    _run(
        request,
        lambda: meetings.minutes_attendance(
            meeting=meeting, user=request.user, statuses=statuses, notes=notes
        ),
        _("Fremmødet er gemt."),
    )
    return redirect("desk:minutes", pk=pk)


@login_required
@require_POST
def minutes_ready(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.minutes")
    _run(
        request,
        lambda: meetings.minutes_send_for_approval(meeting=meeting, user=request.user),
        _("Referatet er sendt til godkendelse."),
    )
    return redirect("desk:minutes", pk=pk)


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.approve_minutes")
    _run(
        request,
        lambda: meetings.minutes_approve(meeting=meeting, user=request.user),
        _("Referatet er godkendt og låst."),
    )
    return redirect("desk:minutes", pk=pk)


@login_required
@require_POST
def minutes_amend(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, "meeting.amend")
    item = _item_of(meeting, item_pk)
    form = AmendmentForm(request.POST, prefix=f"a{item.pk}")
    if not form.is_valid():
        messages.error(request, _("En rettelse kræver ny tekst og en begrundelse."))
    else:
        _run(
            request,
            lambda: meetings.minutes_amend(
                item=item,
                user=request.user,
                field=form.cleaned_data["field"],
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            ),
            _("Rettelsen er registreret; den oprindelige tekst er bevaret."),
        )
    return redirect("desk:minutes", pk=pk)

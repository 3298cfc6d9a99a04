"""The case flow: a case producer writes, the department approves, the secretariat receives.

    draft ──submit──▶ (unit review) ──▶ department review ──approve──▶ submitted ──▶ placed
      ▲                    │                   │                          │
      └───── returned ◀────┴───────────────────┴──────────────────────────┘
    draft ──fast track (with a reason)──▶ submitted

Every step checks the rules (``access.rules``), records a ``CaseEvent`` (the case's own
history, shown to its producer) and an audit row (``core.audit``: before and after, for the
administrators) and, where someone must act or know, sends an e-mail after the step has
committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dagsorden.access.models import Department
from dagsorden.access.rules import require
from dagsorden.cases.events import CaseApproved, CaseReturned
from dagsorden.cases.models import CaseAttachment, CaseDocument, CaseEvent
from dagsorden.cases.quality import CaseText, Finding, check_case
from dagsorden.cases.richtext import validate_blocks
from dagsorden.core.audit import audit_record, audited, changes_created
from dagsorden.core.errors import ApplicationError
from dagsorden.core.events import emit
from dagsorden.core.uploads import file_save_undone_on_rollback, stored_name, upload_check
from dagsorden.meetings.models import Organization

State = CaseDocument.State
Action = CaseEvent.Action


class FlowError(ApplicationError):
    """A step that cannot be taken as asked (a missing reason, a blocking finding)."""


@dataclass(frozen=True)
class QualityBlocked(FlowError):
    findings: tuple[Finding, ...]

    def __str__(self) -> str:
        return _("Sagen kan ikke sendes: %(count)d kvalitetstjek er ikke opfyldt.") % {
            "count": len(self.findings)
        }


# Fields the editor writes; everything else moves only through the flow.
EDITABLE_FIELDS = (
    "headline",
    "case_type",
    "journal_number",
    "public",
    "closed_reason",
    "occasion",
    "presentation",
    "recommendation_proposer",
    "recommendation_points",
    "duration_minutes",
    "responsible_head",
    "presenters",
    "organization",
    "unit",
)


# What a step of the flow changes, for the audit trail.
STEP_FIELDS = ("state", "submitted_at", "fast_track", "fast_track_reason", "quality_overrides")
ATTACHMENT_FIELDS = ("document", "order", "name", "file", "size", "media_type", "publish")


def _event(
    document: CaseDocument, *, actor: Any, action: str, before: str = "", comment: str = ""
) -> None:
    CaseEvent.objects.create(
        document=document,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_state=before,
        to_state=document.state,
        comment=comment,
    )


def _move(document: CaseDocument, *, to: str, actor: Any, action: str, comment: str = "") -> None:
    before = document.state
    document.state = to
    document.save()
    _event(document, actor=actor, action=action, before=before, comment=comment)


@transaction.atomic
def case_document_create(
    *,
    user: Any,
    department: Department,
    organization: Organization,
    headline: str,
    case_type: str = "",
) -> CaseDocument:
    require(user, "case.create", department)
    unit = None
    assignment = user.role_assignments.filter(department=department, unit__isnull=False).first()
    if assignment is not None:
        unit = assignment.unit
    document = CaseDocument.objects.create(
        author=user,
        department=department,
        unit=unit,
        organization=organization,
        headline=headline.strip(),
        case_type=case_type,
    )
    _event(document, actor=user, action=Action.CREATED)
    audit_record(
        actor=user,
        action="case.create",
        target=document,
        changes=changes_created(
            document, ("author", "department", "unit", "organization", "headline", "case_type")
        ),
    )
    return document


@transaction.atomic
def case_document_update(*, document: CaseDocument, user: Any, data: Mapping[str, Any]) -> None:
    """Write the editor's fields; the rich text is validated into clean blocks first."""
    require(user, "case.edit", document)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise FlowError(_("Ukendte felter: %(names)s") % {"names": ", ".join(sorted(unknown))})
    with audited(
        actor=user,
        action="case.update",
        target=document,
        fields=EDITABLE_FIELDS,
        only_if_changed=True,
    ):
        for name, value in data.items():
            if name == "presentation":
                value = validate_blocks(value)
            elif name in ("recommendation_points", "presenters"):
                value = [str(v).strip() for v in value if str(v).strip()]
            setattr(document, name, value)
        if document.public:
            document.closed_reason = ""
        document.full_clean(exclude=["author", "department", "case", "agenda_item"])
        document.save()


def case_text(document: CaseDocument) -> CaseText:
    return CaseText(
        headline=document.headline,
        case_type=document.case_type,
        occasion=document.occasion,
        presentation=list(document.presentation),
        recommendation_proposer=document.recommendation_proposer,
        recommendation_points=list(document.recommendation_points),
        attachment_names=[a.name for a in document.attachments.all()],
    )


def case_findings(document: CaseDocument, *, text: CaseText | None = None) -> list[Finding]:
    """The quality checks, against the headlines of the other cases still under way;
    ``text``: the editor's unsaved text instead of the stored one (the live panel)."""
    others = (
        CaseDocument.objects.exclude(pk=document.pk)
        .exclude(state=State.PLACED)
        .values_list("headline", flat=True)
    )
    findings = check_case(
        text or case_text(document),
        other_open_headlines=list(others),
        target_band=document.organization.lix_target or None,
    )
    if not document.public and not document.closed_reason.strip():
        findings.append(
            Finding(
                code="closed.reason",
                severity="error",
                section="headline",
                message=_("Et lukket punkt skal have en begrundelse for at være lukket."),
            )
        )
    if not document.journal_number:
        findings.append(
            Finding(
                code="journal_number.missing",
                severity="error",
                section="headline",
                message=_("Sagen mangler et journalnummer."),
            )
        )
    # Errors first, as check_case lists them.
    return sorted(findings, key=lambda finding: finding.severity != "error")


def _check_before_sending(
    document: CaseDocument, *, user: Any, overrides: Mapping[str, str]
) -> None:
    """Errors block unless overridden with a reason; each override is recorded."""
    blocking = []
    for finding in case_findings(document):
        if finding.severity != "error":
            continue
        reason = (overrides.get(finding.code) or "").strip()
        if reason:
            document.quality_overrides[finding.code] = reason
            _event(
                document,
                actor=user,
                action=Action.OVERRIDDEN,
                before=document.state,
                comment=f"{finding.message} — {reason}",
            )
        else:
            blocking.append(finding)
    if blocking:
        raise QualityBlocked(tuple(blocking))


@transaction.atomic
def case_submit(
    *, document: CaseDocument, user: Any, overrides: Mapping[str, str] | None = None
) -> None:
    """To the unit leader where the department asks for it, otherwise to the head."""
    require(user, "case.submit", document)
    with audited(actor=user, action="case.submit", target=document, fields=STEP_FIELDS):
        _check_before_sending(document, user=user, overrides=overrides or {})
        review = document.department.unit_review and document.unit_id is not None
        document.submitted_at = timezone.now()
        _move(
            document,
            to=State.UNIT_REVIEW if review else State.DEPARTMENT_REVIEW,
            actor=user,
            action=Action.SUBMITTED,
        )


@transaction.atomic
def case_fast_track(
    *, document: CaseDocument, user: Any, reason: str, overrides: Mapping[str, str] | None = None
) -> None:
    """Straight to the secretariat: needs a reason, and is counted per department."""
    require(user, "case.fast_track", document)
    if not reason.strip():
        raise FlowError(_("En hastesag kræver en begrundelse."))
    with audited(actor=user, action="case.fast_track", target=document, fields=STEP_FIELDS):
        _check_before_sending(document, user=user, overrides=overrides or {})
        document.fast_track, document.fast_track_reason = True, reason.strip()
        document.submitted_at = timezone.now()
        _move(
            document,
            to=State.SUBMITTED,
            actor=user,
            action=Action.FAST_TRACKED,
            comment=reason.strip(),
        )


@transaction.atomic
def case_review(*, document: CaseDocument, user: Any, comment: str = "") -> None:
    require(user, "case.review", document)
    with audited(
        actor=user, action="case.review", target=document, fields=STEP_FIELDS, note=comment
    ):
        _move(
            document,
            to=State.DEPARTMENT_REVIEW,
            actor=user,
            action=Action.REVIEWED,
            comment=comment,
        )


@transaction.atomic
def case_approve(*, document: CaseDocument, user: Any, comment: str = "") -> None:
    require(user, "case.approve", document)
    with audited(
        actor=user, action="case.approve", target=document, fields=STEP_FIELDS, note=comment
    ):
        _move(document, to=State.SUBMITTED, actor=user, action=Action.APPROVED, comment=comment)
    emit(CaseApproved(document_id=document.pk))


@transaction.atomic
def case_return(*, document: CaseDocument, user: Any, comment: str) -> None:
    require(user, "case.return", document)
    if not comment.strip():
        raise FlowError(_("Skriv en kommentar, så sagsproducenten ved, hvad der skal rettes."))
    with audited(
        actor=user, action="case.return", target=document, fields=STEP_FIELDS, note=comment.strip()
    ):
        _move(
            document, to=State.RETURNED, actor=user, action=Action.RETURNED, comment=comment.strip()
        )
    emit(CaseReturned(document_id=document.pk, comment=comment.strip()))


# --- Attachments


@transaction.atomic
def case_attachment_add(
    *, document: CaseDocument, user: Any, upload: UploadedFile, publish: bool = True
) -> CaseAttachment:
    """Checked for type, size and content before anything is stored (``core/uploads.py``);
    stored under a safe, unique name with its extension, and gone again if this
    transaction (or the one around it) does not commit."""
    require(user, "case.edit", document)
    checked = upload_check(
        upload,
        allowed=settings.DAGSORDEN_ATTACHMENT_TYPES,
        max_bytes=settings.DAGSORDEN_ATTACHMENT_MAX_BYTES,
    )
    order = (document.attachments.aggregate(top=Max("order"))["top"] or 0) + 1
    attachment = CaseAttachment(
        document=document,
        order=order,
        name=checked.name,
        size=checked.size,
        media_type=checked.media_type,
        sha512=checked.sha512,
        publish=publish,
    )
    file_save_undone_on_rollback(attachment.file, stored_name(checked.name), upload)
    attachment.save()
    audit_record(
        actor=user,
        action="case_attachment.add",
        target=attachment,
        changes=changes_created(attachment, ATTACHMENT_FIELDS),
    )
    return attachment


@transaction.atomic
def case_attachment_remove(*, attachment: CaseAttachment, user: Any) -> None:
    require(user, "case.edit", attachment.document)
    with audited(
        actor=user, action="case_attachment.remove", target=attachment, fields=["deleted_at"]
    ):
        attachment.soft_delete()

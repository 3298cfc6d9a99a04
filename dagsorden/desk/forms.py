"""Forms of the work pages: they parse and validate input; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dagsorden.access.models import Department
from dagsorden.cases.models import CaseDocument, validate_journal_number
from dagsorden.cases.richtext import InvalidRichText, blocks_from_markup, markup_from_blocks
from dagsorden.core.uploads import OversizedUpload, UploadRefused, upload_check
from dagsorden.meetings.models import AgendaItem, Organization


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


class CaseCreateForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Afdeling"))
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Forum sagen skal til")
    )
    headline = forms.CharField(label=_("Overskrift"), max_length=300)
    case_type = forms.ChoiceField(
        label=_("Sagstype"), choices=[("", "—"), *CaseDocument.CaseType.choices], required=False
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["organization"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]


class CaseEditForm(forms.Form):
    """The case template. Rich text is written in the plain-text convention and stored as
    blocks; recommendation points, one per line, are numbered by their order."""

    headline = forms.CharField(label=_("Overskrift"), max_length=300)
    case_type = forms.ChoiceField(
        label=_("Sagstype"), choices=[("", "—"), *CaseDocument.CaseType.choices], required=False
    )
    journal_number = forms.CharField(
        label=_("Journalnummer"),
        max_length=40,
        required=False,
        validators=[validate_journal_number],
        help_text=_("KLE-emnenummer, handlingsfacet, løbenummer og år: 00.01.00-P35-9-22."),
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.order_by("name"), label=_("Forum")
    )
    public = forms.TypedChoiceField(
        label=_("Åbent eller lukket punkt"),
        choices=[("1", _("Åbent punkt")), ("0", _("Lukket punkt"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    closed_reason = forms.CharField(
        label=_("Begrundelse for lukket punkt"), max_length=300, required=False
    )
    occasion = forms.CharField(
        label=_("Anledning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    presentation = forms.CharField(
        label=_("Sagsfremstilling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            'Tom linje mellem afsnit. Linjer med "- " bliver punktopstilling. '
            "En tabel indsat fra Word bliver en tabel. En kort linje for sig selv er en "
            "underoverskrift."
        ),
    )
    recommendation_proposer = forms.CharField(label=_("Indstiller"), max_length=300, required=False)
    recommendation_points = forms.CharField(
        label=_("Indstillingspunkter (ét pr. linje, hvert begynder med »at«)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Varighed (minutter)"), min_value=1, max_value=600, required=False
    )
    responsible_head = forms.CharField(label=_("Ansvarlig chef"), max_length=200, required=False)
    presenters = forms.CharField(
        label=_("Fremlæggere (én pr. linje)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @staticmethod
    def initial_for(document: CaseDocument) -> dict[str, Any]:
        return {
            "headline": document.headline,
            "case_type": document.case_type,
            "journal_number": document.journal_number,
            "organization": document.organization_id,
            "public": "1" if document.public else "0",
            "closed_reason": document.closed_reason,
            "occasion": document.occasion,
            "presentation": markup_from_blocks(document.presentation),
            "recommendation_proposer": document.recommendation_proposer,
            "recommendation_points": "\n".join(document.recommendation_points),
            "duration_minutes": document.duration_minutes,
            "responsible_head": document.responsible_head,
            "presenters": "\n".join(document.presenters),
        }

    def clean_presentation(self) -> list[dict[str, Any]]:
        try:
            return blocks_from_markup(self.cleaned_data["presentation"])
        except InvalidRichText as error:
            raise forms.ValidationError(str(error)) from error

    def clean_recommendation_points(self) -> list[str]:
        return _lines(self.cleaned_data["recommendation_points"])

    def clean_presenters(self) -> list[str]:
        return _lines(self.cleaned_data["presenters"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("public") is False and not (data.get("closed_reason") or "").strip():
            self.add_error("closed_reason", _("Skriv hvorfor punktet er lukket."))
        return data


class AttachmentFileField(forms.FileField):
    """A case attachment: refused beside the field for what ``core.uploads.upload_check``
    refuses (type, size, content), also when it outgrew the limit while it arrived."""

    def to_python(self, data: Any) -> Any:
        upload = data if isinstance(data, OversizedUpload) else super().to_python(data)
        if upload is None:
            return None
        try:
            upload_check(
                upload,
                allowed=settings.DAGSORDEN_ATTACHMENT_TYPES,
                max_bytes=settings.DAGSORDEN_ATTACHMENT_MAX_BYTES,
            )
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused), code="refused") from None
        return upload


class AttachmentForm(forms.Form):
    file = AttachmentFileField(label=_("Bilag"))
    publish = forms.BooleanField(label=_("Må offentliggøres"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, PNG, JPEG eller tekst (UTF-8), højst %(limit)d MB."
        ) % {"limit": settings.DAGSORDEN_ATTACHMENT_MAX_BYTES // (1024 * 1024)}


class FlowForm(forms.Form):
    ACTIONS = ("submit", "fast_track", "review", "approve", "return")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea)
    reason = forms.CharField(label=_("Begrundelse for hastesag"), required=False)


class MeetingCreateForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Forum"))
    day = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("Starttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Sluttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    location = forms.CharField(label=_("Mødested"), max_length=200, required=False)

    def __init__(self, *args: Any, forums: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = forums  # type: ignore[attr-defined]


class TimingForm(forms.Form):
    duration_minutes = forms.IntegerField(
        label=_("Varighed"), min_value=0, max_value=600, required=False
    )
    break_after_minutes = forms.IntegerField(
        label=_("Pause efter"), min_value=0, max_value=240, initial=0
    )


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Offentliggør (tom: nu)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Udfald"), choices=AgendaItem.Outcome.choices)
    decision = forms.CharField(
        label=_("Beslutning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    actual_start = forms.TimeField(
        label=_("Faktisk start"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    actual_end = forms.TimeField(
        label=_("Faktisk slut"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, points: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, points + 1):
            self.fields[f"point_{number}"] = forms.CharField(
                label=_("Ad %(n)d") % {"n": number}, required=False
            )
        self.points = points

    def point_decisions(self) -> list[str]:
        return [self.cleaned_data.get(f"point_{n}", "") for n in range(1, self.points + 1)]


class AmendmentForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Felt"), choices=[("decision", _("Beslutning")), ("title", _("Overskrift"))]
    )
    text = forms.CharField(label=_("Ny tekst"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 2}))

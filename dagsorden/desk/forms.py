"""Forms of the work pages: they parse and validate input; the services do the work.

Every text a user types reaches a service through ``LineField`` or ``TextField``: control
characters are removed there (``core.text.clean_text``; Word's Shift+Enter, U+000B, becomes
a line break), and a single-line field refuses a line break with an error beside it rather
than storing one (a headline ends up in mail subjects and document titles).
``tests/test_desk_forms.py`` checks that no form of this module has another kind of text
field. Dates are bounded, choices are closed and ids are checked, so crafted input is a form
error, never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dagsorden.access.models import Department
from dagsorden.cases.models import CaseDocument, validate_journal_number
from dagsorden.cases.richtext import InvalidRichText, blocks_from_markup, markup_from_blocks
from dagsorden.core.text import clean_text
from dagsorden.core.uploads import OversizedUpload, UploadRefused, upload_check
from dagsorden.meetings.models import AgendaItem, Attendance, Organization, Person
from dagsorden.meetings.services import ItemMinutes, decision_lead

# --- Text fields: the one place typed text is cleaned


class TextField(forms.CharField):
    """Text of several lines: control characters removed, line-like ones (U+000B, form
    feed, U+2028) stored as line breaks."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        text = clean_text(super().to_python(value) or "")
        return text.strip() if self.strip else text


class LineField(forms.CharField):
    """One line of text: control characters removed; a line break is refused, not joined
    silently (the user sees what will be stored)."""

    default_error_messages = {
        "line_break": _("Skriv teksten på én linje: feltet kan ikke indeholde linjeskift."),
    }

    def to_python(self, value: Any) -> str:
        text = clean_text(super().to_python(value) or "").strip()
        if "\n" in text:
            raise ValidationError(self.error_messages["line_break"], code="line_break")
        return text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- Dates within reason: 0001-01-01 and 9999-12-31 overflow when converted to UTC

EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)
_OUT_OF_RANGE = _("Vælg en dato mellem år %(first)d og %(last)d.")


def _check_day(value: dt.date | None) -> None:
    if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(
            _OUT_OF_RANGE,
            code="out_of_range",
            params={"first": EARLIEST_DAY.year, "last": LATEST_DAY.year},
        )


class DayField(forms.DateField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        _check_day(value)


class MomentField(forms.DateTimeField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        _check_day(value.date() if value is not None else None)


# --- Cases


class CaseCreateForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Afdeling"))
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Forum sagen skal til")
    )
    headline = LineField(label=_("Overskrift"), max_length=300)
    case_type = forms.ChoiceField(
        label=_("Sagstype"), choices=[("", "—"), *CaseDocument.CaseType.choices], required=False
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["organization"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]


# What the case editor's buttons ask for, after the text is saved.
CASE_ACTIONS = ("save", "attach", "remove", "submit", "fast_track")


class AttachmentFileField(forms.FileField):
    """A case attachment: refused beside the field for what ``core.uploads.upload_check``
    refuses (type, size, content), also when it outgrew the limit while it arrived."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _("PDF, Word, Excel, PowerPoint, PNG, JPEG eller tekst (UTF-8), højst {} MB."),
                settings.DAGSORDEN_ATTACHMENT_MAX_BYTES // (1024 * 1024),
            ),
        )
        super().__init__(*args, **kwargs)

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


class CaseEditForm(forms.Form):
    """The whole case page of its author, in one form: the case template, a new attachment,
    the fast-track reason and the button pressed. Every button saves the text first, so no
    step can drop what is on the screen. Rich text is written in the plain-text convention
    and stored as blocks; recommendation points, one per line, are numbered by their order."""

    TEXT_FIELDS = (
        "headline",
        "case_type",
        "journal_number",
        "organization",
        "public",
        "closed_reason",
        "occasion",
        "presentation",
        "recommendation_proposer",
        "recommendation_points",
        "duration_minutes",
        "responsible_head",
        "presenters",
    )

    headline = LineField(label=_("Overskrift"), max_length=300)
    case_type = forms.ChoiceField(
        label=_("Sagstype"), choices=[("", "—"), *CaseDocument.CaseType.choices], required=False
    )
    journal_number = LineField(
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
    closed_reason = LineField(
        label=_("Begrundelse for lukket punkt"), max_length=300, required=False
    )
    occasion = TextField(
        label=_("Anledning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    presentation = TextField(
        label=_("Sagsfremstilling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            'Tom linje mellem afsnit. Linjer med "- " bliver punktopstilling. '
            "En tabel indsat fra Word bliver en tabel. En kort linje for sig selv er en "
            "underoverskrift."
        ),
    )
    recommendation_proposer = LineField(label=_("Indstiller"), max_length=300, required=False)
    recommendation_points = TextField(
        label=_("Indstillingspunkter (ét pr. linje, hvert begynder med »at«)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Varighed (minutter)"), min_value=1, max_value=600, required=False
    )
    responsible_head = LineField(label=_("Ansvarlig chef"), max_length=200, required=False)
    presenters = TextField(
        label=_("Fremlæggere (én pr. linje)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Not the case text: what the buttons beside it need.
    attachment = AttachmentFileField(label=_("Ny fil"), required=False)
    attachment_publish = forms.BooleanField(
        label=_("Bilaget må offentliggøres"), required=False, initial=True
    )
    reason = LineField(label=_("Begrundelse for hastesag"), max_length=300, required=False)
    action = forms.ChoiceField(choices=[(a, a) for a in CASE_ACTIONS], required=False)
    remove = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

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
        if data.get("remove"):
            data["action"] = "remove"
        data["action"] = data.get("action") or "save"
        return data

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.TEXT_FIELDS]

    def text_data(self) -> dict[str, Any]:
        """The case template's fields, for ``case_document_update``."""
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS}

    def screen_values(self) -> dict[str, Any]:
        """What the screen shows, valid or not (for the live quality panel): the cleaned
        value of a valid field, the typed text of a text field with an error."""
        values: dict[str, Any] = {}
        cleaned = getattr(self, "cleaned_data", {})
        for name in self.TEXT_FIELDS:
            if name in cleaned:
                values[name] = cleaned[name]
                continue
            if not isinstance(self.fields[name], LineField | TextField):
                continue  # an invalid choice: the saved value stands
            raw = clean_text(str(self.data.get(self.add_prefix(name), "")))
            if name in ("recommendation_points", "presenters"):
                values[name] = _lines(raw)
            elif name == "presentation":
                try:
                    values[name] = blocks_from_markup(raw)
                except InvalidRichText:
                    values[name] = []
            else:
                values[name] = raw
        return values


def override_reasons(data: Mapping[str, Any]) -> dict[str, str]:
    """``override:<finding code>`` inputs: the reasons given for setting a quality check
    aside, each one line of cleaned text (the codes are checked by the service)."""
    reasons = {}
    for key, value in data.items():
        if key.startswith("override:") and isinstance(value, str):
            reasons[key.removeprefix("override:")] = " ".join(clean_text(value).split())[:500]
    return reasons


class FlowForm(forms.Form):
    """A step on a case someone else wrote (review, approve, return) or, from scripts, a
    submission of the saved text."""

    ACTIONS = ("submit", "fast_track", "review", "approve", "return")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = TextField(
        label=_("Kommentar"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = LineField(label=_("Begrundelse for hastesag"), max_length=300, required=False)


# --- Meetings


class MeetingCreateForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Forum"))
    day = DayField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("Starttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Sluttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    location = LineField(label=_("Mødested"), max_length=200, required=False)

    def __init__(self, *args: Any, forums: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = forums  # type: ignore[attr-defined]

    @staticmethod
    def forum_from_query(forums: QuerySet[Organization], value: Any) -> Organization | None:
        """``?forum=<id>`` of the overview's link: anything else is ignored, not a 500."""
        try:
            return forms.ModelChoiceField(queryset=forums, required=False).clean(value)  # type: ignore[no-any-return]
        except ValidationError:
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Mødet skal slutte efter, det begynder."))
        return data


class TimingForm(forms.Form):
    duration_minutes = forms.IntegerField(
        label=_("Varighed"), min_value=0, max_value=600, required=False
    )
    break_after_minutes = forms.IntegerField(
        label=_("Pause efter"), min_value=0, max_value=240, initial=0
    )


class PlaceForm(forms.Form):
    document = forms.ModelChoiceField(queryset=CaseDocument.objects.none())

    def __init__(self, *args: Any, documents: QuerySet[CaseDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    """Up or down (buttons, keyboard), or to a 0-based position (drag and drop)."""

    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    position = forms.IntegerField(required=False, min_value=0, max_value=10_000)


class PublishForm(forms.Form):
    at = MomentField(
        label=_("Offentliggør (tom: nu)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


# --- Minutes


class DecisionForm(forms.Form):
    """One item's part of the minutes form. Whatever is typed needs an outcome, so nothing
    written is dropped: points written under another outcome, or text without an outcome,
    is an error beside the field, not a silent loss."""

    outcome = forms.ChoiceField(label=_("Udfald"), required=False)
    decision = TextField(
        label=_("Beslutning"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    actual_start = forms.TimeField(
        label=_("Faktisk start"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    actual_end = forms.TimeField(
        label=_("Faktisk slut"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, item: AgendaItem, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"i{item.pk}")
        kwargs.setdefault("initial", self.initial_for(item))
        super().__init__(*args, **kwargs)
        self.item = item
        self.points = len(item.recommendation_points)
        outcomes = [
            (value, label)
            for value, label in AgendaItem.Outcome.choices
            if value != AgendaItem.Outcome.PER_POINT or self.points
        ]
        # "Not decided yet" only while it is true: a recorded outcome is changed, not cleared.
        blank = [] if item.outcome else [("", _("— ikke besluttet endnu"))]
        self.fields["outcome"].choices = [*blank, *outcomes]  # type: ignore[attr-defined]
        self.fields["outcome"].required = bool(item.outcome)
        if self.points:
            self.fields["decision"].help_text = _(
                "Ved »Punkt for punkt« står denne tekst før beslutningerne pr. punkt."
            )
        for number, point in enumerate(item.recommendation_points, start=1):
            self.fields[f"point_{number}"] = LineField(
                label=_("Ad %(n)d") % {"n": number},
                help_text=point,
                required=False,
                max_length=5000,
            )
        points = [f"point_{n}" for n in range(1, self.points + 1)]
        self.order_fields(["outcome", "decision", *points, "actual_start", "actual_end"])

    @staticmethod
    def initial_for(item: AgendaItem) -> dict[str, Any]:
        return {
            "outcome": item.outcome,
            "decision": decision_lead(item),
            "actual_start": item.actual_start,
            "actual_end": item.actual_end,
            **{f"point_{n}": text for n, text in enumerate(item.point_decisions, start=1)},
        }

    def point_decisions(self) -> list[str]:
        return [self.cleaned_data.get(f"point_{n}", "") for n in range(1, self.points + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        points = [data.get(f"point_{n}") for n in range(1, self.points + 1)]
        # Only a change needs an outcome: an imported decision without one can stay as it is.
        if not outcome and self.has_changed() and "outcome" not in self.errors:
            self.add_error(
                "outcome", _("Vælg et udfald: ellers kan det, du har skrevet, ikke gemmes.")
            )
        if outcome == AgendaItem.Outcome.PER_POINT:
            for number, text in enumerate(points, start=1):
                if not text and f"point_{number}" not in self.errors:
                    self.add_error(
                        f"point_{number}",
                        _("Skriv beslutningen for punkt %(n)d i indstillingen.") % {"n": number},
                    )
        elif outcome and any(points):
            self.add_error(
                "outcome",
                _("Du har skrevet beslutninger pr. punkt: vælg »Punkt for punkt«, eller slet dem."),
            )
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end < start:
            self.add_error("actual_end", _("Punktet kan ikke slutte, før det begynder."))
        return data

    def minutes(self) -> ItemMinutes:
        data = self.cleaned_data
        return ItemMinutes(
            item=self.item,
            outcome=data["outcome"],
            decision=data["decision"],
            point_decisions=tuple(self.point_decisions()),
            actual_start=data["actual_start"],
            actual_end=data["actual_end"],
        )


class AttendanceForm(forms.Form):
    """Present or afbud, and a note, per member of the forum."""

    def __init__(
        self,
        *args: Any,
        people: Sequence[Person],
        attendance: Mapping[int, Attendance],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, str] = {}
        for person_id, row in attendance.items():
            initial[f"status_{person_id}"] = row.status
            initial[f"note_{person_id}"] = row.note
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.people = list(people)
        choices = [("", "—"), *Attendance.Status.choices]
        for person in self.people:
            self.fields[f"status_{person.pk}"] = forms.ChoiceField(
                label=_("Fremmøde for %(name)s") % {"name": person.name},
                choices=choices,
                required=False,
            )
            self.fields[f"note_{person.pk}"] = LineField(
                label=_("Bemærkning for %(name)s") % {"name": person.name},
                required=False,
                max_length=300,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for person in self.people:
            if data.get(f"note_{person.pk}") and not data.get(f"status_{person.pk}"):
                self.add_error(
                    f"status_{person.pk}",
                    _("Vælg deltog eller afbud, så bemærkningen kan gemmes."),
                )
        return data

    def rows(self) -> list[tuple[Person, forms.BoundField, forms.BoundField]]:
        return [(p, self[f"status_{p.pk}"], self[f"note_{p.pk}"]) for p in self.people]

    def changes(self) -> dict[int, tuple[str, str]]:
        """Person id → (status, note) for the people whose row was on the submitted page
        ("" status: no row)."""
        return {
            person.pk: (
                self.cleaned_data[f"status_{person.pk}"],
                self.cleaned_data[f"note_{person.pk}"],
            )
            for person in self.people
            if self.add_prefix(f"status_{person.pk}") in self.data
        }


MINUTES_ACTIONS = ("save", "ready", "approve")


class MinutesForm:
    """The minutes page in one form: every item's decision, the attendance and the button
    pressed. Items (and people) not on the submitted page are left as they are, so an item
    placed meanwhile, or a script posting only ``action``, changes nothing it did not send."""

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        items: Iterable[AgendaItem],
        people: Sequence[Person],
        attendance: Mapping[int, Attendance],
    ) -> None:
        self.data = data
        self.items: list[DecisionForm] = []
        for item in items:
            form = DecisionForm(item=item)
            if data is not None and form.add_prefix("outcome") in data:
                form = DecisionForm(data, item=item)
            self.items.append(form)
        self.attendance = AttendanceForm(data, people=people, attendance=attendance)
        self.step = forms.ChoiceField(choices=[(a, a) for a in MINUTES_ACTIONS], required=False)

    def is_valid(self) -> bool:
        valid = all(form.is_valid() for form in self.items if form.is_bound)
        valid = self.attendance.is_valid() and valid
        try:
            self.action = self.step.clean((self.data or {}).get("action")) or "save"
        except ValidationError:
            return False
        return valid

    def form_for(self, item_id: int) -> DecisionForm:
        return next(form for form in self.items if form.item.pk == item_id)

    def changed_minutes(self) -> list[ItemMinutes]:
        return [form.minutes() for form in self.items if form.is_bound and form.has_changed()]

    @property
    def invalid_items(self) -> list[AgendaItem]:
        return [form.item for form in self.items if form.is_bound and form.errors]


class AmendmentForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Felt"), choices=[("decision", _("Beslutning")), ("title", _("Overskrift"))]
    )
    text = TextField(
        label=_("Ny tekst"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = TextField(
        label=_("Begrundelse"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("field") == "title" and "\n" in (data.get("text") or ""):
            self.add_error("text", _("En overskrift skal stå på én linje."))
        return data

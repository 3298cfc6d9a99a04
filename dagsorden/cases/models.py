"""Cases (sager): one journal number, many agenda items across meetings and forums."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dagsorden.cases.journal import InvalidJournalNumber, parse_journal_number
from dagsorden.core import vocabulary
from dagsorden.core.models import BaseModel


def validate_journal_number(value: str) -> None:
    try:
        parse_journal_number(value)
    except InvalidJournalNumber as error:
        raise ValidationError(
            _("%(value)s er ikke et journalnummer som 00.01.00-P35-9-22."),
            params={"value": value},
        ) from error


class Case(BaseModel):
    journal_number = models.CharField(
        _("journalnummer"), max_length=40, validators=[validate_journal_number]
    )
    kle_number = models.CharField(_("KLE-emnenummer"), max_length=8, db_index=True, editable=False)
    facet = models.CharField(_("handlingsfacet"), max_length=3, editable=False)
    serial = models.PositiveIntegerField(_("løbenummer"), editable=False)
    year = models.PositiveSmallIntegerField(_("år"), editable=False)
    title = models.CharField(_("titel"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        ordering = ["journal_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal_number"],
                condition=models.Q(deleted_at__isnull=True),
                name="case_unique_live_journal_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.journal_number} {self.title}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        # The parts are a pure function of the number; keeping them in sync here is
        # derivation, not a domain rule.
        parts = parse_journal_number(self.journal_number)
        self.kle_number, self.facet = parts.kle_number, parts.facet
        self.serial, self.year = parts.serial, parts.year
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_number(cls, journal_number: str, *, title: str = "") -> Case:
        """An unsaved case with its parts filled in (for bulk creation)."""
        parts = parse_journal_number(journal_number)
        return cls(
            journal_number=journal_number,
            kle_number=parts.kle_number,
            facet=parts.facet,
            serial=parts.serial,
            year=parts.year,
            title=title,
        )


def _attachment_path(instance: CaseAttachment, filename: str) -> str:
    return f"sagsbilag/{instance.document_id}/{filename}"


class CaseType(models.TextChoices):
    """The case types of the vocabulary (``core/vocabulary.py``), for forms and models."""

    DECISION = vocabulary.DECISION, _("Beslutning")
    INFORMATION = vocabulary.INFORMATION, _("Orientering")
    DISCUSSION = vocabulary.DISCUSSION, _("Drøftelse")


class CaseDocument(BaseModel):
    """A case written in the case template for one forum, on its way through the flow.

    The same journal number (``case``) can come back to many meetings; each time the case
    producer writes a new document. Placing it on a meeting copies it into an agenda item.
    """

    CaseType = CaseType

    class State(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        UNIT_REVIEW = "unit_review", _("Hos enhedslederen")
        DEPARTMENT_REVIEW = "department_review", _("Hos afdelingschefen")
        SUBMITTED = "submitted", _("Hos sekretariatet")
        PLACED = "placed", _("Sat på dagsorden")
        RETURNED = "returned", _("Sendt retur")

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    author = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        related_name="case_documents",
        verbose_name=_("sagsproducent"),
    )
    department = models.ForeignKey(
        "access.Department",
        on_delete=models.PROTECT,
        related_name="case_documents",
        verbose_name=_("afdeling"),
    )
    unit = models.ForeignKey(
        "access.Unit", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("enhed")
    )
    organization = models.ForeignKey(
        "meetings.Organization",
        on_delete=models.PROTECT,
        related_name="case_documents",
        verbose_name=_("forum"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("sag"),
    )
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)

    headline = models.CharField(_("overskrift"), max_length=300)
    case_type = models.CharField(_("sagstype"), max_length=20, choices=CaseType.choices, blank=True)
    journal_number = models.CharField(
        _("journalnummer"), max_length=40, blank=True, validators=[validate_journal_number]
    )
    public = models.BooleanField(_("åbent punkt"), default=True)
    closed_reason = models.CharField(_("begrundelse for lukket punkt"), max_length=300, blank=True)
    occasion = models.TextField(_("anledning"), blank=True)
    presentation = models.JSONField(_("sagsfremstilling"), default=list, blank=True)
    recommendation_proposer = models.CharField(_("indstiller"), max_length=300, blank=True)
    recommendation_points = models.JSONField(_("indstillingspunkter"), default=list, blank=True)
    duration_minutes = models.PositiveIntegerField(_("varighed (min.)"), null=True, blank=True)
    responsible_head = models.CharField(_("ansvarlig chef"), max_length=200, blank=True)
    presenters = models.JSONField(_("fremlæggere"), default=list, blank=True)

    fast_track = models.BooleanField(_("hastesag"), default=False)
    fast_track_reason = models.TextField(_("begrundelse for hastesag"), blank=True)
    quality_overrides = models.JSONField(_("tilsidesatte kvalitetstjek"), default=dict, blank=True)
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_documents",
        verbose_name=_("dagsordenspunkt"),
    )
    submitted_at = models.DateTimeField(_("indsendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("sagsdokument")
        verbose_name_plural = _("sagsdokumenter")
        ordering = ["-modified"]

    def __str__(self) -> str:
        return self.headline

    @property
    def editable(self) -> bool:
        return self.state in self.EDITABLE_STATES


class CaseAttachment(BaseModel):
    document = models.ForeignKey(
        CaseDocument, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("sag")
    )
    order = models.PositiveIntegerField(_("rækkefølge"))
    name = models.CharField(_("navn"), max_length=300)
    file = models.FileField(_("fil"), upload_to=_attachment_path)
    size = models.PositiveBigIntegerField(_("størrelse (bytes)"))
    media_type = models.CharField(_("medietype"), max_length=200)
    sha512 = models.CharField(_("SHA-512"), max_length=128)
    publish = models.BooleanField(_("må offentliggøres"), default=True)

    class Meta:
        verbose_name = _("sagsbilag")
        verbose_name_plural = _("sagsbilag")
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return self.name


class CaseEvent(BaseModel):
    """One step of the flow: who moved the case, from where to where, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Oprettet")
        SUBMITTED = "submitted", _("Sendt videre")
        REVIEWED = "reviewed", _("Gennemset af enhedsleder")
        APPROVED = "approved", _("Godkendt af afdelingschef")
        FAST_TRACKED = "fast_tracked", _("Sendt som hastesag")
        RETURNED = "returned", _("Sendt retur")
        PLACED = "placed", _("Sat på dagsorden")
        POSTPONED = "postponed", _("Udsat")
        OVERRIDDEN = "overridden", _("Kvalitetstjek tilsidesat")

    document = models.ForeignKey(
        CaseDocument, on_delete=models.PROTECT, related_name="events", verbose_name=_("sag")
    )
    actor = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("udført af")
    )
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("fra"), max_length=20, blank=True)
    to_state = models.CharField(_("til"), max_length=20, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("sagshændelse")
        verbose_name_plural = _("sagshændelser")
        ordering = ["document", "created", "id"]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_action_display()}"

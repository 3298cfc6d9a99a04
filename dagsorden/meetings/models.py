"""Bodies, forums, people, meetings, agenda items and attachments.

Shaped after OParl 1.1: Body, Organization, Person, Membership, Meeting, AgendaItem and
File map one to one; a Case plays the part of OParl's Paper.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dagsorden.cases.models import Case, CaseType
from dagsorden.core import vocabulary
from dagsorden.core.models import BaseLiveManager, BaseModel, LiveQuerySet


class Body(BaseModel):
    """The municipality (OParl Body)."""

    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(_("kort navn"), max_length=50, blank=True)
    website = models.URLField(_("hjemmeside"), blank=True)

    class Meta:
        verbose_name = _("myndighed")
        verbose_name_plural = _("myndigheder")

    def __str__(self) -> str:
        return self.name


class Organization(BaseModel):
    """A forum or committee that meets (OParl Organization)."""

    class Classification(models.TextChoices):
        FORUM = "forum", _("Administrativt forum")
        COMMITTEE = "committee", _("Politisk udvalg")
        COUNCIL = "council", _("Kommunalbestyrelse")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("navn"), max_length=200)
    prefix = models.CharField(
        _("forkortelse"), max_length=10, blank=True, help_text=_("Fx CF for Chefforum.")
    )
    slug = models.SlugField(_("adresse"), max_length=100, unique=True, allow_unicode=False)
    classification = models.CharField(
        _("type"), max_length=20, choices=Classification.choices, default=Classification.FORUM
    )
    default_start_time = models.TimeField(_("normalt mødetidspunkt"), null=True, blank=True)
    default_location = models.CharField(_("normalt mødested"), max_length=200, blank=True)
    default_duration_minutes = models.PositiveIntegerField(
        _("normal mødelængde (min.)"), default=180
    )
    lix_target = models.CharField(
        _("mål for læsbarhed (LIX)"),
        max_length=20,
        blank=True,
        choices=[
            (band.key, format_lazy("{} ({})", _(band.label), vocabulary.lix_band_range(band)))
            for band in vocabulary.LIX_BANDS[:-1]
        ],
        help_text=_("Sager med tekst over dette niveau får et hint i sagseditoren."),
    )

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("fora")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(BaseModel):
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rolle"), max_length=200, help_text=_("Fx Kommunaldirektør."))
    start_date = models.DateField(_("fra"), null=True, blank=True)
    end_date = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")

    def __str__(self) -> str:
        return f"{self.person} ({self.role}, {self.organization})"


MeetingManager = BaseLiveManager.from_queryset(LiveQuerySet)


class Meeting(BaseModel):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        AGENDA_PUBLISHED = "agenda_published", _("Dagsorden offentliggjort")
        HELD = "held", _("Afholdt")
        MINUTES_APPROVED = "minutes_approved", _("Referat godkendt")
        CANCELLED = "cancelled", _("Aflyst")

    # States in which the agenda is public. A cancelled meeting stays public only when its
    # agenda was published before (``agenda_published_at``): cancelling never publishes.
    PUBLISHED_STATES = (State.AGENDA_PUBLISHED, State.HELD, State.MINUTES_APPROVED)
    # States in which decisions are part of the published record.
    MINUTES_STATES = (State.MINUTES_APPROVED,)

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("forum")
    )
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    location = models.CharField(_("mødested"), max_length=200, null=True, blank=True)  # noqa: DJ001 (null = no Mødested line)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PLANNED
    )
    agenda_publish_at = models.DateTimeField(
        _("dagsordenen offentliggøres"),
        null=True,
        blank=True,
        help_text=_("Tidspunktet sekretæren har valgt; `dagsorden publish_due` udfører det."),
    )
    agenda_published_at = models.DateTimeField(
        _("dagsordenen blev offentliggjort"), null=True, blank=True, editable=False
    )
    minutes_ready_at = models.DateTimeField(
        _("referat sendt til godkendelse"), null=True, blank=True
    )
    minutes_approved_at = models.DateTimeField(_("referat godkendt"), null=True, blank=True)
    minutes_approved_in = models.ForeignKey(
        "AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approves_minutes_of",
        verbose_name=_("godkendt under punkt"),
    )

    objects = MeetingManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "starts_at"],
                condition=models.Q(deleted_at__isnull=True),
                name="meeting_unique_live_organization_start",
            )
        ]
        indexes = [models.Index(fields=["organization", "-starts_at"])]

    def __str__(self) -> str:
        """The forum and the local start: stored in UTC, a meeting is named by its clock."""
        starts = timezone.localtime(self.starts_at, vocabulary.LOCAL_TZ)
        return f"{self.organization} {starts:%Y-%m-%d %H:%M}"

    @property
    def has_started(self) -> bool:
        """Minutes are written, sent and approved only once the meeting has begun."""
        return self.starts_at <= timezone.now()

    @property
    def is_published(self) -> bool:
        """Whether the public may read the meeting (``meetings.selectors`` decides in SQL)."""
        if self.state == self.State.CANCELLED:
            return self.agenda_published_at is not None
        return self.state in self.PUBLISHED_STATES

    @property
    def has_minutes(self) -> bool:
        return self.state in (self.State.HELD, self.State.MINUTES_APPROVED)

    @property
    def minutes_locked(self) -> bool:
        """Approved minutes change only by recorded amendments."""
        return self.state == self.State.MINUTES_APPROVED


class AgendaItemQuerySet(LiveQuerySet["AgendaItem"]):
    def public(self) -> AgendaItemQuerySet:
        return self.filter(public=True)


AgendaItemManager = BaseLiveManager.from_queryset(AgendaItemQuerySet)


class AgendaItem(BaseModel):
    """One numbered item (punkt) of a meeting, following the case template."""

    CaseType = CaseType

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="items", verbose_name=_("møde")
    )
    number = models.PositiveIntegerField(_("nummer"))
    order = models.PositiveIntegerField(_("rækkefølge"))
    title = models.CharField(_("overskrift"), max_length=500)
    public = models.BooleanField(_("åbent punkt"), default=True)
    case_type = models.CharField(_("sagstype"), max_length=20, choices=CaseType.choices, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="items",
        null=True,
        blank=True,
        verbose_name=_("sag"),
    )
    time_start = models.TimeField(_("tidspunkt fra"), null=True, blank=True)
    time_end = models.TimeField(_("tidspunkt til"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("varighed (min.)"), null=True, blank=True)
    presenters = models.JSONField(_("fremlæggere"), default=list, blank=True)
    guests = models.JSONField(_("gæster"), default=list, blank=True)
    # Null means the section is absent from the document; "" means present but empty.
    occasion = models.TextField(_("anledning"), null=True, blank=True)  # noqa: DJ001
    presentation = models.TextField(_("sagsfremstilling"), null=True, blank=True)  # noqa: DJ001
    has_recommendation = models.BooleanField(_("har indstilling"), default=False)
    recommendation_proposer = models.CharField(  # noqa: DJ001
        _("indstiller"), max_length=300, null=True, blank=True
    )
    recommendation_points = models.JSONField(_("indstillingspunkter"), default=list, blank=True)
    decision = models.TextField(_("beslutning"), null=True, blank=True)  # noqa: DJ001

    class Outcome(models.TextChoices):
        """The outcomes of the vocabulary (``core/vocabulary.py``)."""

        APPROVED = "approved", _("Godkendt")
        ENDORSED = "endorsed", _("Indstillingen tiltrådt")
        NOTED = "noted", _("Taget til efterretning")
        DISCUSSED = "discussed", _("Drøftet")
        POSTPONED = "postponed", _("Udsat")
        PER_POINT = "per_point", _("Punkt for punkt")

    class Standing(models.TextChoices):
        """Items every agenda has (approval first, any other business last) and the standing
        items a forum may add: what is due for follow-up, the annual wheel's next months."""

        NONE = "", _("Almindeligt punkt")
        APPROVAL = "approval", _("Godkendelse af dagsorden og referat")
        ANY_OTHER_BUSINESS = "aob", _("Eventuelt")
        FOLLOW_UP = "followup", _("Opfølgning")
        WHEEL = "wheel", _("Årshjul")

    standing = models.CharField(
        _("fast punkt"), max_length=10, choices=Standing.choices, blank=True, default=""
    )
    outcome = models.CharField(_("udfald"), max_length=20, choices=Outcome.choices, blank=True)
    point_decisions = models.JSONField(_("beslutning pr. punkt"), default=list, blank=True)
    break_after_minutes = models.PositiveIntegerField(_("pause efter (min.)"), default=0)
    actual_start = models.TimeField(_("faktisk start"), null=True, blank=True)
    actual_end = models.TimeField(_("faktisk slut"), null=True, blank=True)

    objects = AgendaItemManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                condition=models.Q(deleted_at__isnull=True),
                name="item_unique_live_meeting_order",
            )
        ]

    def __str__(self) -> str:
        return f"Punkt {self.number}: {self.title}"

    @property
    def journal_number(self) -> str | None:
        return self.case.journal_number if self.case is not None else None

    @property
    def has_time_slot(self) -> bool:
        return any(v is not None for v in (self.time_start, self.time_end, self.duration_minutes))

    def time_slot_label(self) -> str:
        """The agenda's form: "9.00 – 9.45 (45)"."""

        def hm(value: Any) -> str:
            return f"{value.hour}.{value.minute:02d}"

        parts = []
        if self.time_start is not None:
            parts.append(hm(self.time_start))
        if self.time_end is not None:
            parts.append(hm(self.time_end))
        label = " – ".join(parts)
        if self.duration_minutes is not None:
            label = f"{label} ({self.duration_minutes})".strip()
        return label


class Attachment(BaseModel):
    """An attachment (bilag) of an item (OParl File); the file itself is optional."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("punkt")
    )
    order = models.PositiveIntegerField(_("rækkefølge"))
    name = models.CharField(_("navn"), max_length=500)
    file = models.FileField(_("fil"), upload_to="bilag/%Y/", blank=True)
    size = models.PositiveBigIntegerField(_("størrelse (bytes)"), null=True, blank=True)
    media_type = models.CharField(_("medietype"), max_length=200, blank=True)
    sha512 = models.CharField(_("SHA-512"), max_length=128, blank=True)
    public = models.BooleanField(_("må offentliggøres"), default=True)

    class Meta:
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        ordering = ["item", "order"]

    def __str__(self) -> str:
        return self.name


class Attendance(BaseModel):
    """Who attended a meeting, and who sent apologies (afbud)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Deltog")
        ABSENT = "absent", _("Afbud")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("møde")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, verbose_name=_("person"))
    status = models.CharField(_("fremmøde"), max_length=10, choices=Status.choices)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(deleted_at__isnull=True),
                name="attendance_unique_live_meeting_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class Amendment(BaseModel):
    """A correction to approved minutes: the original text is kept beside the new one."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("punkt")
    )
    field = models.CharField(_("felt"), max_length=40)
    original = models.TextField(_("oprindelig tekst"), blank=True)
    amended = models.TextField(_("rettet tekst"), blank=True)
    reason = models.TextField(_("begrundelse"))
    author = models.ForeignKey("auth.User", on_delete=models.PROTECT, verbose_name=_("rettet af"))

    class Meta:
        verbose_name = _("rettelse")
        verbose_name_plural = _("rettelser")
        ordering = ["item", "created", "id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.field}"


class MeetingSource(BaseModel):
    """A document a meeting was imported from; re-importing it is recognised by checksum."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="sources")
    file_name = models.CharField(_("filnavn"), max_length=500)
    sha512 = models.CharField(_("SHA-512"), max_length=128, db_index=True)
    kind = models.CharField(_("dokumenttype"), max_length=20)

    class Meta:
        verbose_name = _("importkilde")
        verbose_name_plural = _("importkilder")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.file_name

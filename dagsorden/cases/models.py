"""Cases (sager): one journal number, many agenda items across meetings and forums."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dagsorden.cases.journal import InvalidJournalNumber, parse_journal_number
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

"""The search index: one row per agenda item, with what each audience may find in it.

The text a visitor may search is decided when the row is written (from the one visibility
gate's rules), so a query never has to join back to the item to stay safe.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dagsorden.meetings.models import AgendaItem, Meeting, Organization


class SearchFacets(models.Model):
    """One combination of facet values that occurs in the index (16,029 of them for the
    100,000 items of the search benchmark). Each entry points to its combination, so SQLite
    counts a query's hits per combination with a GROUP BY on one integer instead of sorting
    five values per hit. Rows are only ever added."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    case_type = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=20, blank=True)
    kle_main_group = models.CharField(max_length=2, blank=True)

    class Meta:
        verbose_name = _("søgefacetter")
        verbose_name_plural = _("søgefacetter")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "case_type", "outcome", "kle_main_group"],
                name="search_facets_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.case_type} {self.outcome}"


class SearchEntry(models.Model):
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="search_entry")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    case_type = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=20, blank=True)
    journal_number = models.CharField(max_length=40, blank=True, db_index=True)
    kle_number = models.CharField(max_length=8, blank=True, db_index=True)
    kle_main_group = models.CharField(max_length=2, blank=True)
    # Null only between adding the column and filling it (migration 0002).
    facets = models.ForeignKey(
        SearchFacets, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    # Anonymous visitors find the row only when both hold; staff find every row.
    public = models.BooleanField()
    decision_public = models.BooleanField()
    body = models.TextField(blank=True)  # occasion, presentation and recommendation
    decision = models.TextField(blank=True)

    class Meta:
        verbose_name = _("søgeindeks")
        verbose_name_plural = _("søgeindeks")
        indexes = [models.Index(fields=["public", "-starts_at"])]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.starts_at:%Y-%m-%d} {self.number}"

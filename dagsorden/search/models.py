"""The search index: one row per agenda item, its text in three tiers.

A row stores what the public, a forum's members and its secretaries may find in the item
(the tiers), as the item stood when the row was written. Who may use which tier is decided
when a query runs, from the user's grants (``search/selectors.py``), and the page of hits
passes the visibility gate (``meetings/selectors.py``) before it is shown. A row is never
stale: database triggers (``search/freshness.py``) delete it in the statement that changes
its item, meeting, attachments, case or forum, whoever writes; the service's event (or
``dagsorden search_reindex --missing``) writes it again. A stale row can cost a re-index,
never a leak.
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
    # The tiers' conditions, as the item and meeting stood when the row was written (the
    # triggers delete the row when they change). ``outcome`` is the public outcome: empty
    # until the minutes are approved, so the facet and filter reveal nothing earlier.
    public = models.BooleanField()  # the public tier: a published meeting's open item
    published = models.BooleanField()  # the meeting is published (members read it)
    decision_public = models.BooleanField()  # the minutes are approved
    # A tier is stored only where it differs from the one below it (``TierTexts``): the
    # secretaries' where it is not the public text, the members' where it is not theirs.
    staff_own_text = models.BooleanField(default=False)
    reader_own_text = models.BooleanField(default=False)
    body = models.TextField(blank=True)  # occasion, presentation, recommendation, bilag
    restricted = models.TextField(blank=True)  # names of bilag not for publication
    decision = models.TextField(blank=True)

    class Meta:
        verbose_name = _("søgeindeks")
        verbose_name_plural = _("søgeindeks")
        indexes = [models.Index(fields=["public", "-starts_at"])]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.starts_at:%Y-%m-%d} {self.number}"

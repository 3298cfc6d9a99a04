"""Base model for every table: timestamps and soft deletion (OParl's sync needs both)."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)


class LiveQuerySet(models.QuerySet[_M]):
    def soft_delete(self) -> int:
        now = timezone.now()
        return self.update(deleted_at=now, modified=now)


class BaseLiveManager(models.Manager[_M]):
    """The default manager hides soft-deleted rows; ``all_objects`` sees everything."""

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().filter(deleted_at__isnull=True)


LiveManager = BaseLiveManager.from_queryset(LiveQuerySet)
AllManager = models.Manager.from_queryset(LiveQuerySet)


class BaseModel(models.Model):
    created = models.DateTimeField(_("oprettet"), auto_now_add=True)
    modified = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)
    deleted_at = models.DateTimeField(_("slettet"), null=True, blank=True, editable=False)

    objects = LiveManager()
    all_objects = AllManager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self) -> None:
        """Mark as deleted; rows are never removed, so history and sync stay whole."""
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at", "modified"])

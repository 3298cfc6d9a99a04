"""Base model for every table: timestamps and soft deletion (OParl's sync needs both)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)


class LiveQuerySet(models.QuerySet[_M]):
    """``modified`` always moves with a change, whoever makes it: caches of pages and files
    compare it (``public/page_cache.py``), so an ``update()`` that forgot it would leave
    them showing what was, a closed item's text say."""

    def update(self, **kwargs: Any) -> int:
        kwargs.setdefault("modified", timezone.now())
        return super().update(**kwargs)

    def soft_delete(self) -> int:
        return self.update(deleted_at=timezone.now())


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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``modified`` is saved with every change, even when ``update_fields`` forgot it."""
        fields = kwargs.get("update_fields")
        if fields and "modified" not in fields:
            kwargs["update_fields"] = [*fields, "modified"]
        super().save(*args, **kwargs)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self) -> None:
        """Mark as deleted; rows are never removed, so history and sync stay whole."""
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at", "modified"])


class AuditEvent(models.Model):
    """One recorded change (see ``core/audit.py``): only ever added, never edited."""

    created = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bruger"),
    )
    actor_label = models.CharField(_("udført af"), max_length=150)
    action = models.CharField(_("handling"), max_length=60, db_index=True)
    target_type = models.CharField(_("type"), max_length=60)
    target_id = models.BigIntegerField(_("id"))
    target_label = models.CharField(_("genstand"), max_length=300)
    changes = models.JSONField(_("ændringer"), default=dict, blank=True)
    note = models.TextField(_("bemærkning"), blank=True)

    class Meta:
        verbose_name = _("logpost")
        verbose_name_plural = _("revisionsspor")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created"])]

    def __str__(self) -> str:
        return (
            f"{self.created:%Y-%m-%d %H:%M} {self.actor_label}: {self.action} {self.target_label}"
        )

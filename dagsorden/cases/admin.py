from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db import models

from dagsorden.cases.models import Case, CaseAttachment, CaseDocument, CaseEvent
from dagsorden.core.admin import HistoryLinkMixin, ReadOnlyInline, RecordInline


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["journal_number", "title", "kle_number", "facet", "year"]
    search_fields = ["journal_number", "title"]
    readonly_fields = ["kle_number", "facet", "serial", "year"]


class CaseAttachmentInline(ReadOnlyInline):
    model = CaseAttachment
    fields = ["order", "name", "file", "publish", "size", "media_type"]
    readonly_fields = ["order", "name", "file", "publish", "size", "media_type"]


class CaseEventInline(RecordInline):
    """The flow's history is a record: read-only here too."""

    model = CaseEvent
    readonly_fields = ["created", "actor", "action", "from_state", "to_state", "comment"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(HistoryLinkMixin, admin.ModelAdmin):
    """Read here, written on the work pages: there the flow's rules, the quality checks, the
    case's own history (``CaseEvent``) and the audit trail apply to every change, and an
    administrator holds every step of the flow there too (``access.rules``)."""

    list_display = ["headline", "state", "organization", "department", "author", "fast_track"]
    list_filter = ["state", "organization", "department", "fast_track"]
    search_fields = ["headline", "journal_number"]
    readonly_fields = ["history"]
    inlines = [CaseAttachmentInline, CaseEventInline]

    def history_targets(self, obj: Any) -> Sequence[models.Model]:
        return [obj, *CaseAttachment.all_objects.filter(document=obj)]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

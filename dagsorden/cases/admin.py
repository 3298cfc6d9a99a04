from django.contrib import admin

from dagsorden.cases.models import Case, CaseAttachment, CaseDocument, CaseEvent
from dagsorden.core.admin import RecordInline


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["journal_number", "title", "kle_number", "facet", "year"]
    search_fields = ["journal_number", "title"]
    readonly_fields = ["kle_number", "facet", "serial", "year"]


class CaseAttachmentInline(admin.TabularInline):
    model = CaseAttachment
    extra = 0
    readonly_fields = ["size", "media_type", "sha512"]


class CaseEventInline(RecordInline):
    """The flow's history is a record: read-only here too."""

    model = CaseEvent
    readonly_fields = ["created", "actor", "action", "from_state", "to_state", "comment"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(admin.ModelAdmin):
    list_display = ["headline", "state", "organization", "department", "author", "fast_track"]
    list_filter = ["state", "organization", "department", "fast_track"]
    search_fields = ["headline", "journal_number"]
    readonly_fields = ["state", "agenda_item", "submitted_at", "quality_overrides"]
    inlines = [CaseAttachmentInline, CaseEventInline]

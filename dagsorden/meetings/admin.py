from django.contrib import admin

from dagsorden.core.admin import RecordInline
from dagsorden.meetings.models import (
    AgendaItem,
    Amendment,
    Attachment,
    Attendance,
    Body,
    Meeting,
    MeetingSource,
    Membership,
    Organization,
    Person,
)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "classification"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "role", "start_date", "end_date"]
    list_filter = ["organization"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["number", "order", "title", "public", "case_type", "case"]
    raw_id_fields = ["case"]
    extra = 0


class MeetingSourceInline(admin.TabularInline):
    model = MeetingSource
    fields = ("file_name", "kind", "sha512", "created")
    readonly_fields = ("file_name", "kind", "sha512", "created")
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


class AmendmentInline(RecordInline):
    """Amendments are the record of approved minutes: never edited or removed."""

    model = Amendment
    readonly_fields = ["created", "field", "original", "amended", "reason", "author"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["organization", "starts_at", "location", "state"]
    list_filter = ["organization", "state"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["minutes_approved_in"]
    inlines = [AgendaItemInline, AttendanceInline, MeetingSourceInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["order", "name", "file", "public", "media_type", "size"]
    readonly_fields = ["media_type", "size"]
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "public", "case_type"]
    list_filter = ["public", "case_type", "meeting__organization"]
    search_fields = ["title", "case__journal_number"]
    raw_id_fields = ["meeting", "case"]
    inlines = [AttachmentInline, AmendmentInline]

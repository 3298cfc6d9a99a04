"""The archive's administration: thin, and writing only through ``meetings.services``.

Meetings, items and attachments are changed by the services (rules, the minutes lock, the
audit trail, the search index); approved minutes show their locked fields read-only, and a
form that would still change one (opened before the approval) is refused with the lock's
message. Nothing is deleted for real: soft-delete actions instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dagsorden.core.admin import (
    HistoryLinkMixin,
    ReadOnlyInline,
    RecordInline,
    ServiceAdmin,
    adopt,
)
from dagsorden.core.errors import ApplicationError
from dagsorden.meetings import services
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

# --- The minutes lock in forms


def _locked(meeting: Meeting | None, model: type[models.Model]) -> tuple[str, ...]:
    """The fields of ``model`` rows the approved minutes of ``meeting`` lock (a form's
    fields: the soft delete is the actions' business)."""
    if meeting is None or not services.minutes_locked(meeting=meeting):
        return ()
    return tuple(sorted(services.LOCKED_FIELDS[model] - {"deleted_at"}))


def _rendered_editable(probe: forms.ModelForm) -> bool:
    """Did the page that sent this form show the locked fields as inputs? A checkbox is
    absent when unticked, so only the other inputs tell."""
    return any(
        not isinstance(bound.field.widget, forms.CheckboxInput)
        and not bound.field.widget.value_omitted_from_data(
            probe.data, probe.files, probe.add_prefix(name)
        )
        for name, bound in ((name, probe[name]) for name in probe.fields)
    )


def lock_guarded(
    form: type[forms.ModelForm],
    *,
    model: type[models.Model],
    fields: Sequence[str],
    formfield_callback: Callable[..., Any],
    check: Callable[[Any, list[str]], None],
) -> type[forms.ModelForm]:
    """``form`` with a guard for a page opened before the minutes were approved: its locked
    fields are inputs, but the admin now leaves them out of the form (read-only) and would
    silently drop their changes. The guard reads them and lets the domain refuse."""
    probe_form = forms.modelform_factory(
        model, fields=list(fields), formfield_callback=formfield_callback
    )

    class LockGuard(form):  # type: ignore[valid-type,misc]
        def clean(self) -> dict[str, Any]:
            cleaned: dict[str, Any] = super().clean()
            if self.instance.pk is None:
                return cleaned
            probe = probe_form(self.data, self.files, instance=self.instance, prefix=self.prefix)
            if _rendered_editable(probe) and probe.changed_data:
                try:
                    check(self.instance, list(probe.changed_data))
                except ApplicationError as error:
                    raise ValidationError(str(error)) from error
            return cleaned

    return LockGuard


def _changes(form: forms.ModelForm, obj: models.Model) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in form.changed_data}


# --- Forums and people


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    list_display = ["name", "prefix", "classification"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["soft_delete"]

    @admin.action(description=gettext_lazy("Slet valgte fora (skjul i arkivet)"))
    def soft_delete(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        self.run_action(
            request,
            queryset,
            lambda forum: services.organization_soft_delete(organization=forum, user=request.user),
            _("Slettede fora: %(count)d."),
        )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "role", "start_date", "end_date"]
    list_filter = ["organization"]


# --- Meetings


class AgendaItemInline(ReadOnlyInline):
    """The agenda, read-only: items are edited on their own page (the lock, the index)."""

    model = AgendaItem
    fields = ["number", "title", "public", "case_type", "case"]
    readonly_fields = ["number", "title", "public", "case_type", "case"]
    show_change_link = True


class MeetingSourceInline(ReadOnlyInline):
    model = MeetingSource
    fields = ["file_name", "kind", "sha512", "created"]
    readonly_fields = ["file_name", "kind", "sha512", "created"]


class AttendanceInline(ReadOnlyInline):
    """Attendance is part of the minutes: written on the minutes page."""

    model = Attendance
    fields = ["person", "status", "note"]
    readonly_fields = ["person", "status", "note"]


class MeetingAddForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["organization", "starts_at", "ends_at", "location"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        starts_at, ends_at = self.cleaned_data.get("starts_at"), self.cleaned_data.get("ends_at")
        if starts_at and ends_at:
            same_day = timezone.localtime(starts_at).date() == timezone.localtime(ends_at).date()
            if not same_day:
                raise ValidationError(_("Mødet skal slutte samme dag, som det begynder."))
        return self.cleaned_data


@admin.register(Meeting)
class MeetingAdmin(HistoryLinkMixin, ServiceAdmin):
    list_display = ["organization", "starts_at", "location", "state"]
    list_filter = ["organization", "state"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["minutes_approved_in"]
    inlines = [AgendaItemInline, AttendanceInline, MeetingSourceInline]
    actions = ["cancel", "soft_delete"]

    def get_inlines(self, request: HttpRequest, obj: Meeting | None = None) -> Any:
        return self.inlines if obj is not None else []  # a new meeting: its items come after

    def get_fields(self, request: HttpRequest, obj: Meeting | None = None) -> Any:
        if obj is None:
            return list(MeetingAddForm.Meta.fields)
        return [*services.EDITABLE_FIELDS[Meeting], "history"]

    def get_readonly_fields(self, request: HttpRequest, obj: Meeting | None = None) -> list[str]:
        if obj is None:
            return []
        return ["history", *_locked(obj, Meeting)]

    def get_form(
        self, request: Any, obj: Meeting | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = MeetingAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        locked = _locked(obj, Meeting)
        if not locked:
            return form
        return lock_guarded(
            form,
            model=Meeting,
            fields=locked,
            formfield_callback=partial(self.formfield_for_dbfield, request=request),
            check=lambda meeting, fields: services.minutes_assert_unlocked(
                meeting=meeting, fields=fields, model=Meeting
            ),
        )

    def history_targets(self, obj: Any) -> Sequence[models.Model]:
        return [obj, *AgendaItem.all_objects.filter(meeting=obj)]

    def save_model(self, request: Any, obj: Meeting, form: Any, change: bool) -> None:
        if change:
            services.meeting_update(meeting=obj, user=request.user, changes=_changes(form, obj))
            return
        starts = timezone.localtime(obj.starts_at)
        created = services.meeting_create(
            organization=obj.organization,
            user=request.user,
            day=starts.date(),
            start=starts.time(),
            end=timezone.localtime(obj.ends_at).time() if obj.ends_at else None,
            location=obj.location,
        )
        adopt(obj, created)

    @admin.action(description=gettext_lazy("Aflys valgte møder"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Meeting]) -> None:
        self.run_action(
            request,
            queryset,
            lambda meeting: services.meeting_cancel(meeting=meeting, user=request.user),
            _("Aflyste møder: %(count)d."),
        )

    @admin.action(description=gettext_lazy("Slet valgte møder (skjul i arkivet)"))
    def soft_delete(self, request: HttpRequest, queryset: QuerySet[Meeting]) -> None:
        self.run_action(
            request,
            queryset,
            lambda meeting: services.meeting_soft_delete(meeting=meeting, user=request.user),
            _("Slettede møder: %(count)d."),
        )


# --- Items and their attachments


class AttachmentInline(admin.TabularInline):
    """Attachments through the services (``AgendaItemAdmin.save_formset``); of approved
    minutes, names, files and public flags are read-only and none are added or removed."""

    model = Attachment
    fields = ["order", "name", "file", "public", "media_type", "size"]
    readonly_fields = ["media_type", "size"]
    extra = 0

    def _item_locked(self, obj: AgendaItem | None) -> tuple[str, ...]:
        return _locked(obj.meeting if obj is not None else None, Attachment)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, *self._item_locked(obj)]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return not self._item_locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not self._item_locked(obj) and super().has_delete_permission(request, obj)

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        locked = self._item_locked(obj)
        if locked:
            kwargs["form"] = lock_guarded(
                self.form,
                model=Attachment,
                fields=locked,
                formfield_callback=partial(self.formfield_for_dbfield, request=request),
                check=lambda attachment, fields: services.minutes_assert_unlocked(
                    meeting=attachment.item.meeting, fields=fields, model=Attachment
                ),
            )
        return super().get_formset(request, obj, **kwargs)


class AmendmentInline(RecordInline):
    """Amendments are the record of approved minutes: never edited or removed."""

    model = Amendment
    readonly_fields = ["created", "field", "original", "amended", "reason", "author"]


@admin.register(AgendaItem)
class AgendaItemAdmin(HistoryLinkMixin, ServiceAdmin):
    """Items come from the agenda builder or an import, so none are added here."""

    list_display = ["__str__", "meeting", "public", "case_type"]
    list_filter = ["public", "case_type", "meeting__organization"]
    search_fields = ["title", "case__journal_number"]
    raw_id_fields = ["case"]
    list_select_related = ["meeting__organization"]
    inlines = [AttachmentInline, AmendmentInline]
    actions = ["close", "soft_delete"]

    def get_fields(self, request: HttpRequest, obj: AgendaItem | None = None) -> Any:
        return ["meeting", "number", *services.EDITABLE_FIELDS[AgendaItem], "history"]

    def get_readonly_fields(self, request: HttpRequest, obj: AgendaItem | None = None) -> list[str]:
        meeting = obj.meeting if obj is not None else None
        return ["meeting", "number", "history", *_locked(meeting, AgendaItem)]

    def get_form(
        self, request: Any, obj: AgendaItem | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        locked = _locked(obj.meeting if obj is not None else None, AgendaItem)
        if not locked:
            return form
        return lock_guarded(
            form,
            model=AgendaItem,
            fields=locked,
            formfield_callback=partial(self.formfield_for_dbfield, request=request),
            check=lambda item, fields: services.minutes_assert_unlocked(
                meeting=item.meeting, fields=fields
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def history_targets(self, obj: Any) -> Sequence[models.Model]:
        return [obj, *Attachment.all_objects.filter(item=obj)]

    def save_model(self, request: Any, obj: AgendaItem, form: Any, change: bool) -> None:
        services.item_update(item=obj, user=request.user, changes=_changes(form, obj))

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Attachment:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # fills new, changed and deleted objects; writes nothing
        for attachment in formset.deleted_objects:
            services.attachment_soft_delete(attachment=attachment, user=request.user)
        for attachment, changed in formset.changed_objects:
            services.attachment_update(
                attachment=attachment,
                user=request.user,
                changes={name: getattr(attachment, name) for name in changed},
            )
        for attachment in formset.new_objects:
            created = services.attachment_create(
                item=form.instance,
                user=request.user,
                fields={
                    name: getattr(attachment, name) for name in ("order", "name", "file", "public")
                },
            )
            adopt(attachment, created)

    @admin.action(description=gettext_lazy("Luk valgte punkter"))
    def close(self, request: HttpRequest, queryset: QuerySet[AgendaItem]) -> None:
        self.run_action(
            request,
            queryset,
            lambda item: services.item_update(
                item=item, user=request.user, changes={"public": False}
            ),
            _("Lukkede punkter: %(count)d."),
        )

    @admin.action(description=gettext_lazy("Slet valgte punkter (skjul i arkivet)"))
    def soft_delete(self, request: HttpRequest, queryset: QuerySet[AgendaItem]) -> None:
        self.run_action(
            request,
            queryset,
            lambda item: services.item_soft_delete(item=item, user=request.user),
            _("Slettede punkter: %(count)d."),
        )

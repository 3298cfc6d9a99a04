"""What every admin page shares: records shown read-only, writes through the services,
the audit trail for administrators, and the "Historik" link from a row to its trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dagsorden.access.rules import can
from dagsorden.core.audit import audit_targets_param, audit_targets_q, parse_audit_targets
from dagsorden.core.errors import ApplicationError
from dagsorden.core.models import AuditEvent


class RecordInline(admin.TabularInline):
    """Rows that are a record (flow history, amendments): shown, never added or removed."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(RecordInline):
    """Rows another page writes through its services (the agenda builder, the minutes
    page, the case editor): shown here, changed there."""

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


def refusal_message(error: Exception) -> str:
    if isinstance(error, PermissionDenied):
        return _("Du har ikke lov til at foretage denne ændring.")
    return str(error)


class ServiceAdmin(admin.ModelAdmin):
    """An admin that writes through the domain's services (``save_model`` and the actions
    call them), so the rules, the minutes lock, the audit trail and the search index hold
    here as everywhere. Rows are never deleted for real: a soft-delete action instead.

    A service that refuses (a broken rule, no permission) shows its message as an error;
    the admin's transaction is rolled back, so nothing of the save is kept."""

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ApplicationError, PermissionDenied) as error:
            if request.method != "POST":
                raise
            self.message_user(request, refusal_message(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def run_action(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        step: Callable[[Any], object],
        done: str,
    ) -> None:
        """Apply one service to each selected row; a refusal is reported per row and does
        not undo the rows already done (each service has its own transaction)."""
        count = 0
        for obj in queryset:
            try:
                step(obj)
            except (ApplicationError, PermissionDenied) as error:
                self.message_user(request, f"{obj}: {refusal_message(error)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)


def adopt(obj: models.Model, created: models.Model) -> None:
    """Make the admin's unsaved ``obj`` the row a service created (the admin goes on with
    ``obj``: its redirect, its inlines)."""
    for field in created._meta.concrete_fields:
        setattr(obj, field.attname, getattr(created, field.attname))
    obj._state.adding, obj._state.db = False, created._state.db


class HistoryLinkMixin:
    """ "Historik" on the change page (a line, and the admin's own button) leads to the
    audit trail of the row and its parts: one history, written by the services, instead of
    the admin's log of its own edits beside it."""

    def history_targets(self, obj: Any) -> Sequence[models.Model]:
        return [obj]

    def history_url(self, obj: models.Model) -> str:
        url = reverse("admin:core_auditevent_changelist")
        return f"{url}?target={audit_targets_param(self.history_targets(obj))}"

    @admin.display(description=gettext_lazy("Historik"))
    def history(self, obj: models.Model) -> SafeString | str:
        if obj is None or obj.pk is None:
            return "–"
        return format_html('<a href="{}">{}</a>', self.history_url(obj), _("Vis historik"))

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        model_admin: Any = self
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return HttpResponseRedirect(self.history_url(obj))


# --- The audit trail


class AuditTargetFilter(admin.SimpleListFilter):
    """``?target=meetings.agendaitem:5,meetings.attachment:7``: the rows of the "Historik"
    link (shown only while it is in use)."""

    title = gettext_lazy("genstand")
    parameter_name = "target"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        value = self.value()
        return [(value, _("Den valgte genstand"))] if value else []

    def queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        targets = parse_audit_targets(value)
        return queryset.filter(audit_targets_q(targets)) if targets else queryset.none()


def _field(target_type: str, name: str) -> models.Field[Any, Any] | None:
    try:
        model = apps.get_model(target_type)
        field = model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if isinstance(field, models.Field) else None


def _moment(field: models.Field[Any, Any] | None, value: str) -> str | None:
    """A stored ISO date or time as the admin shows one (date-times in Copenhagen)."""
    try:
        if isinstance(field, models.DateTimeField):
            return date_format(
                timezone.localtime(dt.datetime.fromisoformat(value)), "DATETIME_FORMAT"
            )
        if isinstance(field, models.DateField):
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        if isinstance(field, models.TimeField):
            return time_format(dt.time.fromisoformat(value), "TIME_FORMAT")
    except ValueError:
        return None
    return None


def _value_label(field: models.Field[Any, Any] | None, value: Any, *, limit: int) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, str) and (moment := _moment(field, value)) is not None:
        return moment
    if field is not None and field.choices:
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {v}" for k, v in value.items())
    return Truncator(str(value)).chars(limit) if limit else str(value)


def render_changes(event: AuditEvent, *, limit: int = 0) -> SafeString | str:
    """field: before → after, one line each, in the model's own words."""
    changes = event.changes or {}
    if not changes:
        return "–"
    rows: Iterable[tuple[str, str, str]] = (
        (
            str(getattr(_field(event.target_type, name), "verbose_name", name)),
            _value_label(_field(event.target_type, name), pair[0], limit=limit),
            _value_label(_field(event.target_type, name), pair[1], limit=limit),
        )
        for name, pair in changes.items()
        if isinstance(pair, list) and len(pair) == 2
    )
    return format_html("<ul>{}</ul>", format_html_join("", "<li><b>{}</b>: {} → {}</li>", rows))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only, and for administrators only (``audit.read``), whatever Django permissions
    a staff user may otherwise hold: the trail says who changed what, and is never edited."""

    list_display = ["created", "actor_label", "action", "kind", "target_label", "summary"]
    list_filter = ["action", ("created", admin.DateFieldListFilter), AuditTargetFilter]
    search_fields = ["target_label", "actor_label", "note"]
    date_hierarchy = "created"
    fields = (
        "created",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes_in_full",
        "note",
    )
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description=gettext_lazy("type"), ordering="target_type")
    def kind(self, event: AuditEvent) -> str:
        try:
            return str(apps.get_model(event.target_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return event.target_type

    @admin.display(description=gettext_lazy("ændringer"))
    def summary(self, event: AuditEvent) -> SafeString | str:
        return render_changes(event, limit=80)

    @admin.display(description=gettext_lazy("ændringer"))
    def changes_in_full(self, event: AuditEvent) -> SafeString | str:
        return render_changes(event)

    def has_module_permission(self, request: Any) -> bool:
        return can(request.user, "audit.read")

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return can(request.user, "audit.read")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

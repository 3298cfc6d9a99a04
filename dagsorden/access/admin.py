"""Departments and roles. A role is a grant of power, so roles change only through
``access.services`` (administrators only, every change in the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dagsorden.access import services
from dagsorden.access.models import SCOPES, Department, RoleAssignment, Unit
from dagsorden.core.admin import HistoryLinkMixin, ServiceAdmin, adopt


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "unit_review"]
    inlines = [UnitInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(HistoryLinkMixin, ServiceAdmin):
    list_display = ["user", "role", "department", "unit", "organization"]
    list_filter = ["role", "department", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = ["user", "role", *SCOPES, "history"]
    readonly_fields = ["history"]
    actions = ["revoke"]

    def save_model(self, request: Any, obj: RoleAssignment, form: Any, change: bool) -> None:
        if change:
            services.role_assignment_update(
                assignment=obj,
                actor=request.user,
                changes={name: getattr(obj, name) for name in form.changed_data},
            )
            return
        created = services.role_assignment_create(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            **{scope: getattr(obj, scope) for scope in SCOPES},
        )
        adopt(obj, created)

    @admin.action(description=gettext_lazy("Fjern valgte roller"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        self.run_action(
            request,
            queryset,
            lambda assignment: services.role_assignment_delete(
                assignment=assignment, actor=request.user
            ),
            _("Fjernede roller: %(count)d."),
        )

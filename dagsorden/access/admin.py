from django.contrib import admin

from dagsorden.access.models import Department, RoleAssignment, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "unit_review"]
    inlines = [UnitInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department", "unit", "organization"]
    list_filter = ["role", "department", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

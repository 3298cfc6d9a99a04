from django.contrib import admin


class RecordInline(admin.TabularInline):
    """Rows that are a record (flow history, amendments): shown, never added or removed."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

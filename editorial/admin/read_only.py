"""Admin pages of rows that only the log writes: read there, never added, changed or deleted by hand."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Revisions, notifications and consistency entries are projections: editing a row would
    disagree with the events it was made from, so every change goes through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

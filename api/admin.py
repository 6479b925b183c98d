"""API tokens in the admin: created here (the key is shown once, on saving) and revoked, never read back."""

from django.contrib import admin, messages
from django.utils import timezone

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("key_start", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "key_start")
    fields = ("user", "name", "key_start", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_start", "created_at", "last_used_at", "revoked_at")
    autocomplete_fields = ("user",)
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        # A token is created or revoked, never edited: who holds it and what it is for do not change.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        key = obj.set_new_key()
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            f"The key of this token, shown only now (copy it, it is not stored): {key}",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.")

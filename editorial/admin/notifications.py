"""The in-app notification list: each user sees the decisions on their own proposals, newest first."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ..models import Notification
from ..notifications import page_of
from .read_only import ReadOnlyAdmin


class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "notice", "kind", "unread"]
    list_display_links = None
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    list_per_page = 50
    show_full_result_count = False
    actions = ["mark_read"]

    # --- Everyone signed in to the admin reads their own; nobody edits them ---

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and (obj is None or obj.recipient_id == request.user.pk)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    # --- Columns --------------------------------------------------------------

    @admin.display(description="notification")
    def notice(self, obj: Notification):
        url = page_of(obj)
        return format_html('<a href="{}"><strong>{}</strong></a><br>{}', url, obj.subject, obj.message)

    @admin.display(description="unread", boolean=True, ordering="read_at")
    def unread(self, obj: Notification):
        return obj.read_at is None

    @admin.action(description="Mark the selected notifications as read")
    def mark_read(self, request, queryset):
        marked = queryset.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
        self.message_user(request, f"{marked} marked as read.", messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
        title = f"Notifications ({unread} unread)" if unread else "Notifications"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing to edit: a notification is read in the list, and its link opens the proposal.
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:editorial_notification_changelist"))

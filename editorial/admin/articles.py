"""Editing articles in the admin: every save is a proposal, never a write.

The Article admin shows the published article (title, lead, infobox rows,
sections) as a form. Saving builds an `ArticleContent` from the form and
its rows and calls `revision_propose`, the one write path; no published
row is saved here, and nothing is deleted. The published tables change
when a reviewer approves the revision.

How a save goes: Django validates the form and its rows; when they are
valid, `save_related` proposes the revision. If the command refuses
(nothing changed, a newer revision was published, ...) the view is shown
again with the command's message on the form, the way a field error is.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from encyclopedia.models import InfoboxField, Section

from ..errors import EditorialError
from ..services import can_propose, revision_propose
from .article_history import ArticleHistoryMixin
from .forms import ArticleEditForm, InfoboxFieldForm, InfoboxFormSet, SectionForm, SectionFormSet, build_content

PROPOSED_MESSAGE = "Revision {id} proposed for review; consistency checks are running."


class _ProposalRefused(Exception):
    """The command refused a valid form; the form is shown again with its message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _ProposalRowsMixin:
    """Rows of a proposal: whoever may propose may add, change and remove them."""

    def has_view_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_add_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_change_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_delete_permission(self, request, obj=None):
        # Removes the row from the proposal; the published row stays until approval.
        return can_propose(request.user)


class InfoboxFieldInline(_ProposalRowsMixin, admin.TabularInline):
    model = InfoboxField
    form = InfoboxFieldForm
    formset = InfoboxFormSet
    fields = ["position", "key", "value"]
    extra = 1
    verbose_name = "infobox field"
    verbose_name_plural = "infobox (rows in the order of their position)"


class SectionInline(_ProposalRowsMixin, admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionFormSet
    fields = ["position", "heading", "body"]
    extra = 1
    verbose_name_plural = "sections (in the order of their position)"


class ArticleAdmin(ArticleHistoryMixin, SimpleHistoryAdmin):
    form = ArticleEditForm
    inlines = [InfoboxFieldInline, SectionInline]
    list_display = ["title", "current_revision_id", "published_at"]
    search_fields = ["title"]
    # The Article model is the encyclopedia's; its admin pages are the editorial app's.
    change_form_template = "admin/editorial/article/change_form.html"

    # --- Who may do what: the admin is for people who may propose --------

    def has_module_permission(self, request):
        return can_propose(request.user)

    def has_view_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_add_permission(self, request):
        return can_propose(request.user)

    def has_change_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # articles change only through revisions

    def revert_disabled(self, request, obj=None):
        return True  # restoring an earlier version is `revert_revision`: a proposal, reviewed

    # --- The form ---------------------------------------------------------

    def get_fields(self, request, obj=None):
        fields = ["title", "lead", "summary", "base_revision"]
        return fields if obj is None else ["current_revision_id", *fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["current_revision_id"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_stet_refusal", None)
        if refusal is None:
            return form_class
        return type(form_class.__name__, (form_class,), {"refusal": refusal})

    # --- Saving is proposing ---------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _ProposalRefused as refusal:
            # Nothing was written (the view's transaction rolled back). Show
            # the form again as submitted, with the command's message on it.
            request._stet_refusal = refusal.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Never saves: the published row is written by the approval."""

    def save_related(self, request, form, formsets, change):
        try:
            revision = revision_propose(
                actor=request.user,
                content=build_content(form, formsets),
                summary=form.cleaned_data["summary"],
                stream=form.instance.stream if change else None,
                base_revision=form.cleaned_data["base_revision"] if change else None,
            )
        except EditorialError as error:
            raise _ProposalRefused(str(error)) from error
        self.message_user(request, PROPOSED_MESSAGE.format(id=revision.id), messages.SUCCESS)

    def construct_change_message(self, request, form, formsets, add=False):
        return ""  # the event log records the proposal

    def log_addition(self, request, obj, message):
        """The event log records the proposal; no admin log entry for a row never saved."""

    def log_change(self, request, obj, message):
        """The event log records the proposal; no admin log entry for a row never saved."""

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:encyclopedia_article_changelist", current_app=self.admin_site.name))

    def response_change(self, request, obj):
        return HttpResponseRedirect(
            reverse("admin:encyclopedia_article_change", args=[obj.pk], current_app=self.admin_site.name)
        )

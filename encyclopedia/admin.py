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

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from editorial.services import can_propose, revision_propose
from editorial.errors import EditorialError

from .forms import ArticleEditForm, InfoboxFieldForm, InfoboxFormSet, SectionForm, SectionFormSet, build_content
from .history import positive_id
from .models import Article, InfoboxField, Section

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


@dataclass(frozen=True)
class HistoryEntry:
    """One history row of the article or of one of its infobox fields or sections."""

    when: datetime
    what: str  # "Article", "Infobox field 'Date'", "Section 'Attack'"
    action: str  # "Created", "Changed", "Deleted"
    changes: tuple[tuple[str, str, str], ...]  # (field, old, new)
    approver: str
    reason: str  # "revision 12"
    sort_key: tuple = field(default=(), repr=False, compare=False)


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleEditForm
    inlines = [InfoboxFieldInline, SectionInline]
    list_display = ["title", "current_revision_id", "published_at"]
    search_fields = ["title"]
    object_history_template = "admin/encyclopedia/article/object_history.html"
    history_list_per_page = 100
    # Not listed as a change on the history page: every approval moves it.
    history_ignored_fields = ("published_at",)

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

    # --- History: who approved which revision, for every row of the article --

    def history_view(self, request, object_id, extra_context=None):
        request.current_app = self.admin_site.name
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(f"There is no article {object_id}.")
        if not self.has_view_history_or_change_history_permission(request, article):
            raise PermissionDenied
        paginator = Paginator(self.history_entries(request, article), self.history_list_per_page)
        page_obj = paginator.get_page(request.GET.get(PAGE_VAR))
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_view_title(request, article),
            "subtitle": None,
            "object": article,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.count > self.history_list_per_page,
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_template, context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied  # no reverting rows here: propose a revert instead
        # simple_history looks both up as given; "abc" or "1.5" would reach the database as a number.
        if positive_id(unquote(object_id)) is None or positive_id(version_id) is None:
            raise Http404(f"There is no version {version_id!r} of the article {object_id!r}.")
        return super().history_form_view(request, unquote(object_id), version_id, extra_context)

    def history_entries(self, request, article: Article) -> list[HistoryEntry]:
        """The history rows of the article, its infobox fields and sections, newest first.

        Rows written by one approval share its time, approver and revision,
        so they appear together.
        """
        sources = [
            (0, self.get_history_queryset(request, Article.history, "id", article.pk), lambda r: "Article"),
            (
                1,
                InfoboxField.history.filter(article_id=article.pk).select_related("history_user"),
                lambda r: f"Infobox field {r.key!r}",
            ),
            (
                2,
                Section.history.filter(article_id=article.pk).select_related("history_user"),
                lambda r: f"Section {r.heading!r}",
            ),
        ]
        entries = []
        for group, records, describe in sources:
            previous = {}
            for record in records.order_by("history_date", "history_id"):
                before = previous.get(record.id)
                previous[record.id] = record
                entries.append(
                    HistoryEntry(
                        when=record.history_date,
                        what=describe(record),
                        action=record.get_history_type_display(),
                        changes=self._changes(record, before),
                        approver=record.history_user.get_username() if record.history_user else "",
                        reason=record.history_change_reason or "",
                        sort_key=(record.history_date, -group, -getattr(record, "position", 0), record.history_id),
                    )
                )
        entries.sort(key=lambda entry: entry.sort_key, reverse=True)
        return entries

    def _changes(self, record, before) -> tuple[tuple[str, str, str], ...]:
        if before is None or record.history_type != "~":
            return ()
        ignored = self.history_ignored_fields if record.instance_type is Article else ()
        delta = record.diff_against(before, excluded_fields=ignored)
        return tuple((change.field, str(change.old), str(change.new)) for change in delta.changes)


"""The review queue: revisions in the admin, read-only.

The Revision changelist is the queue: open revisions by default (oldest
first), with their article, author, age, summary and check verdict, and
filters on status, verdict, article and author. With `?mine=1` it is the
signed-in editor's "My proposals": their own revisions in every status,
newest first. Nothing is added, changed or deleted here; a revision's page
(its ID and its article link to it) is the review page
(`editorial.admin.review`), whose buttons call the commands. Editors and
reviewers may look.
"""

from __future__ import annotations

import uuid

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince


from ..models import CheckStatus, Revision, RevisionStatus
from ..reader.queries import positive_id
from ..roles import can_propose, can_review
from . import rebase, review
from .proposals import MINE_PARAMETER, my_proposals_url
from .read_only import ReadOnlyAdmin

SUMMARY_LENGTH = 80


def _mine(request) -> bool:
    return request.GET.get(MINE_PARAMETER) == "1"


class MineFilter(admin.SimpleListFilter):
    """Author: me. The editor's own proposals, whatever became of them."""

    title = "author"
    parameter_name = MINE_PARAMETER

    def lookups(self, request, model_admin):
        return [("1", "Me")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(author_id=request.user.pk)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """Open revisions unless asked otherwise: the queue is what waits for a reviewer.

    The editor's own proposals are shown in every status unless asked
    otherwise: the author wants to find the rejected and withdrawn too.
    """

    title = "status"
    parameter_name = "status"
    ALL = "all"
    DEFAULT = RevisionStatus.PENDING

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.default = self.ALL if _mine(request) else self.DEFAULT

    def lookups(self, request, model_admin):
        return [*RevisionStatus.choices, (self.ALL, "All")]

    def queryset(self, request, queryset):
        value = self.value() or self.default
        if value == self.ALL:
            return queryset
        if value not in RevisionStatus.values:
            return queryset.none()
        return queryset.filter(status=value)

    def choices(self, changelist):
        # As SimpleListFilter's, but no "All" without a value: no value means pending.
        current = self.value() or self.default
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        for number, (lookup, label) in enumerate(self.lookup_choices):
            if counts is not None:
                label = f"{label} ({counts.get(f'{number}__c', '-')})"
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": label,
            }


class VerdictFilter(admin.ChoicesFieldListFilter):
    """check_status, under the name reviewers use."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "check verdict"


class ArticleFilter(admin.SimpleListFilter):
    """By article: its event stream, so a renamed article's revisions stay together."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        # Each article once, under the title of its latest revision (one query).
        latest = Revision.objects.values("stream").annotate(last=Max("id")).values("last")
        rows = Revision.objects.filter(id__in=latest).order_by("title").values_list("stream", "title")
        return [(str(stream), title) for stream, title in rows]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            stream = uuid.UUID(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(stream=stream)


class ReviewQueueChangeList(ChangeList):
    """Each row's link (its ID) opens the review page, not the change form that would only redirect there."""

    def url_for_result(self, result):
        return reverse(f"{self.model_admin.admin_site.name}:editorial_revision_review", args=[result.pk])


class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "article", "author", "age", "short_summary", "verdict", "status"]
    list_display_links = ["id"]
    list_filter = [MineFilter, StatusFilter, ("check_status", VerdictFilter), ArticleFilter]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "summary"]
    ordering = ["proposed_at", "id"]  # the oldest waits longest
    list_per_page = 50
    show_full_result_count = False  # one count query fewer
    actions = None
    preserve_filters = False  # the row links open the review page, which has no use for the list's filters

    # --- Who may do what: editors and reviewers look; nobody edits here ---

    def has_module_permission(self, request):
        return can_propose(request.user) or can_review(request.user)

    def has_view_permission(self, request, obj=None):
        return can_propose(request.user) or can_review(request.user)

    def get_queryset(self, request):
        # The queue needs neither the findings nor the rule versions.
        return super().get_queryset(request).defer("check_findings", "check_rule_versions")

    # --- Columns -------------------------------------------------------------

    @admin.display(description="article", ordering="title")
    def article(self, obj: Revision):
        return format_html('<a class="review-link" href="{}">{}</a>', self._review_url(obj.pk), obj.title)

    @admin.display(description="age", ordering="proposed_at")
    def age(self, obj: Revision):
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            obj.proposed_at.isoformat(),
            obj.proposed_at.strftime("%Y-%m-%d %H:%M %Z"),
            timesince(obj.proposed_at, depth=1),
        )

    @admin.display(description="edit summary")
    def short_summary(self, obj: Revision):
        summary = Truncator(obj.summary).chars(SUMMARY_LENGTH)
        if obj.rebased_from_id is None:
            return summary
        # The reviewer sees at once that the change was merged onto a newer published revision.
        return format_html(
            '{} <span class="rebased-note">(rebased onto revision {} from revision {})</span>',
            summary, obj.base_revision_id, obj.rebased_from_id,
        )

    @admin.display(description="check verdict", ordering="check_status")
    def verdict(self, obj: Revision):
        return format_html(
            '<span class="verdict badge verdict-{}" data-status="{}">{}</span>',
            obj.check_status,
            obj.check_status,
            CheckStatus(obj.check_status).label if obj.check_status in CheckStatus.values else obj.check_status,
        )

    def get_changelist(self, request, **kwargs):
        return ReviewQueueChangeList

    def get_ordering(self, request):
        # The author looks for what they proposed last; the queue serves who waited longest.
        return ["-proposed_at", "-id"] if _mine(request) else self.ordering

    def changelist_view(self, request, extra_context=None):
        mine = _mine(request)
        context = {
            "title": "My proposals" if mine else "Review queue",
            "my_proposals": mine,
            "my_proposals_url": my_proposals_url(self.admin_site.name),
            "queue_url": reverse(f"{self.admin_site.name}:editorial_revision_changelist"),
        }
        return super().changelist_view(request, {**context, **(extra_context or {})})

    # --- The review page instead of a change form -------------------------------

    def get_urls(self):
        return [
            path(
                "<int:revision_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="editorial_revision_review",
            ),
            path(
                "<int:revision_id>/review/standing/",
                self.admin_site.admin_view(self.standing_view),
                name="editorial_revision_standing",
            ),
            path(
                "<int:revision_id>/rebase/",
                self.admin_site.admin_view(self.rebase_view),
                name="editorial_revision_rebase",
            ),
            *super().get_urls(),
        ]

    def rebase_view(self, request, revision_id: int):
        return rebase.revision_rebase_view(request, revision_id, model_admin=self)

    def review_view(self, request, revision_id: int):
        return review.revision_review(request, revision_id, model_admin=self)

    def standing_view(self, request, revision_id: int):
        return review.revision_standing(request, revision_id, model_admin=self)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision_id = positive_id(object_id)
        if revision_id is None:
            return super().change_view(request, object_id, form_url, extra_context)  # the admin's 404 path
        return HttpResponseRedirect(self._review_url(revision_id))

    def _review_url(self, revision_id: int) -> str:
        return reverse(f"{self.admin_site.name}:editorial_revision_review", args=[revision_id])

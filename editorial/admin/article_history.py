"""The history page of an article in the admin: who approved which revision, row by row.

simple_history keeps a history row for every change of an article, of
each infobox field and of each section, written when an approval
publishes a revision. This page shows them together, newest first, each
with its approver and the revision it came from. Rows are never reverted
here: restoring an earlier version is a proposal, reviewed like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404

from encyclopedia.models import Article, InfoboxField, Section

from ..reader.queries import positive_id


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


class ArticleHistoryMixin:
    """The history views of a `SimpleHistoryAdmin` of articles."""

    # The Article model is the encyclopedia's; its admin pages are the editorial app's.
    object_history_template = "admin/editorial/article/object_history.html"
    history_list_per_page = 100
    # Not listed as a change on the history page: every approval moves it.
    history_ignored_fields = ("published_at",)

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


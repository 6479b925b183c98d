"""The consistency report: published articles that disagree with an article they mention.

Each row says "A disagrees with B since revision N", links both articles
(their public pages) and the revision after which they disagree (its review
page), and quotes the findings. Filterable by open or resolved, and by
either article. Read-only: the rows are written by the process manager
after approvals (editorial.linked_rechecks), never by hand.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from encyclopedia.models import Article

from ..models import ConsistencyEntry
from .read_only import ReadOnlyAdmin


class _TitleFilter(admin.SimpleListFilter):
    """One article, on either side of the pair."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        titles = ConsistencyEntry.objects.values_list("article_title", flat=True).distinct()
        linked = ConsistencyEntry.objects.values_list("linked_title", flat=True).distinct()
        return [(title, title) for title in sorted(set(titles) | set(linked))]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(article_title=self.value()) | Q(linked_title=self.value()))
        return queryset


class ConsistencyEntryAdmin(ReadOnlyAdmin):
    list_display = ["disagreement", "since", "what", "detected_at", "open"]
    list_display_links = None
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), _TitleFilter, "linked_title"]
    search_fields = ["article_title", "linked_title"]
    list_per_page = 50

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def get_queryset(self, request):
        # Both articles' current addresses in the same query as the rows (a title may have changed since).
        def slug_of(field):
            return Subquery(Article.objects.filter(stream=OuterRef(field)).values("slug")[:1])

        return super().get_queryset(request).annotate(
            article_slug=slug_of("article_stream"), linked_slug=slug_of("linked_stream")
        )

    @admin.display(description="disagreement", ordering="article_title")
    def disagreement(self, obj: ConsistencyEntry):
        return format_html(
            "{} disagrees with {}",
            self._article(obj.article_title, obj.article_slug),
            self._article(obj.linked_title, obj.linked_slug),
        )

    @admin.display(description="since revision", ordering="since_revision_id")
    def since(self, obj: ConsistencyEntry):
        url = reverse("admin:editorial_revision_review", args=[obj.since_revision_id], current_app=self.admin_site.name)
        return format_html('<a href="{}">revision {}</a>', url, obj.since_revision_id)

    @admin.display(description="what disagrees")
    def what(self, obj: ConsistencyEntry):
        return format_html_join("", "<p>{}<br><q>{}</q></p>", ((f["message"], f["evidence"].get("quote", "")) for f in obj.findings))

    @admin.display(description="open", boolean=True, ordering="resolved_at")
    def open(self, obj: ConsistencyEntry):
        return obj.resolved_at is None

    @staticmethod
    def _article(title: str, slug: str | None):
        if slug is None:
            return title
        return format_html('<a href="{}">{}</a>', reverse("reader:article", args=[slug]), title)

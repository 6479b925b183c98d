from django.urls import path, register_converter
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from . import views

app_name = "api"


class AnyRest:
    """The rest of an address, whatever it holds (Django's `path` stops at a newline)."""

    regex = r"[\s\S]*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AnyRest, "anything")

# Slugs are what slugify makes (ASCII); anything else under /api/ is a 404 problem (the last pattern).
SLUG = "<slug:slug>"

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("articles/", views.ArticleListView.as_view(), name="articles"),
    path(f"articles/{SLUG}/", views.ArticleView.as_view(), name="article"),
    path(f"articles/{SLUG}/history/", views.ArticleHistoryView.as_view(), name="history"),
    path(f"articles/{SLUG}/provenance/", views.ArticleProvenanceView.as_view(), name="provenance"),
    path(f"articles/{SLUG}/diff/<int:old_id>/<int:new_id>/", views.ArticleDiffView.as_view(), name="diff"),
    path("revisions/", views.ProposeView.as_view(), name="propose"),
    path("revisions/<int:revision_id>/", views.RevisionView.as_view(), name="revision"),
    path("revisions/<int:revision_id>/approve/", views.ApproveView.as_view(), name="approve"),
    path("revisions/<int:revision_id>/reject/", views.RejectView.as_view(), name="reject"),
    path("revisions/<int:revision_id>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("revisions/<int:revision_id>/rebase/", views.RebaseView.as_view(), name="rebase"),
    path("revisions/<int:revision_id>/recheck/", views.RecheckView.as_view(), name="recheck"),
    path("<anything:url>", views.not_found),
]

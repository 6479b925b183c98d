"""The public site's addresses (namespace `reader`): an article and the pages of its revisions."""

from django.urls import path

from . import views

app_name = "reader"

urlpatterns = [
    path("", views.article_list, name="index"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/history/", views.article_history, name="history"),
    path("articles/<slug:slug>/provenance/", views.infobox_provenance, name="provenance"),
    path("articles/<slug:slug>/revisions/<int:revision_id>/", views.revision_detail, name="revision"),
    path(
        "articles/<slug:slug>/revisions/<int:revision_id>/restore/",
        views.revision_restore,
        name="restore",
    ),
    path("articles/<slug:slug>/diff/", views.compare, name="compare"),
    path("articles/<slug:slug>/diff/<int:old_id>/<int:new_id>/", views.revision_diff, name="diff"),
]

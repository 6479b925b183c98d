"""Read-side helpers: what the pages, the CLI and the checks ask of the workflow."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from encyclopedia.content import ArticleContent

from . import store
from .errors import NotFound
from .models import Revision


def revision_get(revision_id: int) -> Revision:
    try:
        return Revision.objects.select_related("author", "decided_by").get(id=revision_id)
    except Revision.DoesNotExist:
        raise NotFound(f"There is no revision {revision_id}.") from None


def revision_content(revision_id: int) -> ArticleContent:
    return store.load_content(revision_get(revision_id).content_hash)


def revision_as_data(revision: Revision) -> dict:
    """The revision as plain JSON-ready data (for `show_revision --json` and bots)."""

    def username(user_id):
        if user_id is None:
            return None
        return get_user_model().objects.filter(pk=user_id).values_list("username", flat=True).first()

    return {
        "id": revision.id,
        "status": revision.status,
        "article": {"title": revision.title, "slug": revision.slug, "stream": str(revision.stream)},
        "author": revision.author.username,
        "base_revision": revision.base_revision_id,
        "reverts_revision": revision.reverts_revision_id,
        "summary": revision.summary,
        "content_hash": revision.content_hash,
        "proposed_at": revision.proposed_at.isoformat(),
        "decided_by": username(revision.decided_by_id),
        "decided_at": revision.decided_at.isoformat() if revision.decided_at else None,
        "decision_reason": revision.decision_reason,
        "override_reason": revision.override_reason,
        "checks": {
            "verdict": revision.check_status,
            "rule_versions": revision.check_rule_versions,
            "started_at": revision.checks_started_at.isoformat() if revision.checks_started_at else None,
            "concluded_at": revision.checks_concluded_at.isoformat() if revision.checks_concluded_at else None,
            "findings": revision.check_findings,
        },
    }

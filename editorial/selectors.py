"""Read-side helpers: what the pages, the CLI and the checks ask of the workflow."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article

from . import store
from .aggregate.fold import fold_revision
from .aggregate.verdict import CheckState, current_checks
from .errors import ContentMissing, NotFound
from .models import Revision
from .rules import rule_versions


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


def live_checks(revision: Revision) -> CheckState | None:
    """The checks as an approval would judge them now; None for a read model without its events."""
    folded = fold_revision(store.revision_events(revision.id))
    return current_checks(folded, rule_versions()) if folded is not None else None


def revision_with_base(revision: Revision) -> tuple[Revision | None, ArticleContent | None, ArticleContent]:
    """The base revision (with its author), and both contents: two queries at most."""
    base = None
    if revision.base_revision_id is not None:
        base = Revision.objects.select_related("author").filter(id=revision.base_revision_id).first()
    shown = [revision] + ([base] if base is not None else [])
    contents = store.contents_by_hash(each.content_hash for each in shown)
    for each in shown:
        if each.content_hash not in contents:
            raise ContentMissing(each.content_hash, revision_id=each.id)
    return base, (contents[base.content_hash] if base is not None else None), contents[revision.content_hash]


def article_address(revision: Revision) -> tuple[str, int | None]:
    """The current slug and published revision of the revision's article (one query)."""
    row = Article.objects.filter(stream=revision.stream).values_list("slug", "current_revision_id").first()
    return row if row is not None else (revision.slug, None)

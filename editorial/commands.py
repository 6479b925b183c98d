"""The one write path of the editorial workflow.

Admin, views, management commands and tasks all call these functions.
Each reads the stream, decides with the pure rules of `state.py`, appends
one event and updates the projections in the same transaction. A rival
writer that got there first makes the append fail; the command then reads
again and decides again (so a second approval becomes a clear refusal).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils.text import slugify

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article

from . import events as ev
from . import state, store
from .errors import ConcurrentWrite, EditorialError, InvalidTransition, NotFound, PermissionDenied, StaleBase
from .models import Revision
from .projections import project

PROPOSE_PERMISSION = "editorial.propose_revision"
REVIEW_PERMISSION = "editorial.review_revision"
_ATTEMPTS = 5

# Sentinel: "base the proposal on whatever is published now".
CURRENT = object()

# Called with the revision id after a proposal commits (the checks subscribe here).
_after_propose_hooks: list[Callable[[int], None]] = []


def on_proposal_committed(hook: Callable[[int], None]) -> Callable[[int], None]:
    _after_propose_hooks.append(hook)
    return hook


def can_propose(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PROPOSE_PERMISSION))


def can_review(user) -> bool:
    return bool(user and user.is_active and user.has_perm(REVIEW_PERMISSION))


def _with_retries(write: Callable[[], state.RevisionState]) -> state.RevisionState:
    for _attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return write()
        except ConcurrentWrite:
            continue
    raise EditorialError("The article is being changed by others right now; try again in a moment.")


def _append_and_project(stream, payload, *, actor, revision_id, current: state.RevisionState | None):
    event = store.append(stream=stream, payload=payload, actor=actor, revision_id=revision_id)
    new_state = state.evolve(current, event)
    project(event, new_state, content_loader=store.load_content)
    return new_state


def _load_revision(revision_id: int) -> state.RevisionState:
    revision = state.fold_revision(store.revision_events(revision_id))
    if revision is None:
        raise NotFound(f"There is no revision {revision_id}.")
    return revision


def _resolve_stream(content: ArticleContent, stream_id: uuid.UUID | None):
    """The article's stream: given, or matched by title, or a new one."""
    if stream_id is not None:
        return store.get_stream(stream_id)
    article_stream = Article.objects.filter(title=content.title).values_list("stream", flat=True).first()
    if article_stream is None:
        # A new article that already has an unpublished proposal shares its stream,
        # so rival first drafts conflict instead of becoming two articles.
        article_stream = (
            Revision.objects.filter(slug=content.slug).order_by("-id").values_list("stream", flat=True).first()
        )
    if article_stream is None:
        return store.new_stream()
    return store.get_stream(article_stream)


def _ensure_title_free(content: ArticleContent, stream_id: uuid.UUID) -> None:
    clash = Article.objects.filter(slug=content.slug).exclude(stream=stream_id).first()
    if clash is not None:
        raise EditorialError(
            f"The title {content.title!r} gives the address {content.slug!r}, "
            f"which the article {clash.title!r} already has; choose another title."
        )


def revision_propose(
    *,
    actor,
    content: ArticleContent,
    summary: str,
    stream: uuid.UUID | None = None,
    base_revision=CURRENT,
    reverts_revision: int | None = None,
) -> state.RevisionState:
    """Propose new content for an article (a new article when none matches its title).

    `base_revision` is the revision the author started from; when it is
    no longer the published one the proposal is refused, so nobody
    overwrites a change they have not seen.
    """
    if not can_propose(actor):
        raise PermissionDenied("Only members of the Editors or Reviewers groups may propose revisions.")
    summary = summary.strip()
    if not summary:
        raise EditorialError("An edit summary is required: say what you changed and why.")
    if not content.title.strip() or not slugify(content.title):
        raise EditorialError("An article needs a title with at least one letter or digit.")

    def write() -> state.RevisionState:
        stream_row = _resolve_stream(content, stream)
        _ensure_title_free(content, stream_row.id)
        published = store.published_revision_id(stream_row.id)
        base = published if base_revision is CURRENT else base_revision
        state.ensure_base_is_published(base, published)
        if published is not None:
            published_hash = Revision.objects.filter(id=published).values_list("content_hash", flat=True).first()
            if published_hash == content.content_hash:
                raise EditorialError(
                    f"Nothing to propose: the content is the same as the published revision {published}."
                )
        payload = ev.RevisionProposed(
            title=content.title,
            content_hash=store.store_content(content),
            base_revision=base,
            summary=summary,
            reverts_revision=reverts_revision,
        )
        revision = _append_and_project(stream_row, payload, actor=actor, revision_id=None, current=None)
        for hook in _after_propose_hooks:
            transaction.on_commit(lambda hook=hook, revision_id=revision.id: hook(revision_id))
        return revision

    return _with_retries(write)


def revision_approve(*, actor, revision_id: int, override_reason: str = "") -> state.RevisionState:
    """Publish a pending revision.

    Refused if its base is no longer the published revision, while its
    checks are pending, and while errors stand unless `override_reason`
    says why the reviewer publishes anyway (recorded in the event).
    """
    from .checks import rule_versions

    override_reason = override_reason.strip()

    def write() -> state.RevisionState:
        revision = _load_revision(revision_id)
        stream_row = store.get_stream(revision.stream)
        state.decide_approval(
            revision,
            actor_id=actor.pk,
            actor_is_reviewer=can_review(actor),
            published_revision=store.published_revision_id(revision.stream),
            checks=state.current_checks(revision, rule_versions()),
            override_reason=override_reason,
        )
        _ensure_title_free(ArticleContent(title=revision.title), revision.stream)
        payload = ev.RevisionApproved(base_revision=revision.base_revision, override_reason=override_reason)
        return _append_and_project(stream_row, payload, actor=actor, revision_id=revision.id, current=revision)

    return _with_retries(write)


def revision_reject(*, actor, revision_id: int, reason: str) -> state.RevisionState:
    reason = reason.strip()
    if not reason:
        raise EditorialError("A rejection needs a reason the author can act on.")

    def write() -> state.RevisionState:
        revision = _load_revision(revision_id)
        state.decide_review(revision, actor_id=actor.pk, actor_is_reviewer=can_review(actor), action="rejected")
        stream_row = store.get_stream(revision.stream)
        payload = ev.RevisionRejected(reason=reason)
        return _append_and_project(stream_row, payload, actor=actor, revision_id=revision.id, current=revision)

    return _with_retries(write)


def revision_withdraw(*, actor, revision_id: int, reason: str = "") -> state.RevisionState:
    def write() -> state.RevisionState:
        revision = _load_revision(revision_id)
        state.decide_withdrawal(revision, actor_id=actor.pk)
        stream_row = store.get_stream(revision.stream)
        payload = ev.RevisionWithdrawn(reason=reason.strip())
        return _append_and_project(stream_row, payload, actor=actor, revision_id=revision.id, current=revision)

    return _with_retries(write)


def revision_revert(*, actor, revision_id: int, summary: str = "") -> state.RevisionState:
    """Propose the content of an earlier revision again; checks and review apply as usual."""
    earlier = _load_revision(revision_id)
    if earlier.status in (state.PENDING,):
        raise InvalidTransition(
            f"Revision {revision_id} is still pending; review it instead of restoring it."
        )
    content = store.load_content(earlier.content_hash)
    return revision_propose(
        actor=actor,
        content=content,
        summary=summary or f"Restore revision {revision_id}",
        stream=earlier.stream,
        reverts_revision=revision_id,
    )


# Check results: written by the system (actor None) from the check tasks.


def revision_checks_start(*, revision_id: int, rule_versions: dict[str, int]) -> state.RevisionState:
    def write() -> state.RevisionState:
        revision = _load_revision(revision_id)
        payload = ev.ChecksStarted(content_hash=revision.content_hash, rule_versions=rule_versions)
        stream_row = store.get_stream(revision.stream)
        return _append_and_project(stream_row, payload, actor=None, revision_id=revision.id, current=revision)

    return _with_retries(write)


def revision_record_rule_result(
    *, revision_id: int, rule_id: str, rule_version: int, content_hash: str, findings: list[dict], error: str = ""
) -> state.RevisionState:
    """Record one rule's result once: a second run for the same rule, version and content records nothing."""

    def write() -> state.RevisionState:
        revision = _load_revision(revision_id)
        if state.has_result(revision, rule_id=rule_id, rule_version=rule_version, content_hash=content_hash):
            return revision
        payload = ev.RuleChecked(
            rule_id=rule_id, rule_version=rule_version, content_hash=content_hash, findings=findings, error=error
        )
        stream_row = store.get_stream(revision.stream)
        return _append_and_project(stream_row, payload, actor=None, revision_id=revision.id, current=revision)

    return _with_retries(write)


def revision_conclude_checks(*, revision_id: int, rule_versions: dict[str, int]) -> state.RevisionState:
    """Record the verdict once every rule has a current result (once per content and rule versions)."""

    def write() -> state.RevisionState:
        revision = _load_revision(revision_id)
        checks = state.current_checks(revision, rule_versions)
        if checks.status == state.CHECKS_PENDING:
            raise InvalidTransition(
                f"Revision {revision_id} has no result yet for {', '.join(checks.missing_rules)}."
            )
        if revision.checks_concluded_at and revision.check_rule_versions == rule_versions:
            return revision  # this verdict is recorded already
        payload = ev.ChecksConcluded(
            content_hash=revision.content_hash, rule_versions=rule_versions, verdict=checks.status
        )
        stream_row = store.get_stream(revision.stream)
        return _append_and_project(stream_row, payload, actor=None, revision_id=revision.id, current=revision)

    return _with_retries(write)

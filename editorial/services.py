"""The one write path of the editorial workflow.

Admin, views, management commands and tasks all call these functions.
Each reads the stream, decides with the pure aggregate (`aggregate/`),
appends one event and updates the projections in the same transaction. A rival
writer that got there first makes the append fail; the command then reads
again and decides again (so a second approval becomes a clear refusal).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from encyclopedia.content import ArticleContent, content_problems, unstorable_character
from encyclopedia.models import Article

from . import events as ev
from . import store
from .errors import ConcurrentWrite, EditorialError, MergeConflicts, NotAllowed
from .models import Revision, RevisionStatus
from .aggregate.decisions import PROPOSERS_ONLY, Action, Actor, decide, ensure_base_is_published
from .aggregate.fold import RecordedEvent, RevisionState, evolve
from .aggregate.verdict import check_run_events, current_checks
from .projections import project, project_check_run
from .roles import actor_of, can_propose
from .rules import rule_versions


def _storable_text(what: str, text: str) -> str:
    """`text` stripped; refused if it holds a character no database stores (PostgreSQL has no NUL)."""
    found = unstorable_character(text)
    if found is not None:
        index, character = found
        raise EditorialError(f"The {what} holds {character} at character {index + 1}; remove it and try again.")
    return text.strip()


# Pauses between attempts when a rival appended first: random up to the
# current ceiling ("full jitter", so rivals spread out instead of colliding
# again in step), the ceiling doubling up to a cap.
_FIRST_PAUSE_CEILING = 0.004
_PAUSE_CEILING_CAP = 0.25

# Sentinel: "base the proposal on whatever is published now".
CURRENT = object()

# Called with the revision id after a proposal commits (the checks subscribe here).
_after_propose_hooks: list[Callable[[int], None]] = []


def on_proposal_committed(hook: Callable[[int], None]) -> Callable[[int], None]:
    _after_propose_hooks.append(hook)
    return hook


# Called with each event a command appended, after its transaction commits (notifications subscribe here).
_after_event_hooks: list[Callable[[RecordedEvent], None]] = []


def on_event_committed(hook: Callable[[RecordedEvent], None]) -> Callable[[RecordedEvent], None]:
    _after_event_hooks.append(hook)
    return hook


def _write(attempt: Callable[[], RevisionState]) -> RevisionState:
    """Run `attempt` in a transaction until its append lands on the heads it read.

    A rival that appended first makes the attempt fail with
    `ConcurrentWrite`; it is run again, deciding afresh on the new events,
    after a jittered pause, for up to STET_WRITE_PATIENCE seconds. A
    refusal (any other EditorialError) passes straight through.
    """
    deadline = time.monotonic() + settings.STET_WRITE_PATIENCE
    ceiling = _FIRST_PAUSE_CEILING
    while True:
        try:
            with transaction.atomic():
                return attempt()
        except ConcurrentWrite:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EditorialError(
                    "The article is being changed by others right now; try again in a moment."
                ) from None
            time.sleep(min(random.uniform(0, ceiling), remaining))
            ceiling = min(ceiling * 2, _PAUSE_CEILING_CAP)


def _on_revision(revision_id: int, decide_event: Callable[[store.RevisionAtHeads], ev.EventPayload | None], *, actor):
    """Load the revision at its heads, let `decide_event` refuse or name the event, append it after that head.

    Decisions go on the article's stream, check events on the revision's
    checks stream; `decide_event` returns None when there is nothing left
    to record (a redelivered check step).
    """

    def attempt() -> RevisionState:
        at = store.load_revision(revision_id)
        payload = decide_event(at)
        if payload is None:
            return at.revision
        head = at.checks_head if isinstance(payload, ev.CHECK_EVENTS) else at.article_head
        return _append_and_project(head, payload, actor=actor, revision_id=revision_id, current=at.revision)

    return _write(attempt)


def _append_and_project(stream, payload, *, actor, revision_id, current: RevisionState | None):
    event = store.append(stream=stream, payload=payload, actor=actor, revision_id=revision_id)
    for hook in _after_event_hooks:
        transaction.on_commit(lambda hook=hook: hook(event))
    new_state = evolve(current, event)
    project(event, new_state, content_loader=store.load_content)
    return new_state


def _title_taken(title: str, slug: str, owner: uuid.UUID) -> EditorialError:
    holder = (
        Article.objects.filter(stream=owner).values_list("title", flat=True).first()
        or Revision.objects.filter(stream=owner).order_by("id").values_list("title", flat=True).first()
    )
    return EditorialError(
        f"The title {title!r} gives the address {slug!r}, which the article {holder!r} already has; "
        "choose another title."
    )


def revision_propose(
    *,
    actor,
    content: ArticleContent,
    summary: str,
    stream: uuid.UUID | None = None,
    base_revision=CURRENT,
    reverts_revision: int | None = None,
    allow_stale_base: bool = False,
) -> RevisionState:
    """Propose new content for an article (a new article when none matches its title).

    `base_revision` is the revision the author started from; when it is
    no longer the published one the proposal is refused, so nobody
    overwrites a change they have not seen. With `allow_stale_base` it is
    recorded against that older revision (one this article published)
    instead, to be carried onto the published one by `revision_rebase`:
    the edit form does this, so that what the editor typed is kept and
    merged rather than refused.
    """
    if not can_propose(actor):
        raise NotAllowed(PROPOSERS_ONLY)
    summary = _storable_text("edit summary", summary)
    if not summary:
        raise EditorialError("An edit summary is required: say what you changed and why.")
    problems = content_problems(content)
    if problems:
        raise EditorialError("The content cannot be stored: " + "; ".join(problems) + ".")
    if not content.title.strip() or not slugify(content.title):
        raise EditorialError("An article needs a title with at least one letter or digit.")

    slug = content.slug

    def attempt() -> RevisionState:
        # Which stream holds an address never changes once claimed, so it may be read before the head.
        stream_id = stream or store.address_owner(slug) or store.claim_address(slug, uuid.uuid4())
        head = store.read_head(stream_id)
        owner = store.address_owner(slug)
        if owner is not None and owner != stream_id:
            raise _title_taken(content.title, slug, owner)
        published = store.published_revision_id(stream_id, head=head)
        base = published if base_revision is CURRENT else base_revision
        if not (allow_stale_base and base != published and _was_published(base, stream_id)):
            ensure_base_is_published(base, published)
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
        revision = _append_and_project(head, payload, actor=actor, revision_id=None, current=None)
        for hook in _after_propose_hooks:
            transaction.on_commit(lambda hook=hook, revision_id=revision.id: hook(revision_id))
        return revision

    return _write(attempt)


def _was_published(revision_id: int | None, stream_id: uuid.UUID) -> bool:
    """Whether the article `stream_id` once published `revision_id` (a base a rebase can merge from)."""
    return (
        revision_id is not None
        and Revision.objects.filter(id=revision_id, stream=stream_id, status=RevisionStatus.APPROVED).exists()
    )


def revision_approve(*, actor, revision_id: int, override_reason: str = "") -> RevisionState:
    """Publish a pending revision.

    Refused if its base is no longer the published revision, while its
    checks are pending, and while errors stand unless `override_reason`
    says why the reviewer publishes anyway (recorded in the event).
    """
    override_reason = _storable_text("override reason", override_reason)
    action = Action.APPROVE_OVERRIDE if override_reason else Action.APPROVE

    def approval(at: store.RevisionAtHeads) -> ev.RevisionApproved:
        revision = at.revision
        decide(
            action,
            revision,
            actor_of(actor),
            published_revision=store.published_revision_id(revision.stream, head=at.article_head),
            checks=current_checks(revision, rule_versions()),
        )
        # A renaming revision takes its new address now; an address another article holds is refused.
        slug = slugify(revision.title)
        owner = store.claim_address(slug, revision.stream)
        if owner != revision.stream:
            raise _title_taken(revision.title, slug, owner)
        return ev.RevisionApproved(base_revision=revision.base_revision_id, override_reason=override_reason)

    return _on_revision(revision_id, approval, actor=actor)


def revision_reject(*, actor, revision_id: int, reason: str) -> RevisionState:
    reason = _storable_text("rejection reason", reason)
    if not reason:
        raise EditorialError("A rejection needs a reason the author can act on.")

    def rejection(at: store.RevisionAtHeads) -> ev.RevisionRejected:
        decide(Action.REJECT, at.revision, actor_of(actor), published_revision=None)
        return ev.RevisionRejected(reason=reason)

    return _on_revision(revision_id, rejection, actor=actor)


def revision_withdraw(*, actor, revision_id: int, reason: str = "") -> RevisionState:
    reason = _storable_text("withdrawal reason", reason)

    def withdrawal(at: store.RevisionAtHeads) -> ev.RevisionWithdrawn:
        decide(Action.WITHDRAW, at.revision, actor_of(actor), published_revision=None)
        return ev.RevisionWithdrawn(reason=reason)

    return _on_revision(revision_id, withdrawal, actor=actor)


def revision_revert(*, actor, revision_id: int, summary: str = "") -> RevisionState:
    """Propose the content of an earlier revision again; checks and review apply as usual."""
    earlier = store.load_revision(revision_id).revision
    decide(Action.RESTORE, earlier, actor_of(actor), published_revision=store.published_revision_id(earlier.stream))
    content = store.load_content(earlier.content_hash, revision_id=revision_id)
    return revision_propose(
        actor=actor,
        content=content,
        summary=summary or f"Restore revision {revision_id}",
        stream=earlier.stream,
        reverts_revision=revision_id,
    )


def merge_inputs(stale, published: int | None) -> tuple[ArticleContent, ArticleContent, ArticleContent]:
    """The three contents a rebase merges: the proposal's base, the proposal, and what is published.

    A first draft has no base, and a stream with nothing published gives
    nothing: both merge as an empty article.
    """
    hashes = dict(Revision.objects.filter(id__in=[published, stale.base_revision_id]).values_list("id", "content_hash"))

    def content_of(revision_id):
        if revision_id is None:
            return ArticleContent(title="")
        return store.load_content(hashes[revision_id], revision_id=revision_id)

    return content_of(stale.base_revision_id), store.load_content(stale.content_hash, revision_id=stale.id), content_of(published)


def revision_rebase(*, actor, revision_id: int, resolution: dict[str, str | None] | None = None) -> RevisionState:
    """Carry a pending proposal written against an older revision onto the published one.

    A three-way merge (`encyclopedia.merge`) of the proposal's base, the
    proposal and the published revision, unit by unit. When it is clean,
    or `resolution` settles each conflict, the merged content is proposed
    again by the same author on top of the published revision (recording
    the merge and its parents), and the old proposal is withdrawn in the
    same transaction, so the queue holds the one that can be approved.
    Otherwise `MergeConflicts` lists the conflicts and nothing is written.
    `actor` None is the system, rebasing after an approval on the author's
    behalf; anyone else must be the author.
    """
    from encyclopedia.merge import ResolutionError, merge, resolve

    actor_facts = actor_of(actor) if actor is not None else Actor(id=None, may_propose=True, may_review=False)

    def attempt() -> RevisionState:
        at = store.load_revision(revision_id)
        stale = at.revision
        published = store.published_revision_id(stale.stream, head=at.article_head)
        decide(Action.REBASE, stale, actor_facts, published_revision=published)
        base, ours, theirs = merge_inputs(stale, published)
        if resolution is None:
            result = merge(base, ours, theirs)
            if not result.clean:
                raise MergeConflicts(stale.id, published, result.conflicts)
            merged = result.content
        else:
            try:
                merged = resolve(base, ours, theirs, resolution)
            except ResolutionError as error:
                raise EditorialError(f"The resolution cannot be used: {error}.") from None
        problems = content_problems(merged)
        if problems:
            raise EditorialError("The merged content cannot be stored: " + "; ".join(problems) + ".")
        by = "Stet" if actor is None else "its author"
        author = get_user_model()(pk=stale.author_id)
        if published is not None and merged.content_hash == theirs.content_hash:
            # Everything it changed is published already: nothing is left to review.
            reason = f"Its changes are all in revision {published}, published since; withdrawn by {by}."
            return _append_and_project(
                at.article_head, ev.RevisionWithdrawn(reason=reason), actor=author, revision_id=stale.id, current=stale
            )
        payload = ev.RevisionProposed(
            title=merged.title,
            content_hash=store.store_content(merged),
            base_revision=published,
            summary=stale.summary,
            reverts_revision=stale.reverts_revision_id,
            rebased_from=stale.id,
            rebased_by_system=actor is None,
            resolved_conflicts=tuple(sorted(resolution or ())),
        )
        # Attributed to the proposal's author: it is their change, carried onto the new revision.
        rebased = _append_and_project(at.article_head, payload, actor=author, revision_id=None, current=None)
        reason = f"Rebased by {by} onto revision {published} as revision {rebased.id}."
        _append_and_project(
            at.article_head, ev.RevisionWithdrawn(reason=reason), actor=author, revision_id=stale.id, current=stale
        )
        for hook in _after_propose_hooks:
            transaction.on_commit(lambda hook=hook, new_id=rebased.id: hook(new_id))
        return rebased

    return _write(attempt)


# Check results: written by the system (actor None) from the check tasks, into
# the revision's own checks stream, in one transaction per check run.


def revision_record_check_run(
    *, revision_id: int, rule_versions: dict[str, int], results: list[ev.RuleChecked], stream: uuid.UUID | None = None
) -> RevisionState:
    """Record a check run's rule results and, once every rule has one, its verdict: one transaction.

    The rules ran before it, outside any transaction. Whatever a rival
    delivery recorded meanwhile is not recorded again (`check_run_events`
    decides at the checks head it read), so overlapping deliveries record
    each result and the verdict once. A run killed before this commits
    leaves nothing behind, and its redelivery runs the rules again.
    """

    def attempt() -> RevisionState:
        at = store.load_revision(revision_id, stream=stream)
        payloads = check_run_events(at.revision, rule_versions, results)
        if not payloads:
            return at.revision
        recorded = store.append_all(stream=at.checks_head, payloads=payloads, actor=None, revision_id=revision_id)
        state = at.revision
        for event in recorded:
            state = evolve(state, event)
        project_check_run(at.revision, state)
        return state

    return _write(attempt)

"""Running the consistency checks of a revision, and finding revisions whose checks were lost.

`check_revision` is what the Celery task does. The rules run first, outside
any transaction; their results and the verdict are then recorded together
in one transaction (one conditional update of the checks stream's head,
one insert of the events, one update of the check columns that changed).
It is safe to run twice: each rule's result is recorded once per content
and rule version, and the verdict once, so a redelivered task only does
what is missing, and a worker killed mid-run leaves nothing half-written. A rule that raises gets its exception recorded as its
result ("error in a rule"), so a revision never stays pending because of a
bug in a rule.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import rules as registry
from . import events as ev
from . import links, services, store
from .errors import ContentMissing
from .models import Revision, RevisionStatus
from .rules import CheckContext, Rule, judge
from .aggregate.fold import RevisionState, fold_revision
from .aggregate.statuses import CheckStatus
from .aggregate.verdict import current_checks, verdict_recorded

logger = logging.getLogger(__name__)


def check_revision(revision_id: int) -> str:
    """Run every rule that has no current result, then record the results and the verdict in one
    transaction. Returns the check status."""
    # Through the registry module, so a test that swaps the active rules reaches every caller.
    rules = registry.active_rules()
    versions = {rule.id: rule.version for rule in rules}
    revision = fold_revision(store.revision_events(revision_id))
    if revision is None:
        logger.warning("check of revision %s skipped: no such revision", revision_id)
        return "missing"
    checks = current_checks(revision, versions)
    if checks.status != CheckStatus.PENDING and verdict_recorded(revision, versions):
        return checks.status  # a redelivery after the run committed: nothing to do, nothing written
    if checks.status == CheckStatus.PENDING and not revision.is_open:
        logger.info("check of revision %s skipped: it is %s", revision_id, revision.status)
        return checks.status

    results = []
    if checks.status == CheckStatus.PENDING:
        # The rules are pure and run outside any transaction: no lock is held while they read.
        context = _context_for(revision)
        for rule in rules:
            if rule.id not in checks.results:
                results.append(_rule_checked(rule, revision, context))
    recorded = services.revision_record_check_run(
        revision_id=revision_id, rule_versions=versions, results=results, stream=revision.stream
    )
    return current_checks(recorded, versions).status


def _rule_checked(rule: Rule, revision: RevisionState, context: CheckContext) -> ev.RuleChecked:
    findings, error = _run_safely(rule, context)
    return ev.RuleChecked(
        rule_id=rule.id,
        rule_version=rule.version,
        content_hash=revision.content_hash,
        findings=findings,
        error=error,
        # A rule that reads other articles is current only while they are (see recheck_linked).
        linked=dict(context.linked_revisions) if rule.id in LINKED_RULES else {},
    )


# The rules that read `CheckContext.linked`: their results are recorded with the linked revisions.
LINKED_RULES = frozenset({"links.facts_agree"})


def recheck_linked(revision_id: int) -> str:
    """Check an open proposal again against the articles it mentions as they are published now.

    Only the rules that read linked articles run, and only when the linked
    revisions differ from those their current result was made with; the
    result is recorded with the new linked revisions and replaces the older
    one, and the verdict is recorded again. Idempotent like `check_revision`.
    """
    rules = registry.active_rules()
    versions = {rule.id: rule.version for rule in rules}
    revision = fold_revision(store.revision_events(revision_id))
    if revision is None or not revision.is_open:
        return "skipped"
    checks = current_checks(revision, versions)
    if checks.status == CheckStatus.PENDING:
        return check_revision(revision_id)  # not checked yet: the full run reads the linked articles too
    context = _context_for(revision)
    results = [
        _rule_checked(rule, revision, context)
        for rule in rules
        if rule.id in LINKED_RULES
        and dict(checks.results[rule.id].linked) != dict(context.linked_revisions)
    ]
    if not results:
        return checks.status
    recorded = services.revision_record_check_run(
        revision_id=revision_id, rule_versions=versions, results=results, stream=revision.stream
    )
    return current_checks(recorded, versions).status


def _context_for(revision: RevisionState) -> CheckContext:
    """The proposal's content and its base's: two queries (the base's hash, then both contents),
    and a third for the published articles the proposal mentions, however many."""
    base_hash = None
    if revision.base_revision_id is not None:
        base_hash = Revision.objects.filter(id=revision.base_revision_id).values_list("content_hash", flat=True).get()
    contents = store.contents_by_hash([revision.content_hash, base_hash])
    for content_hash, revision_id in ((revision.content_hash, revision.id), (base_hash, revision.base_revision_id)):
        if content_hash is not None and content_hash not in contents:
            raise ContentMissing(content_hash, revision_id=revision_id)
    content = contents[revision.content_hash]
    names = links.mentioned_names(content)
    # Before the linked articles are read: an approval of one of them committed after this read finds
    # the proposal by these rows and checks it again, even if its article as published mentions none.
    links.note_proposal_mentions(revision.id, names)
    linked = links.linked_published(content, exclude_stream=revision.stream, names=names)
    return LinkedCheckContext(
        content=content,
        base=contents[base_hash] if base_hash is not None else None,
        summary=revision.summary,
        today=timezone.localdate(),
        linked={title: article.content for title, article in linked.items()},
        linked_revisions={title: article.revision_id for title, article in linked.items()},
    )


@dataclass(frozen=True)
class LinkedCheckContext(CheckContext):
    # Which published revision each linked article was read at: what its results are recorded with.
    linked_revisions: dict = field(default_factory=dict)


def _run_safely(rule: Rule, context: CheckContext) -> tuple[list[dict], str]:
    try:
        return [finding.to_dict() for finding in judge(rule, context)], ""
    except Exception as error:  # a bug in a rule is a result, never a stuck revision
        logger.exception("rule %s v%s raised", rule.id, rule.version)
        return [], f"{type(error).__name__}: {error}"


def revisions_needing_checks(*, older_than: timedelta | None = None, revision_ids=None) -> list[int]:
    """Open revisions whose checks have no current verdict.

    A revision whose verdict was made with other rule versions is due at
    once; one whose checks are merely unfinished is due when its proposal
    (or its last check start) is older than `older_than`, so work that a
    worker is doing right now is not enqueued twice.
    """
    versions = registry.rule_versions()
    cutoff = timezone.now() - (older_than if older_than is not None else checks_lost_after())
    candidates = Revision.objects.filter(status=RevisionStatus.PENDING)
    if revision_ids:
        candidates = candidates.filter(id__in=revision_ids)
    due = []
    rows = candidates.values_list("id", "checks_concluded_at", "check_rule_versions", "checks_started_at", "proposed_at")
    for revision_id, concluded_at, recorded_versions, started_at, proposed_at in rows.order_by("id"):
        if concluded_at and recorded_versions == versions:
            continue  # a current verdict stands
        last_activity = started_at or proposed_at
        rules_changed = concluded_at is not None and not (started_at and started_at > concluded_at)
        if revision_ids or rules_changed or last_activity <= cutoff:
            due.append(revision_id)
    return due


def checks_lost_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "STET_CHECKS_LOST_AFTER", 120))

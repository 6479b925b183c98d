"""After an approval, the articles that mention the approved one are checked against it: a process manager.

When article B is approved (`on_approval(event_id)`, the
`editorial.linked_rechecks` task on commit, or in-process without a broker):

1. the links projection is rebuilt for B from what is published now;
2. the open proposals that mention B are checked again (those of the articles that
   mention it, and any that is the first of its article to mention it)
   (`checks.recheck_linked`): the linked-facts result is recorded anew
   with B's new revision and replaces the older one, and the verdict is
   recorded again;
3. the consistency report is brought up to date for B against what it
   mentions, and for every published article that mentions B against B:
   an open entry "A disagrees with B since revision N" per pair that
   disagrees (N the approval after which they do), closed when they agree.

Idempotent: each step writes what the published state says, whatever was
there, so a redelivered task or one run twice writes nothing new. Tasks of
two approvals running out of order converge, since each reads what is
published now, not what its approval published. A `LinkedRecheck` row
marks an approval done; the beat's sweep runs again the approvals without
one (a task lost with its worker or never sent).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import checks, links
from . import events as ev
from .models import ConsistencyEntry, Event, LinkedRecheck, Revision, RevisionStatus
from .rules import get_rule
from .rules.base import CheckContext

logger = logging.getLogger(__name__)

RULE_ID = "links.facts_agree"


def on_approval(event_id: int) -> dict:
    """Recheck and report after the approval `event_id`; returns what was done (for logs and tests)."""
    approval = Event.objects.filter(id=event_id, type=ev.RevisionApproved.type).first()
    if approval is None:
        return {}
    since = approval.concerns_revision
    approved = links.published_contents([approval.stream])
    if not approved:
        return {}
    article = approved[0]
    former_names = links.rebuild_for(article.stream, article.content, article.revision_id)
    # Under its old names too: after a rename, what still mentions the old title is checked against it.
    mentioning = links.streams_mentioning(article.content.title, exclude=article.stream, also=former_names)
    # The open proposals of the articles that mention it, and those that are the first of their
    # article to mention it (found by the names their check runs noted).
    of_mentioning = Revision.objects.filter(stream__in=mentioning, status=RevisionStatus.PENDING).values_list("id", flat=True)
    first_mentions = links.open_proposals_mentioning(links.names_of(article.content.title) | former_names)
    rechecked = {
        revision_id: checks.recheck_linked(revision_id) for revision_id in sorted(set(of_mentioning) | set(first_mentions))
    }
    reported = {}
    for published in [article, *links.published_contents(mentioning)]:
        reported[published.content.title] = refresh_report(published, since_revision_id=since)
    LinkedRecheck.objects.get_or_create(event_id=approval.id)
    return {"rechecked": rechecked, "reported": reported}


def refresh_report(article: links.LinkedArticle, *, since_revision_id: int) -> dict[str, bool]:
    """The consistency report of one published article against every article it mentions:
    {linked title: whether they disagree}."""
    linked = links.linked_published(article.content, exclude_stream=article.stream)
    context = CheckContext(
        content=article.content,
        base=None,
        summary="",
        today=timezone.localdate(),
        linked={title: other.content for title, other in linked.items()},
    )
    findings = [finding.to_dict() for finding in get_rule(RULE_ID).check(context)] if linked else []
    outcome = {}
    for title, other in linked.items():
        about = [finding for finding in findings if finding["evidence"].get("linked") == title]
        _record(article, other, about, since_revision_id)
        outcome[title] = bool(about)
    # Pairs whose link is gone (the mention was removed) agree by default.
    gone = ConsistencyEntry.objects.filter(article_stream=article.stream, resolved_at__isnull=True).exclude(
        linked_stream__in=[other.stream for other in linked.values()]
    )
    gone.update(resolved_at=timezone.now(), resolved_by_revision_id=since_revision_id)
    return outcome


def _record(article: links.LinkedArticle, other: links.LinkedArticle, findings: list[dict], since: int) -> None:
    for attempt in range(2):
        try:
            with transaction.atomic():
                _record_once(article, other, findings, since)
            return
        except IntegrityError:
            # A rival task opened the pair's entry meanwhile (the partial unique constraint): update that one.
            if attempt:
                raise


def _record_once(article: links.LinkedArticle, other: links.LinkedArticle, findings: list[dict], since: int) -> None:
    entry = (
        ConsistencyEntry.objects.select_for_update()
        .filter(article_stream=article.stream, linked_stream=other.stream, resolved_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if not findings:
        if entry is not None:
            entry.resolved_at, entry.resolved_by_revision_id = now, since
            entry.save(update_fields=["resolved_at", "resolved_by_revision_id"])
        return
    state = {
        "article_title": article.content.title,
        "article_revision_id": article.revision_id,
        "linked_title": other.content.title,
        "linked_revision_id": other.revision_id,
        "findings": findings,
    }
    if entry is None:
        ConsistencyEntry.objects.create(
            article_stream=article.stream, linked_stream=other.stream, since_revision_id=since, **state
        )
    elif any(getattr(entry, name) != value for name, value in state.items()):
        for name, value in state.items():
            setattr(entry, name, value)
        entry.updated_at = now
        entry.save()


def approvals_without_rechecks(*, older_than: timedelta, within: timedelta) -> list[int]:
    """Recent approvals whose linked rechecks were never done: the sweep runs these."""
    now = timezone.now()
    return list(
        Event.objects.filter(
            type=ev.RevisionApproved.type, recorded_at__lte=now - older_than, recorded_at__gte=now - within
        )
        .exclude(id__in=LinkedRecheck.objects.values("event_id"))
        .order_by("id")
        .values_list("id", flat=True)
    )


def sweep(*, older_than: timedelta, within: timedelta) -> list[int]:
    due = approvals_without_rechecks(older_than=older_than, within=within)
    for event_id in due:
        on_approval(event_id)
    links.purge_proposal_mentions()
    return due


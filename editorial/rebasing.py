"""After an approval, the other open proposals of the article are carried onto it: a process manager.

Without this, one approval strands every other open proposal of the
article: each was written against the revision published before, so none
can be approved. `rebase_stranded(event_id)` runs after an approval
commits (the `editorial.rebase_stranded` task, or in-process without a
broker). For each stranded proposal it tries the three-way merge of
`services.revision_rebase`:
- clean: the merged proposal replaces it in review, checked again, and its
  author is told ("rebased");
- conflicting: nothing is written, and its author is told, with a link to
  the conflict screen where they choose what to keep ("conflicts").
Idempotent: a rebased proposal is no longer pending, and a notification is
made once per approval, person and proposal. The beat's sweep runs it
again for stranded proposals whose task was lost.
"""

from __future__ import annotations

import logging

from django.db.models import F, OuterRef, Subquery

from encyclopedia.models import Article

from . import events as ev
from . import services
from .errors import EditorialError, MergeConflicts
from .models import Event, Notification, NotificationKind, Revision, RevisionStatus
from .notifications import Notice, tell

logger = logging.getLogger(__name__)


def stranded_revisions(stream=None):
    """Pending proposals written against a revision that is no longer the published one."""
    published = Article.objects.filter(stream=OuterRef("stream")).values("current_revision_id")[:1]
    stranded = (
        Revision.objects.filter(status=RevisionStatus.PENDING)
        .annotate(published_id=Subquery(published))
        .exclude(published_id=None)
        .exclude(base_revision_id=F("published_id"))
    )
    return stranded.filter(stream=stream) if stream is not None else stranded


def rebase_stranded(event_id: int) -> dict[int, str]:
    """Rebase the proposals the approval `event_id` stranded; returns {revision id: outcome}."""
    approval = Event.objects.filter(id=event_id, type=ev.RevisionApproved.type).first()
    if approval is None:
        return {}
    outcomes = {}
    for revision in stranded_revisions(approval.stream).order_by("id"):
        outcomes[revision.id] = _rebase_one(approval, revision)
    return outcomes


def _rebase_one(approval: Event, revision: Revision) -> str:
    published = approval.concerns_revision
    try:
        rebased = services.revision_rebase(actor=None, revision_id=revision.id)
    except MergeConflicts as conflicts:
        unread = Notification.objects.filter(
            recipient_id=revision.author_id, revision_id=revision.id, kind=NotificationKind.CONFLICT, read_at=None
        )
        if unread.exists():
            return "conflicts"  # told already, and not read yet: one more approval is no news to them
        labels = "; ".join(conflict.label for conflict in conflicts.conflicts)
        tell(
            approval.id,
            Notice(
                recipient_id=revision.author_id,
                revision_id=revision.id,
                kind=NotificationKind.CONFLICT,
                subject=f"Your revision {revision.id} of “{revision.title}” needs you: it conflicts with revision {conflicts.published_revision}",
                message=(
                    f"Revision {conflicts.published_revision} was published after you wrote revision {revision.id}, "
                    f"and both changed the same places differently: {labels}. "
                    "Choose what to keep for each; the rest of your change is merged for you."
                ),
            ),
        )
        return "conflicts"
    except EditorialError as refusal:  # decided or rebased meanwhile: nothing left to do for it
        logger.info("revision %s not rebased after approval %s: %s", revision.id, approval.id, refusal)
        return "skipped"
    if rebased.id == revision.id:  # all of it was published already: it was withdrawn
        message = f"Everything revision {revision.id} changed is in revision {published}, so it was closed."
        outcome = "already published"
    else:
        message = (
            f"Revision {published} was published after you wrote revision {revision.id}. Your change did not touch "
            f"what it changed, so Stet merged the two as revision {rebased.id}, which is in review in its place."
        )
        outcome = "rebased"
    tell(
        approval.id,
        Notice(
            recipient_id=revision.author_id,
            revision_id=rebased.id,
            kind=NotificationKind.REBASED,
            subject=f"Your revision {revision.id} of “{revision.title}” was rebased onto revision {published}",
            message=message,
        ),
    )
    return outcome


def stranded_without_notice():
    """Stranded proposals nobody has told their author about: the sweep rebases these again."""
    told = Notification.objects.filter(kind=NotificationKind.CONFLICT).values("revision_id")
    return stranded_revisions().exclude(id__in=told)


def sweep_stranded() -> list[int]:
    """Rebase the stranded proposals whose task after the approval was lost; returns their ids."""
    due = list(stranded_without_notice().order_by("id"))
    for revision in due:
        approval = (
            Event.objects.filter(stream=revision.stream, type=ev.RevisionApproved.type).order_by("-version").first()
        )
        if approval is not None:
            _rebase_one(approval, revision)
    return [revision.id for revision in due]

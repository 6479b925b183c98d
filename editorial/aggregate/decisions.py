"""The decisions of the revision aggregate: may this actor do this, now?

Each `decide_*` raises with a message that says what to do instead; the
services call them on the state folded at the head they append after.
`available_actions` answers the same questions without raising, for the
pages that offer buttons, so a page never offers what a command refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from ..errors import ChecksFailed, ChecksPending, EditorialError, InvalidTransition, NotAllowed, StaleBase
from .statuses import CheckStatus
from .verdict import CheckState

PROPOSERS_ONLY = "Only members of the Editors or Reviewers groups may propose revisions."

class Action(StrEnum):
    APPROVE = "approve"
    APPROVE_OVERRIDE = "approve-override"  # approve while errors stand, with a reason
    REJECT = "reject"
    WITHDRAW = "withdraw"
    RESTORE = "restore"  # propose a decided revision's content again
    REBASE = "rebase"  # carry a pending proposal onto the revision published since it was written


class Refused(StrEnum):
    """Why an action is refused, for pages that explain a missing button in their own words."""

    CLOSED = "closed"
    NOT_EDITOR = "not an editor"
    NOT_REVIEWER = "not a reviewer"
    OWN_REVISION = "own revision"
    NOT_AUTHOR = "not the author"
    STALE_BASE = "stale base"
    CHECKS_PENDING = "checks pending"
    ERRORS_STAND = "errors stand"
    NO_ERROR_STANDS = "no error stands"
    STILL_PENDING = "still pending"
    ALREADY_PUBLISHED = "already published"
    UP_TO_DATE = "up to date"


@dataclass(frozen=True)
class Actor:
    """Who acts, as the decisions need them: their id and their editorial roles."""

    id: int | None
    may_propose: bool
    may_review: bool


class RevisionFacts(Protocol):
    """What the decisions read of a revision: a folded `RevisionState`, or its read-model row."""

    id: int
    status: str
    author_id: int
    base_revision_id: int | None
    decided_at: datetime | None

    @property
    def is_open(self) -> bool: ...


@dataclass(frozen=True)
class Refusal:
    reason: Refused
    error: EditorialError


@dataclass(frozen=True)
class AvailableActions:
    allowed: frozenset[Action]
    refused: dict[Action, Refusal]

    def __contains__(self, action: Action) -> bool:
        return action in self.allowed

    def why_not(self, action: Action) -> Refused | None:
        refusal = self.refused.get(action)
        return refusal.reason if refusal else None


def refusal(
    action: Action, revision: RevisionFacts, actor: Actor, *, published_revision: int | None, checks: CheckState | None = None
) -> Refusal | None:
    """The first reason `actor` may not take `action` on `revision` now; None if they may.

    The one decision model: the services raise its error, the pages offer
    what it allows. Each check is in the order a person should hear it.
    """
    if action is Action.RESTORE:
        return _restore_refusal(revision, actor, published_revision)
    verb = {Action.REJECT: "rejected", Action.WITHDRAW: "withdrawn", Action.REBASE: "rebased"}.get(action, "approved")
    if not revision.is_open:
        who = f" on {revision.decided_at:%Y-%m-%d %H:%M} UTC" if revision.decided_at else ""
        return Refusal(
            Refused.CLOSED,
            InvalidTransition(f"Revision {revision.id} cannot be {verb}: it was already {revision.status}{who}."),
        )
    if action is Action.WITHDRAW:
        if revision.author_id != actor.id:
            return Refusal(Refused.NOT_AUTHOR, NotAllowed(f"Only the author of revision {revision.id} may withdraw it."))
        return None
    if action is Action.REBASE:
        return _rebase_refusal(revision, actor, published_revision)
    if not actor.may_review:
        return Refusal(
            Refused.NOT_REVIEWER,
            NotAllowed(f"Only members of the Reviewers group may review; revision {revision.id} cannot be {verb} by you."),
        )
    if revision.author_id == actor.id:
        return Refusal(
            Refused.OWN_REVISION,
            NotAllowed(f"You wrote revision {revision.id}; another reviewer must review it (four-eyes rule)."),
        )
    if action is Action.REJECT:
        return None
    if revision.base_revision_id != published_revision:
        base = f"revision {revision.base_revision_id}" if revision.base_revision_id else "no published version (a new article)"
        now = f"revision {published_revision}" if published_revision else "nothing"
        return Refusal(
            Refused.STALE_BASE,
            StaleBase(
                f"Revision {revision.id} was written against {base}, but {now} is published now; "
                f"reject it, or propose it again on top of revision {published_revision}."
            ),
        )
    if checks is None:  # a page that does not show checks offers no approval
        return Refusal(Refused.CHECKS_PENDING, ChecksPending(f"The checks of revision {revision.id} were not read."))
    if checks.status == CheckStatus.PENDING:
        return Refusal(
            Refused.CHECKS_PENDING,
            ChecksPending(
                f"Revision {revision.id} cannot be approved yet: its consistency checks have not finished "
                f"(waiting for {', '.join(checks.missing_rules)}). Try again in a moment."
            ),
        )
    if action is Action.APPROVE and checks.blocks_approval:
        messages = "; ".join(finding["message"] for finding in checks.errors)
        return Refusal(
            Refused.ERRORS_STAND,
            ChecksFailed(
                f"Revision {revision.id} has {len(checks.errors)} error(s) standing: {messages} "
                "Reject it, or approve it with an override reason."
            ),
        )
    if action is Action.APPROVE_OVERRIDE and not checks.blocks_approval:
        return Refusal(
            Refused.NO_ERROR_STANDS,
            EditorialError(f"No error stands on revision {revision.id}; approve it without an override reason."),
        )
    return None


def _rebase_refusal(revision: RevisionFacts, actor: Actor, published_revision: int | None) -> Refusal | None:
    # The system (no actor id) rebases after an approval, on the author's behalf.
    if actor.id is not None and revision.author_id != actor.id:
        return Refusal(Refused.NOT_AUTHOR, NotAllowed(f"Only the author of revision {revision.id} may rebase it."))
    if revision.base_revision_id == published_revision:
        return Refusal(
            Refused.UP_TO_DATE,
            InvalidTransition(f"Revision {revision.id} is already written against the published revision; nothing to rebase."),
        )
    return None


def _restore_refusal(revision: RevisionFacts, actor: Actor, published_revision: int | None) -> Refusal | None:
    if revision.is_open:
        return Refusal(
            Refused.STILL_PENDING,
            InvalidTransition(f"Revision {revision.id} is still pending; review it instead of restoring it."),
        )
    if not actor.may_propose:
        return Refusal(Refused.NOT_EDITOR, NotAllowed(PROPOSERS_ONLY))
    if revision.id == published_revision:
        return Refusal(
            Refused.ALREADY_PUBLISHED,
            EditorialError(f"Nothing to propose: the content is the same as the published revision {published_revision}."),
        )
    return None


def available_actions(
    revision: RevisionFacts, actor: Actor, *, published_revision: int | None, checks: CheckState | None = None
) -> AvailableActions:
    """Every action `actor` may take on `revision` now, and why each other one is refused."""
    allowed, refused = set(), {}
    for action in Action:
        found = refusal(action, revision, actor, published_revision=published_revision, checks=checks)
        if found is None:
            allowed.add(action)
        else:
            refused[action] = found
    return AvailableActions(allowed=frozenset(allowed), refused=refused)


def decide(
    action: Action, revision: RevisionFacts, actor: Actor, *, published_revision: int | None, checks: CheckState | None = None
) -> None:
    """Raise the refusal of `action`, if any: what the services call before they append."""
    found = refusal(action, revision, actor, published_revision=published_revision, checks=checks)
    if found is not None:
        raise found.error


def ensure_base_is_published(base: int | None, published: int | None) -> None:
    """A proposal starts from the published revision, so nobody overwrites a change they have not seen."""
    if base != published:
        raise StaleBase(
            f"You started from revision {base}, but revision {published} has been published since; "
            "open the article again to see that change, then redo yours."
        )

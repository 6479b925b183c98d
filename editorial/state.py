"""Revision state as a pure fold of events, and the rules that decide commands.

Nothing here touches the database: `RecordedEvent` is a plain value, so the
fold and the decisions are unit-tested on lists of events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from . import events as ev
from .errors import InvalidTransition, PermissionDenied, StaleBase

PENDING, APPROVED, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"


@dataclass(frozen=True)
class RecordedEvent:
    id: int
    stream: UUID
    version: int
    type: str
    payload: ev.EventPayload
    actor_id: int | None
    recorded_at: datetime
    revision_id: int  # for a proposal, its own id

    @classmethod
    def from_model(cls, event) -> RecordedEvent:
        return cls(
            id=event.id,
            stream=event.stream,
            version=event.version,
            type=event.type,
            payload=ev.payload_from(event.type, event.payload),
            actor_id=event.actor_id,
            recorded_at=event.recorded_at,
            revision_id=event.concerns_revision,
        )


@dataclass(frozen=True)
class RevisionState:
    id: int
    stream: UUID
    title: str
    author_id: int
    base_revision: int | None
    summary: str
    content_hash: str
    proposed_at: datetime
    reverts_revision: int | None = None
    status: str = PENDING
    decided_by_id: int | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""
    override_reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.status == PENDING


def evolve(state: RevisionState | None, event: RecordedEvent) -> RevisionState | None:
    """The revision's state after one of its events."""
    payload = event.payload
    if isinstance(payload, ev.RevisionProposed):
        return RevisionState(
            id=event.revision_id,
            stream=event.stream,
            title=payload.title,
            author_id=event.actor_id,
            base_revision=payload.base_revision,
            summary=payload.summary,
            content_hash=payload.content_hash,
            proposed_at=event.recorded_at,
            reverts_revision=payload.reverts_revision,
        )
    if state is None:
        raise ValueError(f"event {event.id} ({event.type}) comes before its revision was proposed")
    decided = {"decided_by_id": event.actor_id, "decided_at": event.recorded_at}
    if isinstance(payload, ev.RevisionApproved):
        return dataclasses.replace(state, status=APPROVED, override_reason=payload.override_reason, **decided)
    if isinstance(payload, ev.RevisionRejected):
        return dataclasses.replace(state, status=REJECTED, decision_reason=payload.reason, **decided)
    if isinstance(payload, ev.RevisionWithdrawn):
        return dataclasses.replace(state, status=WITHDRAWN, decision_reason=payload.reason, **decided)
    return state  # event types that do not change the revision's own status


def fold_revision(events: Iterable[RecordedEvent]) -> RevisionState | None:
    state = None
    for event in sorted(events, key=lambda event: event.version):
        state = evolve(state, event)
    return state


@dataclass(frozen=True)
class StreamState:
    stream: UUID | None = None
    version: int = 0
    published_revision: int | None = None
    revisions: dict[int, RevisionState] = field(default_factory=dict)


def fold_stream(events: Iterable[RecordedEvent]) -> StreamState:
    """Every revision of one article, and which one is published."""
    stream, version, published = None, 0, None
    revisions: dict[int, RevisionState] = {}
    for event in sorted(events, key=lambda event: event.version):
        stream, version = event.stream, event.version
        revisions[event.revision_id] = evolve(revisions.get(event.revision_id), event)
        if isinstance(event.payload, ev.RevisionApproved):
            published = event.revision_id
    return StreamState(stream=stream, version=version, published_revision=published, revisions=revisions)


# Decisions: given the state, may this actor do this? Each raises with a message
# that says what to do instead.


def ensure_open(revision: RevisionState, action: str) -> None:
    if not revision.is_open:
        who = f" on {revision.decided_at:%Y-%m-%d %H:%M} UTC" if revision.decided_at else ""
        raise InvalidTransition(
            f"Revision {revision.id} cannot be {action}: it was already {revision.status}{who}."
        )


def decide_review(revision: RevisionState, *, actor_id: int, actor_is_reviewer: bool, action: str) -> None:
    ensure_open(revision, action)
    if not actor_is_reviewer:
        raise PermissionDenied(
            f"Only members of the Reviewers group may review; revision {revision.id} cannot be {action} by you."
        )
    if revision.author_id == actor_id:
        raise PermissionDenied(
            f"You wrote revision {revision.id}; another reviewer must review it (four-eyes rule)."
        )


def decide_approval(
    revision: RevisionState, *, actor_id: int, actor_is_reviewer: bool, published_revision: int | None
) -> None:
    decide_review(revision, actor_id=actor_id, actor_is_reviewer=actor_is_reviewer, action="approved")
    if revision.base_revision != published_revision:
        base = f"revision {revision.base_revision}" if revision.base_revision else "no published version (a new article)"
        now = f"revision {published_revision}" if published_revision else "nothing"
        raise StaleBase(
            f"Revision {revision.id} was written against {base}, but {now} is published now; "
            f"reject it, or propose it again on top of revision {published_revision}."
        )


def decide_withdrawal(revision: RevisionState, *, actor_id: int) -> None:
    ensure_open(revision, "withdrawn")
    if revision.author_id != actor_id:
        raise PermissionDenied(f"Only the author of revision {revision.id} may withdraw it.")

"""The revision aggregate: a revision's state as a pure fold of its events.

Nothing here touches the database: `RecordedEvent` is a plain value, so the
fold is unit-tested on lists of events. The verdict of the checks is in
`verdict`, the rules of each command in `decisions`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from .. import events as ev
from .statuses import CheckStatus, RevisionStatus
from .verdict import RuleResult, check_run, current_results, flatten, linked_key


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
    base_revision_id: int | None
    summary: str
    content_hash: str
    proposed_at: datetime
    reverts_revision_id: int | None = None
    rebased_from_id: int | None = None
    status: str = RevisionStatus.PENDING
    decided_by_id: int | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""
    override_reason: str = ""
    # Every check result ever recorded for this revision, in order.
    check_results: tuple[RuleResult, ...] = ()
    # As recorded: the latest verdict, or pending once a new check run starts.
    check_status: str = CheckStatus.PENDING
    check_rule_versions: dict = field(default_factory=dict)
    checks_started_at: datetime | None = None
    checks_concluded_at: datetime | None = None
    # The check runs (content hash, rule versions) started and concluded, so each is recorded once.
    started_runs: frozenset = frozenset()
    concluded_runs: frozenset = frozenset()

    @property
    def is_open(self) -> bool:
        return self.status == RevisionStatus.PENDING

    def recorded_findings(self) -> list[dict]:
        """Findings (and rule errors) of the latest verdict, for read models and the CLI."""
        results = current_results(self.check_results, self.content_hash, self.check_rule_versions)
        return flatten(results.values())


def evolve(state: RevisionState | None, event: RecordedEvent) -> RevisionState | None:
    """The revision's state after one of its events."""
    payload = event.payload
    if isinstance(payload, ev.RevisionProposed):
        return RevisionState(
            id=event.revision_id,
            stream=event.stream,
            title=payload.title,
            author_id=event.actor_id,
            base_revision_id=payload.base_revision,
            summary=payload.summary,
            content_hash=payload.content_hash,
            proposed_at=event.recorded_at,
            reverts_revision_id=payload.reverts_revision,
            rebased_from_id=payload.rebased_from,
        )
    if state is None:
        raise ValueError(f"event {event.id} ({event.type}) comes before its revision was proposed")
    decided = {"decided_by_id": event.actor_id, "decided_at": event.recorded_at}
    if isinstance(payload, ev.RevisionApproved):
        return dataclasses.replace(state, status=RevisionStatus.APPROVED, override_reason=payload.override_reason, **decided)
    if isinstance(payload, ev.RevisionRejected):
        return dataclasses.replace(state, status=RevisionStatus.REJECTED, decision_reason=payload.reason, **decided)
    if isinstance(payload, ev.RevisionWithdrawn):
        return dataclasses.replace(state, status=RevisionStatus.WITHDRAWN, decision_reason=payload.reason, **decided)
    if isinstance(payload, ev.ChecksStarted):
        run = check_run(payload.content_hash, payload.rule_versions)
        started = dataclasses.replace(state, started_runs=state.started_runs | {run})
        if run in state.concluded_runs:
            return started  # a late duplicate start (older logs) does not reopen a verdict
        return dataclasses.replace(started, check_status=CheckStatus.PENDING, checks_started_at=event.recorded_at)
    if isinstance(payload, ev.RuleChecked):
        result = RuleResult(
            rule_id=payload.rule_id,
            rule_version=payload.rule_version,
            content_hash=payload.content_hash,
            findings=tuple(payload.findings),
            error=payload.error,
            recorded_at=event.recorded_at,
            linked=linked_key(payload.linked),
        )
        return dataclasses.replace(state, check_results=(*state.check_results, result))
    if isinstance(payload, ev.ChecksConcluded):
        return dataclasses.replace(
            state,
            check_status=payload.verdict,
            check_rule_versions=dict(payload.rule_versions),
            checks_concluded_at=event.recorded_at,
            concluded_runs=state.concluded_runs | {check_run(payload.content_hash, payload.rule_versions, payload.linked)},
        )
    return state  # event types that do not change the revision's own state


def fold_revision(events: Iterable[RecordedEvent]) -> RevisionState | None:
    """A revision's events lie in two streams (article and checks), so they are taken in id order.

    Within one stream id order is version order (an event is inserted only
    after its head moved), and the order across the two streams does not
    change the state: decisions and check results set different fields.
    """
    state = None
    for event in sorted(events, key=lambda event: event.id):
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

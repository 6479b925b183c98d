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
from .errors import ChecksFailed, ChecksPending, EditorialError, InvalidTransition, NotAllowed, StaleBase

PENDING, APPROVED, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"

# Check states of a revision, from best to worst.
CHECKS_PENDING, CHECKS_PASSED, CHECKS_WARNINGS, CHECKS_FAILED, CHECKS_ERROR = (
    "pending",
    "passed",
    "warnings",
    "failed",
    "error",
)
CHECK_STATUS_LABELS = {
    CHECKS_PENDING: "checks pending",
    CHECKS_PASSED: "passed",
    CHECKS_WARNINGS: "warnings",
    CHECKS_FAILED: "errors",
    CHECKS_ERROR: "error in a rule",
}


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    rule_version: int
    content_hash: str
    findings: tuple[dict, ...]
    error: str
    recorded_at: datetime

    def to_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "findings": list(self.findings),
            "error": self.error,
        }


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
    # Every check result ever recorded for this revision, in order.
    check_results: tuple[RuleResult, ...] = ()
    # As recorded: the latest verdict, or pending once a new check run starts.
    check_status: str = CHECKS_PENDING
    check_rule_versions: dict = field(default_factory=dict)
    checks_started_at: datetime | None = None
    checks_concluded_at: datetime | None = None
    # The check runs (content hash, rule versions) started and concluded, so each is recorded once.
    started_runs: frozenset = frozenset()
    concluded_runs: frozenset = frozenset()

    @property
    def is_open(self) -> bool:
        return self.status == PENDING

    def recorded_findings(self) -> list[dict]:
        """Findings (and rule errors) of the latest verdict, for read models and the CLI."""
        results = _current_results(self.check_results, self.content_hash, self.check_rule_versions)
        return _flatten(results.values())


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
    if isinstance(payload, ev.ChecksStarted):
        run = check_run(payload.content_hash, payload.rule_versions)
        started = dataclasses.replace(state, started_runs=state.started_runs | {run})
        if run in state.concluded_runs:
            return started  # a late duplicate start (older logs) does not reopen a verdict
        return dataclasses.replace(started, check_status=CHECKS_PENDING, checks_started_at=event.recorded_at)
    if isinstance(payload, ev.RuleChecked):
        result = RuleResult(
            rule_id=payload.rule_id,
            rule_version=payload.rule_version,
            content_hash=payload.content_hash,
            findings=tuple(payload.findings),
            error=payload.error,
            recorded_at=event.recorded_at,
        )
        return dataclasses.replace(state, check_results=(*state.check_results, result))
    if isinstance(payload, ev.ChecksConcluded):
        return dataclasses.replace(
            state,
            check_status=payload.verdict,
            check_rule_versions=dict(payload.rule_versions),
            checks_concluded_at=event.recorded_at,
            concluded_runs=state.concluded_runs | {check_run(payload.content_hash, payload.rule_versions)},
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


@dataclass(frozen=True)
class CheckState:
    """The checks of a revision judged against the rules as they are now."""

    status: str
    results: dict[str, RuleResult]
    missing_rules: tuple[str, ...]

    @property
    def findings(self) -> list[dict]:
        return _flatten(self.results.values())

    @property
    def errors(self) -> list[dict]:
        return [finding for finding in self.findings if finding["severity"] == "error"]

    @property
    def blocks_approval(self) -> bool:
        return self.status in (CHECKS_FAILED, CHECKS_ERROR)


def current_checks(revision: RevisionState, rule_versions: dict[str, int]) -> CheckState:
    """Only results for this content and these rule versions count; others are stale."""
    results = _current_results(revision.check_results, revision.content_hash, rule_versions)
    missing = tuple(rule_id for rule_id in rule_versions if rule_id not in results)
    status = CHECKS_PENDING if missing else verdict_of(results.values())
    return CheckState(status=status, results=results, missing_rules=missing)


def check_run(content_hash: str, rule_versions: dict) -> tuple:
    return (content_hash, tuple(sorted(rule_versions.items())))


def check_start_due(revision: RevisionState, rule_versions: dict) -> bool:
    """A run is started once per content and rule versions, and never after its verdict."""
    run = check_run(revision.content_hash, rule_versions)
    return run not in revision.started_runs and run not in revision.concluded_runs


def verdict_recorded(revision: RevisionState, rule_versions: dict) -> bool:
    return check_run(revision.content_hash, rule_versions) in revision.concluded_runs


def has_result(revision: RevisionState, *, rule_id: str, rule_version: int, content_hash: str) -> bool:
    return any(
        (result.rule_id, result.rule_version, result.content_hash) == (rule_id, rule_version, content_hash)
        for result in revision.check_results
    )


def verdict_of(results: Iterable[RuleResult]) -> str:
    results = list(results)
    if any(result.error for result in results):
        return CHECKS_ERROR
    severities = {finding["severity"] for result in results for finding in result.findings}
    if "error" in severities:
        return CHECKS_FAILED
    if "warning" in severities:
        return CHECKS_WARNINGS
    return CHECKS_PASSED


def _current_results(results, content_hash: str, rule_versions: dict) -> dict[str, RuleResult]:
    current: dict[str, RuleResult] = {}
    for result in results:
        if result.content_hash == content_hash and rule_versions.get(result.rule_id) == result.rule_version:
            current.setdefault(result.rule_id, result)  # the first result recorded is the one that counts
    return current


def _flatten(results: Iterable[RuleResult]) -> list[dict]:
    flat = []
    for result in results:
        if result.error:
            flat.append(
                {
                    "rule_id": result.rule_id,
                    "rule_version": result.rule_version,
                    "severity": "error",
                    "target": "title",
                    "message": f"The rule {result.rule_id} failed to run: {result.error}",
                    "evidence": {"exception": result.error},
                    "rule_error": True,
                }
            )
        flat.extend(result.findings)
    return flat


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
        raise NotAllowed(
            f"Only members of the Reviewers group may review; revision {revision.id} cannot be {action} by you."
        )
    if revision.author_id == actor_id:
        raise NotAllowed(
            f"You wrote revision {revision.id}; another reviewer must review it (four-eyes rule)."
        )


def decide_approval(
    revision: RevisionState,
    *,
    actor_id: int,
    actor_is_reviewer: bool,
    published_revision: int | None,
    checks: CheckState,
    override_reason: str = "",
) -> None:
    decide_review(revision, actor_id=actor_id, actor_is_reviewer=actor_is_reviewer, action="approved")
    _decide_stale_base(revision, published_revision)
    if checks.status == CHECKS_PENDING:
        raise ChecksPending(
            f"Revision {revision.id} cannot be approved yet: its consistency checks have not finished "
            f"(waiting for {', '.join(checks.missing_rules)}). Try again in a moment."
        )
    if checks.blocks_approval and not override_reason:
        messages = "; ".join(finding["message"] for finding in checks.errors)
        raise ChecksFailed(
            f"Revision {revision.id} has {len(checks.errors)} error(s) standing: {messages} "
            "Reject it, or approve it with an override reason."
        )
    if override_reason and not checks.blocks_approval:
        raise EditorialError(
            f"No error stands on revision {revision.id}; approve it without an override reason."
        )


def _decide_stale_base(revision: RevisionState, published_revision: int | None) -> None:
    if revision.base_revision != published_revision:
        base = f"revision {revision.base_revision}" if revision.base_revision else "no published version (a new article)"
        now = f"revision {published_revision}" if published_revision else "nothing"
        raise StaleBase(
            f"Revision {revision.id} was written against {base}, but {now} is published now; "
            f"reject it, or propose it again on top of revision {published_revision}."
        )


def ensure_base_is_published(base: int | None, published: int | None) -> None:
    """A proposal starts from the published revision, so nobody overwrites a change they have not seen."""
    if base != published:
        raise StaleBase(
            f"You started from revision {base}, but revision {published} has been published since; "
            "open the article again to see that change, then redo yours."
        )


def decide_withdrawal(revision: RevisionState, *, actor_id: int) -> None:
    ensure_open(revision, "withdrawn")
    if revision.author_id != actor_id:
        raise NotAllowed(f"Only the author of revision {revision.id} may withdraw it.")

"""The registered event types and their payloads.

An event's `type` names one of the payload classes below; the payload is
stored as JSON. Adding a type means adding a dataclass here and teaching
the fold (`aggregate/fold.py`) what it does; old events are never rewritten.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class EventPayload:
    type: ClassVar[str]

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict):
        names = {field.name for field in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})


@dataclass(frozen=True)
class RevisionProposed(EventPayload):
    type: ClassVar[str] = "revision.proposed"
    title: str
    content_hash: str
    base_revision: int | None
    summary: str
    # Set when the proposal restores the content of an earlier revision.
    reverts_revision: int | None = None
    # Set when the proposal continues another one (same author) rebased onto `base_revision` by a
    # three-way merge: its parents are that proposal and the base; the merge's own base is that
    # proposal's base. `rebased_by_system`: merged by Stet after an approval, not by the author's hand.
    rebased_from: int | None = None
    rebased_by_system: bool = False
    # The units whose conflicts the author resolved by hand (encyclopedia.merge unit ids).
    resolved_conflicts: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict):
        proposed = super().from_dict(data)
        # JSON keeps a tuple as a list; the payload read back equals the one appended.
        return dataclasses.replace(proposed, resolved_conflicts=tuple(proposed.resolved_conflicts))


@dataclass(frozen=True)
class RevisionApproved(EventPayload):
    type: ClassVar[str] = "revision.approved"
    base_revision: int | None
    # Set when the reviewer approved despite standing errors in the checks.
    override_reason: str = ""


@dataclass(frozen=True)
class RevisionRejected(EventPayload):
    type: ClassVar[str] = "revision.rejected"
    reason: str


@dataclass(frozen=True)
class RevisionWithdrawn(EventPayload):
    type: ClassVar[str] = "revision.withdrawn"
    reason: str = ""


@dataclass(frozen=True)
class ChecksStarted(EventPayload):
    """A worker began checking this content with these rule versions."""

    type: ClassVar[str] = "checks.started"
    content_hash: str
    rule_versions: dict


@dataclass(frozen=True)
class RuleChecked(EventPayload):
    """One rule's result for one content; `error` holds the exception if the rule crashed."""

    type: ClassVar[str] = "checks.rule_checked"
    rule_id: str
    rule_version: int
    content_hash: str
    findings: list
    error: str = ""
    # The published revisions of other articles the rule read ({title: revision id}), for a rule
    # that compares with linked articles: a result is current while they are (see aggregate.verdict).
    linked: dict = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict:
        return _without_empty_linked(super().to_dict())


@dataclass(frozen=True)
class ChecksConcluded(EventPayload):
    """Every rule has a result for this content and these versions: the verdict."""

    type: ClassVar[str] = "checks.concluded"
    content_hash: str
    rule_versions: dict
    verdict: str
    linked: dict = dataclasses.field(default_factory=dict)  # as RuleChecked.linked: what the verdict read

    def to_dict(self) -> dict:
        return _without_empty_linked(super().to_dict())


def _without_empty_linked(data: dict) -> dict:
    # Events recorded before links existed hashed no `linked` key; leaving it out when empty keeps
    # the payloads (and the hash chain's input) of checks that read no other article as they were.
    if not data.get("linked"):
        data.pop("linked", None)
    return data


# The events of a check run, appended to the revision's own checks stream;
# every other event goes on its article's stream.
CHECK_EVENTS = (ChecksStarted, RuleChecked, ChecksConcluded)

EVENT_TYPES: dict[str, type[EventPayload]] = {}


def register(payload_class: type[EventPayload]) -> type[EventPayload]:
    if payload_class.type in EVENT_TYPES and EVENT_TYPES[payload_class.type] is not payload_class:
        raise ValueError(f"event type {payload_class.type!r} is registered twice")
    EVENT_TYPES[payload_class.type] = payload_class
    return payload_class


for _payload_class in (
    RevisionProposed,
    RevisionApproved,
    RevisionRejected,
    RevisionWithdrawn,
    ChecksStarted,
    RuleChecked,
    ChecksConcluded,
):
    register(_payload_class)


def payload_from(event_type: str, data: dict) -> EventPayload:
    try:
        payload_class = EVENT_TYPES[event_type]
    except KeyError:
        raise ValueError(f"unknown event type {event_type!r}") from None
    return payload_class.from_dict(data)

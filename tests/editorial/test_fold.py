"""Revision state is a pure fold of events: tested on plain values, no database."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from editorial import events as ev
from editorial import state
from editorial.errors import InvalidTransition, PermissionDenied, StaleBase

STREAM = uuid.uuid4()
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def recorded(event_id, version, payload, *, actor=1, revision=None):
    return state.RecordedEvent(
        id=event_id,
        stream=STREAM,
        version=version,
        type=payload.type,
        payload=payload,
        actor_id=actor,
        recorded_at=T0 + timedelta(minutes=version),
        revision_id=revision if revision is not None else event_id,
    )


def proposed(event_id, version, *, base=None, actor=1):
    payload = ev.RevisionProposed(title="A", content_hash=f"h{event_id}", base_revision=base, summary="s")
    return recorded(event_id, version, payload, actor=actor)


def test_a_proposal_is_pending_and_remembers_its_author_and_base():
    revision = state.fold_revision([proposed(7, 3, base=4, actor=9)])
    assert (revision.id, revision.status, revision.author_id, revision.base_revision) == (7, "pending", 9, 4)
    assert revision.proposed_at == T0 + timedelta(minutes=3)


@pytest.mark.parametrize(
    ("payload", "status", "reason"),
    [
        (ev.RevisionApproved(base_revision=None), "approved", ""),
        (ev.RevisionRejected(reason="unsourced"), "rejected", "unsourced"),
        (ev.RevisionWithdrawn(reason="mistake"), "withdrawn", "mistake"),
    ],
)
def test_decisions_set_status_decider_and_reason(payload, status, reason):
    revision = state.fold_revision([proposed(1, 1), recorded(2, 2, payload, actor=5, revision=1)])
    assert (revision.status, revision.decided_by_id, revision.decision_reason) == (status, 5, reason)
    assert revision.decided_at == T0 + timedelta(minutes=2)


def test_the_fold_orders_events_by_version_whatever_order_they_come_in():
    events = [recorded(2, 2, ev.RevisionRejected(reason="no"), revision=1), proposed(1, 1)]
    assert state.fold_revision(events).status == "rejected"


def test_an_event_before_its_proposal_cannot_be_folded():
    with pytest.raises(ValueError, match="before its revision was proposed"):
        state.fold_revision([recorded(2, 1, ev.RevisionRejected(reason="no"), revision=1)])


def test_the_stream_fold_tracks_the_published_revision():
    events = [
        proposed(1, 1),
        recorded(2, 2, ev.RevisionApproved(base_revision=None), actor=2, revision=1),
        proposed(3, 3, base=1),
        proposed(4, 4, base=1),
        recorded(5, 5, ev.RevisionApproved(base_revision=1), actor=2, revision=4),
        recorded(6, 6, ev.RevisionRejected(reason="stale"), actor=2, revision=3),
    ]
    stream = state.fold_stream(events)
    assert stream.published_revision == 4
    assert stream.version == 6
    assert {rid: r.status for rid, r in stream.revisions.items()} == {1: "approved", 3: "rejected", 4: "approved"}


def test_approval_rules():
    pending = state.fold_revision([proposed(3, 3, base=1, actor=1)])
    state.decide_approval(pending, actor_id=2, actor_is_reviewer=True, published_revision=1)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        state.decide_approval(pending, actor_id=1, actor_is_reviewer=True, published_revision=1)
    with pytest.raises(PermissionDenied, match="Reviewers"):
        state.decide_approval(pending, actor_id=2, actor_is_reviewer=False, published_revision=1)
    with pytest.raises(StaleBase, match="against revision 1, but revision 4 is published"):
        state.decide_approval(pending, actor_id=2, actor_is_reviewer=True, published_revision=4)


def test_a_decided_revision_cannot_be_decided_again():
    approved = state.fold_revision(
        [proposed(1, 1), recorded(2, 2, ev.RevisionApproved(base_revision=None), actor=2, revision=1)]
    )
    with pytest.raises(InvalidTransition, match="already approved"):
        state.decide_approval(approved, actor_id=3, actor_is_reviewer=True, published_revision=1)
    with pytest.raises(InvalidTransition):
        state.decide_withdrawal(approved, actor_id=1)


def test_only_the_author_withdraws():
    pending = state.fold_revision([proposed(1, 1, actor=1)])
    state.decide_withdrawal(pending, actor_id=1)
    with pytest.raises(PermissionDenied, match="Only the author"):
        state.decide_withdrawal(pending, actor_id=2)

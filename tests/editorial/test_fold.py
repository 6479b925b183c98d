"""Revision state is a pure fold of events: tested on plain values, no database."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from editorial import events as ev
from editorial.aggregate.decisions import Action, Actor, Refused, available_actions, decide
from editorial.aggregate.fold import RecordedEvent, fold_revision, fold_stream
from editorial.aggregate.verdict import CheckState, RuleResult, current_checks
from editorial.errors import ChecksFailed, ChecksPending, EditorialError, InvalidTransition, NotAllowed, StaleBase

STREAM = uuid.uuid4()
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def recorded(event_id, version, payload, *, actor=1, revision=None):
    return RecordedEvent(
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
    revision = fold_revision([proposed(7, 3, base=4, actor=9)])
    assert (revision.id, revision.status, revision.author_id, revision.base_revision_id) == (7, "pending", 9, 4)
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
    revision = fold_revision([proposed(1, 1), recorded(2, 2, payload, actor=5, revision=1)])
    assert (revision.status, revision.decided_by_id, revision.decision_reason) == (status, 5, reason)
    assert revision.decided_at == T0 + timedelta(minutes=2)


def test_the_fold_orders_events_by_version_whatever_order_they_come_in():
    events = [recorded(2, 2, ev.RevisionRejected(reason="no"), revision=1), proposed(1, 1)]
    assert fold_revision(events).status == "rejected"


def test_an_event_before_its_proposal_cannot_be_folded():
    with pytest.raises(ValueError, match="before its revision was proposed"):
        fold_revision([recorded(2, 1, ev.RevisionRejected(reason="no"), revision=1)])


def test_the_stream_fold_tracks_the_published_revision():
    events = [
        proposed(1, 1),
        recorded(2, 2, ev.RevisionApproved(base_revision=None), actor=2, revision=1),
        proposed(3, 3, base=1),
        proposed(4, 4, base=1),
        recorded(5, 5, ev.RevisionApproved(base_revision=1), actor=2, revision=4),
        recorded(6, 6, ev.RevisionRejected(reason="stale"), actor=2, revision=3),
    ]
    stream = fold_stream(events)
    assert stream.published_revision == 4
    assert stream.version == 6
    assert {rid: r.status for rid, r in stream.revisions.items()} == {1: "approved", 3: "rejected", 4: "approved"}


PASSED = CheckState(status="passed", results={}, missing_rules=())


def approve(revision, *, actor_id=2, actor_is_reviewer=True, published_revision, checks, override_reason=""):
    """Ask the decision model what `revision_approve` asks it."""
    action = Action.APPROVE_OVERRIDE if override_reason else Action.APPROVE
    actor = Actor(id=actor_id, may_propose=True, may_review=actor_is_reviewer)
    decide(action, revision, actor, published_revision=published_revision, checks=checks)


def withdraw(revision, *, actor_id):
    decide(Action.WITHDRAW, revision, Actor(id=actor_id, may_propose=True, may_review=False), published_revision=None)


def test_approval_rules():
    pending = fold_revision([proposed(3, 3, base=1, actor=1)])
    approve(pending, actor_id=2, actor_is_reviewer=True, published_revision=1, checks=PASSED)
    with pytest.raises(NotAllowed, match="four-eyes"):
        approve(pending, actor_id=1, actor_is_reviewer=True, published_revision=1, checks=PASSED)
    with pytest.raises(NotAllowed, match="Reviewers"):
        approve(pending, actor_id=2, actor_is_reviewer=False, published_revision=1, checks=PASSED)
    with pytest.raises(StaleBase, match="against revision 1, but revision 4 is published"):
        approve(pending, actor_id=2, actor_is_reviewer=True, published_revision=4, checks=PASSED)


def rule_checked(event_id, version, rule_id, *, rule_version=1, content_hash="h1", findings=(), error=""):
    payload = ev.RuleChecked(
        rule_id=rule_id, rule_version=rule_version, content_hash=content_hash, findings=list(findings), error=error
    )
    return recorded(event_id, version, payload, actor=None, revision=1)


ERROR = {"severity": "error", "message": "Casualties1 says 14, the prose says thirteen.", "target": "lead"}
WARNING = {"severity": "warning", "message": "Casualties1 changed from 13 to 14.", "target": "infobox:Casualties1"}


@pytest.mark.parametrize(
    ("results", "status"),
    [
        ([], "pending"),
        ([("a", ()), ], "pending"),
        ([("a", ()), ("b", ())], "passed"),
        ([("a", (WARNING,)), ("b", ())], "warnings"),
        ([("a", (WARNING,)), ("b", (ERROR,))], "failed"),
        ([("a", ()), ("b", ()), ("b", (ERROR,))], "passed"),  # the first result recorded counts
    ],
)
def test_the_check_state_is_folded_from_rule_results(results, status):
    events = [proposed(1, 1)] + [
        rule_checked(10 + n, 2 + n, rule_id, findings=findings) for n, (rule_id, findings) in enumerate(results)
    ]
    checks = current_checks(fold_revision(events), {"a": 1, "b": 1})
    assert checks.status == status


def test_results_for_other_content_or_an_older_rule_version_are_stale():
    events = [
        proposed(1, 1),
        rule_checked(2, 2, "a", rule_version=1, findings=(ERROR,)),
        rule_checked(3, 3, "b", content_hash="other", findings=(ERROR,)),
    ]
    revision = fold_revision(events)
    assert current_checks(revision, {"a": 2, "b": 1}).missing_rules == ("a", "b")
    assert current_checks(revision, {"a": 1, "b": 1}).missing_rules == ("b",)


def test_a_rule_that_raised_gives_the_state_error_in_a_rule_with_its_message():
    events = [proposed(1, 1), rule_checked(2, 2, "a", error="ZeroDivisionError: division by zero")]
    checks = current_checks(fold_revision(events), {"a": 1})
    assert checks.status == "error" and checks.blocks_approval
    assert "ZeroDivisionError: division by zero" in checks.errors[0]["message"]


def test_the_gate_waits_for_checks_and_needs_an_override_while_errors_stand():
    pending = fold_revision([proposed(3, 3, base=1, actor=1)])
    waiting = CheckState(status="pending", results={}, missing_rules=("dates.claim_before_event",))
    failed = CheckState(
        status="failed",
        results={"a": RuleResult("a", 1, "h3", (ERROR,), "", T0)},
        missing_rules=(),
    )
    decide = dict(actor_id=2, actor_is_reviewer=True, published_revision=1)
    with pytest.raises(ChecksPending, match="dates.claim_before_event"):
        approve(pending, checks=waiting, **decide)
    with pytest.raises(ChecksPending):
        approve(pending, checks=waiting, override_reason="trust me", **decide)
    with pytest.raises(ChecksFailed, match="the prose says thirteen"):
        approve(pending, checks=failed, **decide)
    approve(pending, checks=failed, override_reason="The ministry revised the toll.", **decide)
    with pytest.raises(EditorialError, match="without an override"):
        approve(pending, checks=PASSED, override_reason="just because", **decide)


def test_a_decided_revision_cannot_be_decided_again():
    approved = fold_revision(
        [proposed(1, 1), recorded(2, 2, ev.RevisionApproved(base_revision=None), actor=2, revision=1)]
    )
    with pytest.raises(InvalidTransition, match="already approved"):
        approve(approved, actor_id=3, actor_is_reviewer=True, published_revision=1, checks=PASSED)
    with pytest.raises(InvalidTransition):
        withdraw(approved, actor_id=1)


def test_only_the_author_withdraws():
    pending = fold_revision([proposed(1, 1, actor=1)])
    withdraw(pending, actor_id=1)
    with pytest.raises(NotAllowed, match="Only the author"):
        withdraw(pending, actor_id=2)


def test_the_actions_offered_are_the_ones_the_decisions_allow():
    pending = fold_revision([proposed(3, 3, base=1, actor=1)])
    author = Actor(id=1, may_propose=True, may_review=True)
    reviewer = Actor(id=2, may_propose=True, may_review=True)
    assert available_actions(pending, author, published_revision=1, checks=PASSED).allowed == {Action.WITHDRAW}
    assert available_actions(pending, reviewer, published_revision=1, checks=PASSED).allowed == {
        Action.APPROVE,
        Action.REJECT,
    }
    stale = available_actions(pending, reviewer, published_revision=4, checks=PASSED)
    assert stale.allowed == {Action.REJECT} and stale.why_not(Action.APPROVE) is Refused.STALE_BASE
    # A page that has not read the checks never offers an approval.
    assert available_actions(pending, reviewer, published_revision=1).why_not(Action.APPROVE) is Refused.CHECKS_PENDING


def test_only_an_editor_restores_a_decided_revision_that_is_not_the_published_one():
    approved = fold_revision(
        [proposed(1, 1), recorded(2, 2, ev.RevisionApproved(base_revision=None), actor=2, revision=1)]
    )
    pending = fold_revision([proposed(3, 3, base=1)])
    editor = Actor(id=5, may_propose=True, may_review=False)
    reader = Actor(id=None, may_propose=False, may_review=False)
    assert Action.RESTORE in available_actions(approved, editor, published_revision=4)
    assert available_actions(approved, reader, published_revision=4).why_not(Action.RESTORE) is Refused.NOT_EDITOR
    assert available_actions(approved, editor, published_revision=1).why_not(Action.RESTORE) is Refused.ALREADY_PUBLISHED
    with pytest.raises(InvalidTransition, match="still pending"):
        decide(Action.RESTORE, pending, editor, published_revision=1)

"""`replay_events --verify` on a live site: it reads one snapshot, so writers going on meanwhile cause no false difference.

These tests commit for real (transactional), since the snapshot is what
verify opens outside any transaction of its own caller.
"""

import threading

import pytest
from django.db import connection

from editorial import replay, verify
from editorial.services import revision_approve
from editorial.models import Event
from encyclopedia.models import InfoboxField

from tests.support.factories import propose_checked, with_infobox

pytestmark = pytest.mark.django_db(transaction=True)


def in_a_thread(action) -> None:
    """Run an action on another connection, committed, and wait for it."""
    failure = []

    def run():
        try:
            action()
        except Exception as error:  # reported below
            failure.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive() and not failure, failure


def test_an_approval_committed_while_verify_runs_is_not_a_difference(
    published_seed, seed_content, editor, reviewer2, monkeypatch
):
    pending = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "15 killed"), summary="s")
    events_before = Event.objects.count()
    real_live_history = verify.live_history

    def approve_meanwhile():
        # verify has read the events and the published tables' rows by now, not yet their history.
        in_a_thread(lambda: revision_approve(actor=reviewer2, revision_id=pending.id))
        return real_live_history()

    monkeypatch.setattr(verify, "live_history", approve_meanwhile)
    report = replay.verify()

    assert Event.objects.count() > events_before, "the rival approval was committed"
    assert InfoboxField.history.filter(revision_id=pending.id).exists()
    assert report.problems == []
    assert report.events == events_before
    monkeypatch.undo()
    assert replay.verify().problems == [], "and the next run sees the approval, consistent"


def test_verify_leaves_no_transaction_open(published_seed, seed_content, editor):
    assert replay.verify().ok
    assert not connection.in_atomic_block
    # The connection writes normally afterwards (on SQLite, no read transaction was left behind).
    propose_checked(actor=editor, content=with_infobox(seed_content, "Notes", "after"), summary="after")
    assert replay.verify().ok

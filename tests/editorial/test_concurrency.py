"""Rival approvals racing in threads: exactly one wins each time, nothing is lost."""

import threading

import pytest
from django.db import connection

from editorial import replay
from editorial.services import revision_approve, revision_propose
from editorial.errors import EditorialError, InvalidTransition, StaleBase
from editorial.models import Event
from encyclopedia.models import Article

from tests.support.factories import with_infobox


def race(*actions, timeout: float = 60.0) -> list:
    """Start the actions together; return each one's result or exception."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = action()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racing approval did not finish in time"
    return outcomes


def run_rival_approvals(trials, seed_content, editor, editor2, reviewer, reviewer2):
    winners = []
    for trial in range(trials):
        first = revision_propose(
            actor=editor, content=with_infobox(seed_content, "Result", f"{trial}a killed"), summary="a"
        )
        second = revision_propose(
            actor=editor2, content=with_infobox(seed_content, "Result", f"{trial}b killed"), summary="b"
        )
        outcomes = race(
            lambda: revision_approve(actor=reviewer, revision_id=first.id),
            lambda: revision_approve(actor=reviewer2, revision_id=second.id),
        )
        won = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
        lost = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
        assert len(won) == 1, f"trial {trial}: {outcomes}"
        assert len(lost) == 1 and isinstance(lost[0], StaleBase), f"trial {trial}: {outcomes}"
        assert Article.objects.get().current_revision_id == won[0].id
        winners.append(won[0].id)
    return winners


def check_nothing_lost(winners, seed_revision):
    approved = list(Event.objects.filter(type="revision.approved").order_by("id").values_list("revision_id", flat=True))
    assert approved == [seed_revision, *winners]
    report = replay.verify()
    assert report.problems == []


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_one_hundred_rival_approvals_on_postgresql(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    winners = run_rival_approvals(100, seed_content, editor, editor2, reviewer, reviewer2)
    check_nothing_lost(winners, published_seed.id)


@pytest.mark.django_db(transaction=True)
def test_rival_approvals_on_the_configured_database(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    winners = run_rival_approvals(15, seed_content, editor, editor2, reviewer, reviewer2)
    check_nothing_lost(winners, published_seed.id)


@pytest.mark.django_db(transaction=True)
def test_the_same_revision_approved_twice_at_once_is_approved_once(published_seed, seed_content, editor, reviewer, reviewer2):
    for trial in range(10):
        proposal = revision_propose(
            actor=editor, content=with_infobox(seed_content, "Partof", f"Insurgency {trial}"), summary="x"
        )
        outcomes = race(
            lambda: revision_approve(actor=reviewer, revision_id=proposal.id),
            lambda: revision_approve(actor=reviewer2, revision_id=proposal.id),
        )
        # The loser waits for the winner's commit and is refused on what it then reads; it never gives up.
        gave_up = [o for o in outcomes if isinstance(o, EditorialError) and "being changed by others" in str(o)]
        assert not gave_up, f"trial {trial}: {gave_up}"
        assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
        assert all(isinstance(o, InvalidTransition) for o in outcomes if isinstance(o, Exception)), outcomes
        assert Event.objects.filter(revision_id=proposal.id, type="revision.approved").count() == 1
    assert replay.verify().ok


@pytest.mark.django_db(transaction=True)
def test_eight_editors_proposing_at_once_all_get_their_proposal_recorded(
    published_seed, seed_content, django_user_model
):
    from tests.support.factories import add_to_group

    editors = [add_to_group(django_user_model.objects.create_user(f"burst{n}"), "Editors") for n in range(8)]
    for burst in range(3):
        outcomes = race(
            *(
                (lambda n=n: revision_propose(
                    actor=editors[n],
                    content=with_infobox(seed_content, "Partof", f"Insurgency, burst {burst}, editor {n}"),
                    summary=f"editor {n}",
                ))
                for n in range(8)
            )
        )
        refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
        assert refused == [], f"burst {burst}: {len(refused)} of 8 refused: {refused[:3]}"
        assert {outcome.base_revision_id for outcome in outcomes} == {published_seed.id}
    assert Event.objects.filter(type="revision.proposed").count() == 1 + 3 * 8
    assert replay.verify().problems == []


@pytest.mark.django_db(transaction=True)
def test_rival_first_drafts_of_one_title_become_rival_proposals_in_one_stream(seed_content, editor, editor2, reviewer):
    import dataclasses

    from editorial.models import ArticleAddress, Revision

    for trial in range(5):
        title = f"Attack on Koutougou {trial}"
        drafts = [
            dataclasses.replace(with_infobox(seed_content, "Partof", f"draft {n}"), title=title) for n in range(6)
        ]
        authors = [editor, editor2] * 3
        outcomes = race(
            *(
                (lambda n=n: revision_propose(actor=authors[n], content=drafts[n], summary=f"draft {n}"))
                for n in range(6)
            )
        )
        assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
        streams = {outcome.stream for outcome in outcomes}
        assert len(streams) == 1, f"trial {trial}: {len(streams)} streams for one title"
        assert ArticleAddress.objects.get(slug=Revision.objects.get(id=outcomes[0].id).slug).stream in streams
        assert {outcome.base_revision_id for outcome in outcomes} == {None}
    assert replay.verify().problems == []

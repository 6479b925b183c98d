"""Withdraw on the review page: the author takes back a pending revision, through the command.

Only the author is offered the button, and only while the revision is
pending; anyone else who posts it is refused with the command's message,
and nothing is recorded.
"""

from __future__ import annotations

import pytest

from editorial.services import revision_reject
from editorial.events import RevisionWithdrawn
from editorial.models import Event, Revision
from encyclopedia.models import Article

from tests.support.factories import client_for, propose_checked, with_infobox
from tests.support.html import dom, messages_on
from tests.support.urls import review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(published_seed, seed_content, editor):
    """A pending revision by `editor` (eda), checks concluded."""
    return propose_checked(
        actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="Wider context"
    )


def withdrawals(revision_id: int) -> int:
    return Event.objects.filter(revision_id=revision_id, type=RevisionWithdrawn.type).count()


def test_the_author_withdraws_with_the_pages_own_form_and_csrf_token(pending, editor, published_seed):
    client = client_for(editor, enforce_csrf_checks=True)
    page = dom(client.get(review_url(pending.id)))
    button = page.one("button", id="withdraw")
    form = button.parent
    assert form.one("input", name="action").attrs["value"] == "withdraw"
    token = form.one("input", name="csrfmiddlewaretoken").attrs["value"]

    response = client.post(
        review_url(pending.id),
        {"action": "withdraw", "withdraw_reason": "  Found a better source  ", "csrfmiddlewaretoken": token},
    )

    # The author stays on their proposal's page, which now says it is withdrawn.
    assert response.status_code == 302
    assert response["Location"] == review_url(pending.id)
    row = Revision.objects.get(id=pending.id)
    assert (row.status, row.decided_by, row.decision_reason) == ("withdrawn", editor, "Found a better source")
    assert withdrawals(pending.id) == 1
    assert Article.objects.get().current_revision_id == published_seed.id

    after = dom(client.get(review_url(pending.id)))
    assert messages_on(after) == [f"Revision {pending.id} withdrawn."]
    assert after.one(id="standing-headline").text() == "Your proposal was withdrawn"
    assert not after.select(id="withdraw")
    decision = after.one("section", id="decision").text()
    assert "Withdrawn" in decision and "eda" in decision
    assert after.one(id="decision-reason").text() == "Found a better source"


def test_a_post_without_the_csrf_token_withdraws_nothing(pending, editor):
    response = client_for(editor, enforce_csrf_checks=True).post(review_url(pending.id), {"action": "withdraw"})
    assert response.status_code == 403
    assert Revision.objects.get(id=pending.id).status == "pending"
    assert withdrawals(pending.id) == 0


@pytest.mark.parametrize("who", ["editor2", "reviewer"])
def test_nobody_but_the_author_is_offered_withdraw_or_may_post_it(pending, who, request):
    client = client_for(request.getfixturevalue(who))
    assert not dom(client.get(review_url(pending.id))).select(id="withdraw")
    events_before = Event.objects.count()

    response = client.post(review_url(pending.id), {"action": "withdraw", "withdraw_reason": "not mine"})

    assert response.status_code == 403
    assert messages_on(dom(response)) == [f"Only the author of revision {pending.id} may withdraw it."]
    assert Event.objects.count() == events_before
    assert Revision.objects.get(id=pending.id).status == "pending"


def test_a_reviewer_who_wrote_the_revision_may_withdraw_it_but_not_review_it(published_seed, seed_content, reviewer):
    own = propose_checked(actor=reviewer, content=with_infobox(seed_content, "Result", "Draw"), summary="mine")
    page = dom(client_for(reviewer).get(review_url(own.id)))
    assert page.one("button", id="withdraw")
    assert not page.select(id="approve") and not page.select(id="reject")
    assert "four-eyes" in page.one(class_="action-note").text()

    assert client_for(reviewer).post(review_url(own.id), {"action": "withdraw"}).status_code == 302
    assert Revision.objects.get(id=own.id).status == "withdrawn"


def test_a_decided_revision_cannot_be_withdrawn(pending, editor, reviewer):
    revision_reject(actor=reviewer, revision_id=pending.id, reason="Unsourced")
    client = client_for(editor)
    assert not dom(client.get(review_url(pending.id))).select(id="withdraw")

    response = client.post(review_url(pending.id), {"action": "withdraw"})

    assert response.status_code == 409
    (message,) = messages_on(dom(response))
    assert f"Revision {pending.id} cannot be withdrawn: it was already rejected" in message
    assert Revision.objects.get(id=pending.id).status == "rejected"
    assert withdrawals(pending.id) == 0

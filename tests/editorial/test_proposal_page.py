"""The review page as the proposal's own page for its author, and the editor's "My proposals" list.

The author reads where the proposal stands (checks running, pending,
approved, rejected with the reason, withdrawn), may withdraw it, and may
edit again from it; nobody else is offered either. `?mine=1` narrows the
review queue to one's own revisions, in every status.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editorial.checks import check_revision
from editorial.models import Revision
from editorial.services import revision_approve, revision_propose, revision_reject, revision_withdraw
from encyclopedia.models import Article

from tests.support.factories import client_for, propose_checked, tongo_tongo, with_infobox
from tests.support.html import dom
from tests.support.urls import queue_url, review_url

pytestmark = pytest.mark.django_db

CASUALTIES_AFTER = "14 killed, 5 injured, 3 vehicles captured"


def my_proposals_url() -> str:
    return queue_url() + "?mine=1"


def edit_again_url(revision_id: int) -> str:
    article = Article.objects.get()
    return reverse("admin:encyclopedia_article_change", args=[article.pk]) + f"?from_revision={revision_id}"


def standing_of(response) -> tuple[str, str, list[str]]:
    """The header: its state, its headline and its sentences."""
    header = dom(response).one("section", id="standing")
    details = [" ".join(p.text().split()) for p in header.select("p", class_="standing-detail")]
    return header.attrs["data-state"], header.one(id="standing-headline").text(), details


@pytest.fixture
def failing(published_seed, seed_content, editor):
    """Casualties1 13 -> 14 by eda, checked: the prose still says 13, so errors stand."""
    return propose_checked(
        actor=editor, content=with_infobox(seed_content, "Casualties1", CASUALTIES_AFTER), summary="One more killed"
    )


# --- The author's page ---------------------------------------------------------------------


def test_the_author_sees_where_it_stands_withdraw_and_edit_again(failing, editor):
    response = client_for(editor).get(review_url(failing.id))
    assert response.status_code == 200
    state, headline, details = standing_of(response)
    assert (state, headline) == ("pending", "Your proposal is pending review")
    assert details[0].startswith(
        "The consistency checks found 2 errors and 1 warning, shown below next to what they concern"
    )
    assert "overriding them with a reason" in details[0] and "You can withdraw it and edit again" in details[0]
    assert details[-1] == "It waits for a reviewer; you will see the decision here."

    page = dom(response)
    actions = page.one(id="author-actions")
    assert actions.one("button", id="withdraw")
    link = actions.one("a", id="edit-again")
    assert (link.text(), link.attrs["href"]) == ("Edit again", edit_again_url(failing.id))
    # The findings are on the same page, in plain words.
    assert page.select("li", class_="finding", data_rule="casualties.infobox_prose")
    # The author finds the way back to their own list.
    crumbs = page.one("div", class_="breadcrumbs")
    assert my_proposals_url() in [a.attrs["href"] for a in crumbs.select("a")]


@pytest.mark.parametrize("who", ["editor2", "reviewer"])
def test_nobody_else_is_offered_withdraw_or_edit_again(failing, who, request):
    page = dom(client_for(request.getfixturevalue(who)).get(review_url(failing.id)))
    assert not page.select(id="withdraw")
    assert not page.select(id="edit-again") and not page.select(id="edit-again-note")
    assert not page.select(id="author-actions")
    assert page.one(id="standing-headline").text() == "This proposal is pending review"
    assert queue_url() in [a.attrs["href"] for a in page.one("div", class_="breadcrumbs").select("a")]


def test_reviewers_keep_their_actions_and_the_author_is_not_told_of_them(failing, editor, editor2, reviewer):
    page = dom(client_for(reviewer).get(review_url(failing.id)))
    assert page.one("button", id="approve-override") and page.one("button", id="reject")
    # The author reads the header; another editor is told why there are no buttons.
    assert not dom(client_for(editor).get(review_url(failing.id))).select(id="review-actions")
    note = dom(client_for(editor2).get(review_url(failing.id))).one(class_="action-note").text()
    assert note == "Only members of the Reviewers group may approve or reject revisions."


def test_while_the_checks_run_the_header_says_so_with_a_reload_link(published_seed, seed_content, editor):
    # Proposed without running the on-commit checks: they have not run yet.
    revision = revision_propose(
        actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="Context"
    )
    response = client_for(editor).get(review_url(revision.id))
    state, headline, details = standing_of(response)
    assert (state, headline) == ("checking", "Your proposal is waiting for its checks")
    assert details[0].startswith("The consistency checks are still running")
    reload_link = dom(response).one("a", id="reload-checks")
    assert reload_link.attrs["href"] == review_url(revision.id)


def test_the_page_asks_where_the_proposal_stands_while_the_checks_run(published_seed, seed_content, editor, django_user_model):
    revision = revision_propose(
        actor=editor, content=with_infobox(seed_content, "Casualties1", CASUALTIES_AFTER), summary="One more killed"
    )
    client = client_for(editor)
    header = dom(client.get(review_url(revision.id))).one("section", id="standing")
    standing_url = header.attrs["data-standing-url"]
    assert standing_url == reverse("admin:editorial_revision_standing", args=[revision.id])
    assert client.get(standing_url).json() == {
        "state": "checking",
        "headline": "Your proposal is waiting for its checks",
        "checks_running": True,
    }

    check_revision(revision.id)  # what the worker runs after the commit
    answer = client.get(standing_url)
    assert answer.json() == {"state": "pending", "headline": "Your proposal is pending review", "checks_running": False}
    assert "no-store" in answer["Cache-Control"]
    # Once the checks have finished the page no longer asks.
    assert b"standingUrl" not in client.get(review_url(revision.id)).content

    staff = django_user_model.objects.create_user("sam", password="pw", is_staff=True)
    assert client_for(staff).get(standing_url).status_code == 403
    assert client.get(reverse("admin:editorial_revision_standing", args=[revision.id + 1000])).status_code == 404


def test_when_the_checks_pass_the_header_says_it_waits_for_a_reviewer(published_seed, seed_content, editor):
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="Context"
    )
    response = client_for(editor).get(review_url(revision.id))
    assert standing_of(response) == (
        "pending",
        "Your proposal is pending review",
        [
            "The consistency checks found nothing wrong with this edit.",
            "It waits for a reviewer; you will see the decision here.",
        ],
    )
    assert not dom(response).select(id="reload-checks")


def test_a_rejected_proposal_shows_who_rejected_it_why_and_edit_again(failing, editor, reviewer):
    revision_reject(actor=reviewer, revision_id=failing.id, reason="The prose still says thirteen.")
    response = client_for(editor).get(review_url(failing.id))
    assert standing_of(response) == (
        "rejected",
        "Your proposal was rejected",
        ["Edit again starts a new proposal from this one, with what you wrote."],
    )
    page = dom(response)
    decision = page.one("section", id="decision")
    assert decision.within(page.one("section", id="standing"))  # who, when and why, under the headline
    assert " ".join(decision.one(class_="decided").text().split()).startswith("Rejected by rosa on ")
    assert page.one(id="decision-reason").text() == "Reason: The prose still says thirteen."
    assert page.one("a", id="edit-again").attrs["href"] == edit_again_url(failing.id)
    assert not page.select(id="withdraw")


def test_a_withdrawn_proposal_can_be_edited_again(failing, editor):
    revision_withdraw(actor=editor, revision_id=failing.id, reason="")
    response = client_for(editor).get(review_url(failing.id))
    assert standing_of(response) == ("withdrawn", "Your proposal was withdrawn", [])
    assert " ".join(dom(response).one(class_="decided").text().split()).startswith("Withdrawn by eda on ")
    assert dom(response).one("a", id="edit-again").attrs["href"] == edit_again_url(failing.id)


def test_an_approved_published_proposal_offers_to_edit_the_article_as_it_stands(published_seed, seed_content, editor, reviewer):
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="Context"
    )
    revision_approve(actor=reviewer, revision_id=revision.id)
    response = client_for(editor).get(review_url(revision.id))
    assert standing_of(response) == (
        "approved",
        "Your proposal was approved",
        ["It is the published version of the article."],
    )
    link = dom(response).one("a", id="edit-again")
    article = Article.objects.get()
    assert (link.text(), link.attrs["href"]) == (
        "Edit the article",
        reverse("admin:encyclopedia_article_change", args=[article.pk]),
    )


def test_a_new_article_has_no_edit_again_link_and_the_page_says_why(db, editor):
    revision = propose_checked(actor=editor, content=tongo_tongo(), summary="New article")
    assert not Article.objects.exists()
    page = dom(client_for(editor).get(review_url(revision.id)))
    assert not page.select(id="edit-again")
    assert "new article" in page.one(id="edit-again-note").text()
    assert page.one("button", id="withdraw")


def test_a_stale_proposal_says_it_cannot_be_approved_and_offers_its_author_the_merge(
    failing, published_seed, seed_content, editor, editor2, reviewer
):
    newer = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="Context"
    )
    revision_approve(actor=reviewer, revision_id=newer.id)  # its on-commit rebase does not run here

    _state, _headline, details = standing_of(client_for(editor).get(review_url(failing.id)))
    [stale] = [detail for detail in details if detail.startswith("It was written against")]
    assert stale.startswith(
        f"It was written against revision {published_seed.id}, and revision {newer.id} has been published since: "
        "it cannot be approved as it is."
    )
    assert "choose what to keep on the merge page" in stale
    note = dom(client_for(reviewer).get(review_url(failing.id))).one(class_="action-note").text()
    assert "its author carries it onto the published version by a merge" in note


# --- My proposals ------------------------------------------------------------------------------


@pytest.fixture
def proposals(failing, published_seed, seed_content, editor, editor2, reviewer):
    """eda: a pending (failing), a rejected, a withdrawn proposal; emil: a pending one."""
    rejected = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "Draw"), summary="Draw")
    revision_reject(actor=reviewer, revision_id=rejected.id, reason="Unsourced")
    withdrawn = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "Win"), summary="Win")
    revision_withdraw(actor=editor, revision_id=withdrawn.id, reason="")
    others = propose_checked(actor=editor2, content=with_infobox(seed_content, "Partof", "Sahel"), summary="Theirs")
    return {"failing": failing, "rejected": rejected, "withdrawn": withdrawn, "others": others, "seed": published_seed}


def listed(response) -> list[int]:
    """The revision ids of the changelist's rows, in order, read from each row's ID link."""
    tables = dom(response).select("table", id="result_list")
    if not tables:
        return []
    return [int(row.one(class_="field-id").text()) for row in tables[0].one("tbody").select("tr")]


def test_my_proposals_lists_only_mine_in_every_status_newest_first(proposals, editor):
    # Their clocks apart, so that newest first is a real order.
    start = timezone.now() - datetime.timedelta(hours=1)
    for minutes, name in enumerate(("seed", "failing", "rejected", "withdrawn", "others")):
        Revision.objects.filter(id=proposals[name].id).update(proposed_at=start + datetime.timedelta(minutes=minutes))

    response = client_for(editor).get(my_proposals_url())
    assert response.status_code == 200
    # The seed is eda's too (she imported it): approved, and listed.
    assert listed(response) == [proposals[name].id for name in ("withdrawn", "rejected", "failing", "seed")]
    page = dom(response)
    assert page.one("h1").text() == "My proposals"
    author_filter = page.one("details", data_filter_title="author")
    assert author_filter.one("li", class_="selected").text().strip() == "Me"
    status_filter = page.one("details", data_filter_title="status")
    assert status_filter.one("li", class_="selected").text().strip() == "All"
    assert page.one("a", id="review-queue-link").attrs["href"] == queue_url()

    # Narrowed by status like the queue; another editor sees only theirs.
    assert listed(client_for(editor).get(my_proposals_url() + "&status=rejected")) == [proposals["rejected"].id]
    assert listed(client_for(editor).get(my_proposals_url() + "&status=pending")) == [proposals["failing"].id]


def test_another_editors_list_holds_only_theirs(proposals, editor2):
    assert listed(client_for(editor2).get(my_proposals_url())) == [proposals["others"].id]


def test_a_reviewer_who_proposed_nothing_has_an_empty_list(proposals, reviewer2):
    assert listed(client_for(reviewer2).get(my_proposals_url())) == []


def test_the_queue_is_unchanged_without_mine_and_links_to_my_proposals(proposals, editor):
    response = client_for(editor).get(queue_url())
    assert listed(response) == [proposals["failing"].id, proposals["others"].id]  # pending, oldest first
    page = dom(response)
    assert page.one("h1").text() == "Review queue"
    assert page.one("a", id="my-proposals-link").attrs["href"] == my_proposals_url()


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_admin_index_links_to_my_proposals(db, who, request):
    page = dom(client_for(request.getfixturevalue(who)).get(reverse("admin:index")))
    assert page.one("a", id="index-my-proposals").attrs["href"] == my_proposals_url()
    assert page.one("a", id="index-review-queue").attrs["href"] == queue_url()


def test_the_admin_index_has_no_proposals_link_for_staff_without_a_role(db, django_user_model):
    staff = django_user_model.objects.create_user("sam", password="pw", is_staff=True)
    page = dom(client_for(staff).get(reverse("admin:index")))
    assert not page.select(id="proposals-module")


# --- Query counts --------------------------------------------------------------------------------


def test_my_proposals_costs_the_same_queries_at_5_and_at_150_revisions(published_seed, seed_content, editor, editor2):
    def grow(until: int) -> None:
        for number in range(Revision.objects.count(), until):
            revision_propose(
                actor=editor if number % 2 else editor2,
                content=with_infobox(seed_content, "Result", f"Result {number}"),
                summary=f"edit {number}",
            )

    def measure() -> int:
        client = client_for(editor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(my_proposals_url()).status_code == 200
        return len(captured.captured_queries)

    grow(5)
    at_5 = measure()
    grow(150)
    at_150 = measure()
    assert at_150 == at_5
    assert at_5 <= 12


def test_the_authors_page_costs_no_more_queries_than_a_reviewers(failing, editor, reviewer2):
    def measure(user) -> int:
        client = client_for(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(review_url(failing.id)).status_code == 200
        return len(captured.captured_queries)

    assert measure(editor) <= measure(reviewer2)

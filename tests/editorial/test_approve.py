"""Approving: reviewers only, four eyes, conflicts on a stale base, at most once."""

import pytest
from django.test import TestCase

from editorial.services import revision_approve, revision_propose, revision_reject, revision_revert, revision_withdraw
from editorial.errors import EditorialError, InvalidTransition, NotAllowed, StaleBase
from editorial.models import Event, Revision
from encyclopedia.models import Article

from tests.support.factories import propose_checked, with_infobox, with_lead

pytestmark = pytest.mark.django_db


def propose_casualties(author, content, value, **kwargs):
    return propose_checked(
        actor=author, content=with_infobox(content, "Result", value), summary=f"Casualties: {value}", **kwargs
    )


def test_approving_publishes_the_revision(published_seed, seed_content, editor, reviewer):
    revision = propose_casualties(editor, seed_content, "14 killed, 5 injured")
    assert Article.objects.get().infobox_fields.get(key="Result").value == "ISGS victory"

    approved = revision_approve(actor=reviewer, revision_id=revision.id)

    article = Article.objects.get()
    assert approved.status == "approved"
    assert article.current_revision_id == revision.id
    assert article.infobox_fields.get(key="Result").value == "14 killed, 5 injured"
    row = Revision.objects.get(id=revision.id)
    assert (row.status, row.decided_by, row.base_revision_id) == ("approved", reviewer, published_seed.id)


def test_nobody_approves_their_own_revision(published_seed, seed_content, reviewer, reviewer2):
    revision = propose_casualties(reviewer, seed_content, "14 killed")
    with pytest.raises(NotAllowed, match="four-eyes"):
        revision_approve(actor=reviewer, revision_id=revision.id)
    with pytest.raises(NotAllowed, match="four-eyes"):
        revision_reject(actor=reviewer, revision_id=revision.id, reason="mine")
    revision_approve(actor=reviewer2, revision_id=revision.id)


@pytest.mark.parametrize("who", ["editor2", "outsider"])
def test_only_reviewers_approve_or_reject(request, published_seed, seed_content, editor, who):
    actor = request.getfixturevalue(who)
    revision = propose_casualties(editor, seed_content, "14 killed")
    with pytest.raises(NotAllowed, match="Reviewers"):
        revision_approve(actor=actor, revision_id=revision.id)
    with pytest.raises(NotAllowed, match="Reviewers"):
        revision_reject(actor=actor, revision_id=revision.id, reason="no")
    assert Revision.objects.get(id=revision.id).status == "pending"


def test_people_outside_the_groups_cannot_propose(db, outsider, seed_content):
    with pytest.raises(NotAllowed, match="Editors or Reviewers"):
        propose_checked(actor=outsider, content=seed_content, summary="hello")
    assert not Event.objects.exists()


def test_approving_on_a_stale_base_is_a_conflict_naming_both_revisions(
    published_seed, seed_content, editor, editor2, reviewer
):
    first = propose_casualties(editor, seed_content, "14 killed")
    rival = propose_casualties(editor2, seed_content, "15 killed")
    revision_approve(actor=reviewer, revision_id=first.id)

    with pytest.raises(StaleBase) as conflict:
        revision_approve(actor=reviewer, revision_id=rival.id)

    message = str(conflict.value)
    assert f"Revision {rival.id} was written against revision {published_seed.id}" in message
    assert f"revision {first.id} is published now" in message
    article = Article.objects.get()
    assert article.current_revision_id == first.id
    assert article.infobox_fields.get(key="Result").value == "14 killed"


def test_a_revision_is_approved_at_most_once(published_seed, seed_content, editor, reviewer, reviewer2):
    revision = propose_casualties(editor, seed_content, "14 killed")
    revision_approve(actor=reviewer, revision_id=revision.id)
    with pytest.raises(InvalidTransition, match="already approved"):
        revision_approve(actor=reviewer2, revision_id=revision.id)
    assert Event.objects.filter(revision_id=revision.id, type="revision.approved").count() == 1


def test_rejecting_needs_a_reason_and_keeps_the_published_article(published_seed, seed_content, editor, reviewer):
    revision = propose_casualties(editor, seed_content, "14 killed")
    with pytest.raises(EditorialError, match="needs a reason"):
        revision_reject(actor=reviewer, revision_id=revision.id, reason="  ")
    rejected = revision_reject(actor=reviewer, revision_id=revision.id, reason="The prose still says thirteen.")
    assert (rejected.status, rejected.decision_reason) == ("rejected", "The prose still says thirteen.")
    assert Article.objects.get().current_revision_id == published_seed.id
    with pytest.raises(InvalidTransition, match="already rejected"):
        revision_approve(actor=reviewer, revision_id=revision.id)


def test_only_the_author_withdraws_a_pending_revision(published_seed, seed_content, editor, editor2):
    revision = propose_casualties(editor, seed_content, "14 killed")
    with pytest.raises(NotAllowed):
        revision_withdraw(actor=editor2, revision_id=revision.id)
    assert revision_withdraw(actor=editor, revision_id=revision.id).status == "withdrawn"


def test_revert_proposes_the_earlier_content_again(published_seed, seed_content, editor, reviewer, reviewer2):
    changed = propose_casualties(editor, seed_content, "14 killed")
    revision_approve(actor=reviewer, revision_id=changed.id)

    with TestCase.captureOnCommitCallbacks(execute=True):
        restore = revision_revert(actor=editor, revision_id=published_seed.id)

    assert (restore.status, restore.base_revision_id, restore.reverts_revision_id) == ("pending", changed.id, published_seed.id)
    assert restore.content_hash == published_seed.content_hash
    revision_approve(actor=reviewer2, revision_id=restore.id)
    assert Article.objects.get().to_content() == seed_content


def test_a_proposal_identical_to_the_published_content_is_refused(published_seed, seed_content, editor):
    with pytest.raises(EditorialError, match="Nothing to propose"):
        propose_checked(actor=editor, content=seed_content, summary="no change")


def test_a_proposal_on_an_outdated_base_is_refused(published_seed, seed_content, editor, reviewer):
    newer = propose_casualties(editor, seed_content, "14 killed")
    revision_approve(actor=reviewer, revision_id=newer.id)
    with pytest.raises(StaleBase, match=f"revision {newer.id} has been published since"):
        propose_casualties(editor, seed_content, "15 killed", base_revision=published_seed.id)


def test_identical_content_is_stored_once(published_seed, seed_content, editor, editor2):
    from editorial.models import ContentBlob

    first = propose_casualties(editor, seed_content, "14 killed")
    second = propose_casualties(editor2, seed_content, "14 killed")
    assert first.content_hash == second.content_hash
    assert ContentBlob.objects.count() == 2  # the seed and the one edit


def test_a_superuser_reviews_only_once_made_a_reviewer(published_seed, seed_content, editor, django_user_model):
    """Being a superuser is not an editorial role: roles come from the Editors and Reviewers groups."""
    from tests.support.factories import add_to_group

    admin = django_user_model.objects.create_superuser("root", password="pw")
    revision = propose_casualties(editor, seed_content, "ISGS tactical victory")
    with pytest.raises(NotAllowed, match="Reviewers group"):
        revision_approve(actor=admin, revision_id=revision.id)
    with pytest.raises(NotAllowed, match="Editors or Reviewers"):
        revision_propose(actor=admin, content=with_infobox(seed_content, "Partof", "x"), summary="x")
    assert Revision.objects.get(id=revision.id).status == "pending"

    admin = django_user_model.objects.get(pk=admin.pk)  # a fresh request sees the new membership
    add_to_group(admin, "Reviewers")
    assert revision_approve(actor=admin, revision_id=revision.id).status == "approved"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda content: (with_lead(content, "A lead with a \x00 in it."), "fix"), "the lead holds a NUL character"),
        (lambda content: (with_infobox(content, "K" * 101, "1"), "fix"), "the infobox key"),
        (lambda content: (with_lead(content, "Another lead."), "typo\x00"), "edit summary holds a NUL character"),
    ],
    ids=["nul-in-lead", "key-too-long", "nul-in-summary"],
)
def test_a_proposal_the_database_cannot_store_is_refused_with_what_to_fix(
    published_seed, seed_content, editor, change, expected
):
    # Content built by code (not the text format or the form) passes through the same limits.
    content, summary = change(seed_content)
    events = Event.objects.count()
    with pytest.raises(EditorialError, match=expected):
        revision_propose(actor=editor, content=content, summary=summary)
    assert Event.objects.count() == events

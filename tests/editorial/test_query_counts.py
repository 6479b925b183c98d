"""Approving and reading cost the same number of queries at 10 and at 1,000 earlier revisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from editorial.services import revision_approve
from encyclopedia.selectors import article_get_published

from tests.support.factories import propose_checked, with_infobox

pytestmark = pytest.mark.django_db


def grow_history(seed_content, editor, reviewer, until: int) -> None:
    """Propose and approve until the article has `until` revisions, half of them left pending."""
    for number in range(until - 1):
        content = with_infobox(seed_content, "Result", f"{number + 20} killed, 5 injured")
        revision = propose_checked(actor=editor, content=content, summary=f"edit {number}")
        if number % 2:
            revision_approve(actor=reviewer, revision_id=revision.id)


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def measure(seed_content, editor, reviewer2, reviewer) -> tuple[int, int, int]:
    # Fresh user objects, as each request has: no permission cache carried over.
    editor, reviewer2 = (type(user).objects.get(pk=user.pk) for user in (editor, reviewer2))
    proposal = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="measured"
    )
    approve = queries_of(lambda: revision_approve(actor=reviewer2, revision_id=proposal.id))
    read = queries_of(lambda: article_get_published("2017-ayorou-attack").to_content())
    propose = queries_of(
        lambda: propose_checked(
            actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in Niger"), summary="again"
        )
    )
    return approve, read, propose


def test_approval_and_reading_do_not_grow_with_the_number_of_revisions(
    published_seed, seed_content, editor, reviewer, reviewer2, django_user_model
):
    grow_history(seed_content, editor, reviewer, until=10)
    at_10 = measure(seed_content, editor, reviewer2, reviewer)
    grow_history(seed_content, editor, reviewer, until=1000)
    at_1000 = measure(seed_content, editor, reviewer2, reviewer)

    assert at_1000 == at_10
    approve, read, _propose = at_10
    assert read == 3  # the article, its infobox, its sections
    assert approve <= 25

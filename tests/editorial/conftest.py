"""Fixtures of the editorial tests: a busy log, for the replay and verify tests."""

import pytest

from editorial.services import revision_approve, revision_reject
from tests.support.factories import propose_checked, with_infobox, with_lead


@pytest.fixture
def busy_history(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    """Several approvals, a rejection, a pending proposal and a second article."""
    content = seed_content
    for number in (14, 15, 16):
        content = with_infobox(content, "Result", f"{number} killed, 5 injured")
        revision = propose_checked(actor=editor, content=content, summary=f"{number}")
        revision_approve(actor=reviewer, revision_id=revision.id)
    rejected = propose_checked(actor=editor2, content=with_lead(content, "Vandalism."), summary="x")
    revision_reject(actor=reviewer2, revision_id=rejected.id, reason="vandalism")
    propose_checked(actor=editor2, content=with_infobox(content, "Casualties2", None), summary="pending")
    other = propose_checked(
        actor=editor, content=type(content)(title="Tongo Tongo ambush", lead="An ambush."), summary="new"
    )
    revision_approve(actor=reviewer2, revision_id=other.id, override_reason="A stub; its infobox comes next.")

"""A short history judged by version 1 of a rule, for backtests of its version 2 (see rules.py)."""

import pytest

from editorial.services import revision_approve
from tests.support.factories import propose_checked, with_infobox, with_lead

V1 = "tests.backtests.rules.ResultWordingV1"
V2 = "tests.backtests.rules.ResultWordingV2"


@pytest.fixture
def history(published_seed, seed_content, editor, reviewer, settings):
    """The seed (checked before the rule existed), then three approved edits checked with version 1:

    decisive: Result "ISGS decisive victory" (v1 finds nothing; v2 flags it)
    tactical: Result "ISGS tactical victory" (v1 flagged it; v2 does not)
    lead:     a lead edit on top (v1's finding is inherited from its base, so nothing of its own)
    """
    settings.STET_EXTRA_RULES = [V1]
    revisions = {"seed": published_seed.id}
    content = seed_content
    for name, edited in (
        ("decisive", lambda c: with_infobox(c, "Result", "ISGS decisive victory")),
        ("tactical", lambda c: with_infobox(c, "Result", "ISGS tactical victory")),
        ("lead", lambda c: with_lead(c, c.lead + " It was widely reported.")),
    ):
        content = edited(content)
        revision = propose_checked(actor=editor, content=content, summary=name)
        revision_approve(actor=reviewer, revision_id=revision.id)
        revisions[name] = revision.id
    settings.STET_EXTRA_RULES = [V2]  # the new version, now the current one
    return revisions

"""Fixtures for the rule tests: the seed article, edits of it, and a checker.

Pure: nothing here touches the database. Edits are made on the seed's text
(each replaced passage must occur exactly once, so a test cannot silently
edit nothing) and parsed, as an author's edit would be.
"""

from __future__ import annotations

import datetime

import pytest

from editorial.rules import RULES, CheckContext, Finding, get_rule, run_rule
from encyclopedia.content import ArticleContent
from encyclopedia.textformat import parse
from tests.support.environment import SEED_PATH

# The rules never read the clock; the tests fix "today" well after the seed's claim.
TODAY = datetime.date(2025, 6, 1)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture
def seed(seed_text) -> ArticleContent:
    return parse(seed_text)


@pytest.fixture
def edit(seed_text):
    """edit((old, new), ...) -> the seed with each passage replaced, parsed."""

    def edit(*replacements: tuple[str, str]) -> ArticleContent:
        text = seed_text
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the seed"
            text = text.replace(old, new)
        return parse(text)

    return edit


@pytest.fixture
def check(seed):
    """check(content, rule_id=None, base=seed, summary="", today=TODAY) -> findings.

    The base defaults to the seed, as for an edit of the published seed;
    pass base=None for a new article. Without a rule id every rule runs.
    """

    def check(
        content: ArticleContent,
        rule_id: str | None = None,
        *,
        base: ArticleContent | None = seed,
        summary: str = "",
        today: datetime.date = TODAY,
    ) -> list[Finding]:
        context = CheckContext(content=content, base=base, summary=summary, today=today)
        rules = [get_rule(rule_id)] if rule_id else RULES
        return [finding for rule in rules for finding in run_rule(rule, context)]

    return check


"""links.facts_agree on the seed and the small linked articles: pure, no database."""

import datetime

import pytest

from editorial.rules import CheckContext, judge
from editorial.rules.links_facts import LinkedFactsAgree, mentioned_names, names_of
from encyclopedia.textformat import parse
from tests.support.environment import SEED_PATH
from tests.support.linked_articles import inates_ambush, tongo_tongo

TODAY = datetime.date(2025, 6, 1)
RULE = LinkedFactsAgree()


@pytest.fixture
def seed():
    return parse(SEED_PATH.read_text(encoding="utf-8"))


def findings(content, *linked, base=None):
    context = CheckContext(content, base, "", TODAY, linked={other.title: other for other in linked})
    return judge(RULE, context)


def test_the_seed_names_the_tongo_tongo_ambush_by_its_see_also_and_its_event():
    seed = parse(SEED_PATH.read_text(encoding="utf-8"))
    names = mentioned_names(seed)
    assert names_of("Tongo Tongo ambush") <= set(names)
    assert "event:may" not in names  # "the May attack" names a month, not an article
    assert names_of("2017 Ayorou attack") == {"title:2017-ayorou-attack", "event:ayorou"}
    assert not names_of("2017 Ayorou attack") & set(names)  # never itself


def test_the_seed_agrees_with_the_ambush_as_published(seed):
    # "In early October 2017" (a month) and "four American and four Nigerien troops" both fit.
    assert findings(seed, tongo_tongo()) == []


def test_a_month_without_a_day_disagrees_with_a_date_in_another_month(seed):
    [finding] = findings(seed, tongo_tongo(date="4 December 2017"))
    assert finding.target == "section:Background"
    assert finding.message == (
        "The Background section dates the Tongo Tongo ambush to October 2017, "
        "but that article's infobox gives 4 December 2017."
    )
    assert finding.evidence["quote"].startswith("In early October 2017, Nigerien and American forces")
    assert finding.evidence["highlight"] == "October 2017"
    assert finding.evidence["linked"] == "Tongo Tongo ambush"


def test_a_similar_attack_counts_the_linked_ambush_toll_by_party(seed):
    [finding] = findings(seed, tongo_tongo(niger_killed=5))
    assert finding.target == "lead"
    assert finding.message == (
        "The lead counts four killed (Niger) in the Tongo Tongo ambush, "
        "but that article's infobox gives 5 killed (Niger)."
    )
    assert finding.evidence["quote"].startswith("Occurring just weeks after a similar attack")


def test_an_approximate_count_is_accepted_within_its_tolerance(seed):
    about = seed.__class__(**{**seed.__dict__, "lead": seed.lead.replace("killed four American", "killed about five American")})
    assert findings(about, tongo_tongo()) == []
    far = seed.__class__(**{**seed.__dict__, "lead": seed.lead.replace("killed four American", "killed about fifteen American")})
    [finding] = findings(far, tongo_tongo())
    assert finding.message.startswith("The lead counts about fifteen killed (United States) in the Tongo Tongo ambush")


def test_the_article_own_day_in_a_sentence_naming_the_linked_event_is_its_own():
    inates = inates_ambush()
    seed = parse(SEED_PATH.read_text(encoding="utf-8"))
    assert findings(inates, seed) == []  # "the 2017 Ayorou attack of 21 October 2017"
    moved = parse(SEED_PATH.read_text(encoding="utf-8").replace("- Date: October 21, 2017", "- Date: October 28, 2017"))
    [finding] = findings(inates, moved)
    assert "dates the 2017 Ayorou attack to 21 October 2017" in finding.message


def test_without_linked_articles_the_rule_finds_nothing(seed):
    assert RULE.check(CheckContext(seed, None, "", TODAY)) == []


def test_a_disagreement_the_base_already_had_is_inherited(seed):
    later = tongo_tongo(date="4 December 2017")
    edited = seed.__class__(**{**seed.__dict__, "lead": seed.lead + " It was widely reported."})
    [finding] = findings(edited, later, base=seed)
    assert finding.inherited

"""Who gives a count: sources named in prose and in field notes."""

import pytest

from editorial.rules.text.attribution import CLAIM, LOCAL, OFFICIAL, attribution_at, attributions, source_keys


@pytest.mark.parametrize(
    "sentence, source, keys, claim",
    [
        ("According to the army, 28 soldiers were killed.", "the army", {OFFICIAL}, False),
        ("Per local sources, 35 died.", "local sources", {LOCAL}, False),
        ("The Malian army said 28 soldiers were killed.", "the Malian army", {OFFICIAL, "party:mali"}, False),
        ("JNIM claimed to have killed 40 soldiers.", "JNIM", {CLAIM}, True),
        ("The group said it had killed 40 soldiers.", "the group", {CLAIM}, True),
        ("On 19 March the defence ministry confirmed a toll of 26.", "the defence ministry", {OFFICIAL}, False),
        ("In a statement released on 11 August, JNIM said that it had killed 35 soldiers.", "JNIM", {CLAIM}, True),
        ("Local officials said that at least 31 civilians had died.", "Local officials", {LOCAL}, False),
    ],
)
def test_the_source_of_a_sentence(sentence, source, keys, claim):
    ((_, attribution),) = attributions(sentence)
    assert (attribution.source, set(attribution.keys), attribution.claim) == (source, keys, claim)


def test_each_clause_has_its_source():
    sentence = "According to the army, 28 soldiers were killed, while the militants claimed 40."
    clauses = attributions(sentence)
    assert attribution_at(clauses, sentence.index("28")).source == "the army"
    assert attribution_at(clauses, sentence.index("40")).claim


@pytest.mark.parametrize(
    "sentence",
    ["The attack claimed the lives of 13 gendarmes.", "Fifteen soldiers were reported missing.", "Thirteen soldiers died."],
)
def test_no_source(sentence):
    assert attributions(sentence) == [(0, None)]


def test_sources_match_by_what_they_are():
    assert source_keys("the army") == source_keys("the Ministry of Defence") == {OFFICIAL}
    assert source_keys("the claimants") == source_keys("JNIM") == {CLAIM}
    assert source_keys("local officials") == {LOCAL}  # not the officials of the state
    assert source_keys("Burkina Faso") == {"party:burkina faso"}

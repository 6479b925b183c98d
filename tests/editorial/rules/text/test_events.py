"""Sentences about another event, and claim sentences."""

import pytest

from editorial.rules.text.events import is_claim_sentence, mentions_other_event


@pytest.mark.parametrize(
    "sentence, other",
    [
        ("Occurring just weeks after a similar attack in the area killed four American troops.", True),
        ("Jihadists had attacked Ayorou on May 11, 2017, with the jihadists seizing weapons.", True),
        ("No casualties were reported in the May attack.", True),
        ("At dawn on October 21, militants attacked the gendarmes in Ayorou.", False),
        ("Thirteen gendarmes were killed and five others were wounded.", False),
    ],
)
def test_mentions_other_event(sentence, other):
    assert mentions_other_event(sentence) is other


def test_is_claim_sentence():
    assert is_claim_sentence("The Islamic State claimed responsibility for the attack on January 12, 2018.")
    assert is_claim_sentence("ISGS took responsibility a week later.")
    assert not is_claim_sentence("The attack claimed the lives of 13 gendarmes.")

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


from editorial.rules.text.events import other_event_toll_from, reports_other_event_toll, revises_toll  # noqa: E402


@pytest.mark.parametrize(
    "sentence",
    [
        "In a reprisal operation the next day, the army killed 30 militants.",
        "It was the deadliest attack since the Boulkessi raid, when 20 soldiers were killed.",
        "So far this year, 120 soldiers have been killed in the region.",
        "A later ambush in the same place killed 7 soldiers.",
        "The army pursued the attackers and killed 25 of them.",
        "Two days later, militants killed 4 soldiers in Inates.",
        "Jihadists had attacked the post in May, killing two gendarmes.",
        "By the end of May, the army said, more than 1,000 militants had been killed.",
    ],
)
def test_counts_of_another_event_or_of_no_single_event(sentence):
    assert reports_other_event_toll(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Thirteen gendarmes were killed and five others were wounded.",
        "Two days later, the death toll rose to 15.",  # a revision, whenever told
        "On 16 April the army spokesman said that 61 soldiers had been killed.",  # reported speech
        "The next day the army gave a toll of 26 soldiers killed.",
    ],
)
def test_counts_of_this_event(sentence):
    assert other_event_toll_from(sentence) is None


def test_counts_before_the_clause_that_names_another_event_are_kept():
    sentence = "Seventeen soldiers were killed, making it the deadliest attack that year."
    assert other_event_toll_from(sentence) == sentence.index("making")
    sentence = "Thirteen soldiers were killed; in a reprisal the next day the army killed 30 militants."
    assert other_event_toll_from(sentence) == sentence.index("in a reprisal")


def test_revises_toll():
    assert revises_toll("A toll later raised to 32 was given.")
    assert revises_toll("Two of the wounded died, bringing the final toll to 21.")
    assert not revises_toll("Thirteen gendarmes were killed.")


def test_killing_told_as_the_deed_of_an_operation_is_another_events():
    from editorial.rules.text.events import other_event_toll_from

    sentence = "On October 2, 2022, the army said it had killed 17 militants in an operation near Diabaly."
    assert other_event_toll_from(sentence) is not None and other_event_toll_from(sentence) <= sentence.index("17")
    # The attack itself is no operation of the army's: its counts stay.
    assert other_event_toll_from("The militants killed 13 gendarmes in an attack on the post.") is None

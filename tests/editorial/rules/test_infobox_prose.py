import dataclasses

import pytest

from editorial.rules.text.numbers import Quantity
from editorial.rules.infobox_prose import ARMED_GROUP, CIVILIANS, FORCES, prose_counts, side_fields
from encyclopedia.content import InfoboxEntry

RULE = "casualties.infobox_prose"


def test_the_seed_agrees(seed, check):
    assert check(seed, RULE) == []
    assert check(seed, RULE, base=None) == []


def test_the_sides_follow_the_combatants(seed):
    assert side_fields(seed) == {
        FORCES: "Casualties1",
        ARMED_GROUP: "Casualties2",
        CIVILIANS: "Casualties3",
    }


def test_the_swapped_combatant_swaps_the_sides(seed):
    swapped = dataclasses.replace(
        seed,
        infobox=tuple(
            InfoboxEntry("Combatant1", e.value) if e.key == "Combatant2" else e for e in seed.infobox
        ),
    )
    assert side_fields(swapped)[ARMED_GROUP] == "Casualties1"
    assert side_fields(swapped)[FORCES] == "Casualties2"


def test_combatants_that_do_not_tell_the_sides_apart_map_nothing_but_civilians(seed):
    anonymous = dataclasses.replace(seed, infobox=tuple(e for e in seed.infobox if e.key != "Combatant2"))
    assert side_fields(anonymous) == {CIVILIANS: "Casualties3"}


def test_the_counts_read_from_the_seed(seed):
    counts = [(c.block.target, c.group, c.kind, c.mention.text, c.mention.quantity) for c in prose_counts(seed)]
    assert counts == [
        ("lead", FORCES, "killed", "13", Quantity.exact(13)),
        ("section:Aftermath", FORCES, "killed", "Thirteen", Quantity.exact(13)),
        ("section:Aftermath", FORCES, "wounded", "five", Quantity.exact(5)),
        ("section:Aftermath", ARMED_GROUP, "killed", "at least three", Quantity(3, None)),
    ]


def test_a_changed_killed_figure_disagrees_with_the_prose(edit, check):
    findings = check(edit(("13 killed, 5", "14 killed, 5")), RULE)
    assert [(f.severity, f.target, f.evidence["where"], f.evidence["prose"]) for f in findings] == [
        ("error", "infobox:Casualties1", "lead", "13"),
        ("error", "infobox:Casualties1", "section:Aftermath", "Thirteen"),
    ]
    finding = findings[1]
    assert finding.message.startswith(
        "The infobox field Casualties1 gives '14 killed' for the security forces, "
        "but the Aftermath section gives Thirteen killed:"
    )
    assert finding.evidence["infobox"] == "14 killed"
    assert finding.evidence["kind"] == "killed"
    assert finding.evidence["sentence"].startswith("Thirteen gendarmes were killed and five others")


def test_the_change_rule_also_warns_about_the_same_edit(edit, check):
    findings = check(edit(("13 killed, 5", "14 killed, 5")))
    assert {(f.rule_id, f.severity) for f in findings} == {
        ("casualties.infobox_prose", "error"),
        ("casualties.change", "warning"),
    }


def test_changed_prose_is_an_error_about_the_prose(edit, check):
    findings = check(edit(("killing 13 gendarmes", "killing 12 gendarmes")), RULE)
    assert [(f.target, f.evidence["prose"], f.evidence["infobox"]) for f in findings] == [
        ("lead", "12", "13 killed")
    ]


def test_wounded_in_words_are_compared(edit, check):
    findings = check(edit(("five others were wounded", "six others were wounded")), RULE)
    assert [(f.evidence["kind"], f.evidence["prose"], f.evidence["infobox"]) for f in findings] == [
        ("wounded", "six", "5 injured")
    ]


@pytest.mark.parametrize("value, error", [("3+ killed", False), ("5 killed", False), ("2 killed", True)])
def test_at_least_three_left_behind_against_the_militants_figure(edit, check, value, error):
    findings = check(edit(("3+ killed, 1 vehicle", f"{value}, 1 vehicle")), RULE)
    assert [f.evidence["prose"] for f in findings] == (["at least three"] if error else [])


def test_fewer_left_behind_than_the_field_says_is_an_error(edit, check):
    findings = check(edit(("at least three were left behind", "two were left behind")), RULE)
    assert [(f.target, f.evidence["field"], f.evidence["prose"]) for f in findings] == [
        ("section:Aftermath", "Casualties2", "two")
    ]


def test_figures_the_prose_does_not_give_are_not_compared(edit, check):
    # the prose counts no captured vehicles and no militants wounded
    content = edit(("3 vehicles captured", "9 vehicles captured"), ("3+ killed,", "3+ killed, 12 wounded,"))
    assert check(content, RULE) == []


def test_counts_of_another_event_are_not_read(edit, check):
    # "killed four American and four Nigerien troops" is the Tongo Tongo ambush
    content = edit(("killed four American and four Nigerien troops", "killed 40 Nigerien troops"))
    assert check(content, RULE) == []


def test_counts_in_the_background_are_not_read(edit, check):
    content = edit(("No casualties were reported in the May attack", "Two gendarmes were killed then"))
    assert check(content, RULE) == []


def test_approximate_counts_are_not_compared(edit, check):
    assert check(edit(("Thirteen gendarmes were killed", "About twenty gendarmes were killed")), RULE) == []


def test_a_partial_count_is_a_lower_bound(edit, check):
    part = "Two of the gendarmes were killed in their trenches."
    assert check(edit(("In a statement", f"{part} In a statement")), RULE) == []
    too_many = "Twenty of the gendarmes were killed in their trenches."
    findings = check(edit(("In a statement", f"{too_many} In a statement")), RULE)
    assert [f.evidence["prose"] for f in findings] == ["Twenty"]


def test_joined_counts_share_the_verb_and_civilians_go_to_casualties3(edit, check):
    joined = ("Thirteen gendarmes were killed", "Thirteen gendarmes and one civilian were killed")
    agreeing = edit(joined, ("- Casualties2:", "- Casualties3: 1 killed\n- Casualties2:"))
    assert check(agreeing, RULE) == []
    findings = check(edit(joined, ("- Casualties2:", "- Casualties3: 2 killed\n- Casualties2:")), RULE)
    assert [(f.evidence["field"], f.evidence["prose"], f.evidence["infobox"]) for f in findings] == [
        ("Casualties3", "one", "2 killed")
    ]
    findings = check(edit(joined, ("13 killed, 5", "14 killed, 5")), RULE)
    assert [f.evidence["prose"] for f in findings] == ["13", "Thirteen"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Two days later, militants killed 4 soldiers in Inates.",  # a later attack
        "In 2017 militants killed many in the region.",  # a year is no count
        "The patrol drove 40 kilometers and killed several jihadists.",  # a distance
    ],
)
def test_sentences_without_a_count_of_this_event_are_not_read(edit, check, sentence):
    assert check(edit(("In a statement", f"{sentence} In a statement")), RULE) == []

import dataclasses
import datetime

import pytest

from editorial.rules import CheckContext, get_rule, judge, run_rule
from editorial.rules.infobox_prose import ARMED_GROUP, CIVILIANS, FORCES, PEOPLE, prose_counts, side_fields
from editorial.rules.text.numbers import Quantity
from encyclopedia.content import InfoboxEntry
from encyclopedia.textformat import parse

RULE = "casualties.infobox_prose"
TODAY = datetime.date(2026, 6, 1)

# A small article of our own for the shapes the seed does not have.
_ARTICLE = """= Kelka ambush =

Infobox
- Conflict: Kelka ambush
- Place: Kelka, Mopti Region, Mali
- Date: {date}
- Result: JNIM victory
- Combatant1: {combatant1}
- Combatant2: Jama'at Nasr al-Islam wal Muslimin
- Casualties1: {forces}
- Casualties2: {attackers}
{civilians}
The Kelka ambush took place on 3 March 2019 on the road north of Kelka.

== Ambush ==
{prose}
"""


def article(prose, forces="13 killed", attackers="5 killed", civilians="", date="March 3, 2019", combatant1="Malian Armed Forces"):
    return parse(
        _ARTICLE.format(
            prose=prose,
            forces=forces,
            attackers=attackers,
            civilians=f"- Casualties3: {civilians}\n" if civilians else "",
            date=date,
            combatant1=combatant1,
        )
    )


def findings(content, base=None):
    return run_rule(get_rule(RULE), CheckContext(content=content, base=base, summary="", today=TODAY))


def flagged(prose, **fields):
    """The prose counts the rule flags in the article."""
    return [finding.evidence["prose"] for finding in findings(article(prose, **fields))]


# --- the seed ---------------------------------------------------------------------------


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


def test_a_state_named_as_a_combatant_is_the_security_forces():
    assert side_fields(article("", combatant1="France, Mali"))[FORCES] == "Casualties1"


def test_the_counts_read_from_the_seed(seed):
    counts = [(c.block.target, c.group, c.kind, c.mention.text, c.mention.quantity) for c in prose_counts(seed)]
    # "a Nigerien patrol killed several jihadists" is the pursuit, not the attack
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
    assert finding.message == (
        "The infobox gives 14 killed for the security forces; "
        "the Aftermath section says Thirteen gendarmes were killed."
    )
    assert finding.evidence["field"] == "Casualties1"
    assert finding.evidence["infobox"] == "14 killed"
    assert finding.evidence["kind"] == "killed"
    assert finding.evidence["quote"].startswith("Thirteen gendarmes were killed and five others")
    assert (finding.evidence["highlight"], finding.evidence["highlight_at"]) == ("Thirteen", 0)
    assert finding.evidence["paragraph"] == 0
    assert finding.fingerprint == "Casualties1|security forces|killed|14|13"
    assert findings[0].message == "The infobox gives 14 killed for the security forces; the lead says 13 gendarmes were killed."


def test_the_fingerprint_survives_an_unrelated_edit_and_changes_with_the_figures(edit, check):
    inconsistent = check(edit(("13 killed, 5", "14 killed, 5")), RULE)
    reworded = check(edit(("13 killed, 5", "14 killed, 5"), ("In a statement released", "In a statement issued")), RULE)
    assert [f.fingerprint for f in reworded] == [f.fingerprint for f in inconsistent]
    worse = check(edit(("13 killed, 5", "15 killed, 5")), RULE)
    assert not {f.fingerprint for f in worse} & {f.fingerprint for f in inconsistent}


def test_the_change_rule_also_warns_about_the_same_edit(edit, check):
    findings = check(edit(("13 killed, 5", "14 killed, 5")))
    assert {(f.rule_id, f.severity) for f in findings} == {
        ("casualties.infobox_prose", "error"),
        ("casualties.change", "warning"),
    }


def test_changed_prose_is_an_error_about_the_prose(edit, check):
    findings = check(edit(("killing 13 gendarmes", "killing 12 gendarmes")), RULE)
    assert [(f.target, f.evidence["prose"], f.evidence["infobox"], f.evidence["highlight"]) for f in findings] == [
        ("lead", "12", "13 killed", "12")
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
    # A field of 14 counts both: the joined counts agree as their sum; the
    # lead's 13 alone does not.
    findings = check(edit(joined, ("13 killed, 5", "14 killed, 5")), RULE)
    assert [f.evidence["prose"] for f in findings] == ["13"]
    findings = check(edit(joined, ("13 killed, 5", "15 killed, 5")), RULE)
    assert [f.evidence["prose"] for f in findings] == ["13", "Thirteen"]
    assert "Thirteen gendarmes and one civilian were killed (14 together)" in findings[1].message


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


def test_an_inherited_disagreement_does_not_gate_a_comma_fix(edit):
    inconsistent = edit(("13 killed, 5", "14 killed, 5"))
    comma = edit(("13 killed, 5", "14 killed, 5"), ("Nigerien planes surveilled", "Nigerien planes, then, surveilled"))
    judged = judge(get_rule(RULE), CheckContext(content=comma, base=inconsistent, summary="", today=TODAY))
    assert judged and all(finding.inherited for finding in judged)


# --- approximate counts -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, forces, flagged_text",
    [
        ("Over fifty soldiers were killed.", "31 killed", ["Over fifty"]),
        ("Over fifty soldiers were killed.", "56 killed", []),
        ("About 50 soldiers were killed.", "45 killed", []),
        ("About 50 soldiers were killed.", "31 killed", ["About 50"]),
        ("Dozens of soldiers were killed.", "13 killed", ["Dozens"]),
        ("Dozens of soldiers were killed.", "36 killed", []),
        ("Several soldiers were killed.", "13 killed", ["Several"]),
        ("Several soldiers were killed.", "4 killed", []),
        ("At least 20 soldiers were killed.", "13 killed", ["At least 20"]),
        ("At least 20 soldiers were killed.", "23 killed", []),
        ("Nearly 50 soldiers were killed.", "52 killed", ["Nearly 50"]),
        ("A dozen soldiers were killed.", "13 killed", []),
    ],
)
def test_an_approximate_count_agrees_when_the_exact_figure_is_inside_it(sentence, forces, flagged_text):
    assert flagged(sentence, forces=forces) == flagged_text


@pytest.mark.parametrize(
    "forces, error",
    [("50+ killed", True), ("dozens killed", True), ("~10 killed", False), ("3+ killed", False), ("about 20 killed", True)],
)
def test_an_approximate_field_agrees_when_the_prose_count_is_inside_it(forces, error):
    assert flagged("Nine soldiers were killed.", forces=forces) == (["Nine"] if error else [])


def test_about_twenty_against_thirteen_is_now_a_disagreement(edit, check):
    findings = check(edit(("Thirteen gendarmes were killed", "About twenty gendarmes were killed")), RULE)
    assert [(f.evidence["prose"], f.fingerprint) for f in findings] == [
        ("About twenty", "Casualties1|security forces|killed|13|about 20")
    ]
    assert check(edit(("Thirteen gendarmes were killed", "About fifteen gendarmes were killed")), RULE) == []


# --- several parties and sources --------------------------------------------------------

MULTI_PARTY = "3 soldiers killed, 1 wounded (France); 6 killed, 9 wounded (Mali)"
MULTI_SOURCE = "28 killed (per the army), 40 killed (per the claimants)"


@pytest.mark.parametrize(
    "sentence, flagged_text",
    [
        ("Three French soldiers and six Malian soldiers were killed.", []),
        ("Nine soldiers were killed and ten were wounded.", []),  # the sum over the parties
        ("Six Malian soldiers were killed.", []),  # one party's figure
        ("Three soldiers were killed.", []),  # one party's figure
        ("Four French soldiers and five Malian soldiers were killed.", ["Four", "five"]),
        ("Six French soldiers were killed.", ["Six"]),  # France's figure is 3
        ("Eleven soldiers were killed.", ["Eleven"]),
    ],
)
def test_a_field_with_several_parties(sentence, flagged_text):
    assert flagged(sentence, forces=MULTI_PARTY, combatant1="France, Mali") == flagged_text


@pytest.mark.parametrize(
    "sentence, flagged_text",
    [
        ("Twenty-eight soldiers were killed.", []),
        ("Forty soldiers were killed.", []),
        ("Thirty-five soldiers were killed.", []),  # within the range the sources span
        ("Fifty soldiers were killed.", ["Fifty"]),
        ("According to the army, 28 soldiers were killed.", []),
        ("According to the army, 40 soldiers were killed.", ["40"]),  # the army's figure is 28
        ("The militants claimed that 40 soldiers were killed.", []),
    ],
)
def test_a_field_with_several_sources(sentence, flagged_text):
    assert flagged(sentence, forces=MULTI_SOURCE) == flagged_text


def test_a_finding_names_the_source_the_field_gives():
    (finding,) = findings(article("According to the army, 40 soldiers were killed.", forces=MULTI_SOURCE))
    assert finding.message == (
        "The infobox gives 28 killed (per the army) for the security forces; "
        "the Ambush section says 40 soldiers were killed, according to the army."
    )
    assert finding.evidence["infobox"] == "28 killed (per the army)"


def test_a_breakdown_note_is_no_party():
    assert flagged("Thirteen soldiers were killed.", forces="13 killed (including 2 officers)") == []
    assert flagged("Two officers were killed.", forces="13 killed (including 2 officers)") == []


def test_two_kinds_from_one_source():
    field = "12 killed (per Burkina Faso), 50 captured (per Burkina Faso)"
    assert flagged("Twelve soldiers were killed and 50 were taken prisoner.", forces=field) == []
    assert flagged("Fifteen soldiers were killed.", forces=field) == ["Fifteen"]


# --- sums -------------------------------------------------------------------------------


def test_joined_counts_of_one_kind_agree_as_their_sum():
    prose = "Eleven soldiers and two civilians were wounded."
    assert flagged(prose, forces="13 killed, 13 wounded") == []
    assert flagged(prose, forces="13 killed, 11 wounded") == []
    assert flagged(prose, forces="13 killed, 14 wounded") == ["Eleven"]


def test_joined_counts_after_the_verb():
    assert flagged("Militants killed 13 gendarmes and two civilians.", forces="15 killed") == []
    assert flagged("Militants killed 13 gendarmes and wounded 5 others.", forces="13 killed, 6 wounded") == ["5"]


# --- revised tolls ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "prose, forces, flagged_text",
    [
        ("The army initially reported 14 dead, a toll later raised to 32.", "32 killed", []),
        ("The army initially reported 14 dead, a toll later raised to 32.", "14 killed", ["32"]),
        ("Thirteen soldiers were killed. Two days later, the death toll rose to 15.", "15 killed", []),
        ("Thirteen soldiers were killed. Two days later, the death toll rose to 15.", "13 killed", ["15"]),
        ("A preliminary toll of 10 dead was given. The toll was revised upward to 13.", "13 killed", []),
        ("First reports said 9 soldiers had died; the final toll was put at 13.", "13 killed", []),
    ],
)
def test_a_revised_toll_is_compared_and_the_first_one_is_not(prose, forces, flagged_text):
    assert flagged(prose, forces=forces) == flagged_text


# --- other events -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "In a reprisal operation the next day, the army killed 30 militants.",
        "It was the deadliest attack since the Boulkessi raid, when 20 soldiers were killed.",
        "In 2018, 300 soldiers were killed in the region.",
        "On 5 March 2019, militants killed 20 soldiers in Dioura.",
        "A later ambush in the same place killed 7 soldiers.",
        "The army pursued the attackers and killed 25 of them.",
        "So far this year, 120 soldiers have been killed in the Mopti Region.",
        "The ISGS claimed responsibility for the attack, saying it had killed 40 soldiers.",
        "JNIM claimed to have killed 40 soldiers.",
    ],
)
def test_counts_that_are_not_this_events_toll(sentence):
    assert flagged(f"Thirteen soldiers were killed. {sentence}") == []


def test_a_sentence_dated_on_the_event_is_read():
    prose = "On March 3, 2019, nine gendarmes were killed when militants stormed the post."
    assert flagged(prose) == ["nine"]
    assert flagged(prose.replace("March 3, 2019", "March 3")) == ["nine"]
    # the same sentence about another day is another event's
    assert flagged(prose.replace("March 3, 2019", "March 9")) == []


def test_a_range_in_the_infobox_date_holds_the_days_of_the_event():
    prose = "On June 1, fifteen gendarmes were killed when militants stormed the post."
    assert flagged(prose, date="May 30 – June 2, 2019") == ["fifteen"]
    assert flagged(prose, date="June 5, 2019") == []


def test_a_day_of_an_event_of_several_days_tells_part_of_the_toll():
    days = "On May 30, militants killed 6 soldiers. On May 31, they killed {} more soldiers."
    assert flagged(days.format(7), date="May 30 – June 2, 2019") == []
    (finding,) = findings(article(days.format(9), date="May 30 – June 2, 2019"))
    assert finding.message == (
        "The infobox gives 13 killed for the security forces; the days the prose tells add up to more: "
        "6 + 9 killed, 15 in all."
    )
    assert finding.evidence["highlight"] == "9"


def test_a_claim_is_compared_with_the_field_only_when_the_field_gives_the_claim():
    prose = "JNIM claimed that 40 soldiers were killed."
    assert flagged(prose, forces="28 killed") == []
    assert flagged(prose, forces="28 killed (per the army), 40 killed (per JNIM)") == []
    assert flagged(prose, forces="28 killed (per the army), 45 killed (per JNIM)") == ["40"]


# --- anyone -----------------------------------------------------------------------------


def test_a_count_of_anyone_is_compared_with_the_victims():
    assert flagged("Militants attacked the post, killing 13.") == []
    assert flagged("Militants attacked the post, killing 14.") == ["14"]
    # the security forces and the civilians together
    assert flagged("The attack killed 15 people.", civilians="2 killed") == []
    counts = prose_counts(article("Militants attacked the post, killing 13."))
    assert [(c.group, c.kind) for c in counts] == [(PEOPLE, "killed")]


def test_a_toll_without_a_noun_is_of_anyone_and_replaces_the_counts_before_it():
    counts = prose_counts(article("Nine civilians were killed. The toll later rose to 11."))
    assert [(c.group, c.mention.text, c.superseded) for c in counts] == [
        (CIVILIANS, "Nine", True),
        (PEOPLE, "11", False),
    ]
    assert flagged("Nine civilians were killed. The toll later rose to 11.", civilians="11 killed") == []
    assert flagged("Nine civilians were killed. The toll later rose to 11.", civilians="9 killed") == ["11"]


def test_the_rule_is_fast_on_a_long_article(seed_text):
    import time

    long_text = seed_text.replace(
        "In a statement released", ("Thirteen gendarmes were killed and five others were wounded. " * 4 + "\n\n") * 300 + "In a statement released"
    )
    content = parse(long_text)
    started = time.perf_counter()
    findings(content, base=content)
    assert time.perf_counter() - started < 0.5


# --- shapes of real prose ---------------------------------------------------------------


@pytest.mark.parametrize(
    "prose, forces, attackers, flagged_text",
    [
        # parts after a colon are parts of the total before it
        ("In total, 15 soldiers died: 13 in the attack and two later in hospital.", "15 killed", "5 killed", []),
        # an aside is part of the count it follows, and the verb after it is the count's
        ("Thirteen soldiers, including two officers, were killed.", "13 killed", "5 killed", []),
        ("Thirteen soldiers, including two officers, were killed.", "14 killed", "5 killed", ["Thirteen"]),
        # a number in an aside about the attackers is not their dead
        ("The assailants, numbering around 100, killed 13 soldiers.", "13 killed", "5 killed", []),
        # military words for the dead
        ("The army said 20 militants were neutralised.", "13 killed", "20 killed", []),
        ("The army said 20 militants were neutralised.", "13 killed", "5 killed", ["20"]),
        ("Thirteen soldiers succumbed to their injuries.", "13 killed", "5 killed", []),
        ("The attack left 13 soldiers dead and 5 injured.", "13 killed, 5 wounded", "5 killed", []),
        # two sources in one sentence: where the field gives none, one agreeing is enough
        ("Officials put the toll at 13, but local sources spoke of more than 50 dead.", "13 killed", "5 killed", []),
        ("Officials put the toll at 20, but local sources spoke of more than 50 dead.", "13 killed", "5 killed", ["20", "more than 50"]),
        ("The army reported 13 dead, while other sources reported 40 soldiers killed.", "13 killed", "5 killed", []),
        # bodies found are part of the dead; "were reported missing" names no source
        ("Fifteen soldiers were reported missing; eight were later found dead.", "13 killed", "5 killed", []),
        # a toll broken down after a colon
        ("The death toll was 13: 11 soldiers and two civilians.", "11 killed", "5 killed", []),
        ("The death toll was 13: 12 soldiers and two civilians.", "11 killed", "5 killed", ["12"]),
        # a count that is the subject of its own verb is no part of the list before it
        ("The army lost 13 soldiers, 29 were wounded and 10 are missing.", "13 killed, 29 wounded", "5 killed", []),
        # the same subject, with a second verb
        ("Two guards tried to intervene and were killed.", "2 killed", "5 killed", []),
        ("Five guards tried to intervene and were killed.", "2 killed", "5 killed", ["Five"]),
        # one place's part of the toll
        ("At the market alone, about 10 people were killed.", "13 killed", "5 killed", []),
        ("A mine killed three soldiers; the others died in the fighting.", "13 killed", "5 killed", []),
        ("A mine killed 20 soldiers; the others died in the fighting.", "13 killed", "5 killed", ["20"]),
    ],
)
def test_shapes_of_real_prose(prose, forces, attackers, flagged_text):
    assert flagged(prose, forces=forces, attackers=attackers) == flagged_text


def test_a_combatants_acronym_names_its_side():
    prose = "Five MSA fighters were killed defending the village."
    fields = dict(forces="5 killed", attackers="9 killed", combatant1="Movement for the Salvation of Azawad")
    assert flagged(prose, **fields) == []
    assert flagged(prose.replace("Five", "Nine"), **fields) == ["Nine"]


def test_a_count_the_field_names_is_compared_with_that_figure():
    field = "2 police officers killed; 4 vigilantes killed"
    assert flagged("Two officers were killed.", forces=field) == []
    assert flagged("At least five officers were killed.", forces=field) == ["At least five"]
    # joined counts that the field gives apart do not agree as their sum
    assert flagged("Two officers and four vigilantes were killed.", forces=field) == []
    assert flagged("Six officers and four vigilantes were killed.", forces=field) == ["Six"]


def test_a_body_count_is_a_lower_bound_of_whose_bodies_they_are():
    assert flagged("Residents counted 17 bodies of fighters around the post.", attackers="40+ killed") == []
    assert flagged("Residents counted 17 bodies of fighters around the post.", attackers="12 killed") == ["17"]


def test_a_later_statement_date_does_not_make_another_event():
    prose = "On 6 March the army spokesman said that 13 soldiers had been killed."
    assert flagged(prose) == []
    assert flagged(prose.replace("13", "16")) == ["16"]
    # an action of another day, reported, is another event's
    assert flagged("On 9 March, the army began a sweep; the ministry said that 30 soldiers were killed.") == []


def test_local_sources_are_not_the_official_ones():
    field = "22 killed (per the governor), 30+ killed (per local officials)"
    assert flagged("The regional governor said 22 soldiers were killed.", forces=field) == []
    assert flagged("The regional governor said 27 soldiers were killed.", forces=field) == ["27"]
    assert flagged("Local officials said 35 soldiers were killed.", forces=field) == []


# --- shapes found by the blind held-out slice -------------------------------------------

_SIEGE = """= Siege of Test =

Infobox
- Conflict: Siege of Test
- Place: Test, Niger
- Date: 14–16 March 2021
- Result: Militant victory
- Combatant1: Niger Armed Forces
- Combatant2: Islamic State in the Greater Sahara
- Casualties1: {forces}
- Casualties3: {civilians}

== Raids ==
On the afternoon of 14 March, gunmen rode into Kadjirou. They killed {first} villagers before nightfall.

The following day they struck Tiwaraten. Two soldiers died, together with {second} villagers.
"""


def _siege(first=30, second=20, forces="2 killed", civilians="50 killed"):
    from encyclopedia.textformat import parse

    return parse(_SIEGE.format(first=first, second=second, forces=forces, civilians=civilians))


def test_a_paragraph_that_opens_on_one_day_tells_that_day_and_the_next_day_follows(check):
    days = {count.mention.quantity.low: count.day for count in prose_counts(_siege()) if count.group == CIVILIANS}
    assert days[30] is not None and days[20] == days[30] + 1
    assert check(_siege(), RULE, base=None) == []  # 30 + 20 = 50: parts of the toll
    (finding,) = check(_siege(second=30), RULE, base=None)  # 30 + 30 is more than the 50 of the field
    assert "add up to more" in finding.message


def test_together_with_shares_the_verb_of_the_count_before(check):
    readings = [(count.group, count.kind, count.mention.quantity.low) for count in prose_counts(_siege())]
    assert (FORCES, "killed", 2) in readings and (CIVILIANS, "killed", 20) in readings


def test_and_between_two_names_does_not_end_the_clause(edit, check):
    content = edit(
        ("Thirteen gendarmes were killed and five others were wounded", "Fourteen gendarmes from Niger and Mali lost their lives and five others were wounded")
    )
    findings = check(content, RULE)
    assert any(finding.evidence.get("highlight") == "Fourteen" for finding in findings)


def test_a_toll_takes_its_group_from_its_own_clause_only(edit):
    content = edit(
        (
            "The Islamic State in the Greater Sahara claimed responsibility",
            "After soldiers and residents searched the bush, the toll was raised to 16. "
            "The Islamic State in the Greater Sahara claimed responsibility",
        )
    )
    (raised,) = [count for count in prose_counts(content) if count.mention.quantity.low == 16]
    assert raised.group not in (FORCES, CIVILIANS)  # a toll of anyone: neither the soldiers nor the residents

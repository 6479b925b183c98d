import datetime

import pytest

from editorial.rules import CheckContext, get_rule, judge
from editorial.rules.event_date import event_noun, event_statements, is_narrative_heading
from encyclopedia.dates import DateSpan

RULE = "dates.event_date_agreement"
EVENT = datetime.date(2017, 10, 21)
DATE = "- Date: October 21, 2017"
LEAD = "The 2017 Ayorou attack occurred on 21 October 2017 when armed militants"
# The lead as many articles write it: the sentence opens with the date, no "occurred".
LEAD_OPENING = "On 21 October 2017, armed militants"
NARRATIVE = (
    "At dawn on October 21, militants in four to five vehicles and motorcycles and armed with machine guns "
    "and rocket launchers attacked the gendarmes in Ayorou."
)


def where_and_date(findings):
    return [(f.evidence["where"], f.evidence["highlight"]) for f in findings]


def test_the_seed_agrees_with_itself(seed, check):
    assert check(seed, RULE) == []
    assert check(seed, RULE, base=None) == []


def test_the_statements_of_the_event_day_in_the_seed(seed):
    statements = event_statements(seed, EVENT)
    assert [(s.block.target, s.mention.text, s.span) for s in statements] == [
        ("lead", "21 October 2017", DateSpan(EVENT, EVENT)),
        ("section:Attack", "October 21", DateSpan(EVENT, EVENT)),
    ]


def test_the_other_dates_of_the_seed_are_not_read(seed):
    read = {s.mention.text for s in event_statements(seed, EVENT)}
    # an earlier attack, the Tongo Tongo ambush, the claim
    assert not read & {"May 11, 2017", "October 2017", "January 12, 2018"}


def test_a_changed_infobox_date_disagrees_with_both_statements(edit, check):
    findings = check(edit((DATE, "- Date: October 22, 2017")), RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "infobox:Date")] * 2
    assert where_and_date(findings) == [("lead", "21 October 2017"), ("section:Attack", "October 21")]
    assert findings[0].message == (
        "The infobox gives the date as October 22, 2017; the lead dates the attack 21 October 2017."
    )
    # a year-less date says how its year was read
    assert findings[1].message == (
        "The infobox gives the date as October 22, 2017; "
        "the Attack section dates the attack October 21 (read as 21 October 2017)."
    )
    lead = findings[0].evidence
    assert lead["infobox"] == "October 22, 2017" and lead["field"] == "Date"
    assert lead["quote"].startswith("The 2017 Ayorou attack occurred on 21 October 2017 when")
    assert lead["quote"][lead["highlight_at"] :].startswith("21 October 2017")
    assert lead["paragraph"] == 0
    assert [f.fingerprint for f in findings] == ["Date|2017-10-22|2017-10-21"] * 2


def test_a_changed_lead_date_alone_is_an_error_about_the_lead(edit, check):
    content = edit(("occurred on 21 October 2017", "occurred on 22 October 2017"))
    findings = check(content, RULE)
    assert [(f.severity, f.target, f.evidence["highlight"]) for f in findings] == [
        ("error", "lead", "22 October 2017")
    ]
    assert check(content, RULE, base=None)


def test_a_changed_narrative_date_is_an_error_about_the_section(edit, check):
    findings = check(edit(("At dawn on October 21,", "At dawn on October 23,")), RULE)
    assert [(f.target, f.evidence["highlight"]) for f in findings] == [("section:Attack", "October 23")]


def test_a_date_of_another_year_in_the_narrative_is_another_event(edit, check):
    assert check(edit(("At dawn on October 21,", "At dawn on October 20, 2016,")), RULE) == []


# --- a sentence that opens with the date ---------------------------------


@pytest.mark.parametrize(
    "opening, written",
    [
        ("On 21 October 2017, armed militants", "21 October 2017"),
        ("On October 21, 2017, armed militants", "October 21, 2017"),
        ("In the early hours of 21 October 2017, armed militants", "21 October 2017"),
        ("At around 5:30 a.m. on 21 October 2017, armed militants", "21 October 2017"),
    ],
)
def test_a_lead_that_opens_with_the_date_is_compared_with_a_moved_date(edit, check, opening, written):
    base = edit((LEAD, opening))
    assert check(base, RULE, base=None) == []
    moved = edit((LEAD, opening), (DATE, "- Date: October 12, 2017"))
    findings = check(moved, RULE, base=base)
    assert where_and_date(findings)[0] == ("lead", written)
    assert findings[0].target == "infobox:Date"
    assert findings[0].message == (
        f"The infobox gives the date as October 12, 2017; the lead dates the attack {written}."
    )


def test_a_lead_that_opens_with_a_casualty_clause_dates_the_event(edit, check):
    # "were killed" and no attack verb: the clause still tells the event
    sentence = "On 21 October 2017, thirteen gendarmes were killed at their post in Ayorou in southwestern Niger."
    lead_sentence = (
        "The 2017 Ayorou attack occurred on 21 October 2017 when armed militants from the Islamic State in the "
        "Greater Sahara attacked a Nigerien military outpost in the village of Ayorou in southwestern Niger, "
        "killing 13 gendarmes."
    )
    base = edit((lead_sentence, sentence), (NARRATIVE, "Militants came at dawn in four vehicles."))
    moved = edit(
        (lead_sentence, sentence),
        (NARRATIVE, "Militants came at dawn in four vehicles."),
        (DATE, "- Date: 12 October 2017"),
    )
    assert check(base, RULE, base=None) == []
    findings = check(moved, RULE, base=base)
    assert where_and_date(findings) == [("lead", "21 October 2017")]
    assert findings[0].message == (
        "The infobox gives the date as 12 October 2017; the lead dates the attack 21 October 2017."
    )


def test_a_year_less_opening_date_in_the_lead_takes_the_events_year(edit, check):
    base = edit((LEAD, "On October 21, armed militants"))
    assert check(base, RULE, base=None) == []
    moved = edit((LEAD, "On October 21, armed militants"), (DATE, "- Date: October 24, 2017"))
    findings = check(moved, RULE, base=base)
    assert ("lead", "October 21") in where_and_date(findings)


def test_a_narrative_sentence_that_opens_with_the_date_is_read(edit, check):
    # Not the section's first sentence, and no attack verb: the old reader skipped it.
    narrative = (
        "The gendarmes held the post with trenches only. "
        "On October 21, thirteen gendarmes were killed when militants came in four to five vehicles."
    )
    base = edit((NARRATIVE, narrative))
    assert check(base, RULE, base=None) == []
    findings = check(edit((NARRATIVE, narrative), ("occurred on 21 October 2017", "occurred on 23 October 2017")), RULE)
    assert ("section:Attack", "October 21") not in where_and_date(findings)
    moved = edit((NARRATIVE, narrative), (DATE, "- Date: October 23, 2017"))
    assert ("section:Attack", "October 21") in where_and_date(check(moved, RULE, base=base))


@pytest.mark.parametrize(
    "sentence",
    [
        # what followed the attack, opening with its own date
        "On October 23, the army launched reprisal operations and killed twenty militants.",
        "On October 23, soldiers pursued the attackers and killed six of them near Inates.",
        "On October 24, the funerals of the thirteen killed gendarmes were held in Niamey.",
        "On October 25, the ministry said that thirteen gendarmes were killed in the attack.",
        "On October 26, an investigation into the attack was opened.",
        "On November 2, a second attack on the post killed two more gendarmes.",
        "On November 2, militants attacked the same post again.",
        "On October 22, the death toll of the attack rose to fourteen.",
        "The next day, on October 22, militants attacked a convoy on the road to Tillabéri.",
    ],
)
def test_dates_of_what_followed_are_not_the_events(edit, check, sentence):
    # In the lead (after the sentence that dates the event, or in its place)
    # and in the narrative, none of these dates the attack.
    lead = edit(("Occurring just weeks", f"{sentence} Occurring just weeks"))
    assert check(lead, RULE, base=None) == []
    narrative = edit(("The jihadists entered", f"{sentence} The jihadists entered"))
    assert check(narrative, RULE, base=None) == []
    no_occurrence = edit((LEAD, "Armed militants"), ("Occurring just weeks", f"{sentence} Occurring just weeks"))
    assert [f for f in check(no_occurrence, RULE, base=None) if f.evidence["where"] == "lead"] == []


@pytest.mark.parametrize(
    "heading, sentence",
    [
        ("Background", "On 11 May 2017, jihadists attacked the post and killed two gendarmes."),
        ("Aftermath", "On October 24, militants attacked a village nearby, killing three herders."),
    ],
)
def test_opening_dates_outside_the_lead_and_the_narrative_are_not_read(edit, check, heading, sentence):
    first = {"Background": "The town of Ayorou", "Aftermath": "Thirteen gendarmes were killed"}[heading]
    content = edit((first, f"{sentence} {first}"))
    assert check(content, RULE, base=None) == []


@pytest.mark.parametrize(
    "old, new",
    [
        # an earlier attack, told in the background
        ("on May 11, 2017", "on October 3, 2017"),
        # the ambush in Tongo Tongo
        ("In early October 2017", "On 4 October 2017"),
        # the claim's own date
        ("January 12, 2018", "October 30, 2017"),
        # the pursuit, later in the narrative
        ("Nigerien planes surveilled", "On October 22, Nigerien planes surveilled"),
        # a counter-attack days later, in the narrative
        ("The air force had spotted", "On October 23 the army attacked a camp. The air force had spotted"),
    ],
)
def test_dates_of_other_events_are_not_errors(edit, check, old, new):
    assert check(edit((old, new)), RULE) == []


def test_an_earlier_attack_told_in_the_narrative_is_not_read(edit, check):
    content = edit(
        ("The jihadists entered", "Jihadists had attacked the post on 3 October 2017. The jihadists entered")
    )
    assert check(content, RULE) == []


def test_a_lead_date_needs_the_subject_and_the_verb(edit, check):
    unrelated = "The town was visited by the minister on 30 October 2017."
    assert check(edit(("In a statement", f"{unrelated} In a statement")), RULE) == []
    it_occurred = "It occurred on 20 October 2017."
    content = edit(("Occurring just weeks", f"{it_occurred} Occurring just weeks"))
    assert [f.evidence["highlight"] for f in check(content, RULE)] == ["20 October 2017"]


@pytest.mark.parametrize(
    "subject",
    [
        "The 2017 Ayorou attack was an attack on",
        "The Ayorou attack was a raid on",
        "The 2017 Ayorou attack was a raid, on",
    ],
)
def test_the_lead_first_sentence_dates_what_it_defines(edit, check, subject):
    # "was an attack on <date>": no occurrence verb, but the lead's first
    # sentence says what the article is about, with or without its year.
    lead = edit(("The 2017 Ayorou attack occurred on", subject))
    assert [s.block.target for s in event_statements(lead, EVENT)] == ["lead", "section:Attack"]
    findings = check(edit(("The 2017 Ayorou attack occurred on", subject), (DATE, "- Date: October 12, 2017")), RULE)
    assert ("lead", "21 October 2017") in where_and_date(findings)


LEAD_SENTENCE = (
    "The 2017 Ayorou attack occurred on 21 October 2017 when armed militants from the Islamic State in the "
    "Greater Sahara attacked a Nigerien military outpost in the village of Ayorou in southwestern Niger, "
    "killing 13 gendarmes."
)


def test_a_lead_that_tells_the_attack_with_its_date_at_the_end_dates_it(edit, check):
    told = (
        "Armed militants attacked a Nigerien military outpost in the village of Ayorou on 21 October 2017, "
        "killing 13 gendarmes of a unit posted there on 2 October 2017."
    )
    base = edit((LEAD_SENTENCE, told))
    # only the first date: a later one tells something else
    assert [s.mention.text for s in event_statements(base, EVENT)][:1] == ["21 October 2017"]
    assert check(base, RULE, base=None) == []
    findings = check(edit((LEAD_SENTENCE, told), (DATE, "- Date: October 12, 2017")), RULE, base=base)
    assert ("lead", "21 October 2017") in where_and_date(findings)


def test_a_date_of_something_else_in_the_lead_first_sentence_is_skipped(edit, check):
    subject = "The 2017 Ayorou attack was an attack on a post, established in March 2016, on"
    content = edit(("The 2017 Ayorou attack occurred on", subject))
    assert [s.mention.text for s in event_statements(content, EVENT)] == ["21 October 2017", "October 21"]
    assert check(content, RULE, base=None) == []


def test_a_lead_opening_between_two_days(edit, check):
    opening = "Between 20 and 21 October 2017, armed militants"
    base = edit((LEAD, opening))
    assert check(base, RULE, base=None) == []
    findings = check(edit((LEAD, opening), (DATE, "- Date: October 25, 2017")), RULE, base=base)
    assert where_and_date(findings)[0] == ("lead", "20 and 21 October 2017")


def test_only_the_lead_first_sentence_is_read_so(edit, check):
    later = "The Ayorou post was a target on 11 May 2017 as well."
    content = edit(("Occurring just weeks", f"{later} Occurring just weeks"))
    assert check(content, RULE, base=None) == []


def test_a_lead_opening_with_two_listed_dates_takes_the_year_of_the_second(edit, check):
    # "On 20 October and 21 October 2017" in a lead moved a year: the first
    # day shares the year written after it, so it no longer agrees.
    opening = "On 20 October and 21 October 2017, armed militants"
    date = "- Date: 20–21 October 2017"
    base = edit((LEAD, opening), (DATE, date))
    assert check(base, RULE, base=None) == []
    moved = edit((LEAD, opening.replace("2017", "2018")), (DATE, date))
    findings = check(moved, RULE, base=base)
    assert where_and_date(findings)[0] == ("lead", "20 October")
    assert findings[0].message.endswith("the lead dates the attack 20 October (read as 20 October 2018).")


def test_a_later_attack_in_the_narrative_does_not_outweigh_its_opening_date(edit, check):
    # The section opens with the day (no attack verb in that sentence); a
    # later sentence tells the army attacking the attackers the next day.
    opening = "At dawn on October 21, militants in four to five vehicles surrounded the gendarmes' post in Ayorou."
    pursuit = "On October 22, soldiers from Yassen attacked a group of the militants near Inates."
    content = edit((NARRATIVE, opening), ("Nigerien planes surveilled", f"{pursuit} Nigerien planes surveilled"))
    assert check(content, RULE, base=None) == []
    moved = edit(
        (NARRATIVE, opening),
        ("Nigerien planes surveilled", f"{pursuit} Nigerien planes surveilled"),
        (DATE, "- Date: October 25, 2017"),
    )
    assert ("section:Attack", "October 21") in where_and_date(check(moved, RULE))


def test_a_scene_setting_opening_date_does_not_outweigh_the_attack(edit, check):
    content = edit((NARRATIVE, f"On October 20, the gendarmes were warned of armed men nearby. {NARRATIVE}"))
    assert check(content, RULE, base=None) == []


SCENE = "On the morning of October 21, a patrol of gendarmes left the post in Ayorou to fetch water."
ATTACK_UNDATED = "Militants in four to five vehicles attacked the patrol at the wells."


def test_a_scene_setting_opening_gives_the_day_of_the_attack_told_next(edit, check):
    # The opening only sets the scene; the next sentence tells the attack, with no other date between.
    content = edit((NARRATIVE, f"{SCENE} {ATTACK_UNDATED}"))
    assert [(s.block.target, s.mention.text) for s in event_statements(content, EVENT)][1:] == [
        ("section:Attack", "October 21")
    ]
    moved = edit((NARRATIVE, f"{SCENE.replace('21', '18')} {ATTACK_UNDATED}"))
    assert where_and_date(check(moved, RULE)) == [("section:Attack", "October 18")]


def test_a_scene_setting_opening_days_before_the_attack_is_not_its_day(edit, check):
    narrative = f"{SCENE.replace('21', '19')} Two days later, militants attacked the post."
    assert check(edit((NARRATIVE, narrative)), RULE, base=None) == []
    narrative = f"{SCENE.replace('21', '19')} On October 21, militants attacked the post."
    assert check(edit((NARRATIVE, narrative)), RULE, base=None) == []


def test_an_opening_that_says_what_the_victims_were_doing_keeps_its_date(edit, check):
    opening = "At around 4 p.m. on October 21, gendarmes returning from a search operation struck a mine near Ayorou."
    content = edit((NARRATIVE, opening))
    assert where_and_date(check(edit((NARRATIVE, opening.replace("21", "23"))), RULE)) == [
        ("section:Attack", "October 23")
    ]
    assert check(content, RULE) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "On October 23, the ministry said that thirteen gendarmes had died.",
        "On October 23, survivors described how the militants killed the wounded.",
        "On October 24, the bodies of the killed gendarmes were flown to Niamey.",
        "On October 24, the army launched a sweep of the area, killing 20 militants.",
    ],
)
def test_a_narrative_opening_about_what_followed_is_not_the_events_day(edit, check, sentence):
    content = edit(("At dawn on October 21, militants", f"{sentence} Militants"))
    assert check(content, RULE, base=None) == []


# --- year-less dates ------------------------------------------------------


def test_a_year_less_date_takes_the_event_year(edit, check):
    content = edit((DATE, "- Date: October 21, 2018"))
    findings = check(content, RULE)
    # the lead's "21 October 2017" disagrees; "October 21" is read as 2018 and agrees
    assert [f.evidence["highlight"] for f in findings] == ["21 October 2017"]


def test_a_year_less_date_takes_the_year_of_the_full_date_before_it(edit, check):
    # "October 21" after "5 May 2016" in the same section is 21 October 2016:
    # another year, so another event, and the narrative gives no date of this one.
    content = edit(("At dawn on October 21,", "The post was built on 5 May 2016. At dawn on October 21,"))
    assert check(content, RULE, base=None) == []
    assert [s.block.target for s in event_statements(content, EVENT)] == ["lead"]


# --- an infobox Date that is a range --------------------------------------


@pytest.mark.parametrize("value", ["October 20–22, 2017", "21–22 October 2017", "October 19 – October 21, 2017"])
def test_a_range_that_holds_the_prose_date_agrees(edit, check, value):
    assert check(edit((DATE, f"- Date: {value}")), RULE) == []


def test_a_range_that_misses_the_prose_date_disagrees(edit, check):
    findings = check(edit((DATE, "- Date: October 22–23, 2017")), RULE)
    assert where_and_date(findings) == [("lead", "21 October 2017"), ("section:Attack", "October 21")]
    assert findings[0].message == (
        "The infobox gives the dates as October 22–23, 2017; the lead dates the attack 21 October 2017."
    )
    assert findings[0].fingerprint == "Date|2017-10-22/2017-10-23|2017-10-21"


def test_a_prose_range_agrees_with_one_of_its_days(edit, check):
    # "on the night of 20 to 21 October" beside a Date of October 21
    content = edit(("occurred on 21 October 2017", "occurred on the night of 20 to 21 October 2017"))
    assert check(content, RULE) == []
    findings = check(edit(("occurred on 21 October 2017", "occurred on 18–19 October 2017")), RULE)
    assert where_and_date(findings) == [("lead", "18–19 October 2017")]


def test_a_month_in_the_lead_agrees_with_a_day_of_it(edit, check):
    assert check(edit(("occurred on 21 October 2017", "occurred in October 2017")), RULE) == []
    findings = check(edit(("occurred on 21 October 2017", "occurred in November 2017")), RULE)
    assert [f.message for f in findings] == [
        "The infobox gives the date as October 21, 2017; the lead places the attack in November 2017."
    ]


def test_no_readable_infobox_date_leaves_it_to_the_structure_rule(edit, check):
    assert check(edit((DATE, "- Date: Autumn 2017")), RULE) == []


# --- judged against the edit ---------------------------------------------


def judged(content, base):
    return judge(get_rule(RULE), CheckContext(content, base, "", datetime.date(2025, 6, 1)))


def test_an_old_disagreement_is_inherited_and_a_worse_one_is_not(edit):
    base = edit(("occurred on 21 October 2017", "occurred on 22 October 2017"))
    typo_fix = edit(
        ("occurred on 21 October 2017", "occurred on 22 October 2017"),
        ("were intersected north", "were intercepted north"),
    )
    assert [(f.fingerprint, f.inherited) for f in judged(typo_fix, base)] == [("Date|2017-10-21|2017-10-22", True)]
    worse = edit(("occurred on 21 October 2017", "occurred on 25 October 2017"))
    assert [f.inherited for f in judged(worse, base)] == [False]


def test_event_noun_names_the_event():
    from encyclopedia.textformat import parse

    assert event_noun(parse("= 2018 Kabonga ambush =\n\nInfobox\n- Conflict: x\n\nLead.\n")) == "ambush"
    assert event_noun(parse("= Kabonga =\n\nInfobox\n- Conflict: Kabonga\n\nLead.\n")) == "event"


@pytest.mark.parametrize(
    "heading, narrative",
    [
        ("Attack", True),
        ("The ambush", True),
        ("Events", True),
        ("Raids", True),
        ("Killings", True),
        ("Background", False),
        ("Previous attacks", False),
    ],
)
def test_narrative_headings(heading, narrative):
    assert is_narrative_heading(heading) is narrative

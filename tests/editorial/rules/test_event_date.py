import datetime

import pytest

from editorial.rules.event_date import event_statements, is_narrative_heading

RULE = "dates.event_date_agreement"
EVENT = datetime.date(2017, 10, 21)


def test_the_seed_agrees_with_itself(seed, check):
    assert check(seed, RULE) == []
    assert check(seed, RULE, base=None) == []


def test_the_statements_of_the_event_day_in_the_seed(seed):
    statements = event_statements(seed, EVENT)
    assert [(s.block.target, s.mention.text) for s in statements] == [
        ("lead", "21 October 2017"),
        ("section:Attack", "October 21"),
    ]


def test_the_other_dates_of_the_seed_are_not_read(seed):
    read = {s.mention.text for s in event_statements(seed, EVENT)}
    # an earlier attack, the Tongo Tongo ambush, the claim
    assert not read & {"May 11, 2017", "October 2017", "January 12, 2018"}


def test_a_changed_infobox_date_disagrees_with_both_statements(edit, check):
    findings = check(edit(("- Date: October 21, 2017", "- Date: October 22, 2017")), RULE)
    assert [(f.severity, f.target, f.evidence["where"], f.evidence["prose"]) for f in findings] == [
        ("error", "infobox:Date", "lead", "21 October 2017"),
        ("error", "infobox:Date", "section:Attack", "October 21"),
    ]
    assert findings[0].message.startswith(
        "The infobox Date is October 22, 2017, but the lead dates the event 21 October 2017:"
    )
    assert findings[0].evidence["infobox"] == "October 22, 2017"
    assert findings[0].evidence["sentence"].startswith("The 2017 Ayorou attack occurred on 21 October 2017 when")


def test_a_changed_lead_date_alone_is_an_error_about_the_lead(edit, check):
    findings = check(edit(("occurred on 21 October 2017", "occurred on 22 October 2017")), RULE)
    assert [(f.severity, f.target, f.evidence["prose"]) for f in findings] == [
        ("error", "lead", "22 October 2017")
    ]
    assert check(edit(("occurred on 21 October 2017", "occurred on 22 October 2017")), RULE, base=None)


def test_a_changed_narrative_date_is_an_error_about_the_section(edit, check):
    findings = check(edit(("At dawn on October 21,", "At dawn on October 23,")), RULE)
    assert [(f.target, f.evidence["prose"]) for f in findings] == [("section:Attack", "October 23")]


def test_a_date_of_another_year_in_the_narrative_is_another_event(edit, check):
    assert check(edit(("At dawn on October 21,", "At dawn on October 20, 2016,")), RULE) == []


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
    assert [f.evidence["prose"] for f in check(content, RULE)] == ["20 October 2017"]


def test_a_year_less_date_takes_the_event_year(edit, check):
    content = edit(("- Date: October 21, 2017", "- Date: October 21, 2018"))
    findings = check(content, RULE)
    # the lead's "21 October 2017" disagrees; "October 21" is read as 2018 and agrees
    assert [f.evidence["prose"] for f in findings] == ["21 October 2017"]


def test_no_readable_infobox_date_leaves_it_to_the_structure_rule(edit, check):
    assert check(edit(("- Date: October 21, 2017", "- Date: Autumn 2017")), RULE) == []


@pytest.mark.parametrize(
    "heading, narrative",
    [("Attack", True), ("The ambush", True), ("Events", True), ("Background", False), ("Previous attacks", False)],
)
def test_narrative_headings(heading, narrative):
    assert is_narrative_heading(heading) is narrative

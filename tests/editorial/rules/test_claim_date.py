import datetime

import pytest

RULE = "dates.claim_before_event"
CLAIM = "claimed responsibility for the attack on January 12, 2018"
DATE = "- Date: October 21, 2017"
CLAIM_SENTENCE = "The Islamic State in the Greater Sahara claimed responsibility for the attack on January 12, 2018."


def test_the_seed_claim_follows_the_event(seed, check):
    assert check(seed, RULE) == []


def test_a_claim_dated_before_the_event_is_an_error(edit, check):
    findings = check(edit(("January 12, 2018", "October 1, 2017")), RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "section:Aftermath")]
    finding = findings[0]
    assert finding.message == (
        "The Aftermath section dates the claim of responsibility October 1, 2017, "
        "before the attack itself (21 October 2017)."
    )
    quote = "The Islamic State in the Greater Sahara claimed responsibility for the attack on October 1, 2017."
    assert finding.evidence == {
        "where": "section:Aftermath",
        "paragraph": 0,
        "quote": quote,
        "highlight": "October 1, 2017",
        "highlight_at": quote.index("October 1, 2017"),
    }
    assert finding.fingerprint == "Claim|before|2017-10-21|2017-10-01"


def test_a_claim_dated_on_the_event_day_is_no_error(edit, check):
    assert check(edit(("January 12, 2018", "21 October 2017")), RULE) == []


def test_a_claim_after_today_is_an_error(seed, check):
    findings = check(seed, RULE, today=datetime.date(2018, 1, 1))
    assert [(f.severity, f.target) for f in findings] == [("error", "section:Aftermath")]
    assert findings[0].message == (
        "The Aftermath section dates the claim of responsibility January 12, 2018, "
        "which is after today (1 January 2018)."
    )
    assert findings[0].evidence["today"] == "2018-01-01"
    assert findings[0].fingerprint == "Claim|future|2018-01-12"
    assert check(seed, RULE, today=datetime.date(2018, 1, 12)) == []


def test_a_claim_month_before_the_event_month_is_an_error(edit, check):
    findings = check(edit((CLAIM, "claimed responsibility in September 2017")), RULE)
    assert [f.evidence["highlight"] for f in findings] == ["September 2017"]
    assert check(edit((CLAIM, "claimed responsibility in October 2017")), RULE) == []


# --- year-less claim dates --------------------------------------------------


def test_a_year_less_claim_months_after_the_event_is_read_in_the_next_year(edit, check):
    # "January 12" after an October event is the next January, not an early claim.
    assert check(edit((CLAIM, "claimed responsibility on January 12")), RULE) == []


def test_a_year_less_claim_weeks_before_the_event_is_an_error(edit, check):
    # Read in the next year it would be a claim eleven months later; the
    # writer meant the event's year, and the claim comes first.
    findings = check(edit((CLAIM, "claimed the attack on October 1")), RULE)
    assert [(f.target, f.evidence["highlight"]) for f in findings] == [("section:Aftermath", "October 1")]
    assert findings[0].message == (
        "The Aftermath section dates the claim of responsibility October 1 (read as 1 October 2017), "
        "before the attack itself (21 October 2017)."
    )


def test_a_year_less_claim_takes_the_year_of_the_full_date_before_it(edit, check):
    # A full date before it fixes the year: 12 January 2017, before the attack.
    before = "A spokesman was seen in Menaka on 5 January 2017."
    fixed = edit((CLAIM_SENTENCE, f"{before} The group claimed the attack on January 12."))
    findings = check(fixed, RULE)
    assert [f.fingerprint for f in findings] == ["Claim|before|2017-10-21|2017-01-12"]
    # After a date later than the event, the prose has moved on: 12 January 2018.
    after = "The army sent reinforcements on 22 October 2017."
    moved_on = edit((CLAIM_SENTENCE, f"{after} The group claimed the attack on January 12."))
    assert check(moved_on, RULE) == []


def test_a_year_less_claim_in_the_future_is_an_error(edit, check):
    content = edit((CLAIM, "claimed responsibility on January 12"))
    findings = check(content, RULE, today=datetime.date(2017, 12, 1))
    assert [f.fingerprint for f in findings] == ["Claim|future|2018-01-12"]
    assert "January 12 (read as 12 January 2018), which is after today (1 December 2017)" in findings[0].message


def test_a_date_that_names_the_event_is_not_the_claim_date(edit, check):
    sentence = "claimed responsibility for the attack of 21 October 2017 on January 12, 2018"
    assert check(edit((CLAIM, sentence)), RULE) == []
    sentence = "claimed responsibility for the 21 October attack on September 30, 2017"
    findings = check(edit((CLAIM, sentence)), RULE)
    assert [f.evidence["highlight"] for f in findings] == ["September 30, 2017"]


# --- an event over several days -------------------------------------------


@pytest.mark.parametrize("claim", ["October 21, 2017", "October 22, 2017", "October 23, 2017"])
def test_a_claim_during_a_multi_day_event_is_no_error(edit, check, claim):
    content = edit((DATE, "- Date: October 21–23, 2017"), ("January 12, 2018", claim))
    assert check(content, RULE) == []


def test_a_claim_before_the_first_day_of_a_multi_day_event_is_an_error(edit, check):
    content = edit((DATE, "- Date: October 21–23, 2017"), ("January 12, 2018", "October 20, 2017"))
    findings = check(content, RULE)
    assert [f.message for f in findings] == [
        "The Aftermath section dates the claim of responsibility October 20, 2017, "
        "before the attack itself (21\u201323 October 2017)."
    ]
    assert findings[0].fingerprint == "Claim|before|2017-10-21/2017-10-23|2017-10-20"


# --- the infobox ------------------------------------------------------------


def test_an_infobox_claim_field_is_checked(edit, check):
    content = edit(("- Result: ISGS victory", "- Result: ISGS victory\n- Claimed: 1 October 2017"))
    findings = check(content, RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "infobox:Claimed")]
    assert findings[0].message == (
        "The infobox's Claimed field dates the claim of responsibility 1 October 2017, "
        "before the attack itself (21 October 2017)."
    )
    assert findings[0].evidence == {"field": "Claimed", "infobox": "1 October 2017"}


@pytest.mark.parametrize("date", ["Autumn 2017", "October 22, 2017"])
def test_without_a_readable_event_date_only_the_future_is_checked(edit, check, date):
    content = edit((DATE, f"- Date: {date}"), ("January 12, 2018", "October 1, 2017"))
    findings = check(content, RULE)
    if date == "Autumn 2017":
        assert findings == []
    else:
        assert [f.evidence["highlight"] for f in findings] == ["October 1, 2017"]


@pytest.mark.parametrize(
    "claim",
    [
        "claimed both attacks on October 1, 2017",
        "claimed the killings in its newsletter on October 1, 2017",
        "claimed the two raids on October 1, 2017",
    ],
)
def test_claims_worded_without_responsibility_are_read(edit, check, claim):
    findings = check(edit((CLAIM, claim)), RULE)
    assert [f.evidence["highlight"] for f in findings] == ["October 1, 2017"]


def test_the_army_claiming_a_killing_is_no_claim_of_responsibility(edit, check):
    sentence = "The army claimed the killing of nine militants on October 1, 2017."
    content = edit(("In a statement released", f"{sentence} In a statement released"))
    assert check(content, RULE) == []


def test_a_claim_told_in_the_background_is_an_earlier_events(edit, check):
    earlier = "The group claimed responsibility for an attack on the post on 2 May 2017."
    content = edit(("Jihadists had attacked Ayorou", f"{earlier} Jihadists had attacked Ayorou"))
    assert check(content, RULE) == []


def test_a_claim_of_another_event_is_not_this_ones(edit, check):
    sentence = "The group, which had claimed the May attack on 14 May 2017, said nothing for weeks."
    content = edit(("In a statement released", f"{sentence} In a statement released"))
    assert check(content, RULE) == []


def test_a_claim_that_says_what_its_authors_had_done_is_still_read(edit, check):
    claim = "claimed responsibility for the attack on October 1, 2017, saying its fighters had killed thirteen"
    findings = check(edit((CLAIM, claim)), RULE)
    assert [f.evidence["highlight"] for f in findings] == ["October 1, 2017"]


def test_a_date_of_another_time_gives_no_year_to_a_year_less_claim(edit, check):
    # "November 2016" tells of another event; "January 12" still reads
    # from the attack (21 October 2017): 12 January 2018, after it.
    other = "It came a year after gendarmes had died in an ambush in November 2016."
    content = edit((CLAIM_SENTENCE, f"{other} The group claimed responsibility for the attack on January 12."))
    assert check(content, RULE) == []


def test_may_the_verb_is_no_month_naming_another_attack(edit, check):
    claim = "claimed responsibility for the attack on October 1, 2017, and said its fighters may attack again"
    findings = check(edit((CLAIM, claim)), RULE)
    assert [f.evidence["highlight"] for f in findings] == ["October 1, 2017"]

import datetime

import pytest

RULE = "dates.claim_before_event"
CLAIM = "claimed responsibility for the attack on January 12, 2018"


def test_the_seed_claim_follows_the_event(seed, check):
    assert check(seed, RULE) == []


def test_a_claim_dated_before_the_event_is_an_error(edit, check):
    findings = check(edit(("January 12, 2018", "October 1, 2017")), RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "section:Aftermath")]
    finding = findings[0]
    assert finding.message == (
        "The Aftermath section dates the claim of responsibility October 1, 2017, "
        "before the event itself (infobox Date: October 21, 2017)."
    )
    assert finding.evidence == {
        "claim": "October 1, 2017",
        "infobox": "October 21, 2017",
        "sentence": "The Islamic State in the Greater Sahara claimed responsibility for the attack on October 1, 2017.",
    }


def test_a_claim_dated_on_the_event_day_is_no_error(edit, check):
    assert check(edit(("January 12, 2018", "21 October 2017")), RULE) == []


def test_a_claim_after_today_is_an_error(seed, check):
    findings = check(seed, RULE, today=datetime.date(2018, 1, 1))
    assert [(f.severity, f.target) for f in findings] == [("error", "section:Aftermath")]
    assert "January 12, 2018, which is after today (1 January 2018)" in findings[0].message
    assert findings[0].evidence["today"] == "2018-01-01"
    assert check(seed, RULE, today=datetime.date(2018, 1, 12)) == []


def test_a_claim_month_before_the_event_month_is_an_error(edit, check):
    findings = check(edit((CLAIM, "claimed responsibility in September 2017")), RULE)
    assert [f.evidence["claim"] for f in findings] == ["September 2017"]
    assert check(edit((CLAIM, "claimed responsibility in October 2017")), RULE) == []


def test_a_year_less_claim_date_is_read_as_after_the_event(edit, check):
    # "January 12" after an October event is the next January, not an early claim.
    assert check(edit((CLAIM, "claimed responsibility on January 12")), RULE) == []


def test_a_date_that_names_the_event_is_not_the_claim_date(edit, check):
    sentence = "claimed responsibility for the attack of 21 October 2017 on January 12, 2018"
    assert check(edit((CLAIM, sentence)), RULE) == []
    sentence = "claimed responsibility for the 21 October attack on September 30, 2017"
    findings = check(edit((CLAIM, sentence)), RULE)
    assert [f.evidence["claim"] for f in findings] == ["September 30, 2017"]


def test_an_infobox_claim_field_is_checked(edit, check):
    content = edit(("- Result: ISGS victory", "- Result: ISGS victory\n- Claimed: 1 October 2017"))
    findings = check(content, RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "infobox:Claimed")]
    assert findings[0].message.startswith("The infobox field Claimed dates the claim of responsibility 1 October 2017")
    assert findings[0].evidence["field"] == "1 October 2017"


@pytest.mark.parametrize("date", ["Autumn 2017", "October 22, 2017"])
def test_without_a_readable_event_date_only_the_future_is_checked(edit, check, date):
    content = edit(("- Date: October 21, 2017", f"- Date: {date}"), ("January 12, 2018", "October 1, 2017"))
    findings = check(content, RULE)
    if date == "Autumn 2017":
        assert findings == []
    else:
        assert [f.evidence["claim"] for f in findings] == ["October 1, 2017"]

import dataclasses

import pytest

from encyclopedia.content import InfoboxEntry

RULE = "structure.infobox"


def test_the_seed_is_well_formed(seed, check):
    assert check(seed, RULE) == []


def test_each_missing_required_field_is_an_error(seed, check):
    content = dataclasses.replace(
        seed, infobox=tuple(e for e in seed.infobox if e.key not in ("Place", "Result"))
    )
    findings = check(content, RULE)
    assert [(f.severity, f.target) for f in findings] == [
        ("error", "infobox:Place"),
        ("error", "infobox:Result"),
    ]
    assert findings[0].message.startswith("The infobox has no Place field")
    assert findings[0].evidence["required"] == ["Conflict", "Place", "Date", "Result"]


@pytest.mark.parametrize(
    "value",
    [
        "Autumn 2017",
        "14–15 March",  # a range without its year
        "15–14 March 2019",  # a range that ends before it starts
        "December 31 – January 2, 2019",  # which year it starts in is a guess
        "10/21/2017",  # numeric, read two ways
    ],
)
def test_a_date_that_does_not_parse_is_an_error(edit, check, value):
    findings = check(edit(("- Date: October 21, 2017", f"- Date: {value}")), RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "infobox:Date")]
    # the message names both forms a Date may take
    assert findings[0].message == (
        f"The infobox Date \u201c{value}\u201d cannot be read as a date. Write one full date, such as "
        "\u201cOctober 21, 2017\u201d or \u201c21 October 2017\u201d, or a range of days with its year, "
        "such as \u201cMay 30 \u2013 June 2, 2018\u201d or \u201c14\u201315 March 2019\u201d."
    )
    assert findings[0].evidence == {"field": "Date", "infobox": value}
    assert findings[0].fingerprint == f"Date|unreadable|{value}"


@pytest.mark.parametrize(
    "value",
    [
        "21 October 2017",
        "2017-10-21",
        "May 30 – June 2, 2018",
        "30 May – 2 June 2018",
        "14–15 March 2019",
        "March 14–15, 2019",
        "14 - 15 March 2019",
        "December 31, 2018 – January 2, 2019",
        "2019-03-14/2019-03-15",
    ],
)
def test_a_full_date_or_a_range_of_days_is_accepted(edit, check, value):
    assert check(edit(("- Date: October 21, 2017", f"- Date: {value}")), RULE) == []


def test_each_unknown_key_is_a_warning(seed, check):
    content = dataclasses.replace(
        seed, infobox=seed.infobox + (InfoboxEntry("Weather", "clear"), InfoboxEntry("Casualties9", "2 killed"))
    )
    findings = check(content, RULE)
    assert [(f.severity, f.target) for f in findings] == [
        ("warning", "infobox:Weather"),
        ("warning", "infobox:Casualties9"),
    ]
    assert "'Weather' is not one the schema knows" in findings[0].message

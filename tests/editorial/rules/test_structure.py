import dataclasses

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


def test_a_date_that_does_not_parse_is_an_error(edit, check):
    findings = check(edit(("- Date: October 21, 2017", "- Date: Autumn 2017")), RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "infobox:Date")]
    assert "'Autumn 2017' is not a date" in findings[0].message
    assert findings[0].evidence == {"field": "Date", "infobox": "Autumn 2017"}


def test_another_full_date_form_is_accepted(edit, check):
    assert check(edit(("- Date: October 21, 2017", "- Date: 21 October 2017")), RULE) == []


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

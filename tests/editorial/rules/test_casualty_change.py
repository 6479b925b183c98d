import pytest

from editorial.rules.casualty_change import names_source

RULE = "casualties.change"
SOURCED = "source: https://example.org/report"


def test_no_base_no_finding(edit, check):
    assert check(edit(("13 killed", "30 killed")), RULE, base=None) == []


def test_unchanged_figures_no_finding(seed, edit, check):
    assert check(seed, RULE) == []
    # rewording without changing a count
    assert check(edit(("13 killed, 5 injured", "13 dead, 5 wounded")), RULE) == []


def test_a_small_change_is_a_warning_with_old_and_new(edit, check):
    findings = check(edit(("13 killed, 5", "14 killed, 5")), RULE)
    assert [(f.severity, f.target) for f in findings] == [("warning", "infobox:Casualties1")]
    finding = findings[0]
    assert finding.message == "The infobox field Casualties1 changes the killed figure from 13 to 14 (by 8 %)."
    assert finding.evidence["old_figure"] == "13 killed"
    assert finding.evidence["new_figure"] == "14 killed"
    assert finding.evidence["old"] == "13 killed, 5 injured, 3 vehicles captured"
    assert finding.evidence["new"] == "14 killed, 5 injured, 3 vehicles captured"
    assert finding.evidence["change_percent"] == 8


def test_a_large_change_without_source_is_an_error(edit, check):
    findings = check(edit(("13 killed", "30 killed")), RULE)
    assert [(f.severity, f.evidence["change_percent"]) for f in findings] == [("error", 131)]
    assert "from 13 to 30 (by 131 %); name a source in the edit summary" in findings[0].message


def test_a_large_change_with_a_source_is_a_warning(edit, check):
    findings = check(edit(("13 killed", "30 killed")), RULE, summary=SOURCED)
    assert [f.severity for f in findings] == ["warning"]
    assert findings[0].message.endswith("the edit summary names a source.")
    assert findings[0].evidence["summary"] == SOURCED


def test_exactly_half_is_not_large(edit, check):
    findings = check(edit(("5 injured", "7 injured")), RULE)  # 40 %
    assert [(f.severity, f.evidence["old_figure"], f.evidence["new_figure"]) for f in findings] == [
        ("warning", "5 injured", "7 injured")
    ]


def test_a_removed_field_is_an_error_unless_sourced(edit, check):
    removed = edit(("- Casualties2: 3+ killed, 1 vehicle destroyed\n", ""))
    findings = check(removed, RULE)
    assert [(f.severity, f.target) for f in findings] == [("error", "infobox:Casualties2")]
    assert findings[0].message.startswith("The infobox field Casualties2 (3+ killed, 1 vehicle destroyed) was removed")
    assert findings[0].evidence["old"] == "3+ killed, 1 vehicle destroyed"
    assert [f.severity for f in check(removed, RULE, summary="See http://example.org")] == ["warning"]


def test_a_removed_figure_is_an_error(edit, check):
    findings = check(edit(("3+ killed, 1 vehicle destroyed", "1 vehicle destroyed")), RULE)
    assert [(f.severity, f.evidence["old_figure"]) for f in findings] == [("error", "3+ killed")]


def test_an_added_figure_is_a_warning(edit, check):
    findings = check(edit(("3+ killed, 1 vehicle destroyed", "3+ killed, 2 wounded, 1 vehicle destroyed")), RULE)
    assert [(f.severity, f.evidence["new_figure"]) for f in findings] == [("warning", "2 wounded")]


def test_figures_are_paired_by_what_they_count(edit, check):
    # the vehicles are not compared with the killed even when the order changes
    content = edit(("13 killed, 5 injured, 3 vehicles captured", "3 vehicles captured, 13 killed, 5 injured"))
    assert check(content, RULE) == []


def test_strength_fields_are_watched(edit, check):
    content = edit(("- Combatant2:", "- Strength2: 40 militants\n- Combatant2:"))
    seeded = edit(("- Combatant2:", "- Strength2: 20 militants\n- Combatant2:"))
    findings = check(content, RULE, base=seeded)
    assert [(f.severity, f.target, f.evidence["change_percent"]) for f in findings] == [
        ("error", "infobox:Strength2", 100)
    ]


def test_other_fields_are_not_watched(edit, check):
    assert check(edit(("- Result: ISGS victory", "- Result: Nigerien victory")), RULE) == []


@pytest.mark.parametrize(
    "summary, sourced",
    [
        ("source: Ministry of Defense statement", True),
        ("Source: Reuters", True),
        ("per https://example.org/report", True),
        ("see www.example.org", True),
        ("fixed the count", False),
        ("resource: none", False),
    ],
)
def test_names_source(summary, sourced):
    assert names_source(summary) is sourced

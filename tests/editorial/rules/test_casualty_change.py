import datetime

import pytest

from editorial.rules import CheckContext, get_rule, run_rule
from editorial.rules.casualty_change import names_source
from encyclopedia.textformat import parse

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
    assert finding.message == "Casualties 1 now gives 14 killed instead of 13 killed (a change of 8 %)."
    assert finding.evidence["old_figure"] == "13 killed"
    assert finding.evidence["new_figure"] == "14 killed"
    assert finding.evidence["old"] == "13 killed, 5 injured, 3 vehicles captured"
    assert finding.evidence["infobox"] == "14 killed, 5 injured, 3 vehicles captured"
    assert finding.evidence["field"] == "Casualties1"
    assert finding.fingerprint == "Casualties1|killed||||13|14"
    assert finding.evidence["change_percent"] == 8


def test_a_large_change_without_source_is_an_error(edit, check):
    findings = check(edit(("13 killed", "30 killed")), RULE)
    assert [(f.severity, f.evidence["change_percent"]) for f in findings] == [("error", 131)]
    assert findings[0].message == (
        "Casualties 1 now gives 30 killed instead of 13 killed (a change of 131 %); "
        "name a source in the edit summary (a URL or \u201csource: ...\u201d)."
    )


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
    assert findings[0].message.startswith("The Casualties 2 field (3+ killed, 1 vehicle destroyed) was removed; name a source")
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


# --- figures of several parties and sources ----------------------------------------------

_ARTICLE = """= Kelka ambush =

Infobox
- Conflict: Kelka ambush
- Place: Kelka, Mali
- Date: March 3, 2019
- Result: JNIM victory
- Casualties1: {value}

The Kelka ambush took place on 3 March 2019.
"""
TODAY = datetime.date(2026, 6, 1)


def changes(old, new, summary=""):
    context = CheckContext(
        content=parse(_ARTICLE.format(value=new)), base=parse(_ARTICLE.format(value=old)), summary=summary, today=TODAY
    )
    return [(f.severity, f.message) for f in run_rule(get_rule(RULE), context)]


def test_a_second_source_is_a_new_figure_not_a_change_of_the_first():
    assert changes("28 killed (per the army)", "28 killed (per the army), 40 killed (per the claimants)") == [
        ("warning", "Casualties 1 now gives a new figure, 40 killed (per the claimants); check it against a source.")
    ]


def test_a_source_given_to_a_figure_is_the_same_figure():
    assert changes("28 killed", "40 killed (per the claimants), 28 killed (per the army)") == [
        ("warning", "Casualties 1 now gives a new figure, 40 killed (per the claimants); check it against a source.")
    ]


def test_a_figure_split_between_parties_or_summed_is_no_change():
    assert changes("9 killed", "3 killed (France); 6 killed (Mali)") == []
    assert changes("3 killed (France); 6 killed (Mali)", "9 killed") == []


def test_figures_are_paired_by_party():
    # the order changes, the figures do not
    assert changes("3 killed (France); 6 killed (Mali)", "6 killed (Mali); 3 killed (France)") == []
    assert changes("3 killed (France); 6 killed (Mali)", "3 killed (France); 16 killed (Mali)") == [
        (
            "error",
            "Casualties 1 now gives 16 killed (Mali) instead of 6 killed (Mali) (a change of 167 %); "
            "name a source in the edit summary (a URL or \u201csource: ...\u201d).",
        )
    ]


def test_one_sources_figure_replaced_by_anothers_is_a_removal():
    assert [severity for severity, _ in changes("28 killed (per the army)", "40 killed (per the claimants)")] == [
        "error",
        "warning",
    ]


def test_approximate_figures_change_by_their_nominal_value():
    assert changes("about 50 killed", "~50 killed") == []
    assert [severity for severity, _ in changes("about 50 killed", "about 60 killed")] == ["warning"]
    assert [severity for severity, _ in changes("about 50 killed", "dozens killed")] == ["warning"]

"""Casualty and strength figures of a field value, with their parties and sources."""

import pytest

from editorial.rules.text.figures import classify_note, parse_figures
from editorial.rules.text.groups import CIVILIANS, FORCES
from editorial.rules.text.numbers import Quantity


def test_parse_figures_of_the_seed_fields():
    figures = parse_figures("13 killed, 5 injured, 3 vehicles captured")
    assert [(f.label, f.kind, f.materiel, f.quantity) for f in figures] == [
        ("killed", "killed", None, Quantity.exact(13)),
        ("wounded", "wounded", None, Quantity.exact(5)),
        ("vehicle captured", "captured", "vehicle", Quantity.exact(3)),
    ]
    figures = parse_figures("3+ killed, 1 vehicle destroyed")
    assert [(f.label, f.quantity, f.counts_people) for f in figures] == [
        ("killed", Quantity(3, None), True),
        ("vehicle destroyed", Quantity.exact(1), False),
    ]
    assert all(f.party is None and f.source is None for f in figures)


def test_parse_figures_normalises_words_and_skips_breakdowns():
    figures = parse_figures("Thirteen dead (incl. 2 officers); about 50 militants")
    assert [(f.label, f.quantity, f.party, f.source) for f in figures] == [
        ("killed", Quantity.exact(13), None, None),
        ("militants", Quantity.about(50), None, None),
    ]
    assert parse_figures("Unknown") == []


def test_a_note_after_a_run_of_figures_names_their_party():
    figures = parse_figures("3 soldiers killed, 1 wounded (France); 6 killed, 9 wounded (Mali)")
    assert [(f.kind, f.quantity.low, f.party) for f in figures] == [
        ("killed", 3, "france"),
        ("wounded", 1, "france"),
        ("killed", 6, "mali"),
        ("wounded", 9, "mali"),
    ]
    assert figures[0].group == FORCES
    assert figures[0].described == "3 soldiers killed (France)"


def test_a_per_note_names_the_source():
    figures = parse_figures("28 killed (per the army), 40 killed (per the claimants)")
    assert [(f.quantity.low, f.source, f.party) for f in figures] == [
        (28, "the army", None),
        (40, "the claimants", None),
    ]
    assert [f.described for f in figures] == ["28 killed (per the army)", "40 killed (per the claimants)"]
    assert figures[0].pairing_key != figures[1].pairing_key


def test_the_same_source_for_two_kinds():
    figures = parse_figures("12 killed (per Burkina Faso), 50 captured (per Burkina Faso)")
    assert [(f.kind, f.quantity.low, f.source) for f in figures] == [
        ("killed", 12, "Burkina Faso"),
        ("captured", 50, "Burkina Faso"),
    ]


def test_a_label_before_a_colon_names_the_party_of_its_part():
    figures = parse_figures("France: 3 killed, 1 wounded; Mali: 6 killed")
    assert [(f.quantity.low, f.party) for f in figures] == [(3, "france"), (1, "france"), (6, "mali")]


@pytest.mark.parametrize("value", ["13 killed (including 2 officers)", "13 killed[a]", "13 killed[1] (incl. 4 officers)"])
def test_breakdowns_and_footnotes_add_nothing(value):
    figures = parse_figures(value)
    assert [(f.quantity, f.party, f.source) for f in figures] == [(Quantity.exact(13), None, None)]


@pytest.mark.parametrize(
    "value, quantity",
    [
        ("50+ killed", Quantity(50, None)),
        ("dozens killed", Quantity(24, 199)),
        ("~40 killed", Quantity.about(40)),
        ("c. 40 killed", Quantity.about(40)),
        ("Several killed", Quantity(3, 9)),
    ],
)
def test_approximate_figures_in_the_infobox(value, quantity):
    assert [f.quantity for f in parse_figures(value)] == [quantity]


@pytest.mark.parametrize(
    "note, kind, name",
    [
        ("per the army", "source", "the army"),
        ("according to local sources", "source", "local sources"),
        ("JNIM claim", "source", "JNIM"),
        ("claimed", "source", "claimed"),
        ("France", "party", "france"),
        ("Malian Armed Forces", "party", "mali"),
        ("Wagner Group", "party", "russia"),  # the party its men fight for
        ("civilians", "group", CIVILIANS),
        ("including 2 officers", "breakdown", None),
        ("2 officers, 11 soldiers", "breakdown", None),
    ],
)
def test_classify_note(note, kind, name):
    classified = classify_note(note)
    assert (classified.kind, classified.name) == (kind, name)


def test_a_figure_names_its_group():
    figures = parse_figures("2 civilians killed, 4 killed (civilians)")
    assert [f.group for f in figures] == [CIVILIANS, CIVILIANS]

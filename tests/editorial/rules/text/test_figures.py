"""Casualty and strength figures of a field value."""

from editorial.rules.text.figures import parse_figures
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


def test_parse_figures_normalises_words_and_skips_notes():
    figures = parse_figures("Thirteen dead (incl. 2 officers); about 50 militants")
    assert [(f.label, f.quantity) for f in figures] == [
        ("killed", Quantity.exact(13)),
        ("militants", Quantity(50, 50, approximate=True)),
    ]
    assert parse_figures("Unknown") == []

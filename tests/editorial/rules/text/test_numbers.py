"""Counts in digits or words, with ranges and qualifiers."""

import pytest

from editorial.rules.text.numbers import Quantity, find_numbers, parse_number, parse_quantity


@pytest.mark.parametrize(
    "text, value",
    [("13", 13), ("1,200", 1200), ("Thirteen", 13), ("five", 5), ("twenty-five", 25), ("several", None), ("", None)],
)
def test_parse_number_reads_digits_and_words(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, quantity",
    [
        ("four to five vehicles", Quantity(4, 5)),
        ("4–5 killed", Quantity(4, 5)),
        ("3+ killed", Quantity(3, None)),
        ("at least three were left behind", Quantity(3, None)),
        ("more than ten died", Quantity(11, None)),
        ("about 50 militants", Quantity(50, 50, approximate=True)),
        ("Thirteen gendarmes", Quantity(13, 13)),
    ],
)
def test_parse_quantity_reads_ranges_and_qualifiers(text, quantity):
    assert parse_quantity(text) == quantity


def test_find_numbers_gives_spans_in_prose():
    text = "Thirteen gendarmes were killed and five others were wounded, twenty-five kilometers away."
    mentions = find_numbers(text)
    assert [(m.text, m.quantity.low) for m in mentions] == [("Thirteen", 13), ("five", 5), ("twenty-five", 25)]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_quantities_overlap_when_both_can_be_true():
    assert Quantity(3, None).overlaps(Quantity.exact(3))
    assert Quantity(3, None).overlaps(Quantity.exact(7))
    assert not Quantity(3, None).overlaps(Quantity.exact(2))
    assert not Quantity.exact(13).overlaps(Quantity.exact(14))
    assert Quantity(4, 5).overlaps(Quantity.exact(5))
    assert str(Quantity(3, None)) == "3+"
    assert str(Quantity(4, 5)) == "4–5"

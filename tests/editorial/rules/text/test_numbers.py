"""Counts in digits or words, with ranges and qualifiers, read as intervals."""

import pytest

from editorial.rules.text.numbers import Quantity, find_numbers, parse_number, parse_quantity, tolerance


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
        ("between 20 and 30 were killed", Quantity(20, 30)),
        ("3+ killed", Quantity(3, None)),
        ("50-plus killed", Quantity(50, None)),
        ("12 or more soldiers", Quantity(12, None)),
        ("at least three were left behind", Quantity(3, None)),
        ("more than ten died", Quantity(11, None)),
        ("over fifty soldiers", Quantity(51, None)),
        ("fewer than 10 died", Quantity(0, 9)),
        ("no more than 10 died", Quantity(0, 10)),
        ("Thirteen gendarmes", Quantity(13, 13)),
        ("one hundred and twenty-five", Quantity(125, 125)),
        ("a hundred men", Quantity(100, 100)),
    ],
)
def test_parse_quantity_reads_ranges_and_open_ends(text, quantity):
    assert parse_quantity(text) == quantity


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("about 50 militants", 40, 60),
        ("around 50", 40, 60),
        ("some 50 fighters", 40, 60),
        ("an estimated 50", 40, 60),
        ("roughly 13", 10, 16),
        ("~40 killed", 32, 48),
        ("c. 40 killed", 32, 48),
        ("40-odd", 32, 48),
        ("about five", 4, 6),
        ("nearly 50", 40, 50),  # under or at, not over
        ("almost fifty", 40, 50),
        ("just over 50", 51, 60),
        ("up to 30", 15, 30),  # the top of an estimate, not far above the count
        ("as many as 30", 15, 30),
    ],
)
def test_approximate_counts_allow_their_tolerance(text, low, high):
    quantity = parse_quantity(text)
    assert (quantity.low, quantity.high, quantity.approximate) == (low, high, True)


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("a few soldiers", 2, 5),
        ("several jihadists", 3, 9),
        ("a handful of", 2, 6),
        ("a couple of", 2, 3),
        ("a dozen soldiers", 10, 14),
        ("half a dozen", 5, 7),
        ("two dozen", 19, 29),
        ("dozens of soldiers", 24, 199),
        ("a few dozen", 24, 72),
        ("several dozen", 30, 119),
        ("scores of civilians", 40, 399),
        ("hundreds of people", 200, 999),
        ("several hundred", 200, 999),
        ("thousands fled", 2000, 9999),
        ("tens of thousands", 20000, 99999),
        ("at least several", 3, None),
        ("more than a dozen", 13, None),
        ("at least 20", 20, None),
        ("almost a dozen", 10, 12),
    ],
)
def test_words_that_are_no_number_still_count(text, low, high):
    quantity = parse_quantity(text)
    assert (quantity.low, quantity.high) == (low, high)


@pytest.mark.parametrize(
    "prose, exact, agrees",
    [
        ("over fifty", 31, False),
        ("over fifty", 51, True),
        ("about 50", 45, True),
        ("about 50", 61, False),
        ("dozens", 13, False),
        ("dozens", 30, True),
        ("several", 13, False),
        ("several", 5, True),
        ("a few", 7, False),
        ("nearly 50", 52, False),
        ("3+", 2, False),
    ],
)
def test_an_approximate_count_agrees_with_an_exact_one_inside_it(prose, exact, agrees):
    assert parse_quantity(prose).overlaps(Quantity.exact(exact)) is agrees


def test_tolerance_is_a_fifth_and_at_least_one():
    assert [tolerance(value) for value in (1, 5, 13, 50, 100)] == [1, 1, 3, 10, 20]


def test_find_numbers_gives_spans_in_prose():
    text = "Thirteen gendarmes were killed and five others were wounded, twenty-five kilometers away."
    mentions = find_numbers(text)
    assert [(m.text, m.quantity.low) for m in mentions] == [("Thirteen", 13), ("five", 5), ("twenty-five", 25)]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_qualifiers_are_part_of_the_mention():
    text = "Officials said about 50 militants and at least three soldiers died."
    assert [m.text for m in find_numbers(text)] == ["about 50", "at least three"]


@pytest.mark.parametrize(
    "text",
    ["an F-16 and a Mi-24", "the G5 Sahel force", "the 13th battalion", "at 10:30", "1.5 km", "30% of", "no one was hurt"],
)
def test_names_ordinals_times_decimals_and_no_one_are_no_counts(text):
    assert find_numbers(text) == []


def test_a_colon_after_a_count_is_no_time():
    assert [m.text for m in find_numbers("The toll was 19: 13 soldiers, at 10:30.")] == ["19", "13"]


def test_from_one_toll_to_another_is_two_counts_not_a_range():
    assert [m.quantity for m in find_numbers("the toll was raised from 14 to 32")] == [
        Quantity.exact(14),
        Quantity.exact(32),
    ]


def test_words_text2num_refuses_together_are_read_one_by_one():
    assert [m.quantity.low for m in find_numbers("five six")] == [5, 6]


def test_quantities_overlap_when_both_can_be_true():
    assert Quantity(3, None).overlaps(Quantity.exact(3))
    assert Quantity(3, None).overlaps(Quantity.exact(7))
    assert not Quantity(3, None).overlaps(Quantity.exact(2))
    assert not Quantity.exact(13).overlaps(Quantity.exact(14))
    assert Quantity(4, 5).overlaps(Quantity.exact(5))
    assert str(Quantity(3, None)) == "3+"
    assert str(Quantity(4, 5)) == "4–5"
    assert str(Quantity.about(50)) == "about 50"


def test_quantities_add_and_span():
    assert Quantity.exact(11) + Quantity.exact(2) == Quantity.exact(13)
    assert Quantity.exact(11) + Quantity(2, None) == Quantity(13, None)
    assert Quantity.exact(28).span(Quantity.exact(40)) == Quantity(28, 40)


def test_find_numbers_is_linear_in_practice():
    import time

    text = "Thirteen gendarmes and about fifty militants were killed, some 40 kilometers away. " * 2000
    started = time.perf_counter()
    assert len(find_numbers(text)) == 6000
    assert time.perf_counter() - started < 1.0

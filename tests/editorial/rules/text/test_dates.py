"""Dates in prose, the event's day from the infobox, and dates in messages."""

import datetime

import pytest

from editorial.rules.text.dates import find_dates, format_date, infobox_event_date


@pytest.mark.parametrize(
    "text, found, day, month, year",
    [
        ("occurred on 21 October 2017 when", "21 October 2017", 21, 10, 2017),
        ("claimed responsibility on January 12, 2018.", "January 12, 2018", 12, 1, 2018),
        ("At dawn on October 21, militants", "October 21", 21, 10, None),
        ("on the 21st of October the", "21st of October", 21, 10, None),
        ("In early October 2017, Nigerien", "October 2017", None, 10, 2017),
        ("on 5 Sept. 2017 the", "5 Sept. 2017", 5, 9, 2017),
    ],
)
def test_find_dates_reads_both_orders_with_and_without_year(text, found, day, month, year):
    (mention,) = find_dates(text)
    assert (mention.text, mention.day, mention.month, mention.year) == (found, day, month, year)
    assert text[mention.start : mention.end].rstrip(", ") == found


def test_find_dates_gives_the_sentence_and_ignores_lowercase_months():
    text = "Militants may attack again. Jihadists had attacked Ayorou on May 11, 2017, with weapons."
    (mention,) = find_dates(text)
    assert mention.text == "May 11, 2017"
    assert mention.sentence == "Jihadists had attacked Ayorou on May 11, 2017, with weapons."


def test_a_year_less_date_takes_the_given_year_and_impossible_dates_resolve_to_none():
    (october,) = find_dates("on October 21")
    assert october.resolve(2017) == datetime.date(2017, 10, 21)
    assert october.agrees_with(datetime.date(2017, 10, 21))
    assert not october.agrees_with(datetime.date(2017, 10, 22))
    (impossible,) = find_dates("on 30 February 2017")
    assert impossible.resolve(2017) is None
    (month_only,) = find_dates("in October 2017")
    assert month_only.agrees_with(datetime.date(2017, 10, 21))
    assert not month_only.agrees_with(datetime.date(2017, 11, 21))


def test_event_date_comes_from_the_infobox(seed):
    assert infobox_event_date(seed) == datetime.date(2017, 10, 21)
    assert format_date(datetime.date(2017, 10, 21)) == "21 October 2017"

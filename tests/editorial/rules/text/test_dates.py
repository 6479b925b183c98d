"""Dates in prose, the year a year-less date takes, the event's days from the infobox, and dates in messages."""

import datetime

import pytest

from editorial.rules.text.dates import (
    YearReader,
    find_dates,
    format_date,
    format_span,
    infobox_event_date,
    infobox_event_span,
)
from encyclopedia.dates import DateSpan

D = datetime.date


def one_day(year, month, day):
    return DateSpan(D(year, month, day), D(year, month, day))


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
    assert mention.from_day is None
    assert text[mention.start : mention.end].rstrip(", ") == found


def test_find_dates_gives_the_sentence_and_ignores_lowercase_months():
    text = "Militants may attack again. Jihadists had attacked Ayorou on May 11, 2017, with weapons."
    (mention,) = find_dates(text)
    assert mention.text == "May 11, 2017"
    assert mention.sentence == "Jihadists had attacked Ayorou on May 11, 2017, with weapons."


@pytest.mark.parametrize(
    "text, found, first, last",
    [
        ("fighting on 14–15 March 2019 left", "14–15 March 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("on March 14-15, 2019, gunmen", "March 14-15, 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("from May 30 – June 2, 2018, the", "May 30 – June 2, 2018", D(2018, 5, 30), D(2018, 6, 2)),
        ("from 30 May to 2 June 2018 the", "30 May to 2 June 2018", D(2018, 5, 30), D(2018, 6, 2)),
        ("On the night of 2 to 3 March 2019, gunmen", "2 to 3 March 2019", D(2019, 3, 2), D(2019, 3, 3)),
        (
            "between December 31, 2018 – January 2, 2019",
            "December 31, 2018 – January 2, 2019",
            D(2018, 12, 31),
            D(2019, 1, 2),
        ),
    ],
)
def test_find_dates_reads_ranges_as_one_mention(text, found, first, last):
    (mention,) = find_dates(text)
    assert mention.text == found
    assert mention.span() == DateSpan(first, last)


@pytest.mark.parametrize(
    "text, found",
    [
        # a count before a date is no range
        ("killing 20 – 3 March 2019 was", ["3 March 2019"]),
        ("On October 21 - 13 gendarmes died", ["October 21"]),
        # two days joined by "and" across months are two dates, often two events
        ("attacked on May 11 and October 21, 2017", ["May 11", "October 21, 2017"]),
        # a range that would end before it starts stays two dates
        ("from December 30 – January 2 the", ["December 30", "January 2"]),
    ],
)
def test_find_dates_does_not_make_ranges_of_what_is_not_one(text, found):
    assert [mention.text for mention in find_dates(text)] == found


def test_a_year_less_date_takes_the_given_year_and_impossible_dates_resolve_to_none():
    (october,) = find_dates("on October 21")
    assert october.resolve(2017) == D(2017, 10, 21)
    assert october.span() is None  # no year to take
    assert october.agrees_with(D(2017, 10, 21))
    assert not october.agrees_with(D(2017, 10, 22))
    (impossible,) = find_dates("on 30 February 2017")
    assert impossible.resolve(2017) is None
    (month_only,) = find_dates("in October 2017")
    assert month_only.span() == DateSpan(D(2017, 10, 1), D(2017, 10, 31))
    assert month_only.agrees_with(D(2017, 10, 21))
    assert not month_only.agrees_with(D(2017, 11, 21))


def read_all(text, anchor):
    reader = YearReader(anchor)
    return [reader.read(mention) for mention in find_dates(text)]


@pytest.mark.parametrize(
    "text, anchor, expected",
    [
        # no date before it: the event's year
        ("At dawn on October 21, militants", one_day(2017, 10, 21), one_day(2017, 10, 21)),
        # a claim months later, over New Year, is the next January
        ("claimed the attack on January 12.", one_day(2017, 10, 21), one_day(2018, 1, 12)),
        # but a day three weeks before the event stays in its year: it is not
        # read as a claim eleven months later
        ("claimed the attack on October 1.", one_day(2017, 10, 21), one_day(2017, 10, 1)),
        # an event over New Year: the day falls in the range
        ("On January 1, militants", DateSpan(D(2018, 12, 31), D(2019, 1, 2)), one_day(2019, 1, 1)),
        # no event date, no date before it: nothing to read
        ("claimed the attack on June 8.", None, None),
    ],
)
def test_a_year_less_date_without_a_date_before_it_takes_the_events_year(text, anchor, expected):
    assert read_all(text, anchor)[-1] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the last full date before it gives the year ...
        ("The army arrived on 5 May 2016. On October 21, militants", one_day(2016, 10, 21)),
        ("On 5 January 2017 the post was reinforced. The group claimed it on January 12.", one_day(2017, 1, 12)),
        # ... and prose runs forward: after 22 October 2017, "January 12" is in 2018
        ("On 22 October 2017 the army came. The group claimed it on January 12.", one_day(2018, 1, 12)),
        ("It began on 30 December 2018. On January 2, the group claimed it.", one_day(2019, 1, 2)),
        # a day just before the date before it stays in that year
        ("It occurred on 21 October 2017. On October 20, scouts were seen.", one_day(2017, 10, 20)),
        # a month with a year counts too
        ("In early October 2016, a patrol left. On October 21, militants", one_day(2016, 10, 21)),
    ],
)
def test_a_year_less_date_takes_the_year_of_the_last_date_before_it(text, expected):
    assert read_all(text, one_day(2017, 10, 21))[-1] == expected


def test_event_date_comes_from_the_infobox(seed, edit):
    assert infobox_event_date(seed) == D(2017, 10, 21)
    assert infobox_event_span(seed) == one_day(2017, 10, 21)
    ranged = edit(("- Date: October 21, 2017", "- Date: October 20–22, 2017"))
    assert infobox_event_span(ranged) == DateSpan(D(2017, 10, 20), D(2017, 10, 22))
    assert infobox_event_date(ranged) == D(2017, 10, 20)
    assert infobox_event_span(edit(("- Date: October 21, 2017", "- Date: Autumn 2017"))) is None


@pytest.mark.parametrize(
    "span, written",
    [
        (one_day(2017, 10, 21), "21 October 2017"),
        (DateSpan(D(2019, 3, 14), D(2019, 3, 15)), "14\u201315 March 2019"),
        (DateSpan(D(2018, 5, 30), D(2018, 6, 2)), "30 May \u2013 2 June 2018"),
        (DateSpan(D(2018, 12, 31), D(2019, 1, 2)), "31 December 2018 \u2013 2 January 2019"),
        (DateSpan(D(2017, 10, 1), D(2017, 10, 31)), "October 2017"),
    ],
)
def test_dates_in_messages(span, written):
    assert format_span(span) == written
    assert format_date(D(2017, 10, 21)) == "21 October 2017"


@pytest.mark.parametrize(
    "text, years",
    [
        # a date listed before the one that writes the year shares it
        ("On 30 September and 1 October 2020, fighters", [2020, 2020]),
        ("on May 30, May 31 and June 2, 2021", [2021, 2021, 2021]),
        # not when the listed date would come after it: that year is a guess
        ("on December 30 and January 2, 2019", [None, 2019]),
        # nor across a sentence
        ("It began on May 30. On June 2, 2021 it ended.", [None, 2021]),
    ],
)
def test_listed_dates_share_the_year_written_after_them(text, years):
    mentions = find_dates(text)
    assert [mention.year for mention in mentions] == years
    assert [mention.writes_year for mention in mentions] == [False] * (len(years) - 1) + [True]


def test_between_two_dates_is_a_range():
    (mention,) = find_dates("attacks on herders' camps between May 30 and June 2, 2021.")
    assert mention.text == "May 30 and June 2, 2021"
    assert mention.span() == DateSpan(D(2021, 5, 30), D(2021, 6, 2))


def test_a_caller_may_say_the_text_is_one_sentence():
    text = "Gen. Tchiani arrived on 3 March 2019. It rained."
    assert find_dates(text)[0].sentence == "Gen. Tchiani arrived on 3 March 2019."
    assert find_dates(text, one_sentence=True)[0].sentence == text
    assert find_dates("No month here, only 21 and 2017.") == []

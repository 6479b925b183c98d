"""The infobox Date: parse_date_value reads one full date, parse_date_span one date or a range of days."""

import datetime

import pytest

from encyclopedia.dates import DateSpan, parse_date_span, parse_date_value

D = datetime.date


@pytest.mark.parametrize(
    "value, expected",
    [
        ("October 21, 2017", D(2017, 10, 21)),
        ("21 October 2017", D(2017, 10, 21)),
        ("2017-10-21", D(2017, 10, 21)),
        ("October 2017", None),  # no day
        ("October 21", None),  # no year
        ("10/21/2017", None),  # numeric forms other than ISO are ambiguous
        ("soon", None),
        ("2017-02-30", None),
        # a range is not one day; dateutil alone read this as 15 March 2014
        ("14-15 March 2019", None),
        ("March 14-15, 2019", None),
    ],
)
def test_parse_date_value_wants_one_full_date(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize(
    "value, first, last",
    [
        ("October 21, 2017", D(2017, 10, 21), D(2017, 10, 21)),
        ("2017-10-21", D(2017, 10, 21), D(2017, 10, 21)),
        ("May 30 – June 2, 2018", D(2018, 5, 30), D(2018, 6, 2)),
        ("30 May – 2 June 2018", D(2018, 5, 30), D(2018, 6, 2)),
        ("14–15 March 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("14 - 15 March 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("14-15 March 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("March 14–15, 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("March 14 — 15, 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("14 to 15 March 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("14 March to 15 March 2019", D(2019, 3, 14), D(2019, 3, 15)),
        ("December 31, 2018 – January 2, 2019", D(2018, 12, 31), D(2019, 1, 2)),
        ("31 December 2018 — 2 January 2019", D(2018, 12, 31), D(2019, 1, 2)),
        ("2019-03-14/2019-03-15", D(2019, 3, 14), D(2019, 3, 15)),
        ("2019-03-14 to 2019-03-16", D(2019, 3, 14), D(2019, 3, 16)),
        ("Night of 20–21 October 2017", D(2017, 10, 20), D(2017, 10, 21)),
        ("night of October 20 to 21, 2017", D(2017, 10, 20), D(2017, 10, 21)),
    ],
)
def test_parse_date_span_reads_one_date_or_a_range(value, first, last):
    assert parse_date_span(value) == DateSpan(first, last)


@pytest.mark.parametrize(
    "value",
    [
        "15–14 March 2019",  # ends before it starts
        "2019-03-15/2019-03-14",
        "June 2 – May 30, 2018",
        "December 31 – January 2, 2019",  # which year it starts in is a guess
        "14–15 March",  # no year
        "30 May 2018 – 2 June",  # the year only at the start
        "14 – March 15, 2019",  # a bare day before a month-first end
        "1–2–3 March 2019",
        "30 February – 2 March 2019",
        "14/15/2019",
        "03/14/2019 – 03/15/2019",  # numeric forms stay refused in a range too
        "mid-October 2017",
        "Autumn 2017",
    ],
)
def test_parse_date_span_refuses_what_it_cannot_read_for_sure(value):
    assert parse_date_span(value) is None


def test_a_span_knows_its_days():
    span = DateSpan(D(2018, 12, 31), D(2019, 1, 2))
    assert span.holds(D(2019, 1, 1)) and not span.holds(D(2019, 1, 3))
    assert span.overlaps(D(2019, 1, 1), D(2019, 1, 31)) and not span.overlaps(D(2018, 11, 1), D(2018, 11, 30))
    assert list(span.years) == [2018, 2019]
    assert span.iso() == "2018-12-31/2019-01-02"
    assert DateSpan(D(2017, 10, 21), D(2017, 10, 21)).iso() == "2017-10-21"

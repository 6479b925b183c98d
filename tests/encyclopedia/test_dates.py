"""parse_date_value: the infobox Date is one full date or nothing."""

import datetime

import pytest

from encyclopedia.dates import parse_date_value


@pytest.mark.parametrize(
    "value, expected",
    [
        ("October 21, 2017", datetime.date(2017, 10, 21)),
        ("21 October 2017", datetime.date(2017, 10, 21)),
        ("2017-10-21", datetime.date(2017, 10, 21)),
        ("October 2017", None),  # no day
        ("October 21", None),  # no year
        ("10/21/2017", None),  # numeric forms other than ISO are ambiguous
        ("soon", None),
        ("2017-02-30", None),
    ],
)
def test_parse_date_value_wants_one_full_date(value, expected):
    assert parse_date_value(value) == expected

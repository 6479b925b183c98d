"""The infobox Date read as one day, and the English month names written dates use.

The parser belongs to the infobox schema: the admin form refuses a Date it
cannot read, and the structure rule reports one. The rules' prose reader
(editorial/rules/text/dates.py) finds dates in sentences with the same
month names.
"""

from __future__ import annotations

import datetime
import re

from dateutil import parser as date_parser

_MONTH_NAMES = sorted(
    (name for names in date_parser.parserinfo.MONTHS for name in names), key=len, reverse=True
)
# Month names are matched with their capital letter only, so that the verb
# "may" and the noun "march" are not taken for months.
MONTH = "(?:" + "|".join(_MONTH_NAMES) + r")\b\.?"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date_value(value: str) -> datetime.date | None:
    """A whole field value as one full date ("October 21, 2017",
    "21 October 2017", "2017-10-21"), or None when it is not exactly that.

    Numeric forms other than ISO are refused: "01/02/2017" is read as
    January by some and as February by others.
    """
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    if not re.search(MONTH, text, re.IGNORECASE):
        return None
    try:
        # Parsing twice with different defaults shows whether dateutil had to
        # fill in a part the text does not give (a missing day or year).
        first = date_parser.parse(text, default=datetime.datetime(2000, 1, 1))
        second = date_parser.parse(text, default=datetime.datetime(2004, 2, 2))
    except (ValueError, OverflowError):
        return None
    if first != second:
        return None
    return first.date()

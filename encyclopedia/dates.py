"""The infobox Date read as one day or a span of days, and the English month names written dates use.

The parser belongs to the infobox schema: the admin form refuses a Date it
cannot read, and the structure rule reports one. A Date is one full date
("October 21, 2017") or a range of full days ("May 30 – June 2, 2018",
"14–15 March 2019"); `parse_date_span` reads both, `parse_date_value`
only the first. The rules' prose reader (editorial/rules/text/dates.py)
finds dates in sentences with the same month names.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

from dateutil import parser as date_parser

_MONTH_NAMES = sorted(
    (name for names in date_parser.parserinfo.MONTHS for name in names), key=len, reverse=True
)
# Month names are matched with their capital letter only, so that the verb
# "may" and the noun "march" are not taken for months.
MONTH = "(?:" + "|".join(_MONTH_NAMES) + r")\b\.?"
_ISO = r"\d{4}-\d{2}-\d{2}"
_ISO_DATE = re.compile(rf"^{_ISO}$")
_ISO_RANGE = re.compile(rf"^(?P<first>{_ISO})\s*(?:/|[–—]|\s-\s|\sto\s)\s*(?P<last>{_ISO})$")
# What joins the two ends of a range: a dash of any length (spaced or not)
# or "to". A value holding two of them is no range this parser reads.
_RANGE_JOIN = re.compile(r"\s*[–—‒-]\s*|\s+(?:to|until|till)\s+")
# "Night of 20–21 October 2017": the days are what the value says.
_NIGHT_OF = re.compile(r"^(?:the\s+)?night\s+of\s+", re.IGNORECASE)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_MONTH_GROUP = rf"(?P<month>{MONTH})"
# The ends of a range: "30 May", "May 30", "2 June 2018", "June 2, 2018",
# "14" (before "15 March 2019") and "15, 2019" (after "March 14").
_END_DAY_FIRST = re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH_GROUP}(?:,?\s+{_YEAR})?$", re.IGNORECASE)
_END_MONTH_FIRST = re.compile(rf"^{_MONTH_GROUP}\s+{_DAY}(?:,?\s+{_YEAR})?$", re.IGNORECASE)
_END_DAY = re.compile(rf"^{_DAY}$", re.IGNORECASE)
_END_DAY_YEAR = re.compile(rf"^{_DAY},?\s+{_YEAR}$", re.IGNORECASE)


class DateSpan(NamedTuple):
    """The days an event lasted, both ends included; one day has first == last."""

    first: datetime.date
    last: datetime.date

    @property
    def single(self) -> bool:
        return self.first == self.last

    def holds(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    def overlaps(self, first: datetime.date, last: datetime.date) -> bool:
        return first <= self.last and self.first <= last

    @property
    def years(self) -> range:
        return range(self.first.year, self.last.year + 1)

    def iso(self) -> str:
        """"2017-10-21", or "2018-05-30/2018-06-02" for a range (ISO 8601's interval)."""
        return self.first.isoformat() if self.single else f"{self.first.isoformat()}/{self.last.isoformat()}"


_MONTH_NUMBERS = {
    name.lower(): number for number, names in enumerate(date_parser.parserinfo.MONTHS, start=1) for name in names
}


def month_number(name: str) -> int:
    """1 for "January", "Jan" or "Jan."."""
    return _MONTH_NUMBERS[name.rstrip(".").lower()]


def parse_date_value(value: str) -> datetime.date | None:
    """A whole field value as one full date ("October 21, 2017",
    "21 October 2017", "2017-10-21"), or None when it is not exactly that
    (a range, a month, a day without a year).

    Numeric forms other than ISO are refused: "01/02/2017" is read as
    January by some and as February by others.
    """
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    if not re.search(MONTH, text, re.IGNORECASE) or _RANGE_JOIN.search(text):
        # dateutil would read "14-15 March 2019" as 15 March 2014.
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


def parse_date_span(value: str) -> DateSpan | None:
    """A whole field value as the days it names: one full date (first ==
    last) or a range of full days, or None.

    Ranges read: "May 30 – June 2, 2018", "30 May – 2 June 2018",
    "14–15 March 2019", "March 14–15, 2019", "14 - 15 March 2019",
    "December 31, 2018 – January 2, 2019", "14 March to 15 March 2019",
    "2019-03-14/2019-03-15", "Night of 20–21 October 2017". The year is
    written once at the end or at both ends. A range that ends before it starts is refused, and so is
    "December 31 – January 2, 2019": which year it starts in is a guess.
    """
    text = _NIGHT_OF.sub("", value.strip())
    iso = _ISO_RANGE.match(text)
    if iso:
        try:
            first = datetime.date.fromisoformat(iso["first"])
            last = datetime.date.fromisoformat(iso["last"])
        except ValueError:
            return None
        return DateSpan(first, last) if first <= last else None
    if _ISO_DATE.match(text) or not _RANGE_JOIN.search(text):
        day = parse_date_value(text)
        return DateSpan(day, day) if day else None
    parts = _RANGE_JOIN.split(text)
    if len(parts) != 2:
        return None
    return _range(parts[0].strip(), parts[1].strip())


def _range(start: str, end: str) -> DateSpan | None:
    last_full = _END_DAY_FIRST.match(end) or _END_MONTH_FIRST.match(end)
    if last_full and last_full["year"]:
        year, month, day = int(last_full["year"]), month_number(last_full["month"]), int(last_full["day"])
        if first := _END_DAY_FIRST.match(start) or _END_MONTH_FIRST.match(start):
            first_ymd = (int(first["year"] or year), month_number(first["month"]), int(first["day"]))
        elif (first := _END_DAY.match(start)) and last_full.re is _END_DAY_FIRST:
            first_ymd = (year, month, int(first["day"]))  # "14–15 March 2019"
        else:
            return None
        last_ymd = (year, month, day)
    elif (last_day := _END_DAY_YEAR.match(end)) and (first := _END_MONTH_FIRST.match(start)):
        if first["year"]:
            return None
        # "March 14–15, 2019"
        year, month = int(last_day["year"]), month_number(first["month"])
        first_ymd, last_ymd = (year, month, int(first["day"])), (year, month, int(last_day["day"]))
    else:
        return None
    try:
        span = DateSpan(datetime.date(*first_ymd), datetime.date(*last_ymd))
    except ValueError:
        return None
    return span if span.first <= span.last else None

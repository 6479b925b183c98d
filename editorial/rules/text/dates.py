"""Dates for the rules: finding dates in prose, the event's day as the
infobox gives it, and dates written in messages.

Finding a date *in prose* is done with a small pattern over English month
names (the names come from dateutil's parser tables), because the rules need
the exact span of each date; turning a whole field value such as the infobox
Date into a date is the schema's parser, encyclopedia.dates.parse_date_value.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

from encyclopedia.content import ArticleContent
from encyclopedia.dates import MONTH, parse_date_value

from .sentences import split_sentences

_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_FIRST = re.compile(
    rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month>{MONTH})(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
_MONTH_FIRST = re.compile(
    rf"\b(?P<month>{MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL}(?![\d:])(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{MONTH})\s+(?P<year>\d{{4}})(?!\d)")


@dataclass(frozen=True)
class DateMention:
    """A date written in prose: "21 October 2017", "October 21", "October 2017"."""

    text: str
    start: int
    end: int
    day: int | None  # None when only the month is given ("In early October 2017")
    month: int
    year: int | None  # None when the writer left it to the context ("At dawn on October 21")
    sentence: str

    def resolve(self, default_year: int) -> datetime.date | None:
        """The day meant, taking `default_year` when the text gives none;
        None for a month without a day or an impossible date (30 February)."""
        if self.day is None:
            return None
        try:
            return datetime.date(self.year or default_year, self.month, self.day)
        except ValueError:
            return None

    def agrees_with(self, day: datetime.date) -> bool:
        """Whether this mention can mean `day`; a missing year is `day`'s year,
        a month without a day agrees with any day of that month."""
        if (self.year or day.year) != day.year or self.month != day.month:
            return False
        return self.day is None or self.day == day.day


def _month_number(name: str) -> int:
    return date_parser.parserinfo().month(name.rstrip("."))


def find_dates(text: str) -> list[DateMention]:
    """The dates in `text`, in order, day-first or month-first, with or
    without a year, and months with a year but no day."""
    found: list[tuple[int, int, int | None, int, int | None]] = []
    for pattern in (_DAY_FIRST, _MONTH_FIRST, _MONTH_YEAR):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            day = int(groups["day"]) if groups.get("day") else None
            year = int(groups["year"]) if groups.get("year") else None
            found.append((match.start(), match.end(), day, _month_number(groups["month"]), year))
    # Where two readings overlap ("21 October 2017" also holds "October 2017")
    # the longer one wins.
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    sentences = split_sentences(text)
    mentions: list[DateMention] = []
    for start, end, day, month, year in found:
        if mentions and start < mentions[-1].end:
            continue
        sentence = next((s.text for s in sentences if s.start <= start < s.end), text.strip())
        mentions.append(DateMention(text[start:end].rstrip(", "), start, end, day, month, year, sentence))
    return mentions


def format_date(day: datetime.date) -> str:
    """A date for messages, the same on every machine whatever its locale."""
    return f"{day.day} {date_parser.parserinfo.MONTHS[day.month - 1][-1]} {day.year}"


def infobox_event_date(content: ArticleContent) -> datetime.date | None:
    """The day of the event as the infobox Date gives it; None when there is
    no Date or it is not one full date (the structure rule reports that)."""
    value = content.infobox_value("Date")
    return parse_date_value(value) if value else None

"""Dates for the rules: finding dates in prose, the year a year-less date
takes from its context, the event's days as the infobox gives them, and
dates written in messages.

Finding a date *in prose* is done with a small pattern over English month
names (the names come from dateutil's parser tables), because the rules need
the exact span of each date; turning a whole field value such as the infobox
Date into days is the schema's parser, encyclopedia.dates.parse_date_span.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import re

from dateutil import parser as date_parser

from encyclopedia.content import ArticleContent
from encyclopedia.dates import MONTH, DateSpan, month_number, parse_date_span

from .sentences import sentences_of

_ORDINAL = r"(?:st|nd|rd|th)?"
# What joins the two ends of a range written in prose: "14–15 March",
# "the night of 2 to 3 March", "on 2 and 3 March".
_TO = r"(?:\s*[–—‒-]\s*|\s+(?:to|and|until|till)\s+)"
_DAY_FIRST = re.compile(
    rf"\b(?:(?P<from_day>\d{{1,2}}){_ORDINAL}{_TO})?(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?"
    rf"(?P<month>{MONTH})(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
_MONTH_FIRST = re.compile(
    rf"\b(?P<head>(?P<month>{MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL})"
    rf"(?:{_TO}(?P<to_day>\d{{1,2}}){_ORDINAL})?(?![\d:])(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
_ANY_MONTH = re.compile(rf"\b{MONTH}")
_MONTH_YEAR = re.compile(rf"\b(?P<month>{MONTH})\s+(?P<year>\d{{4}})(?!\d)")
# Two dates joined into a range across months: "May 30 – June 2, 2018",
# "between May 30 and June 2". Not a bare "and": "on May 11 and October
# 21" is two days, often two events.
_JOIN = re.compile(r"\s*[–—‒-]\s*|\s+(?:to|until|till)\s+")
_BETWEEN = re.compile(r"(?i)\bbetween\s+$")
_AND = re.compile(r"\s+and\s+")
# Dates listed before the one that writes the year share it: "On 30
# September and 1 October 2020", "on May 30, May 31 and June 2, 2021".
_WRITTEN_YEAR = re.compile(r"\d{4}")
_LISTED = re.compile(r"\s*,\s*|\s*,?\s+(?:and|or)\s+")


@dataclasses.dataclass(frozen=True)
class DateMention:
    """A date written in prose: "21 October 2017", "October 21", "October 2017",
    or a range of days: "14–15 March 2019", "May 30 – June 2, 2018"."""

    text: str
    start: int
    end: int
    day: int | None  # None when only the month is given ("In early October 2017")
    month: int
    year: int | None  # None when the writer left it to the context ("At dawn on October 21")
    sentence: str
    # The first day of a range; the fields above are its last. A missing
    # month or year is the last day's.
    from_day: int | None = None
    from_month: int | None = None
    from_year: int | None = None

    def span(self, default_year: int | None = None) -> DateSpan | None:
        """The days the text means, taking `default_year` when it gives no
        year: one day, a range, or a whole month; None when there is no year
        to take or the date is impossible (30 February)."""
        year = self.year or default_year
        if year is None:
            return None
        try:
            if self.day is None:
                following = datetime.date(year + self.month // 12, self.month % 12 + 1, 1)
                return DateSpan(datetime.date(year, self.month, 1), following - datetime.timedelta(days=1))
            last = datetime.date(year, self.month, self.day)
            if self.from_day is None:
                return DateSpan(last, last)
            first = datetime.date(self.from_year or year, self.from_month or self.month, self.from_day)
        except ValueError:
            return None
        return DateSpan(first, last) if first <= last else None

    @property
    def writes_year(self) -> bool:
        """Whether the year is written in the mention itself, not shared
        with a date after it or left to the context."""
        return _WRITTEN_YEAR.search(self.text) is not None

    def resolve(self, default_year: int) -> datetime.date | None:
        """The (last) day meant, taking `default_year` when the text gives
        none; None for a month without a day or an impossible date."""
        span = self.span(default_year) if self.day is not None else None
        return span.last if span else None

    def agrees_with(self, day: datetime.date) -> bool:
        """Whether this mention can mean `day`; a missing year is `day`'s year,
        a month without a day agrees with any day of that month."""
        span = self.span(day.year)
        return span is not None and span.holds(day)


def find_dates(text: str, *, one_sentence: bool = False) -> list[DateMention]:
    """The dates in `text`, in order, day-first or month-first, with or
    without a year, months with a year but no day, and ranges of days.
    Each knows its sentence; with `one_sentence` the caller says `text` is
    one, so it is not split again."""
    if not _ANY_MONTH.search(text):
        return []  # most sentences: no month, no date
    found: list[tuple[int, int, int | None, int, int | None, int | None]] = []
    for match in _DAY_FIRST.finditer(text):
        day, from_day, start = int(match["day"]), match["from_day"], match.start()
        if from_day is not None and int(from_day) >= day:
            from_day, start = None, match.start("day")  # "killing 20 – 3 March ..." is no range
        found.append(
            (start, match.end(), day, month_number(match["month"]), _int(match["year"]), _int(from_day))
        )
    for match in _MONTH_FIRST.finditer(text):
        day, to_day = int(match["day"]), _int(match["to_day"])
        if to_day is not None and to_day <= day:
            # "On October 21 - 13 gendarmes ...": the day alone, no year
            found.append((match.start(), match.end("head"), day, month_number(match["month"]), None, None))
        elif to_day is not None:
            found.append((match.start(), match.end(), to_day, month_number(match["month"]), _int(match["year"]), day))
        else:
            found.append((match.start(), match.end(), day, month_number(match["month"]), _int(match["year"]), None))
    for match in _MONTH_YEAR.finditer(text):
        found.append((match.start(), match.end(), None, month_number(match["month"]), int(match["year"]), None))
    # Where two readings overlap ("21 October 2017" also holds "October 2017")
    # the longer one wins.
    if not found:
        return []
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    sentences = () if one_sentence else sentences_of(text)
    sentence_starts = [sentence.start for sentence in sentences]
    mentions: list[DateMention] = []
    for start, end, day, month, year, from_day in found:
        if mentions and start < mentions[-1].end:
            continue
        previous = mentions[-1] if mentions else None
        if previous is not None and _joins(text, previous, start, day, month, year):
            # "May 30 – June 2, 2018": one range, from the previous date to this one
            start, from_day = previous.start, previous.day
            from_month, from_year = previous.month, previous.year
            mentions.pop()
        else:
            from_month = from_year = None
        index = bisect.bisect_right(sentence_starts, start) - 1
        sentence = sentences[index].text if index >= 0 and start < sentences[index].end else text.strip()
        mentions.append(
            DateMention(
                text[start:end].rstrip(", "), start, end, day, month, year, sentence,
                from_day, from_month if from_day is not None else None, from_year,
            )
        )
    for index in range(len(mentions) - 2, -1, -1):
        mention, following = mentions[index], mentions[index + 1]
        if (
            mention.year is None
            and following.year is not None
            and mention.day is not None
            and _LISTED.fullmatch(text, mention.end, following.start)
            and (mention.month, mention.day)
            <= (following.from_month or following.month, following.from_day or following.day)
        ):
            mentions[index] = dataclasses.replace(mention, year=following.year)
    return mentions


def _int(value: str | None) -> int | None:
    return int(value) if value is not None else None


def _joins(text: str, previous: DateMention, start: int, day: int | None, month: int, year: int | None) -> bool:
    if previous.day is None or day is None or previous.from_day is not None:
        return False
    if not (
        _JOIN.fullmatch(text, previous.end, start)
        or (_AND.fullmatch(text, previous.end, start) and _BETWEEN.search(text, 0, previous.start))
    ):
        return False
    if previous.year is not None and year is None:
        return False  # "30 May 2018 – 2 June": no reading is sure
    # A range ends after it starts; "December 30 – January 2" leaves its
    # first year to guessing and stays two dates.
    return (previous.year or year or 0, previous.month, previous.day) < (year or 0, month, day)


class YearReader:
    """The year a year-less date takes from what comes before it in the same
    block (the lead or one section), for dates read in their order.

    A writer leaves the year out when the reader already has it: from the
    last date with a year before it in the block (of the story told, not of
    a sentence about another time), or, when there is none, from the event
    itself (`anchor`, the infobox Date). Between that year
    and the next, the reading nearer the anchor wins, a reading before it
    counting double: prose runs forward, so "January 12" after "22 October
    2017" is 12 January 2018, and "October 20" after "21 October 2017"
    stays the day before.
    """

    def __init__(self, anchor: DateSpan | None) -> None:
        self.anchor = anchor  # the event's days, until a date with a year is read

    def read(self, mention: DateMention, *, anchors: bool = True) -> DateSpan | None:
        """The days `mention` means; a date with a year becomes the anchor of
        those after it, unless `anchors` is false (the caller knows its
        sentence tells of another time: "had died in November 2019")."""
        if mention.year is not None:
            span = mention.span()
            if span is not None and anchors:
                self.anchor = span
            return span
        anchor = self.anchor
        if anchor is None:
            return None
        readings = [
            span
            for year in range(anchor.first.year, anchor.last.year + 2)
            if (span := mention.span(year)) is not None
        ]
        if not readings:
            return None
        return min(readings, key=lambda span: (_distance(span, anchor), -span.first.toordinal()))


def _distance(span: DateSpan, anchor: DateSpan) -> int:
    if span.last < anchor.first:
        return 2 * (anchor.first - span.last).days
    if span.first > anchor.last:
        return (span.first - anchor.last).days
    return 0


def format_date(day: datetime.date) -> str:
    """A date for messages, the same on every machine whatever its locale."""
    return f"{day.day} {_month_name(day.month)} {day.year}"


def format_span(span: DateSpan) -> str:
    """Days for messages: "21 October 2017", "14–15 March 2019",
    "30 May – 2 June 2018", "October 2017" for a whole month."""
    first, last = span
    following = last + datetime.timedelta(days=1)
    if first.day == 1 and following.day == 1 and (first.year, first.month) == (last.year, last.month):
        return f"{_month_name(first.month)} {first.year}"
    if span.single:
        return format_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{format_date(last)}"
    if first.year == last.year:
        return f"{first.day} {_month_name(first.month)} \u2013 {format_date(last)}"
    return f"{format_date(first)} \u2013 {format_date(last)}"


def _month_name(month: int) -> str:
    return date_parser.parserinfo.MONTHS[month - 1][-1]


def infobox_event_span(content: ArticleContent) -> DateSpan | None:
    """The days of the event as the infobox Date gives them (one day or a
    range); None when there is no Date or it cannot be read (the structure
    rule reports that)."""
    value = content.infobox_value("Date")
    return parse_date_span(value) if value else None


def infobox_event_date(content: ArticleContent) -> datetime.date | None:
    """The (first) day of the event as the infobox Date gives it; None when
    there is no Date or it cannot be read."""
    span = infobox_event_span(content)
    return span.first if span else None

"""Text helpers the rules share: sentences, dates, numbers and casualty figures.

Everything here is plain and deterministic: dates without a year are given
one by the caller (the event's year), never by the clock, and no function
looks anything up outside the text it is given.

Finding a date *in prose* is done with a small pattern over English month
names (the names come from dateutil's parser tables), because the rules need
the exact span of each date; turning a whole field value such as the infobox
Date into a date is left to dateutil's parser. Numbers written in words
("Thirteen", "twenty-five") are read by text2num.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from dateutil import parser as date_parser
from text_to_num import text2num

from encyclopedia.content import ArticleContent

from .base import section_target

# --- Sentences and prose blocks ------------------------------------------

# A period after one of these does not end a sentence ("Gen. Tchiani").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col capt sgt maj st no vs etc approx jan feb mar apr jun jul aug "
    "sep sept oct nov dec".split()
)
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(\s+)")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets in the text it was split from
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a paragraph or a section body, with their offsets.

    A line break always ends a sentence (paragraphs, list items). Within a
    line a sentence ends at . ! or ? followed by space and a capital or a
    digit, unless the period closes an abbreviation or an initial ("U.S.").
    """
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        line_text, offset, start = line.group(), line.start(), 0
        for boundary in _BOUNDARY.finditer(line_text):
            after = boundary.end()
            if after >= len(line_text) or not (line_text[after].isupper() or line_text[after].isdigit()):
                continue
            word = re.search(r"(\w+)$", line_text[: boundary.start()])
            if word and (
                word.group(1).lower() in _ABBREVIATIONS
                or (len(word.group(1)) == 1 and word.group(1).isupper())
            ):
                continue
            _add_sentence(sentences, line_text, offset, start, boundary.start(1))
            start = after
        _add_sentence(sentences, line_text, offset, start, len(line_text))
    return sentences


def _add_sentence(sentences: list[Sentence], line: str, offset: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        sentences.append(Sentence(stripped, offset + start + lead, offset + start + lead + len(stripped)))


@dataclass(frozen=True)
class ProseBlock:
    """The lead or one section's body, with the finding target that names it."""

    target: str
    heading: str | None  # None for the lead
    text: str

    @property
    def where(self) -> str:
        """How a message names it: "the lead", "the Attack section"."""
        return "the lead" if self.heading is None else f"the {self.heading} section"


def prose_blocks(content: ArticleContent) -> list[ProseBlock]:
    blocks = [ProseBlock("lead", None, content.lead)] if content.lead else []
    blocks += [
        ProseBlock(section_target(section.heading), section.heading, section.body)
        for section in content.sections
        if section.body
    ]
    return blocks


# --- Dates ----------------------------------------------------------------

_MONTH_NAMES = sorted(
    (name for names in date_parser.parserinfo.MONTHS for name in names), key=len, reverse=True
)
# Month names are matched with their capital letter only, so that the verb
# "may" and the noun "march" are not taken for months.
_MONTH = "(?:" + "|".join(_MONTH_NAMES) + r")\b\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_FIRST = re.compile(
    rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month>{_MONTH})(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
_MONTH_FIRST = re.compile(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL}(?![\d:])(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>\d{{4}})(?!\d)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    if not re.search(_MONTH, text, re.IGNORECASE):
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


def format_date(day: datetime.date) -> str:
    """A date for messages, the same on every machine whatever its locale."""
    return f"{day.day} {date_parser.parserinfo.MONTHS[day.month - 1][-1]} {day.year}"


def infobox_event_date(content: ArticleContent) -> datetime.date | None:
    """The day of the event as the infobox Date gives it; None when there is
    no Date or it is not one full date (the structure rule reports that)."""
    value = content.infobox_value("Date")
    return parse_date_value(value) if value else None


# --- Numbers --------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A count as written: exact (13), open-ended (3+, "at least three"), a
    range ("four to five") or approximate ("about 50")."""

    low: int
    high: int | None  # None: no upper bound
    approximate: bool = False

    @classmethod
    def exact(cls, value: int) -> Quantity:
        return cls(value, value)

    def overlaps(self, other: Quantity) -> bool:
        """Whether both can be true of the same count."""
        if self.high is not None and other.low > self.high:
            return False
        if other.high is not None and self.low > other.high:
            return False
        return True

    def __str__(self) -> str:
        if self.high is None:
            text = f"{self.low}+"
        elif self.high == self.low:
            text = str(self.low)
        else:
            text = f"{self.low}–{self.high}"
        return f"about {text}" if self.approximate else text


@dataclass(frozen=True)
class NumberMention:
    quantity: Quantity
    text: str  # as written, qualifier included: "at least three"
    start: int
    end: int


_NUMBER_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])|\d+|[A-Za-z]+(?:-[A-Za-z]+)*")
_MAX_NUMBER_WORDS = 6  # "one hundred and twenty-five thousand" and the like
_AT_LEAST = re.compile(r"(?i)\b(?:at\s+least|no\s+fewer\s+than|a\s+minimum\s+of)\s+$")
_MORE_THAN = re.compile(r"(?i)\b(?:more\s+than|over|upwards\s+of|in\s+excess\s+of)\s+$")
_ABOUT = re.compile(
    r"(?i)\b(?:about|around|approximately|roughly|some|nearly|almost|an\s+estimated|estimated|"
    r"up\s+to|as\s+many\s+as|close\s+to)\s+$"
)
_RANGE_JOIN = re.compile(r"\s*(?:to|or|–|—|-)\s*")


def _words_value(words: str) -> int | None:
    try:
        return text2num(words.lower(), "en")
    except ValueError:
        return None


def parse_number(text: str) -> int | None:
    """One whole number, in digits or in words: "13", "1,200", "Thirteen",
    "twenty-five"; None for anything else."""
    stripped = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", stripped):
        return int(stripped.replace(",", ""))
    return _words_value(re.sub(r"\s+", " ", stripped)) if stripped else None


def _bare_numbers(text: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of each number in digits or words, without qualifiers."""
    tokens = list(_NUMBER_TOKEN.finditer(text))
    numbers: list[tuple[int, int, int]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.group()[0].isdigit():
            numbers.append((int(token.group().replace(",", "")), token.start(), token.end()))
            index += 1
            continue
        # The longest run of words, separated by spaces only, that reads as
        # one number: "twenty five", "one hundred and two".
        for stop in range(min(len(tokens), index + _MAX_NUMBER_WORDS), index, -1):
            run = tokens[index:stop]
            if any(run[k].group()[0].isdigit() for k in range(len(run))) or any(
                not text[run[k].end() : run[k + 1].start()].isspace() for k in range(len(run) - 1)
            ):
                continue
            value = _words_value(" ".join(t.group() for t in run))
            if value is not None:
                numbers.append((value, run[0].start(), run[-1].end()))
                index = stop
                break
        else:
            index += 1
    return numbers


def find_numbers(text: str) -> list[NumberMention]:
    """The counts in `text`, with ranges ("four to five", "4–5") joined and
    qualifiers read: "at least three" and "3+" are open-ended, "more than
    ten" is 11+, "about 50" is approximate."""
    bare = _bare_numbers(text)
    mentions: list[NumberMention] = []
    index = 0
    while index < len(bare):
        value, start, end = bare[index]
        low, high = value, value
        if index + 1 < len(bare):
            next_value, next_start, next_end = bare[index + 1]
            join = _RANGE_JOIN.fullmatch(text[end:next_start])
            if join and next_value > value:
                high, end = next_value, next_end
                index += 1
        approximate = False
        before = text[:start]
        if text[end : end + 1] == "+":
            high, end = None, end + 1
        elif qualifier := _AT_LEAST.search(before):
            high, start = None, qualifier.start()
        elif qualifier := _MORE_THAN.search(before):
            low, high, start = low + 1, None, qualifier.start()
        elif qualifier := _ABOUT.search(before):
            approximate, start = True, qualifier.start()
        mentions.append(NumberMention(Quantity(low, high, approximate), text[start:end], start, end))
        index += 1
    return mentions


def parse_quantity(text: str) -> Quantity | None:
    """The first count in `text` ("3+", "four to five", "at least 3")."""
    mentions = find_numbers(text)
    return mentions[0].quantity if mentions else None


# --- Casualty and strength figures ----------------------------------------

# What a figure counts, normalised so that "13 dead" and "13 killed" match.
KIND_WORDS = {
    "killed": "killed",
    "dead": "killed",
    "death": "killed",
    "deaths": "killed",
    "died": "killed",
    "fatalities": "killed",
    "kia": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "injuries": "wounded",
    "wia": "wounded",
    "captured": "captured",
    "prisoner": "captured",
    "prisoners": "captured",
    "pow": "captured",
    "pows": "captured",
    "seized": "captured",
    "arrested": "captured",
    "kidnapped": "captured",
    "abducted": "captured",
    "missing": "missing",
    "mia": "missing",
    "destroyed": "destroyed",
    "damaged": "damaged",
}
# Things, not people: a figure that counts these is never compared with
# the killed and wounded of the prose.
MATERIEL = frozenset(
    "vehicle truck tank motorcycle aircraft helicopter plane drone weapon gun boat car pickup "
    "technical rifle".split()
)
_STOP_WORDS = frozenset("a an the of and or at least more than about around approximately over some".split())


def singular(word: str) -> str:
    word = word.lower()
    if word.endswith("s") and word[:-1] in MATERIEL:
        return word[:-1]
    return word


@dataclass(frozen=True)
class Figure:
    """One count in a casualties or strength field: "3 vehicles captured"."""

    quantity: Quantity
    kind: str | None  # "killed", "wounded", "captured", ...; None in e.g. "About 50 militants"
    materiel: str | None  # "vehicle" when things are counted, None for people
    label: str  # what the count is of, to pair figures across edits: "vehicle captured"
    text: str

    @property
    def counts_people(self) -> bool:
        return self.materiel is None


def parse_figures(value: str) -> list[Figure]:
    """The figures of a field value such as "13 killed, 5 injured, 3 vehicles
    captured" or "3+ killed, 1 vehicle destroyed".

    Notes in parentheses are left out ("13 killed (incl. 2 officers)"): they
    break a figure down, they do not add one.
    """
    figures: list[Figure] = []
    without_notes = re.sub(r"\([^)]*\)", " ", value)
    for part in re.split(r";|,\s+|\n|\s+and\s+", without_notes):
        numbers = find_numbers(part)
        if not numbers:
            continue
        number = numbers[0]
        words = [
            word.lower()
            for word in re.findall(r"[A-Za-z]+", part[: number.start] + " " + part[number.end :])
        ]
        kind = next((KIND_WORDS[word] for word in words if word in KIND_WORDS), None)
        materiel = next((singular(word) for word in words if singular(word) in MATERIEL), None)
        if kind or materiel:
            label = " ".join(filter(None, (materiel, kind)))
        else:
            label = " ".join(word for word in words if word not in _STOP_WORDS) or "count"
        figures.append(Figure(number.quantity, kind, materiel, label, part.strip()))
    return figures


# --- Which sentences speak of another event -------------------------------

EVENT_NOUNS = (
    "attack|attacks|ambush|raid|assault|bombing|massacre|battle|siege|shooting|offensive|"
    "incident|clash|clashes|kidnapping|operation"
)
_OTHER_EVENT = re.compile(
    # "a similar attack", "the previous ambush", "another raid"
    rf"(?i:\b(?:similar|previous|earlier|prior|another|separate|last|subsequent|later)\s+"
    rf"(?:\w+\s+){{0,2}}?(?:{EVENT_NOUNS})\b)"
    # "weeks after", "two days before": the event is placed against another one
    r"|(?i:\b(?:weeks|days|months|years|hours)\s+(?:after|before|earlier|later|prior\s+to)\b)"
    # the pluperfect tells of what had happened before the event
    r"|(?i:\bhad\s+(?:\w+\s+)?(?:attacked|ambushed|raided|struck|stormed|killed|been)\b)"
    # "the May attack": an event named by its month
    rf"|\b{_MONTH}\s+(?i:(?:{EVENT_NOUNS})\b)"
)
_CLAIM = re.compile(
    rf"(?i)\bclaim(?:ed|s|ing)?\s+(?:the\s+)?(?:responsibility|credit|(?:{EVENT_NOUNS})\b)"
    r"|\b(?:took|takes|accepted|accepts)\s+responsibility\b"
)


def mentions_other_event(sentence: str) -> bool:
    """Whether the sentence places another event beside this one, so its
    dates and counts may be that event's ("Occurring just weeks after a
    similar attack ... killed four American and four Nigerien troops")."""
    return bool(_OTHER_EVENT.search(sentence))


def is_claim_sentence(sentence: str) -> bool:
    """Whether the sentence reports a claim of responsibility."""
    return bool(_CLAIM.search(sentence))

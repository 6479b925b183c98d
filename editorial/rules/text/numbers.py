"""Counts in prose and field values, in digits or in words, with their
qualifiers, each read as the interval of counts it allows: "13",
"Thirteen", "four to five", "at least three", "about 50", "dozens".

How the qualifiers read (N is the number written, T its tolerance, 20 % of
N rounded, at least 1):

- exact: "13", "Thirteen" is 13..13; a range "four to five", "4–5",
  "between 4 and 5" is 4..5;
- open: "3+", "at least 3", "3 or more" is 3..; "more than 50", "over
  fifty" is 51..; "fewer than 10" is 0..9; "at most 10" is 0..10;
- approximate: "about", "around", "some", "roughly", "an estimated", "~",
  "c.", "40-odd" is N-T..N+T; "nearly 50", "almost 50" is N-T..N (just
  under, or at); "just over 50" is N+1..N+T;
- "up to 30", "as many as 30" name the top of an estimate: the count is at
  most 30 and not far below, read as N/2..N (rounded up);
- words that are no number for text2num: "a few" 2..5, "several" 3..9,
  "a handful" 2..6, "a couple" 2..3, "a dozen" about 12, "half a dozen"
  about 6, "N dozen" about 12N, "dozens" 24..199, "a few dozen" 24..72,
  "several dozen" 30..119, "a score of" about 20, "scores" 40..399,
  "hundreds" 200..999, "thousands" 2000..9999, "tens of thousands"
  20000..99999.

Numbers written in words ("Thirteen", "twenty-five") are read by text2num,
but only on runs of known number words, found with one regular expression,
so a sentence is read in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from text_to_num import text2num

APPROXIMATION = 0.2  # "about 50" allows 20 % either way


def tolerance(value: int) -> int:
    """How far "about `value`" may be from `value`: 20 %, at least 1."""
    return max(1, round(value * APPROXIMATION))


@dataclass(frozen=True)
class Quantity:
    """The counts a figure allows, low..high (high None: no upper bound).

    `approximate` marks a count written with "about" and the like, whose
    interval is the tolerance around `nominal`, the number as written
    ("about 50" is 40..60, nominal 50). `nominal` is not compared: two
    quantities are equal when they allow the same counts.
    """

    low: int
    high: int | None  # None: no upper bound
    approximate: bool = False
    nominal: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.nominal is None:
            object.__setattr__(self, "nominal", self.low)

    @classmethod
    def exact(cls, value: int) -> Quantity:
        return cls(value, value)

    @classmethod
    def about(cls, value: int) -> Quantity:
        """About `value`: `value` give or take its tolerance."""
        margin = tolerance(value)
        return cls(max(0, value - margin), value + margin, True, value)

    @property
    def is_exact(self) -> bool:
        return self.high == self.low and not self.approximate

    def overlaps(self, other: Quantity) -> bool:
        """Whether both can be true of the same count."""
        if self.high is not None and other.low > self.high:
            return False
        if other.high is not None and self.low > other.high:
            return False
        return True

    def __add__(self, other: Quantity) -> Quantity:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Quantity(
            self.low + other.low,
            high,
            self.approximate or other.approximate,
            (self.nominal or 0) + (other.nominal or 0),
        )

    def span(self, other: Quantity) -> Quantity:
        """The counts from the lower of the two to the higher."""
        high = None if self.high is None or other.high is None else max(self.high, other.high)
        return Quantity(min(self.low, other.low), high, self.approximate or other.approximate)

    def __str__(self) -> str:
        if self.approximate and self.nominal is not None and self.low <= self.nominal <= (self.high or self.nominal):
            return f"about {self.nominal}"
        if self.high is None:
            return f"{self.low}+"
        if self.high == self.low:
            return str(self.low)
        return f"{self.low}–{self.high}"


@dataclass(frozen=True)
class NumberMention:
    quantity: Quantity
    text: str  # as written, qualifier included: "at least three"
    start: int
    end: int


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = "hundred thousand million".split()
_WORD = (
    r"(?:(?:" + "|".join(_TENS) + r")-(?:" + "|".join(_UNITS[1:10]) + r")|"
    + "|".join(sorted(_UNITS + _TENS + _SCALES, key=len, reverse=True))
    + r")\b"
)
_SCALE_AND = r"(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+(?=" + _WORD + ")"
# The vague words, longest first so that "several hundred" wins over "several".
_VAGUE: dict[str, Quantity] = {
    "half a dozen": Quantity.about(6),
    "several dozen": Quantity(30, 119),
    "a few dozen": Quantity(24, 72),
    "a dozen": Quantity.about(12),
    "one dozen": Quantity.about(12),
    "dozens": Quantity(24, 199),
    "tens of thousands": Quantity(20000, 99999),
    "hundreds of thousands": Quantity(200000, 999999),
    "a score of": Quantity.about(20),
    "scores": Quantity(40, 399),
    "several hundred": Quantity(200, 999),
    "a few hundred": Quantity(200, 500),
    "hundreds": Quantity(200, 999),
    "several thousand": Quantity(2000, 9999),
    "a few thousand": Quantity(2000, 5000),
    "thousands": Quantity(2000, 9999),
    "tens": Quantity(20, 99),  # only in "tens of ..."
    "several": Quantity(3, 9),
    "a few": Quantity(2, 5),
    "a handful": Quantity(2, 6),
    "a couple": Quantity(2, 3),
}
_VAGUE_PATTERN = "|".join(
    re.escape(phrase).replace(r"\ ", r"\s+") + (r"(?=\s+of\b)" if phrase == "tens" else r"\b")
    for phrase in sorted(_VAGUE, key=len, reverse=True)
)
_NUMBER = re.compile(
    rf"(?i)\b(?P<vague>{_VAGUE_PATTERN})"
    # "a hundred", "one hundred and two", "twenty five"; not "no one"
    rf"|(?<!no\s)\b(?P<words>(?:a\s+(?=(?:hundred|thousand|million)\b))?{_WORD}(?:(?:[ \t]+|-){_WORD}|{_SCALE_AND}{_WORD})*)"
    # digits, not inside a name ("F-16", "G5"), a decimal, a time or an ordinal
    r"|(?<![A-Za-z\d.,:])(?<![A-Za-z]-)(?P<digits>\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?!\d|[.,:]\d|st\b|nd\b|rd\b|th\b|\s*%)"
)
# A number opens with a digit or one of these words; other words are skipped
# without trying the full pattern. "a" opens one only before these.
_AFTER_A = frozenset("few dozen score handful couple hundred thousand million".split())
_OPENING_WORDS = frozenset(_UNITS + _TENS + _SCALES + [phrase.split()[0] for phrase in _VAGUE]) - {"a"}
# Words that show a text may hold a count: a text with none of them and no
# digit holds none.
NUMBER_WORDS = _OPENING_WORDS | _AFTER_A | frozenset(word + "s" for word in _SCALES)
_DIGITS = re.compile(r"\d+")
_WORD_AT = {word: re.compile(rf"\b{word}\b") for word in _OPENING_WORDS}
_A_BEFORE = re.compile(r"\ba\s+(?=(?:" + "|".join(_AFTER_A) + r")\b)")
_LOWER_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")


def may_hold_numbers(text: str) -> bool:
    """Whether `text` has a digit or a number word (a quick test before reading it)."""
    return bool(_DIGIT.search(text)) or not NUMBER_WORDS.isdisjoint(_LOWER_WORD.findall(text.lower()))
_DOZEN_AFTER = re.compile(r"(?i)\s+dozen\b")
_RANGE_JOIN = re.compile(r"\s*(?:to|or|–|—|-)\s*|\s+and\s+")
_QUALIFIER_BEFORE = re.compile(
    r"(?i)(?:\b(?P<at_least>at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of)"
    r"|\b(?P<just_over>just\s+over|slightly\s+more\s+than|just\s+above|a\s+little\s+over)"
    r"|\b(?P<more_than>more\s+than|over|upwards\s+of|in\s+excess\s+of|above|exceeding)"
    r"|\b(?P<fewer_than>fewer\s+than|less\s+than|under|below)"
    r"|\b(?P<at_most>at\s+most|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of)"
    r"|\b(?P<up_to>up\s+to|as\s+many\s+as)"
    r"|\b(?P<nearly>nearly|almost|just\s+under|close\s+to|just\s+short\s+of)"
    r"|(?:\b(?P<about>about|around|approximately|roughly|some|an\s+estimated|estimated|circa|"
    r"more\s+or\s+less|in\s+the\s+region\s+of|on\s+the\s+order\s+of|approx\.?|est\.|ca\.|c\.)"
    r"|(?P<tilde>~|≈|±)))\s*$"
)
_QUALIFIER_AFTER = re.compile(
    r"(?i)^(?:(?P<plus>\s*\+|-plus\b|\s+plus\b(?!\s+\w+\s+(?:killed|wounded|dead|injured)))"
    r"|(?P<or_more>\s+or\s+more\b)|(?P<about>\s+or\s+so\b|[\s-]odd\b))"
)
_LOOKBEHIND = 40  # characters before a number that a qualifier may take
# The last word of every qualifier: the full pattern is tried only after one.
_QUALIFIER_ENDINGS = frozenset(
    "least than of over above exceeding under below most to as nearly almost about around approximately "
    "roughly some estimated circa less approx approx. est. ca. c. region order short".split()
)


_WORD_START = re.compile(r"(?<![^\s(])\S")


def _qualifier_before(text: str, start: int) -> re.Match | None:
    """The qualifier that ends just before `start`, tried from the word
    starts before it (the farthest first, as a search would) rather than
    from every character."""
    for word in _WORD_START.finditer(text, max(0, start - _LOOKBEHIND), start):
        if match := _QUALIFIER_BEFORE.match(text, word.start(), start):
            return match
    return None


def _last_word(text: str, start: int) -> str:
    """The word just before `start`, lower-cased ("" at the start)."""
    before = text[max(0, start - 20) : start].split()
    return before[-1].lstrip("(\"'“‘[").lower() if before else ""


def _words_value(words: str) -> int | None:
    try:
        return text2num(words.lower(), "en")
    except ValueError:
        return None


def parse_number(text: str) -> int | None:
    """One whole number, in digits or in words: "13", "1,200", "Thirteen",
    "twenty-five"; None for anything else (a vague "several" included)."""
    stripped = re.sub(r"\s+", " ", text.strip())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", stripped):
        return int(stripped.replace(",", ""))
    if re.fullmatch(rf"(?i)(?:a\s+)?{_WORD}(?:(?:\s+|-)(?:and\s+)?{_WORD})*", stripped):
        return _words_value(re.sub(r"(?i)^a\s+", "one ", stripped))
    return None


def _word_numbers(phrase: str, start: int) -> list[tuple[int, int, int]]:
    """(value, start, end) of the numbers in a run of number words: one, or
    several when text2num refuses the run ("five six"), read greedily."""
    normal = "one" + phrase[1:] if phrase[:1] in "aA" and phrase[1:2].isspace() else phrase
    value = _words_value(normal)
    if value is not None:
        return [(value, start, start + len(phrase))]
    tokens = list(re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*", normal))
    found, index = [], 0
    while index < len(tokens):
        for stop in range(len(tokens), index, -1):
            value = _words_value(normal[tokens[index].start() : tokens[stop - 1].end()])
            if value is not None:
                found.append((value, start + tokens[index].start(), start + tokens[stop - 1].end()))
                index = stop
                break
        else:
            index += 1
    return found


def _candidate_starts(text: str, lowered: str) -> list[int]:
    """Where a number may start: each digit run and each number word. The
    words present are found first with C-level set operations, and only
    those are looked for, so a sentence costs a few regular expressions
    rather than a Python step per word."""
    present = _OPENING_WORDS.intersection(_LOWER_WORD.findall(lowered))
    starts = [match.start() for match in _DIGITS.finditer(text)]
    for word in present:
        starts += [match.start() for match in _WORD_AT[word].finditer(lowered)]
    if not _AFTER_A.isdisjoint(present) or "a" in lowered and not _AFTER_A.isdisjoint(_LOWER_WORD.findall(lowered)):
        starts += [match.start() for match in _A_BEFORE.finditer(lowered)]
    return sorted(starts)


def _bare_numbers(text: str) -> list[tuple[Quantity, int, int]]:
    """Each number or vague count, without qualifiers: the full pattern is
    tried only where a number may start."""
    numbers: list[tuple[Quantity, int, int]] = []
    if not may_hold_numbers(text):
        return numbers
    resume = 0
    for start in _candidate_starts(text, text.lower()):
        if start < resume:
            continue
        match = _NUMBER.match(text, start)
        if match is None:
            continue
        resume = match.end()
        if match.group("vague"):
            phrase = " ".join(match.group("vague").lower().split())
            numbers.append((_VAGUE[phrase], match.start(), match.end()))
            continue
        if match.group("digits"):
            read = [(int(match.group("digits").replace(",", "")), match.start(), match.end())]
        else:
            read = _word_numbers(match.group("words"), match.start())
        for value, start, end in read:
            if dozen := _DOZEN_AFTER.match(text, end):
                numbers.append((Quantity.about(value * 12), start, dozen.end()))
                resume = dozen.end()
            else:
                numbers.append((Quantity.exact(value), start, end))
    return numbers


def _qualified(quantity: Quantity, qualifier: str) -> Quantity:
    """The quantity a qualifier before it makes of it."""
    low, high, value = quantity.low, quantity.high, quantity.nominal or quantity.low
    if qualifier == "at_least":
        return Quantity(low, None, quantity.approximate, value)
    if qualifier == "more_than":
        return Quantity(value + 1, None, False, value)
    if qualifier == "just_over":
        return Quantity(value + 1, value + tolerance(value), True, value)
    if qualifier == "fewer_than":
        return Quantity(0, max(0, value - 1), False, value)
    if qualifier == "at_most":
        return Quantity(0, high if high is not None else value, False, value)
    if qualifier == "up_to":
        top = high if high is not None else value
        return Quantity((top + 1) // 2, top, True, top)
    if qualifier == "nearly":
        return Quantity(max(0, value - tolerance(value)), value, True, value)
    # about: a tolerance around each end
    if quantity.approximate:
        return quantity
    if high is None:
        return Quantity(max(0, low - tolerance(low)), None, True, value)
    return Quantity(max(0, low - tolerance(low)), high + tolerance(high), True, value)


def find_numbers(text: str) -> list[NumberMention]:
    """The counts in `text`, with ranges ("four to five", "4–5") joined and
    qualifiers read (see the module doc): "at least three" and "3+" are
    open-ended, "more than ten" is 11+, "about 50" is 40..60."""
    bare = _bare_numbers(text)
    mentions: list[NumberMention] = []
    index = 0
    while index < len(bare):
        quantity, start, end = bare[index]
        if index + 1 < len(bare) and quantity.is_exact:
            following, next_start, next_end = bare[index + 1]
            gap = text[end:next_start]
            join = _RANGE_JOIN.fullmatch(gap)
            last_word = _last_word(text, start)
            if (
                join
                and following.is_exact
                and following.low > quantity.low
                and ("and" not in gap or last_word == "between")
                and last_word != "from"
            ):
                quantity, end = Quantity(quantity.low, following.low), next_end
                index += 1
        last_word = _last_word(text, start)
        if last_word == "between":
            start = text.lower().rindex("between", 0, start)
        if after := _QUALIFIER_AFTER.match(text[end : end + 16]):
            if after.group("plus") or after.group("or_more"):
                quantity = Quantity(quantity.low, None, quantity.approximate, quantity.nominal)
            else:
                quantity = _qualified(quantity, "about")
            end += after.end()
        elif (last_word in _QUALIFIER_ENDINGS or last_word[-1:] in "~≈±") and (
            before := _qualifier_before(text, start)
        ):
            qualifier = next(name for name, value in before.groupdict().items() if value)
            quantity = _qualified(quantity, "about" if qualifier == "tilde" else qualifier)
            start = before.start(qualifier)
        mentions.append(NumberMention(quantity, text[start:end], start, end))
        index += 1
    return mentions


def parse_quantity(text: str) -> Quantity | None:
    """The first count in `text` ("3+", "four to five", "at least 3")."""
    mentions = find_numbers(text)
    return mentions[0].quantity if mentions else None

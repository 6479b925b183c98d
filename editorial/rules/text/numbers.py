"""Counts in prose and field values, in digits or in words, with their
qualifiers: "13", "Thirteen", "four to five", "at least three", "about 50".

Numbers written in words ("Thirteen", "twenty-five") are read by text2num.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num


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

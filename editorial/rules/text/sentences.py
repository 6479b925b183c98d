"""Splitting a paragraph or a section body into sentences, with their offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .memo import memoized

# A period after one of these does not end a sentence ("Gen. Tchiani").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col capt sgt maj st no vs etc approx jan feb mar apr jun jul aug "
    "sep sept oct nov dec c ca est incl nos cf".split()
)
_LONGEST_ABBREVIATION = max(len(word) for word in _ABBREVIATIONS)
_LAST_WORD = re.compile(r"(\w+)$")
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
            # Only the word before the period matters: look at the last few
            # characters, not the whole line so far (a long line made this
            # quadratic). A longer word is no abbreviation anyway.
            word = _LAST_WORD.search(line_text, max(0, boundary.start() - _LONGEST_ABBREVIATION - 1), boundary.start())
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


@memoized(1024)
def sentences_of(text: str) -> tuple[Sentence, ...]:
    """`split_sentences`, shared: every rule reads the same blocks (and the base
    shares most of them with the proposal), so each text is split once."""
    return tuple(split_sentences(text))

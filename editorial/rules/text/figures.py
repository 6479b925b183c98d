"""Casualty and strength figures: the counts of a field value such as "13
killed, 5 injured, 3 vehicles captured", each with what it counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import Quantity, find_numbers

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

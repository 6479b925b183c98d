"""Casualty and strength figures: the counts of a field value such as "13
killed, 5 injured, 3 vehicles captured", each with what it counts, whose
it is and who gives it.

A value may give several parties' and several sources' figures:

- "3 soldiers killed, 1 wounded (France); 6 killed, 9 wounded (Mali)": a
  note in parentheses after a run of figures names their party;
- "28 killed (per the army), 40 killed (per the claimants)": a note with
  "per", "according to", "claimed", "official", ... names their source;
- "France: 3 killed; Mali: 6 killed": a label before a colon does the same
  for the figures of its part (up to the next ";" or line);
- "13 killed (including 2 officers)": a note that breaks a figure down
  ("including", "incl.", "of whom", or counts alone) adds nothing;
- footnote marks ("17 killed[a]", "[1]") are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .attribution import source_keys
from .groups import GROUP_OF, party_of
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
    "hurt": "wounded",
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
    "hostage": "captured",
    "hostages": "captured",
    "missing": "missing",
    "mia": "missing",
    "destroyed": "destroyed",
    "damaged": "damaged",
}
# Things, not people: a figure that counts these is never compared with
# the killed and wounded of the prose.
MATERIEL = frozenset(
    "vehicle truck tank motorcycle motorbike aircraft helicopter plane drone weapon gun boat car pickup "
    "technical rifle camp base post building house shop church mosque school".split()
)
_STOP_WORDS = frozenset(
    "a an the of and or at least more than about around approximately over some up to nearly almost "
    "estimated plus".split()
)
_FOOTNOTE = re.compile(r"\[[^\]]{0,40}\]")
_PART = re.compile(r"[^;\n]+")
_PIECE = re.compile(r"\((?P<note>[^()]*)\)|(?P<text>[^()]+)")
_SPLIT = re.compile(r",\s+|\s+and\s+|\s*/\s*|\s+\+\s+")
_LABEL = re.compile(r"^\s*(?P<label>[^:\d]{2,60}?)\s*:\s*(?=\S)")
_SOURCE_NOTE = re.compile(
    r"(?i)^\s*(?:per|according\s+to|source:?|sources:|claimed\s+by|reported\s+by|as\s+reported\s+by|est\.?\s+by|"
    r"by)\s+(?P<source>.+)$"
    r"|^(?P<named>.+?)\s+(?:claims?|claimed|figures?|estimates?|toll|count|report|statement|sources?)\s*$"
    r"|^\s*(?P<word>official|officially|unofficial|claimed|disputed|unconfirmed|"
    r"government\s+figures?|official\s+(?:toll|figures?)|self[- ]reported)\s*$"
)
_SOURCE_WORDS = frozenset("official officially unofficial claimed disputed unconfirmed".split())
_BREAKDOWN_NOTE = re.compile(
    r"(?i)^\s*(?:including|incl\.?|of\s+(?:whom|which)|among\s+(?:them|whom|which)|mostly|mainly|"
    r"mainly|all|both|later|died|e\.g\.|i\.e\.|excluding|not\s+including|plus)\b"
)


def singular(word: str) -> str:
    word = word.lower()
    if word.endswith("s") and word[:-1] in MATERIEL:
        return word[:-1]
    if word.endswith("es") and word[:-2] in MATERIEL:
        return word[:-2]
    return word


@dataclass(frozen=True)
class Figure:
    """One count in a casualties or strength field: "3 vehicles captured"."""

    quantity: Quantity
    kind: str | None  # "killed", "wounded", "captured", ...; None in e.g. "About 50 militants"
    materiel: str | None  # "vehicle" when things are counted, None for people
    label: str  # what the count is of, to pair figures across edits: "vehicle captured"
    text: str
    party: str | None = None  # whose count: "france", "mali", or a name as written
    source: str | None = None  # who gives it: "the army", "the claimants"
    group: str | None = None  # who is counted, when the figure says: "civilians"
    source_keys: frozenset[str] = field(default=frozenset(), compare=False)
    # counts a breakdown note gives of part of it: "13 killed (including 2 officers)"
    parts: tuple[Quantity, ...] = field(default=(), compare=False)

    @property
    def counts_people(self) -> bool:
        return self.materiel is None

    @property
    def described(self) -> str:
        """The figure with its party and source, for messages: "28 killed (per the army)"."""
        source = self.source
        if source and source.lower() not in _SOURCE_WORDS:
            source = f"per {source}"
        notes = [name for name in (self.party_name, source) if name]
        return f"{self.text} ({', '.join(notes)})" if notes else self.text

    @property
    def party_name(self) -> str | None:
        if self.party is None:
            return None
        return self.party.title() if self.party.islower() else self.party

    @property
    def pairing_key(self) -> tuple[str, str | None, str | None, str | None]:
        """What pairs this figure with the same figure in another revision of the field."""
        source = re.sub(r"^(?:the|a|an)\s+", "", self.source.lower()) if self.source else None
        return (self.label, self.group, self.party, source)


@dataclass(frozen=True)
class _Note:
    kind: str  # "party", "source", "group" or "breakdown"
    name: str | None = None


def classify_note(note: str) -> _Note:
    """What a note in parentheses (or a label before a colon) says of the
    figures it follows: their party, their source, their group, or a
    breakdown that adds nothing."""
    text = note.strip().strip(".")
    if not text or _BREAKDOWN_NOTE.match(text):
        return _Note("breakdown")
    if source := _SOURCE_NOTE.match(text):
        name = source.group("source") or source.group("named") or source.group("word")
        return _Note("source", name.strip())
    if find_numbers(text):
        return _Note("breakdown")  # "(13 soldiers, 2 civilians)"
    words = re.findall(r"[A-Za-z]+", text)
    groups = {GROUP_OF[word.lower()] for word in words if word.lower() in GROUP_OF}
    if len(groups) == 1 and len(words) <= 2:
        return _Note("group", groups.pop())
    party = party_of(text)
    if party or (words and len(words) <= 6 and text[:1].isupper()):
        return _Note("party", party or re.sub(r"(?i)^the\s+", "", text))
    return _Note("breakdown")


def _figure(part: str) -> Figure | None:
    numbers = find_numbers(part)
    if not numbers:
        return None
    number = numbers[0]
    words = [
        word.lower() for word in re.findall(r"[A-Za-z]+", part[: number.start] + " " + part[number.end :])
    ]
    kind = next((KIND_WORDS[word] for word in words if word in KIND_WORDS), None)
    materiel = next((singular(word) for word in words if singular(word) in MATERIEL), None)
    group = next((GROUP_OF[word] for word in words if word in GROUP_OF), None)
    if kind or materiel:
        label = " ".join(filter(None, (materiel, kind)))
    else:
        label = " ".join(word for word in words if word not in _STOP_WORDS) or "count"
    party = party_of(part) if group is not None else None  # "3 French soldiers killed"
    return Figure(number.quantity, kind, materiel, label, part.strip(), party=party, group=group)


def parse_figures(value: str) -> list[Figure]:
    """The figures of a field value (see the module doc), each with its
    party and source when the value gives them."""
    figures: list[Figure] = []
    for part in _PART.finditer(_FOOTNOTE.sub("", value)):
        text = part.group()
        prefix: _Note | None = None
        if label := _LABEL.match(text):
            prefix = classify_note(label.group("label"))
            text = text[label.end() :]
        pending: list[int] = []  # the figures the next note applies to
        noted = False
        for piece in _PIECE.finditer(text):
            if piece.group("note") is not None:
                note = classify_note(piece.group("note"))
                if note.kind == "breakdown" and pending:
                    parts = tuple(mention.quantity for mention in find_numbers(piece.group("note")))
                    figures[pending[-1]] = Figure(**{**_fields(figures[pending[-1]]), "parts": parts})
                elif note.kind != "breakdown":
                    for index in pending:
                        figures[index] = _with_note(figures[index], note)
                    noted = True
                continue
            for chunk in _SPLIT.split(piece.group("text")):
                figure = _figure(chunk)
                if figure is None:
                    continue
                if noted:  # a figure after a note starts a new run
                    pending, noted = [], False
                if prefix is not None and prefix.kind != "breakdown":
                    figure = _with_note(figure, prefix)
                pending.append(len(figures))
                figures.append(figure)
    return figures


def _with_note(figure: Figure, note: _Note) -> Figure:
    if note.kind == "source":
        return Figure(**{**_fields(figure), "source": note.name, "source_keys": source_keys(note.name or "")})
    if note.kind == "group":
        return Figure(**{**_fields(figure), "group": note.name})
    return Figure(**{**_fields(figure), "party": note.name})


def _fields(figure: Figure) -> dict:
    return {name: getattr(figure, name) for name in Figure.__dataclass_fields__}

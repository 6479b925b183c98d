"""The paragraphs of the lead and the sections, matched across two versions.

Paragraphs are compared by whole text within each place (the lead or a
section). A paragraph that moved (to elsewhere in its section, or to
another section or the lead) is one "moved" row at its new place rather
than a deletion plus an insertion, so that reordering an article does not
look like rewriting it. One cohesive algorithm, hence one module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..content import ArticleContent
from .values import LEAD, ParagraphChange, SectionDiff, Side, TextDiff
from .words import word_ops, words_of

# Two paragraphs in the same edited stretch of a section are one paragraph
# rewritten when at least this similar; below it, one was removed and the
# other written anew.
CHANGED_PARAGRAPH_RATIO = 0.5
# A paragraph that vanished here and appeared elsewhere counts as moved when
# it is (nearly) the same text; lower, and unrelated paragraphs that share
# common words would pass for moves.
MOVED_PARAGRAPH_RATIO = 0.9


def merged_order(old_keys: list[str], new_keys: list[str]) -> list[str]:
    """Every key once: the new order, with removed keys where they stood.

    A key in both lists but at another place is shown at its new place only.
    """
    new_set = set(new_keys)
    merged: list[str] = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            merged.extend(new_keys[j1:j2])
            continue
        merged.extend(key for key in old_keys[i1:i2] if key not in new_set)
        merged.extend(new_keys[j1:j2])
    return merged


@dataclass(frozen=True)
class _Place:
    """The lead or one section, with the paragraphs it had and has."""

    name: str
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class _Loose:
    """A paragraph the in-place comparison could not match to an equal one.

    side is "old" or "new"; block numbers the stretch of edited paragraphs
    (one non-equal opcode) it belongs to, unique across the article.
    """

    side: Side
    place: int
    index: int
    block: int
    text: str


@dataclass
class _Matches:
    """How loose old and new paragraphs were paired up."""

    rewritten: dict[tuple[int, int], int] = field(default_factory=dict)  # (place, old i) -> new i
    moved_in: dict[tuple[int, int], _Loose] = field(default_factory=dict)  # (place, new i) -> old
    moved_out: set[tuple[int, int]] = field(default_factory=set)  # (place, old i)


def split_paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a body: stretches of text between blank lines."""
    return tuple(part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip())


def diff_prose(old: ArticleContent, new: ArticleContent) -> tuple[TextDiff, tuple[SectionDiff, ...]]:
    old_bodies = {section.heading: section.body for section in old.sections}
    new_bodies = {section.heading: section.body for section in new.sections}
    headings = merged_order(list(old_bodies), list(new_bodies))
    places = [_Place(LEAD, split_paragraphs(old.lead), split_paragraphs(new.lead))] + [
        _Place(
            heading,
            split_paragraphs(old_bodies.get(heading, "")),
            split_paragraphs(new_bodies.get(heading, "")),
        )
        for heading in headings
    ]

    opcodes = [
        SequenceMatcher(None, place.old, place.new, autojunk=False).get_opcodes() for place in places
    ]
    matches = _match_loose_paragraphs(_loose_paragraphs(places, opcodes))
    texts = _text_diffs(places, opcodes, matches)

    sections = []
    for heading, text in zip(headings, texts[1:]):
        if heading not in old_bodies:
            status = "added"
        elif heading not in new_bodies:
            status = "removed"
        else:
            status = "changed" if text.has_changes else "unchanged"
        sections.append(SectionDiff(heading=heading, status=status, text=text))
    return texts[0], tuple(sections)


def _loose_paragraphs(places: Sequence[_Place], opcodes) -> list[_Loose]:
    loose = []
    block = 0
    for place_number, (place, place_opcodes) in enumerate(zip(places, opcodes)):
        for tag, i1, i2, j1, j2 in place_opcodes:
            if tag == "equal":
                continue
            block += 1
            loose += [_Loose("old", place_number, i, block, place.old[i]) for i in range(i1, i2)]
            loose += [_Loose("new", place_number, j, block, place.new[j]) for j in range(j1, j2)]
    return loose


def _match_loose_paragraphs(loose: Sequence[_Loose]) -> _Matches:
    """Pair loose old and new paragraphs, most similar pairs first.

    A pair from the same edited stretch is a paragraph rewritten in place,
    as long as it does not cross another such pair (the side-by-side view
    keeps both sides in order); any other pair, near-identical, is a move.
    """
    olds = [paragraph for paragraph in loose if paragraph.side == "old"]
    news = [paragraph for paragraph in loose if paragraph.side == "new"]
    candidates = []
    for new in news:
        new_words = words_of(new.text)
        for old in olds:
            same_block = old.block == new.block
            threshold = CHANGED_PARAGRAPH_RATIO if same_block else MOVED_PARAGRAPH_RATIO
            ratio = _similarity(words_of(old.text), new_words, threshold)
            if ratio is None:
                continue
            # Ties go to the nearer paragraph: same stretch, then same place.
            preference = (-ratio, not same_block, old.place != new.place, abs(old.index - new.index))
            candidates.append((preference, old, new))
    candidates.sort(key=lambda candidate: candidate[0])

    matches = _Matches()
    paired_old: set[tuple[int, int]] = set()
    paired_new: set[tuple[int, int]] = set()
    rewritten_in_block: dict[int, list[tuple[int, int]]] = {}
    for (negative_ratio, *_), old, new in candidates:
        old_key, new_key = (old.place, old.index), (new.place, new.index)
        if old_key in paired_old or new_key in paired_new:
            continue
        same_block = old.block == new.block
        if same_block and not _crosses(rewritten_in_block.get(old.block, []), old.index, new.index):
            rewritten_in_block.setdefault(old.block, []).append((old.index, new.index))
            matches.rewritten[old_key] = new.index
        elif -negative_ratio >= MOVED_PARAGRAPH_RATIO:
            matches.moved_in[new_key] = old
            matches.moved_out.add(old_key)
        else:
            continue
        paired_old.add(old_key)
        paired_new.add(new_key)
    return matches


def _crosses(pairs: Iterable[tuple[int, int]], old_index: int, new_index: int) -> bool:
    return any((old_index < other_old) != (new_index < other_new) for other_old, other_new in pairs)


def _similarity(old_words: list[str], new_words: list[str], threshold: float) -> float | None:
    """difflib's ratio of the two word lists, or None when below threshold.

    The cheap upper bounds go first: most pairs of paragraphs are unrelated.
    """
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else None


def _text_diffs(places: Sequence[_Place], opcodes, matches: _Matches) -> list[TextDiff]:
    # Rows where moved paragraphs arrived, filed under the place they left.
    moved_out: list[list[ParagraphChange]] = [[] for _ in places]
    rows_by_place = []
    for number, (place, place_opcodes) in enumerate(zip(places, opcodes)):
        rows = _place_rows(number, place, place_opcodes, places, matches)
        rows_by_place.append(rows)
        for index, row in rows:
            source = matches.moved_in.get((number, index)) if row.status == "moved" else None
            if source is not None and source.place != number:
                moved_out[source.place].append(row)
    return [
        TextDiff(
            paragraphs=tuple(row for _, row in rows),
            has_changes=place.old != place.new,
            moved_out=tuple(moved_out[number]),
        )
        for number, (place, rows) in enumerate(zip(places, rows_by_place))
    ]


def _place_rows(
    number: int, place: _Place, opcodes, places: Sequence[_Place], matches: _Matches
) -> list[tuple[int | None, ParagraphChange]]:
    """The rows of one place, each with its paragraph's new index (None if gone)."""
    rows: list[tuple[int | None, ParagraphChange]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            rows += [(j, ParagraphChange("unchanged", place.new[j], place.new[j])) for j in range(j1, j2)]
            continue
        rewritten = sorted(
            (i, matches.rewritten[(number, i)])
            for i in range(i1, i2)
            if (number, i) in matches.rewritten
        )
        # Walk the stretch from one rewritten pair to the next; what lies
        # between them on either side was removed, added or moved.
        i, j = i1, j1
        for old_index, new_index in [*rewritten, (i2, j2)]:
            for k in range(i, old_index):
                if (number, k) not in matches.moved_out:
                    rows.append((None, ParagraphChange("removed", place.old[k], None)))
            for k in range(j, new_index):
                rows.append((k, _arrival_row(number, k, place, places, matches)))
            if old_index < i2:
                old_text, new_text = place.old[old_index], place.new[new_index]
                ops = word_ops(old_text, new_text)
                rows.append((new_index, ParagraphChange("changed", old_text, new_text, ops)))
            i, j = old_index + 1, new_index + 1
    return rows


def _arrival_row(
    number: int, index: int, place: _Place, places: Sequence[_Place], matches: _Matches
) -> ParagraphChange:
    """The row of a paragraph that is new here: moved in, or added."""
    text = place.new[index]
    source = matches.moved_in.get((number, index))
    if source is None:
        return ParagraphChange("added", None, text)
    ops = word_ops(source.text, text) if source.text != text else ()
    return ParagraphChange(
        "moved",
        source.text,
        text,
        ops,
        moved_from=places[source.place].name,
        moved_to=place.name,
    )

"""The paragraphs of the lead and the sections, matched across two versions.

Sections are matched by heading; a section whose heading changed over
the same or a similar body is one section renamed, and one that changed
place in the order says where it was. Paragraphs are compared by whole
text within each place (the lead or a section). A paragraph that moved (to elsewhere in its section, or to
another section or the lead) is one "moved" row at its new place rather
than a deletion plus an insertion, so that reordering an article does not
look like rewriting it. One cohesive algorithm, hence one module.

The paragraphs left over ("loose") are paired without looking at every
pair: equal texts by their text, small edited stretches pair by pair, the
rest through an index of their word 3-grams. Every step is paid from the
diff's `words.Budget`; what it cannot pay for is shown coarser (removed
and added, or whole) and the diff says so.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from ..content import ArticleContent
from .values import LEAD, ParagraphChange, SectionDiff, Side, TextDiff
from .words import (
    COARSE_REASON,
    LINEAR_COST,
    Budget,
    affordable,
    equal_share,
    kept_ends,
    match_sequences,
    opcodes as opcodes_of,
    word_diff,
    words_of,
)

# Two paragraphs in the same edited stretch of a section are one paragraph
# rewritten when at least this similar; below it, one was removed and the
# other written anew.
CHANGED_PARAGRAPH_RATIO = 0.5
# A paragraph that vanished here and appeared elsewhere counts as moved when
# it is (nearly) the same text; lower, and unrelated paragraphs that share
# common words would pass for moves.
MOVED_PARAGRAPH_RATIO = 0.9
# Paragraph pairing measures only likely pairs: all pairs of a group (equal
# texts, or one edited stretch) up to this many, and for each new paragraph
# the few old ones sharing the most 3-grams, ignoring 3-grams found in more
# than a handful of paragraphs (a stock phrase says nothing).
SMALL_GROUP_PAIRS = 16
SHINGLE_SIZE = 3
SHINGLE_CANDIDATES = 4
MAX_SHINGLE_HOLDERS = 16
# An old paragraph is a candidate for a new one when it shares at least
# this share of the new one's 3-grams (and one).
MIN_SHARED_SHINGLES = 0.05
# A removed and an added section are one section renamed when their
# bodies share at least this share of their word 3-grams (a paragraph of
# two rewritten keeps well over half; unrelated texts share a few percent).
RENAMED_SECTION_RATIO = 0.5
# Budget units a loose paragraph costs to pair, before any comparison.
PAIRING_COST = 32
MOVES_NOT_SOUGHT = "the change was too large to look for paragraphs that moved and changed"


def merged_order(old_keys: list[str], new_keys: list[str], budget: Budget | None = None) -> list[str]:
    """Every key once: the new order, with removed keys where they stood.

    A key in both lists but at another place is shown at its new place only.
    """
    new_set = set(new_keys)
    merged: list[str] = []
    blocks, _ = match_sequences(old_keys, new_keys, budget or Budget())
    for tag, i1, i2, j1, j2 in opcodes_of(blocks, len(old_keys), len(new_keys)):
        if tag == "equal":
            merged.extend(new_keys[j1:j2])
            continue
        merged.extend(key for key in old_keys[i1:i2] if key not in new_set)
        merged.extend(new_keys[j1:j2])
    return merged


@dataclass(frozen=True)
class _Place:
    """The lead or one section whose text changed, with the paragraphs it had and has."""

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


# What separates paragraphs; the rules number paragraphs by it too, to anchor their quotes.
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def split_paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a body: stretches of text between blank lines."""
    stripped = [part.strip() for part in PARAGRAPH_BREAK.split(text)]
    return tuple(part for part in stripped if part)


def diff_prose(
    old: ArticleContent, new: ArticleContent, budget: Budget | None = None
) -> tuple[TextDiff, tuple[SectionDiff, ...]]:
    """The lead's and each section's paragraph rows; the work is paid from budget (see `words`)."""
    if budget is None:
        budget = Budget()
    old_bodies = {section.heading: section.body for section in old.sections}
    new_bodies = {section.heading: section.body for section in new.sections}
    headings = merged_order(list(old_bodies), list(new_bodies), budget)
    # A renamed section is one place, at its new heading's place in the
    # order, its old body diffed against its new one.
    renamed = _renamed_sections(list(old_bodies), old_bodies, new_bodies, budget)
    renamed_from = set(renamed.values())
    headings = [heading for heading in headings if heading not in renamed_from]
    moved_after = _moved_sections(list(old_bodies), [renamed.get(heading, heading) for heading in new_bodies], budget)
    bodies = [(LEAD, old.lead, new.lead)] + [
        (heading, old_bodies.get(renamed.get(heading, heading), ""), new_bodies.get(heading, ""))
        for heading in headings
    ]
    # Most places of an edit are untouched: they are not split into
    # paragraphs, and their rows are made only if read.
    touched = [number for number, (_, old_body, new_body) in enumerate(bodies) if old_body != new_body]
    places = [
        _Place(bodies[number][0], split_paragraphs(bodies[number][1]), split_paragraphs(bodies[number][2]))
        for number in touched
    ]
    # Paragraphs left unaligned here for want of budget are still paired
    # up below, as loose paragraphs.
    opcodes = [
        opcodes_of(match_sequences(place.old, place.new, budget)[0], len(place.old), len(place.new))
        for place in places
    ]
    matches = _match_loose_paragraphs(_loose_paragraphs(places, opcodes), budget)
    touched_texts = dict(zip(touched, _text_diffs(places, opcodes, matches, budget)))
    texts = [
        touched_texts[number] if number in touched_texts else TextDiff.untouched(partial(split_paragraphs, new_body))
        for number, (_, _, new_body) in enumerate(bodies)
    ]

    sections = []
    for heading, text in zip(headings, texts[1:]):
        old_heading = renamed.get(heading)
        after = moved_after.get(old_heading or heading)
        if old_heading is not None:
            sections.append(SectionDiff(heading, "renamed", text, old_heading=old_heading, moved_after=after))
        elif heading not in old_bodies:
            sections.append(SectionDiff(heading, "added", text))
        elif heading not in new_bodies:
            sections.append(SectionDiff(heading, "removed", text))
        elif text.has_changes:
            sections.append(SectionDiff(heading, "changed", text, moved_after=after))
        elif after is not None:
            sections.append(SectionDiff(heading, "moved", text, moved_after=after))
        else:
            sections.append(SectionDiff.unchanged(heading, text))
    return texts[0], tuple(sections)


def _moved_sections(old_order: list[str], new_order: list[str], budget: Budget) -> dict[str, str]:
    """old heading -> the heading it came after before (LEAD if first), for each section that changed place.

    new_order names renamed sections by their old headings. The sections
    kept in order are the longest run the heading alignment keeps; any
    other section found on both sides moved.
    """
    if old_order == new_order:
        return {}
    blocks, _ = match_sequences(old_order, new_order, budget)
    in_place = {old_order[i + k] for i, _, size in blocks for k in range(size)}
    on_both_sides = set(old_order) & set(new_order)
    return {
        heading: old_order[number - 1] if number else LEAD
        for number, heading in enumerate(old_order)
        if heading in on_both_sides and heading not in in_place
    }


def _renamed_sections(
    old_order: list[str], old_bodies: dict[str, str], new_bodies: dict[str, str], budget: Budget
) -> dict[str, str]:
    """new heading -> old heading, for each section whose heading alone changed (or whose body changed little).

    Candidates are a removed and an added section with the same body, or
    in the same stretch of the heading order (what took the old one's
    place) when the stretch is small (else only equal bodies are found);
    their bodies are weighed by shared 3-grams, most similar pairs first.
    A section removed and another added in its place with an unrelated
    body stay removed and added.
    """
    removed = [heading for heading in old_order if heading not in new_bodies]
    added = [heading for heading in new_bodies if heading not in old_bodies]
    if not removed or not added:
        return {}
    new_order = list(new_bodies)
    candidates: set[tuple[str, str]] = set()
    by_body: dict[str, list[str]] = {}
    for heading in removed:
        by_body.setdefault(old_bodies[heading], []).append(heading)
    for heading in added:
        same_body = by_body.get(new_bodies[heading], [])[:SHINGLE_CANDIDATES]
        candidates.update((old_heading, heading) for old_heading in same_body)
    blocks, _ = match_sequences(old_order, new_order, budget)
    for tag, i1, i2, j1, j2 in opcodes_of(blocks, len(old_order), len(new_order)):
        gone = [heading for heading in old_order[i1:i2] if heading not in new_bodies]
        came = [heading for heading in new_order[j1:j2] if heading not in old_bodies]
        if tag != "equal" and len(gone) * len(came) <= SMALL_GROUP_PAIRS:
            candidates.update((old_heading, new_heading) for old_heading in gone for new_heading in came)

    old_position = {heading: number for number, heading in enumerate(old_order)}
    new_position = {heading: number for number, heading in enumerate(new_order)}
    words = _Words()
    weighed = []
    renamed_from: set[str] = set()
    for old_heading, new_heading in sorted(candidates):
        ratio = _body_similarity(old_bodies[old_heading], new_bodies[new_heading], words, budget)
        if ratio is not None and ratio >= RENAMED_SECTION_RATIO:
            distance = abs(old_position[old_heading] - new_position[new_heading])
            weighed.append((-ratio, distance, old_heading, new_heading))
    renamed: dict[str, str] = {}
    for _, _, old_heading, new_heading in sorted(weighed):
        if new_heading not in renamed and old_heading not in renamed_from:
            renamed[new_heading] = old_heading
            renamed_from.add(old_heading)
    return renamed


def _body_similarity(old: str, new: str, words: _Words, budget: Budget) -> float | None:
    """The share of word 3-grams two section bodies have in common, or None when the budget cannot pay for it.

    Linear in the words, unlike a word diff; two unrelated texts share
    words but few 3-grams. The body of a section renamed is diffed
    afterwards, paragraph by paragraph, like any other.
    """
    if old == new:
        return 1.0
    if not affordable(len(old) + len(new), budget):
        return None
    old_words, new_words = words[old][0], words[new][0]
    if not budget.take(LINEAR_COST * (len(old_words) + len(new_words))):
        return None
    budget.comparisons += 1
    old_shingles, new_shingles = _shingles(old_words), _shingles(new_words)
    return 2 * len(old_shingles & new_shingles) / (len(old_shingles) + len(new_shingles))


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


def _match_loose_paragraphs(loose: Sequence[_Loose], budget: Budget) -> _Matches:
    """Pair loose old and new paragraphs, most similar pairs first.

    A pair from the same edited stretch is a paragraph rewritten in place,
    as long as it does not cross another such pair (the side-by-side view
    keeps both sides in order); any other pair, near-identical, is a move.
    Only likely pairs are measured (`_candidate_pairs`), so the cost grows
    with the paragraphs, not with their pairs.
    """
    matches = _Matches()
    # Sorting out the candidates costs a few microseconds a paragraph.
    if not budget.take(PAIRING_COST * len(loose)):
        budget.note_coarse(COARSE_REASON)
        return matches
    olds = [paragraph for paragraph in loose if paragraph.side == "old"]
    news = [paragraph for paragraph in loose if paragraph.side == "new"]
    words = _Words()
    candidates = []
    for old_number, new_number in sorted(_candidate_pairs(olds, news, words, budget)):
        old, new = olds[old_number], news[new_number]
        same_block = old.block == new.block
        threshold = CHANGED_PARAGRAPH_RATIO if same_block else MOVED_PARAGRAPH_RATIO
        if old.text == new.text:
            ratio: float | None = 1.0
        elif not budget.take(LINEAR_COST * (len(old.text) + len(new.text)) // 6):
            # Out of budget: the pair is not weighed. In one edited stretch
            # it may still stand as a paragraph rewritten (shown whole); it
            # is not taken for a move.
            budget.note_coarse(COARSE_REASON)
            if not same_block:
                continue
            ratio = CHANGED_PARAGRAPH_RATIO
        else:
            ratio = _similarity(old.text, new.text, threshold, words, budget)
        budget.comparisons += 1
        if ratio is None:
            continue
        # Ties go to the nearer paragraph: same stretch, then same place.
        preference = (-ratio, not same_block, old.place != new.place, abs(old.index - new.index))
        candidates.append((preference, old, new))
    candidates.sort(key=lambda candidate: candidate[0])

    paired_old: set[tuple[int, int]] = set()
    paired_new: set[tuple[int, int]] = set()
    rewritten_in_block: dict[int, list[tuple[int, int]]] = {}
    for (negative_ratio, *_), old, new in candidates:
        old_key, new_key = (old.place, old.index), (new.place, new.index)
        if old_key in paired_old or new_key in paired_new:
            continue
        same_block = old.block == new.block
        rewritten_here = rewritten_in_block.setdefault(old.block, [])
        if same_block and not _crosses(rewritten_here, old.index, new.index):
            insort(rewritten_here, (old.index, new.index))
            matches.rewritten[old_key] = new.index
        elif -negative_ratio >= MOVED_PARAGRAPH_RATIO:
            matches.moved_in[new_key] = old
            matches.moved_out.add(old_key)
        else:
            continue
        paired_old.add(old_key)
        paired_new.add(new_key)
    return matches


def _candidate_pairs(
    olds: Sequence[_Loose], news: Sequence[_Loose], words: _Words, budget: Budget
) -> set[tuple[int, int]]:
    """(old, new) positions of the pairs worth measuring: at most a few per paragraph.

    * equal texts (all pairs of a small group, else the k-th old with the
      k-th new); a text found once on each side is settled by that pair
      and looked at no further;
    * every pair of a small edited stretch, as before any index;
    * the olds sharing the most word 3-grams with a new one, leaving out
      3-grams so common that they say nothing.
    """
    pairs: set[tuple[int, int]] = set()
    by_text: dict[str, tuple[list[int], list[int]]] = {}
    for number, old in enumerate(olds):
        by_text.setdefault(old.text, ([], []))[0].append(number)
    for number, new in enumerate(news):
        if new.text in by_text:
            by_text[new.text][1].append(number)
    settled_old: set[int] = set()
    settled_new: set[int] = set()
    for old_numbers, new_numbers in by_text.values():
        if len(old_numbers) == len(new_numbers) == 1:
            settled_old.add(old_numbers[0])
            settled_new.add(new_numbers[0])
        if len(old_numbers) * len(new_numbers) <= SMALL_GROUP_PAIRS:
            pairs.update((o, n) for o in old_numbers for n in new_numbers)
        else:
            pairs.update(zip(old_numbers, new_numbers))
    olds_left = [(number, old) for number, old in enumerate(olds) if number not in settled_old]
    news_left = [(number, new) for number, new in enumerate(news) if number not in settled_new]

    by_block: dict[int, tuple[list[int], list[int]]] = {}
    for number, old in olds_left:
        by_block.setdefault(old.block, ([], []))[0].append(number)
    for number, new in news_left:
        by_block.setdefault(new.block, ([], []))[1].append(number)
    for old_numbers, new_numbers in by_block.values():
        if len(old_numbers) * len(new_numbers) <= SMALL_GROUP_PAIRS:
            pairs.update((o, n) for o in old_numbers for n in new_numbers)
    if len(olds_left) * len(news_left) <= SMALL_GROUP_PAIRS:
        # Few enough to measure every pair: no index needed.
        pairs.update((o, n) for o, _ in olds_left for n, _ in news_left)
        return pairs

    # The index costs LINEAR_COST units a word; without the budget for it,
    # paragraphs that moved and changed are shown removed and added.
    characters = sum(len(paragraph.text) for _, paragraph in (*olds_left, *news_left))
    if not affordable(characters, budget) or not budget.take(
        LINEAR_COST * sum(len(words[paragraph.text][0]) for _, paragraph in (*olds_left, *news_left))
    ):
        budget.note_coarse(MOVES_NOT_SOUGHT)
        return pairs
    index: dict[tuple[str, ...], list[int]] = {}
    for number, old in olds_left:
        for shingle in _shingles(words[old.text][0]):
            index.setdefault(shingle, []).append(number)
    for number, new in news_left:
        shared: dict[int, int] = {}
        shingles = _shingles(words[new.text][0])
        for shingle in shingles:
            holders = index.get(shingle)
            if holders is None or len(holders) > MAX_SHINGLE_HOLDERS:
                continue
            for old_number in holders:
                shared[old_number] = shared.get(old_number, 0) + 1
        enough = max(1, MIN_SHARED_SHINGLES * len(shingles))
        best = sorted(shared, key=lambda old_number: -shared[old_number])[:SHINGLE_CANDIDATES]
        pairs.update((old_number, number) for old_number in best if shared[old_number] >= enough)
    return pairs


def _shingles(words: Sequence[str]) -> set[tuple[str, ...]]:
    """The word 3-grams of a paragraph (all its words as one when it has fewer)."""
    if len(words) < SHINGLE_SIZE:
        return {tuple(words)}
    return set(zip(*(words[k:] for k in range(SHINGLE_SIZE))))


def _crosses(pairs: list[tuple[int, int]], old_index: int, new_index: int) -> bool:
    """Whether (old_index, new_index) would cross one of pairs, which cross none and are sorted.

    Sorted by old index, pairs that cross none are sorted by new index too,
    so only the neighbours of the new pair need looking at.
    """
    at = bisect_left(pairs, (old_index, new_index))
    return (at > 0 and pairs[at - 1][1] > new_index) or (at < len(pairs) and pairs[at][1] < new_index)


def _similarity(old: str, new: str, threshold: float, words: _Words, budget: Budget) -> float | None:
    """The share of the two paragraphs' text kept by their word diff, or None when below threshold.

    The cheap upper bounds go first: most pairs of paragraphs are unrelated.
    When the word diff is too costly and shown whole, the upper bound (the
    words they share, in any order) stands for it. The word diff is kept
    (in the budget) for the row of the pair.
    """
    total = len(old) + len(new)
    if 2 * min(len(old), len(new)) / total < threshold:
        return None
    if 2 * kept_ends(old, new, budget) / total >= threshold:
        # Most of the text is the same at both ends (the everyday edit):
        # the word diff is cheap, and no bound is needed to decide.
        return _ratio(word_diff(old, new, budget), threshold, threshold)
    if not affordable(total, budget):
        # Too long to weigh. In one edited stretch the pair stands as a
        # paragraph rewritten, shown whole (its word diff goes coarse);
        # as a move it is not taken.
        budget.note_coarse(COARSE_REASON)
        return threshold if threshold <= CHANGED_PARAGRAPH_RATIO else None
    old_words, old_counts = words[old][0], words[old][1].get()
    new_words, new_counts = words[new][0], words[new][1].get()
    if len(old_counts) > len(new_counts):
        old_counts, new_counts = new_counts, old_counts
    budget.charge(LINEAR_COST * len(old_counts))
    shared = sum(min(count, new_counts.get(word, 0)) for word, count in old_counts.items())
    bound = 2 * shared / (len(old_words) + len(new_words) or 1)
    if bound < threshold:
        return None
    return _ratio(word_diff(old, new, budget), bound, threshold)


def _ratio(diff, bound: float, threshold: float) -> float | None:
    ratio = bound if diff.coarse else equal_share(diff)
    return ratio if ratio >= threshold else None


class _Words(dict):
    """text -> (its words, their counts), worked out when first asked for."""

    def __missing__(self, text: str) -> tuple[list[str], _Counts]:
        found = self[text] = (words_of(text), _Counts(text))
        return found


class _Counts:
    """The counts of a paragraph's words, counted when first asked for (most paragraphs never are)."""

    def __init__(self, text: str):
        self.text = text
        self._counts: Counter | None = None

    def get(self) -> Counter:
        if self._counts is None:
            self._counts = Counter(words_of(self.text))
        return self._counts


def _text_diffs(places: Sequence[_Place], opcodes, matches: _Matches, budget: Budget) -> list[TextDiff]:
    # Rows where moved paragraphs arrived, filed under the place they left.
    moved_out: list[list[ParagraphChange]] = [[] for _ in places]
    rows_by_place: list[tuple[ParagraphChange, ...]] = []
    for number, (place, place_opcodes) in enumerate(zip(places, opcodes)):
        rows = _place_rows(number, place, place_opcodes, places, matches, budget)
        rows_by_place.append(tuple(row for _, row in rows))
        for index, row in rows:
            source = matches.moved_in.get((number, index)) if row.status == "moved" else None
            if source is not None and source.place != number:
                moved_out[source.place].append(row)
    return [
        TextDiff(
            paragraphs=rows,
            has_changes=place.old != place.new,
            moved_out=tuple(moved_out[number]),
            coarse=any(row.coarse for row in rows),
        )
        for number, (place, rows) in enumerate(zip(places, rows_by_place))
    ]


def _place_rows(
    number: int, place: _Place, opcodes, places: Sequence[_Place], matches: _Matches, budget: Budget
) -> list[tuple[int | None, ParagraphChange]]:
    """The rows of one place, each with its paragraph's new index (None if gone)."""
    rows: list[tuple[int | None, ParagraphChange]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            rows += [(j, ParagraphChange.unchanged(place.new[j])) for j in range(j1, j2)]
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
                rows.append((k, _arrival_row(number, k, place, places, matches, budget)))
            if old_index < i2:
                old_text, new_text = place.old[old_index], place.new[new_index]
                words = word_diff(old_text, new_text, budget)
                rows.append(
                    (new_index, ParagraphChange("changed", old_text, new_text, words.ops, coarse=words.coarse))
                )
            i, j = old_index + 1, new_index + 1
    return rows


def _arrival_row(
    number: int, index: int, place: _Place, places: Sequence[_Place], matches: _Matches, budget: Budget
) -> ParagraphChange:
    """The row of a paragraph that is new here: moved in, or added."""
    text = place.new[index]
    source = matches.moved_in.get((number, index))
    if source is None:
        return ParagraphChange("added", None, text)
    words = word_diff(source.text, text, budget) if source.text != text else None
    return ParagraphChange(
        "moved",
        source.text,
        text,
        words.ops if words else (),
        coarse=bool(words and words.coarse),
        moved_from=places[source.place].name,
        moved_to=place.name,
    )

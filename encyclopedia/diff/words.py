"""Word-level diffs of one paragraph or value, at a bounded cost: `word_diff` (and `word_ops`) from old to new.

Texts are split into words, runs of whitespace and single punctuation
marks. Only the words are aligned (whitespace rides along with the words
it stands between), by `match_sequences`: common ends first, then the
words found once on each side as anchors (patience diff), then
difflib.SequenceMatcher inside the small stretches left between anchors.

Every step is paid for from a `Budget` shared by the whole article's
diff, in units that grow like the work (items scanned, and the product of
the two sides' lengths for a SequenceMatcher). When a text pair would
overspend it, it is shown whole, old replaced by new, and marked coarse:
a proposal is user input, and the review page must not take seconds on
whatever it contains.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .values import WordOp

# Words, runs of whitespace, and single punctuation marks: every character
# falls in exactly one token, so joining the tokens gives the text back.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+|[^\w\s]")
_PUNCTUATION = re.compile(r"[^\w\s]")

# The work one article's diff may do, in units of roughly a tenth of a
# microsecond: one cell of a SequenceMatcher's two sides, or LINEAR_COST
# units for each item counted or indexed in Python. At this size the
# adversarial diffs of benchmarks/diff_cost.py stay under half a second
# up to the largest article (2 MiB).
ARTICLE_BUDGET = 1_000_000
LINEAR_COST = 4
# The largest stretch (old words times new words) with no anchor that is
# handed to SequenceMatcher; its worst case grows faster than the product,
# so one stretch may not take the whole budget.
GAP_LIMIT = 250_000

COARSE_REASON = "the change was too large to compare word by word"


@dataclass
class Budget:
    """What one diff may still spend, and what it spent (read by tests and benchmarks)."""

    units: int = ARTICLE_BUDGET
    spent: int = 0
    comparisons: int = 0  # paragraph pairs whose similarity was measured
    coarse_texts: int = 0  # text pairs shown whole for want of budget
    reasons: list[str] = field(default_factory=list)
    # Word diffs measured while pairing paragraphs, kept for the rows:
    # (old text, new text) -> WordDiff; and their common ends, which the
    # pairing looks at first (`kept_ends`).
    word_diffs: dict = field(default_factory=dict)
    common_ends: dict = field(default_factory=dict)

    def take(self, units: int) -> bool:
        """Spend units if they are left; False (and nothing spent) if not."""
        if self.spent + units > self.units:
            return False
        self.spent += units
        return True

    def charge(self, units: int) -> None:
        """Spend units of linear work that is done anyway (may go over)."""
        self.spent += units

    def note_coarse(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


@dataclass(frozen=True)
class WordDiff:
    ops: tuple[WordOp, ...]
    coarse: bool = False  # shown whole: too costly to align word by word


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def words_of(text: str) -> list[str]:
    """The tokens of text but its whitespace."""
    # Similarity ignores whitespace: the spaces two paragraphs share would
    # make any two of them look alike.
    return _WORD.findall(text)


def word_ops(old: str, new: str, budget: Budget | None = None) -> tuple[WordOp, ...]:
    """The word-level edit from old to new; joining each side gives it back."""
    return word_diff(old, new, budget).ops


def word_diff(old: str, new: str, budget: Budget | None = None) -> WordDiff:
    """The word-level edit from old to new, or the whole texts replaced when the budget runs out.

    The diff of a pair is kept in the budget: pairing paragraphs measures
    it, and the row shows the same.
    """
    if budget is None:
        budget = Budget()
    key = (old, new)
    found = budget.word_diffs.get(key)
    if found is None:
        found = budget.word_diffs[key] = _word_diff(old, new, budget)
    return found


def _word_diff(old: str, new: str, budget: Budget) -> WordDiff:
    if old == new:
        return WordDiff((WordOp("equal", old, new),) if old else ())
    # The common ends, found at the speed of string comparison, stop at a
    # space so that no word is cut; only the middle is split into words.
    start, end_old, end_new = _common_ends(old, new, budget)
    size = (end_old - start) + (end_new - start)
    middle = None if not affordable(size, budget) else _middle_ops(old[start:end_old], new[start:end_new], budget)
    if middle is None:
        budget.coarse_texts += 1
        budget.note_coarse(COARSE_REASON)
        return WordDiff(_whole(old, new), coarse=True)
    ops = [WordOp("equal", old[:start], old[:start])] if start else []
    ops += middle
    if end_old < len(old):
        ops.append(WordOp("equal", old[end_old:], old[end_old:]))
    return WordDiff(tuple(_absorb_lone_spaces(_join_equal(ops))))


def _common_ends(old: str, new: str, budget: Budget) -> tuple[int, int, int]:
    """Where the middle starts, and ends in old and in new: common ends cut after / before a space."""
    found = budget.common_ends.get((old, new))
    if found is None:
        found = budget.common_ends[(old, new)] = _find_common_ends(old, new)
    return found


def _find_common_ends(old: str, new: str) -> tuple[int, int, int]:
    shortest = min(len(old), len(new))
    low, high = 0, shortest
    while low < high:
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    start = low
    if start < len(old) or start < len(new):
        while start and not old[start - 1].isspace():
            start -= 1
    low, high = 0, shortest - start
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    tail = low
    while tail and not old[len(old) - tail].isspace():
        tail -= 1
    return start, len(old) - tail, len(new) - tail


def affordable(characters: int, budget: Budget) -> bool:
    """Whether the budget left could pay for counting the words of so many characters.

    Asked before a text is split into words, which is itself work: a word
    and its space are taken to be six characters.
    """
    return LINEAR_COST * characters // 6 <= budget.units - budget.spent


def kept_ends(old: str, new: str, budget: Budget) -> int:
    """How many characters of old the common ends of old and new keep (as the word diff cuts them)."""
    start, end_old, _ = _common_ends(old, new, budget)
    return start + len(old) - end_old


def _middle_ops(old: str, new: str, budget: Budget) -> list[WordOp] | None:
    """The ops from old to new word by word, or None when the budget does not allow it."""
    if not old or not new:
        return list(_whole(old, new)) if old or new else []
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    old_at = [index for index, token in enumerate(old_tokens) if not token.isspace()]
    new_at = [index for index, token in enumerate(new_tokens) if not token.isspace()]
    old_words = [old_tokens[index] for index in old_at]
    new_words = [new_tokens[index] for index in new_at]
    blocks, complete = match_sequences(old_words, new_words, budget)
    if not complete:
        return None
    token_pairs = _with_whitespace(
        old_tokens, new_tokens, [(old_at[i], new_at[j]) for i, j in pairs_of(blocks)]
    )
    return [
        WordOp(tag, "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2]))
        for tag, i1, i2, j1, j2 in opcodes(blocks_of(token_pairs), len(old_tokens), len(new_tokens))
    ]


def _join_equal(ops: list[WordOp]) -> list[WordOp]:
    joined: list[WordOp] = []
    for op in ops:
        if joined and op.op == "equal" and joined[-1].op == "equal":
            text = joined[-1].old_text + op.old_text
            joined[-1] = WordOp("equal", text, text)
        else:
            joined.append(op)
    return joined


def equal_share(diff: WordDiff) -> float:
    """The share of both texts' words (and punctuation marks) that the diff keeps (1.0 for two empty texts)."""
    kept = total = 0
    for op in diff.ops:
        old_words = count_words(op.old_text)
        total += old_words + (old_words if op.op == "equal" else count_words(op.new_text))
        if op.op == "equal":
            kept += old_words
    return 2 * kept / total if total else 1.0



def count_words(text: str) -> int:
    """len(words_of(text)), in half the time: no string is made for each word.

    Each punctuation mark is one; with them made spaces, the words are what
    str.split() finds (its whitespace is the regular expressions' \\s).
    """
    spaced, marks = _PUNCTUATION.subn(" ", text)
    return len(spaced.split()) + marks


def _whole(old: str, new: str) -> tuple[WordOp, ...]:
    if not old:
        return (WordOp("insert", "", new),)
    if not new:
        return (WordOp("delete", old, ""),)
    return (WordOp("replace", old, new),)


def _with_whitespace(
    old_tokens: Sequence[str], new_tokens: Sequence[str], pairs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The matched words, and the equal whitespace just before or after each on both sides."""
    out: list[tuple[int, int]] = []
    last_p = last_q = -1
    for p, q in pairs:
        if (
            p - 1 > last_p
            and q - 1 > last_q
            and old_tokens[p - 1].isspace()
            and old_tokens[p - 1] == new_tokens[q - 1]
        ):
            out.append((p - 1, q - 1))
        out.append((p, q))
        last_p, last_q = p, q
        if (
            p + 1 < len(old_tokens)
            and q + 1 < len(new_tokens)
            and old_tokens[p + 1].isspace()
            and old_tokens[p + 1] == new_tokens[q + 1]
        ):
            out.append((p + 1, q + 1))
            last_p, last_q = p + 1, q + 1
    return out


def opcodes(blocks: Sequence[tuple[int, int, int]], n: int, m: int) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher-style opcodes from the matching blocks (i, j, size) of two sequences of lengths n and m."""
    codes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for p, q, size in [*blocks, (n, m, 0)]:
        if p > i or q > j:
            tag = "replace" if p > i and q > j else ("delete" if p > i else "insert")
            codes.append((tag, i, p, j, q))
        if size:
            codes.append(("equal", p, p + size, q, q + size))
        i, j = p + size, q + size
    return codes


def blocks_of(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Increasing matched pairs as blocks (i, j, size) of consecutive ones."""
    blocks: list[tuple[int, int, int]] = []
    for i, j in pairs:
        if blocks:
            bi, bj, size = blocks[-1]
            if i == bi + size and j == bj + size:
                blocks[-1] = (bi, bj, size + 1)
                continue
        blocks.append((i, j, 1))
    return blocks


def pairs_of(blocks: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    return [(i + k, j + k) for i, j, size in blocks for k in range(size)]


def match_sequences(
    a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget
) -> tuple[list[tuple[int, int, int]], bool]:
    """Matching blocks (i, j, size) of a and b, in order, and whether the alignment was finished.

    Common ends are matched first; then, in what is left, the items that
    occur once on each side and keep their order (the longest increasing
    run of them) anchor the alignment, and the stretches between anchors
    are treated the same way. A stretch with no anchor goes to
    SequenceMatcher when it is small enough and paid for; otherwise it is
    left unmatched and the result is marked unfinished.
    """
    blocks: list[tuple[int, int, int]] = []
    complete = True
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        # Common ends: linear, and the whole job for most edits.
        start = alo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        if alo > start:
            blocks.append((start, blo - (alo - start), alo - start))
        end = ahi
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
        if ahi < end:
            blocks.append((ahi, bhi, end - ahi))
        if alo == ahi or blo == bhi:
            continue
        if not budget.take(LINEAR_COST * ((ahi - alo) + (bhi - blo))):
            complete = False
            continue
        if ahi - alo == 1 or bhi - blo == 1:
            # One item against a stretch (a word replaced, most often):
            # its first occurrence, if any, is the whole match.
            found = _first(a, alo, ahi, b, blo, bhi)
            if found is not None:
                blocks.append((*found, 1))
            continue
        anchors = _unique_anchors(a, alo, ahi, b, blo, bhi)
        if anchors:
            blocks.extend((i, j, 1) for i, j in anchors)
            edges = [(alo - 1, blo - 1), *anchors, (ahi, bhi)]
            for (i0, j0), (i1, j1) in zip(edges, edges[1:]):
                if i1 - i0 > 1 and j1 - j0 > 1:
                    stack.append((i0 + 1, i1, j0 + 1, j1))
            continue
        cost = (ahi - alo) * (bhi - blo)
        if cost > GAP_LIMIT or not budget.take(cost):
            complete = False
            continue
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        blocks.extend((alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size)
    blocks.sort()
    return _merged(blocks), complete


def _merged(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for i, j, size in blocks:
        if merged:
            mi, mj, msize = merged[-1]
            if i == mi + msize and j == mj + msize:
                merged[-1] = (mi, mj, msize + size)
                continue
        merged.append((i, j, size))
    return merged


def _first(a, alo, ahi, b, blo, bhi) -> tuple[int, int] | None:
    if ahi - alo == 1:
        item = a[alo]
        return next(((alo, j) for j in range(blo, bhi) if b[j] == item), None)
    item = b[blo]
    return next(((i, blo) for i in range(alo, ahi) if a[i] == item), None)


def _unique_anchors(a, alo, ahi, b, blo, bhi) -> list[tuple[int, int]]:
    """Items found exactly once in a[alo:ahi] and in b[blo:bhi], as pairs in both orders at once."""
    seen_a: dict = {}
    for i in range(alo, ahi):
        item = a[i]
        seen_a[item] = -1 if item in seen_a else i
    seen_b: dict = {}
    for j in range(blo, bhi):
        item = b[j]
        if item in seen_a:
            seen_b[item] = -1 if item in seen_b else j
    candidates = sorted(
        (i, seen_b[item]) for item, i in seen_a.items() if i >= 0 and seen_b.get(item, -1) >= 0
    )
    return _longest_increasing(candidates)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs (sorted by i) whose j also increase: patience sorting."""
    if not pairs:
        return []
    tails: list[int] = []  # tails[k]: the smallest j ending a run of length k + 1
    tail_at: list[int] = []  # the pair index holding that j
    back: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[k] = j
            tail_at[k] = index
        back[index] = tail_at[k - 1] if k else -1
    run = []
    index = tail_at[-1]
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    run.reverse()
    return run


def _absorb_lone_spaces(ops: list[WordOp]) -> list[WordOp]:
    """Join two edits separated only by a space into one replacement.

    "<del>three</del> <del>vehicles</del>" reads worse than
    "<del>three vehicles</del>", and says the same.
    """
    merged: list[WordOp] = []
    for op in ops:
        if (
            op.op != "equal"
            and len(merged) >= 2
            and merged[-1].op == "equal"
            and merged[-1].old_text.isspace()
            and merged[-2].op != "equal"
        ):
            space = merged.pop()
            before = merged.pop()
            op = WordOp(
                "replace",
                before.old_text + space.old_text + op.old_text,
                before.new_text + space.new_text + op.new_text,
            )
        merged.append(op)
    return merged

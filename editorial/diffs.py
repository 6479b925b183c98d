"""What changed between two versions of an article, as plain values.

A diff is computed on demand from two ArticleContent snapshots (no database)
and comes out as frozen dataclasses a template can lay out side by side:

* the title, as a FieldChange when it changed;
* the infobox, one InfoboxChange per key, in the new article's order with
  removed keys left where they stood;
* the lead and each section as a TextDiff: one ParagraphChange row per
  paragraph, with word-level operations for paragraphs that changed.

A paragraph that moved (to elsewhere in its section, or to another section or
the lead) is one "moved" row at its new place rather than a deletion plus an
insertion, so that reordering an article does not look like rewriting it.

Everything is compared with difflib.SequenceMatcher: paragraphs by whole
text within a section, words within a paragraph. The HTML helpers escape
everything the authors wrote and add only <del>/<ins> tags of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from encyclopedia import textformat
from encyclopedia.content import ArticleContent, InfoboxEntry

LEAD = "lead"  # the place name of the lead in moved_from / moved_to

# Two paragraphs in the same edited stretch of a section are one paragraph
# rewritten when at least this similar; below it, one was removed and the
# other written anew.
CHANGED_PARAGRAPH_RATIO = 0.5
# A paragraph that vanished here and appeared elsewhere counts as moved when
# it is (nearly) the same text; lower, and unrelated paragraphs that share
# common words would pass for moves.
MOVED_PARAGRAPH_RATIO = 0.9

WordOpKind = Literal["equal", "insert", "delete", "replace"]
ParagraphStatus = Literal["unchanged", "changed", "added", "removed", "moved"]
EntryStatus = Literal["unchanged", "changed", "added", "removed"]
Side = Literal["old", "new"]


# --- Values --------------------------------------------------------------


@dataclass(frozen=True)
class WordOp:
    """One stretch of a text: kept ("equal"), or what replaced what."""

    op: WordOpKind
    old_text: str
    new_text: str


class _HighlightedSides:
    """old_html / new_html of a row that has `old`, `new` and word `ops`."""

    @property
    def old_html(self) -> SafeString:
        return _side_html(self.ops, self.old, "old")

    @property
    def new_html(self) -> SafeString:
        return _side_html(self.ops, self.new, "new")


@dataclass(frozen=True)
class FieldChange(_HighlightedSides):
    """A one-line value (the title) that changed; old is None for a new article."""

    old: str | None
    new: str
    ops: tuple[WordOp, ...] = ()


@dataclass(frozen=True)
class InfoboxChange(_HighlightedSides):
    key: str
    old: str | None
    new: str | None
    status: EntryStatus
    ops: tuple[WordOp, ...] = ()  # only for "changed"


@dataclass(frozen=True)
class ParagraphChange(_HighlightedSides):
    """One row of the side-by-side view.

    ops are given for "changed" rows, and for "moved" rows whose text was
    also edited. moved_from / moved_to name the section heading (or "lead")
    a moved paragraph left and the one it now stands in.
    """

    status: ParagraphStatus
    old: str | None
    new: str | None
    ops: tuple[WordOp, ...] = ()
    moved_from: str | None = None
    moved_to: str | None = None


@dataclass(frozen=True)
class TextDiff:
    """The paragraphs of the lead or of one section.

    has_changes compares the paragraphs themselves, so a section that only
    lost a paragraph to another section has changes though none of its rows
    says so; moved_out lists such paragraphs (the same objects as the
    "moved" rows where they arrived) for a "moved to ..." note.
    """

    paragraphs: tuple[ParagraphChange, ...] = ()
    has_changes: bool = False
    moved_out: tuple[ParagraphChange, ...] = ()


@dataclass(frozen=True)
class SectionDiff:
    heading: str
    status: EntryStatus
    text: TextDiff = field(default_factory=TextDiff)


@dataclass(frozen=True)
class DiffSummary:
    infobox_added: int = 0
    infobox_removed: int = 0
    infobox_changed: int = 0
    sections_added: int = 0
    sections_removed: int = 0
    sections_changed: int = 0
    paragraphs_added: int = 0
    paragraphs_removed: int = 0
    paragraphs_changed: int = 0
    paragraphs_moved: int = 0
    size_change: int = 0  # characters of the written text format, new minus old


@dataclass(frozen=True)
class ArticleDiff:
    title: FieldChange | None
    infobox: tuple[InfoboxChange, ...]
    lead: TextDiff
    sections: tuple[SectionDiff, ...]
    summary: DiffSummary

    @property
    def has_changes(self) -> bool:
        return (
            self.title is not None
            or any(row.status != "unchanged" for row in self.infobox)
            or self.lead.has_changes
            or any(section.status != "unchanged" for section in self.sections)
        )

    @property
    def size_change(self) -> int:
        return self.summary.size_change


# --- Article -------------------------------------------------------------


def diff_articles(old: ArticleContent | None, new: ArticleContent) -> ArticleDiff:
    """What changed from old to new; old is None for an article's first version."""
    # A new article is diffed against an empty one, so that everything in it
    # comes out as added.
    baseline = old if old is not None else ArticleContent(title="")
    title = _title_change(old, new)
    infobox = diff_infobox(baseline.infobox, new.infobox)
    lead, sections = _diff_prose(baseline, new)
    summary = _summarise(infobox, lead, sections, size_change(old, new))
    return ArticleDiff(title=title, infobox=infobox, lead=lead, sections=sections, summary=summary)


def size_change(old: ArticleContent | None, new: ArticleContent) -> int:
    """Characters gained (or lost, negative) in the written text format."""
    old_size = len(textformat.write(old)) if old is not None else 0
    return len(textformat.write(new)) - old_size


def _title_change(old: ArticleContent | None, new: ArticleContent) -> FieldChange | None:
    if old is None:
        return FieldChange(old=None, new=new.title)
    if old.title == new.title:
        return None
    return FieldChange(old=old.title, new=new.title, ops=word_ops(old.title, new.title))


def _summarise(
    infobox: Sequence[InfoboxChange],
    lead: TextDiff,
    sections: Sequence[SectionDiff],
    size: int,
) -> DiffSummary:
    def count(statuses: Iterable[str], wanted: str) -> int:
        return sum(1 for status in statuses if status == wanted)

    infobox_statuses = [row.status for row in infobox]
    section_statuses = [section.status for section in sections]
    paragraph_statuses = [
        row.status
        for text in (lead, *(section.text for section in sections))
        for row in text.paragraphs
    ]
    return DiffSummary(
        infobox_added=count(infobox_statuses, "added"),
        infobox_removed=count(infobox_statuses, "removed"),
        infobox_changed=count(infobox_statuses, "changed"),
        sections_added=count(section_statuses, "added"),
        sections_removed=count(section_statuses, "removed"),
        sections_changed=count(section_statuses, "changed"),
        paragraphs_added=count(paragraph_statuses, "added"),
        paragraphs_removed=count(paragraph_statuses, "removed"),
        paragraphs_changed=count(paragraph_statuses, "changed"),
        paragraphs_moved=count(paragraph_statuses, "moved"),
        size_change=size,
    )


# --- Infobox -------------------------------------------------------------


def diff_infobox(
    old: Sequence[InfoboxEntry], new: Sequence[InfoboxEntry]
) -> tuple[InfoboxChange, ...]:
    old_values = {entry.key: entry.value for entry in old}
    new_values = {entry.key: entry.value for entry in new}
    rows = []
    for key in _merged_order(list(old_values), list(new_values)):
        old_value, new_value = old_values.get(key), new_values.get(key)
        if old_value is None:
            rows.append(InfoboxChange(key, None, new_value, "added"))
        elif new_value is None:
            rows.append(InfoboxChange(key, old_value, None, "removed"))
        elif old_value == new_value:
            rows.append(InfoboxChange(key, old_value, new_value, "unchanged"))
        else:
            ops = word_ops(old_value, new_value)
            rows.append(InfoboxChange(key, old_value, new_value, "changed", ops))
    return tuple(rows)


def _merged_order(old_keys: list[str], new_keys: list[str]) -> list[str]:
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


# --- Prose: the lead and the sections --------------------------------------


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


def _diff_prose(old: ArticleContent, new: ArticleContent) -> tuple[TextDiff, tuple[SectionDiff, ...]]:
    old_bodies = {section.heading: section.body for section in old.sections}
    new_bodies = {section.heading: section.body for section in new.sections}
    headings = _merged_order(list(old_bodies), list(new_bodies))
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
        new_words = _words(new.text)
        for old in olds:
            same_block = old.block == new.block
            threshold = CHANGED_PARAGRAPH_RATIO if same_block else MOVED_PARAGRAPH_RATIO
            ratio = _similarity(_words(old.text), new_words, threshold)
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


# --- Words ---------------------------------------------------------------

# Words, runs of whitespace, and single punctuation marks: every character
# falls in exactly one token, so joining the tokens gives the text back.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _words(text: str) -> list[str]:
    # Similarity ignores whitespace: the spaces two paragraphs share would
    # make any two of them look alike.
    return [token for token in tokenize(text) if not token.isspace()]


def word_ops(old: str, new: str) -> tuple[WordOp, ...]:
    """The word-level edit from old to new; joining each side gives it back."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    # No autojunk: in a long paragraph it would treat spaces and "the" as
    # junk and produce a poor alignment.
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    ops = [
        WordOp(tag, "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return tuple(_absorb_lone_spaces(ops))


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


# --- HTML ----------------------------------------------------------------


def render_word_ops(ops: Iterable[WordOp], side: Side) -> SafeString:
    """One side of a word diff as HTML: the changed words in <del> or <ins>.

    All text is escaped; the only markup is the tags added here.
    """
    if side not in ("old", "new"):
        raise ValueError(f"side must be 'old' or 'new', not {side!r}")
    pieces = (_render_op(op, side) for op in ops)
    return format_html_join("", "{}", ((piece,) for piece in pieces if piece))


def _render_op(op: WordOp, side: Side) -> SafeString | str:
    if op.op == "equal":
        return escape(op.old_text if side == "old" else op.new_text)
    if side == "old":
        return format_html('<del class="diff-del">{}</del>', op.old_text) if op.old_text else ""
    return format_html('<ins class="diff-ins">{}</ins>', op.new_text) if op.new_text else ""


def _side_html(ops: tuple[WordOp, ...], text: str | None, side: Side) -> SafeString:
    """Highlighted words when there are ops, else the plain escaped text."""
    if ops:
        return render_word_ops(ops, side)
    return escape(text or "")

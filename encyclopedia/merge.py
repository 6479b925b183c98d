"""A three-way merge of article contents, unit by unit.

`merge(base, ours, theirs)` rebases a proposal (`ours`, written against
`base`) onto what is published now (`theirs`). The units are the title,
each infobox key (its value, its presence and its place), the lead, and
each section (its presence, heading, body and place); a lead or a body is
merged paragraph by paragraph (and a `- item` list item by item). A unit
changed on one side only takes that change; a unit changed alike on both
sides is no conflict; a unit changed differently on both sides is a
`Conflict`, which names the unit (`unit`, stable for the same three inputs)
and shows its three versions for the editor to choose from or rewrite.
`resolve(base, ours, theirs, resolution)` then builds the content from the
editor's `{unit: text}`, and refuses a resolution that leaves a conflict
open or names a unit that has none, so nothing typed is dropped unseen.

Sections are known by their heading in the base. A section whose heading
changed on one side while its body was kept (or mostly kept: half its
paragraphs or more) is the same section renamed, so a rename on one side
and an edit of the body on the other both land.

Paragraphs merge finer than diff3 (and the `merge3` package), where edits
of two adjacent lines conflict: here only the same paragraph changed
differently (or removed on one side and changed on the other, or two
different paragraphs inserted at the same place) conflicts; a paragraph
rewritten is told from one removed by its likeness. Places merge
alike: the published order, with the proposal's moves and insertions
where it made them; the rare stretch that both sides reordered differently
takes the published order, followed by what only the proposal brought
there, since an order loses no text.

Pure: no database, no request; it reads and returns `ArticleContent`
(labels take the infobox's human key names from `page`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import quote

from .content import ArticleContent, InfoboxEntry, SectionContent
from .diff.prose import split_paragraphs
from .page import infobox_label

# A removed and an added section are one section renamed when at least this
# share of the paragraphs of the longer of the two is found in the other.
RENAMED_SECTION_SHARE = 0.5

# Two paragraphs of one edited stretch are one rewritten when at least this
# share of their pairs of neighbouring words is common (Dice's coefficient):
# changing a word or two of a paragraph keeps most pairs; two paragraphs that
# only share words share few. A stretch is paired up only to this many pairs
# (a few milliseconds); a larger one, rewritten at large, is its removals and
# an insertion.
REWRITTEN_PARAGRAPH_LIKENESS = 0.5
MAX_PARAGRAPH_PAIRS = 400

_HEADING_LINE = re.compile(r"^==(?P<inner>.*)==$")

Origin = Literal["base", "ours", "theirs", "both"]


@dataclass(frozen=True)
class Conflict:
    """One unit changed differently on both sides.

    base, ours and theirs are the unit's text in each version; None where
    the version has no such unit (an infobox row or a section removed, or
    not yet added). For a paragraph stretch the text is its paragraphs
    separated by an empty line ("" for none); for a whole section it is
    written '== Heading ==' and its body on the following lines.
    """

    unit: str
    label: str
    base: str | None
    ours: str | None
    theirs: str | None


@dataclass(frozen=True)
class MergeResult:
    content: ArticleContent | None  # None while conflicts remain
    conflicts: tuple[Conflict, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts


class ResolutionError(ValueError):
    """A resolution that cannot be applied as it is; `units` are the ones at fault."""

    def __init__(self, message: str, units: Iterable[str]):
        self.units = tuple(units)
        super().__init__(message)


def merge(base: ArticleContent, ours: ArticleContent, theirs: ArticleContent) -> MergeResult:
    """Merge the proposal `ours` (written against `base`) onto the published `theirs`."""
    merger = _Merger({})
    content = merger.merge(base, ours, theirs)
    if merger.conflicts:
        return MergeResult(content=None, conflicts=tuple(merger.conflicts))
    return MergeResult(content=content)


def resolve(
    base: ArticleContent,
    ours: ArticleContent,
    theirs: ArticleContent,
    resolution: Mapping[str, str | None],
) -> ArticleContent:
    """The merged content, each conflict settled by `resolution[conflict.unit]`.

    A resolved text is used as typed: for a paragraph stretch, any number of
    paragraphs (none removes the stretch); for a title or heading, one
    line; for an infobox row or a whole section, None or a blank text
    removes it. Raises ResolutionError when a conflict has no resolution,
    when a resolution names no conflict (it would be lost), when a title
    or heading is left empty, or when two sections would share a heading.
    """
    merger = _Merger(resolution)
    content = merger.merge(base, ours, theirs)
    if merger.conflicts:
        units = [conflict.unit for conflict in merger.conflicts]
        raise ResolutionError(f"no resolution for {', '.join(units)}", units)
    unknown = [unit for unit in resolution if unit not in merger.used]
    if unknown:
        raise ResolutionError(f"no conflict is named {', '.join(unknown)}", unknown)
    return content


class _Merger:
    """One merge: the conflicts found, and those the resolution settled."""

    def __init__(self, resolution: Mapping[str, str | None]):
        self.resolution = resolution
        self.used: set[str] = set()
        self.conflicts: list[Conflict] = []

    def decide(self, conflict: Conflict) -> str | None:
        """The resolution's text for a conflict; theirs (a placeholder, never returned by merge) while it has none."""
        if conflict.unit in self.resolution:
            self.used.add(conflict.unit)
            return self.resolution[conflict.unit]
        self.conflicts.append(conflict)
        return conflict.theirs

    def merge(self, base: ArticleContent, ours: ArticleContent, theirs: ArticleContent) -> ArticleContent:
        # In the order the article reads, which is the order of the conflicts.
        title = self.one_line(self.merge_value("title", "Title", base.title, ours.title, theirs.title), "title")
        infobox = self.merge_infobox(base.infobox, ours.infobox, theirs.infobox)
        lead = self.merge_paragraphs("lead", "Lead", base.lead, ours.lead, theirs.lead)
        sections = self.merge_sections(base.sections, ours.sections, theirs.sections)
        return ArticleContent(title=title, lead=lead, infobox=infobox, sections=sections)

    def merge_value(self, unit: str, label: str, base: str | None, ours: str | None, theirs: str | None) -> str | None:
        if ours == theirs or theirs == base:
            return ours
        if ours == base:
            return theirs
        return self.decide(Conflict(unit, label, base, ours, theirs))

    def one_line(self, text: str | None, unit: str) -> str:
        if unit not in self.used:
            return text
        if text is None or not text.strip():
            raise ResolutionError(f"{unit} cannot be empty", [unit])
        if len(text.strip().splitlines()) > 1:
            raise ResolutionError(f"{unit} must be one line", [unit])
        return text.strip()

    def merge_paragraphs(self, unit: str, label: str, base: str, ours: str, theirs: str) -> str:
        if ours == theirs or theirs == base:
            return ours
        if ours == base:
            return theirs
        base_paragraphs = split_paragraphs(base)
        merged: list[str] = []
        for piece in _merge_sequences(base_paragraphs, split_paragraphs(ours), split_paragraphs(theirs), texts=True):
            if piece.merged is not None:
                merged += piece.merged
                continue
            if len(piece.base) == len(piece.ours) == len(piece.theirs) == 1:
                items = _merged_list(piece.base[0], piece.ours[0], piece.theirs[0])
                if items is not None:
                    merged.append(items)
                    continue
            conflict = Conflict(
                unit=f"{unit}/{piece.start}-{piece.end}",
                label=_stretch_label(label, piece.start, piece.end, len(base_paragraphs)),
                base=_joined(piece.base),
                ours=_joined(piece.ours),
                theirs=_joined(piece.theirs),
            )
            merged += split_paragraphs(self.decide(conflict) or "")
        return _joined(merged)

    def merge_infobox(
        self, base: Sequence[InfoboxEntry], ours: Sequence[InfoboxEntry], theirs: Sequence[InfoboxEntry]
    ) -> tuple[InfoboxEntry, ...]:
        base_values, our_values, their_values = (
            {entry.key: entry.value for entry in side} for side in (base, ours, theirs)
        )
        values = {}
        for key in _union(their_values, our_values, base_values):
            unit, label = f"infobox/{_quoted(key)}", f"Infobox: {infobox_label(key)}"
            value = self.merge_value(unit, label, base_values.get(key), our_values.get(key), their_values.get(key))
            if value is not None and value.strip():  # a value cannot be empty: a blank one removes the row
                values[key] = value.strip() if unit in self.used else value
        order = _merge_order(list(base_values), list(our_values), list(their_values), values)
        return tuple(InfoboxEntry(key, values[key]) for key in order)

    def merge_sections(
        self, base: Sequence[SectionContent], ours: Sequence[SectionContent], theirs: Sequence[SectionContent]
    ) -> tuple[SectionContent, ...]:
        base_sections = {section.heading: section for section in base}
        our_sections = _by_identity(base, ours)
        their_sections = _by_identity(base, theirs)
        merged: dict[str, SectionContent] = {}
        for identity in _union(their_sections, our_sections, base_sections):
            section = self.merge_section(
                identity, base_sections.get(identity), our_sections.get(identity), their_sections.get(identity)
            )
            if section is not None:
                merged[identity] = section
        self.part_same_headings(merged, base_sections, our_sections, their_sections)
        order = _merge_order(list(base_sections), list(our_sections), list(their_sections), merged)
        return tuple(merged[identity] for identity in order)

    def merge_section(
        self,
        identity: str,
        base: SectionContent | None,
        ours: SectionContent | None,
        theirs: SectionContent | None,
    ) -> SectionContent | None:
        if ours == theirs or theirs == base:
            return ours
        if ours == base:
            return theirs
        unit = f"section/{_quoted(identity)}"
        if ours is None or theirs is None:  # removed on one side, changed on the other
            kept = ours or theirs
            texts = (_section_text(base), _section_text(ours), _section_text(theirs))
            chosen = self.decide(Conflict(unit, f"Section: {identity}", *texts))
            return _section_from_text(chosen, kept) if chosen is not None and chosen.strip() else None
        heading = self.merge_value(
            f"{unit}/heading", f"Section: {identity}, heading", base and base.heading, ours.heading, theirs.heading
        )
        heading = self.one_line(heading, f"{unit}/heading")
        shown = identity if heading == identity else f"{identity} (now {heading})"
        body = self.merge_paragraphs(
            f"{unit}/body", f"Section: {shown}", base.body if base else "", ours.body, theirs.body
        )
        # Layout trivia (how the heading is spaced) is not worth a conflict: the published one stands.
        compact, blank_line = (
            _take_changed(
                getattr(base, name, None), getattr(ours, name), getattr(theirs, name)
            )
            for name in ("compact_heading", "blank_line_after_heading")
        )
        return SectionContent(heading, body, compact, blank_line and bool(body))

    def part_same_headings(
        self,
        merged: dict[str, SectionContent],
        base: Mapping[str, SectionContent],
        ours: Mapping[str, SectionContent],
        theirs: Mapping[str, SectionContent],
    ) -> None:
        """Two sections given one heading (a rename on one side, the same name added on the other) conflict.

        The one whose heading came from the proposal is asked for another.
        """
        owners = Counter(section.heading for section in merged.values())
        for identity, section in list(merged.items()):
            if owners[section.heading] < 2:
                continue
            ours_heading = ours[identity].heading if identity in ours else None
            theirs_heading = theirs[identity].heading if identity in theirs else None
            unit = f"section/{_quoted(identity)}/heading"
            if section.heading != ours_heading or section.heading == theirs_heading:
                continue
            if unit in self.used or unit.removesuffix("/heading") in self.used:
                continue  # the editor chose this heading: refused below
            label = f"Section: {identity}, heading (another section is headed {section.heading!r})"
            base_heading = base[identity].heading if identity in base else None
            chosen = self.decide(Conflict(unit, label, base_heading, ours_heading, theirs_heading))
            if chosen is not None and chosen.strip():
                owners[section.heading] -= 1
                merged[identity] = replace(section, heading=chosen.strip())
                owners[chosen.strip()] += 1
        if not self.conflicts:
            shared = sorted(heading for heading, count in owners.items() if count > 1)
            if shared:
                units = [
                    unit
                    for identity, section in merged.items()
                    if section.heading in shared
                    for unit in (f"section/{_quoted(identity)}", f"section/{_quoted(identity)}/heading")
                    if unit in self.used
                ]
                raise ResolutionError(f"two sections would be headed {', '.join(map(repr, shared))}", units)


@dataclass(frozen=True)
class _Hunk:
    """One side's change: base[start:end] became items."""

    start: int
    end: int
    items: tuple
    side: Literal["ours", "theirs"]


@dataclass(frozen=True)
class _Piece:
    """A stretch base[start:end] as each side has it; merged is None when the sides disagree."""

    start: int
    end: int
    base: tuple
    ours: tuple
    theirs: tuple
    merged: tuple | None
    origin: Origin


def _hunks(
    base: Sequence[Hashable], side: Sequence[Hashable], name: Literal["ours", "theirs"], texts: bool
) -> list[_Hunk]:
    """side's changes of base, each as small as can be told, so that the other side may change their neighbours.

    n items rewritten in place are n changes. Otherwise paragraphs (texts)
    pair by likeness, one removed and one written alike being one rewritten;
    what is left (all of a stretch of names: infobox keys and sections are
    not rewritten, only removed or added) is that many removals, and the
    new items inserted after them: which of the removed ones a new item
    replaces cannot be told.
    """
    matcher = difflib.SequenceMatcher(None, base, side, autojunk=False)
    hunks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            hunks += [_Hunk(i1 + k, i1 + k + 1, (side[j1 + k],), name) for k in range(i2 - i1)]
        elif not texts:
            hunks += _removed_then_added(i1, i2, side[j1:j2], name)
        else:
            previous_old, previous_new = i1, j1
            for old, new in _rewritten_pairs(base[i1:i2], side[j1:j2]) + [(i2 - i1, j2 - j1)]:
                old, new = old + i1, new + j1
                if old - previous_old == new - previous_new:
                    shift = previous_new - previous_old
                    hunks += [_Hunk(i, i + 1, (side[i + shift],), name) for i in range(previous_old, old)]
                else:
                    hunks += _removed_then_added(previous_old, old, side[previous_new:new], name)
                if old < i2:
                    hunks.append(_Hunk(old, old + 1, (side[new],), name))
                previous_old, previous_new = old + 1, new + 1
    return hunks


def _removed_then_added(
    start: int, end: int, added: Sequence[Hashable], name: Literal["ours", "theirs"]
) -> list[_Hunk]:
    """base[start:end] removed item by item, and added inserted after them."""
    hunks = [_Hunk(i, i + 1, (), name) for i in range(start, end)]
    return hunks + ([_Hunk(end, end, tuple(added), name)] if added else [])


def _rewritten_pairs(olds: Sequence[str], news: Sequence[str]) -> list[tuple[int, int]]:
    """The (old, new) index pairs of paragraphs rewritten, alike enough and in order, the likest first."""
    if len(olds) * len(news) > MAX_PARAGRAPH_PAIRS:
        return []
    old_pairs = [_word_pairs(text) for text in olds]
    new_pairs = [_word_pairs(text) for text in news]
    candidates = []
    for old_index, old in enumerate(old_pairs):
        for new_index, new in enumerate(new_pairs):
            likeness = 2 * len(old & new) / (len(old) + len(new))
            if likeness >= REWRITTEN_PARAGRAPH_LIKENESS:
                candidates.append((-likeness, old_index, new_index))
    pairs: list[tuple[int, int]] = []
    for _, old_index, new_index in sorted(candidates):
        if all((old_index - old) * (new_index - new) > 0 for old, new in pairs):
            pairs.append((old_index, new_index))
    return sorted(pairs)


def _word_pairs(text: str) -> frozenset[tuple[str, str]]:
    """The pairs of neighbouring words, the ends marked: an edit changes few; a short paragraph has some."""
    words = ["", *text.split(), ""]
    return frozenset(zip(words, words[1:]))


def _touches(group: list[_Hunk], hunk: _Hunk) -> bool:
    """Whether hunk (no earlier than the group) changes what the group changes.

    Changes of adjacent stretches do not touch, nor does an insertion at
    the edge of a changed stretch; two insertions at one place do.
    """
    start, end = group[0].start, max(member.end for member in group)
    if start == end:
        return hunk.start == end and hunk.end == end
    return hunk.start < end and (hunk.end > hunk.start or hunk.start > start)


def _apply(base: Sequence[Hashable], start: int, end: int, hunks: Iterable[_Hunk]) -> tuple:
    items: list = []
    position = start
    for hunk in hunks:
        items += base[position : hunk.start]
        items += hunk.items
        position = hunk.end
    items += base[position:end]
    return tuple(items)


def _merge_sequences(
    base: Sequence[Hashable], ours: Sequence[Hashable], theirs: Sequence[Hashable], *, texts: bool
) -> list[_Piece]:
    """base cut into stretches, each as both sides have it and merged where they agree.

    texts: the items are paragraphs, which may be rewritten (see `_hunks`).
    """
    hunks = _hunks(base, ours, "ours", texts) + _hunks(base, theirs, "theirs", texts)
    # Insertions at a place come before the changes of the item there.
    hunks.sort(key=lambda hunk: (hunk.start, hunk.end > hunk.start, hunk.end))
    groups: list[list[_Hunk]] = []
    for hunk in hunks:
        if groups and _touches(groups[-1], hunk):
            groups[-1].append(hunk)
        else:
            groups.append([hunk])

    pieces = []
    position = 0
    for group in groups:
        start, end = group[0].start, max(hunk.end for hunk in group)
        if position < start:
            kept = tuple(base[position:start])
            pieces.append(_Piece(position, start, kept, kept, kept, kept, "base"))
        ours_items = _apply(base, start, end, [hunk for hunk in group if hunk.side == "ours"])
        theirs_items = _apply(base, start, end, [hunk for hunk in group if hunk.side == "theirs"])
        sides = {hunk.side for hunk in group}
        if sides == {"ours"}:
            merged, origin = ours_items, "ours"
        elif sides == {"theirs"}:
            merged, origin = theirs_items, "theirs"
        else:
            merged, origin = (ours_items, "both") if ours_items == theirs_items else (None, "both")
        pieces.append(_Piece(start, end, tuple(base[start:end]), ours_items, theirs_items, merged, origin))
        position = end
    if position < len(base):
        kept = tuple(base[position:])
        pieces.append(_Piece(position, len(base), kept, kept, kept, kept, "base"))
    return _with_replaced_stretches(pieces)


def _with_replaced_stretches(pieces: list[_Piece]) -> list[_Piece]:
    """Items removed on both sides, then different ones written in their place: one conflict of that stretch.

    Both sides rewrote it (unlike anything it held); the conflict shows what they replaced.
    """
    folded: list[_Piece] = []
    for piece in pieces:
        if piece.merged is None and piece.start == piece.end:
            start, removed = piece.start, ()
            while folded and folded[-1].merged == () and folded[-1].origin == "both" and folded[-1].end == start:
                previous = folded.pop()
                start, removed = previous.start, previous.base + removed
            piece = replace(piece, start=start, base=removed)
        folded.append(piece)
    return folded


def _merge_order(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str], present: Mapping[str, object]
) -> list[str]:
    """The merged order of the names in present (infobox keys, section identities).

    Orders merge as paragraphs do; where both sides reordered one stretch
    differently, the published order stands, followed by what only the
    proposal placed there. A name placed twice (moved on both sides)
    stays at its published place. A name neither side still places (removed
    on one side, changed on the other, then kept by the editor) goes after
    the name before it in the version that has it.
    """
    placed: list[tuple[str, bool]] = []  # (name, whether the published version places it there)
    for piece in _merge_sequences(base, ours, theirs, texts=False):
        if piece.merged is not None:
            placed += [(name, piece.origin != "ours") for name in piece.merged]
        else:
            placed += [(name, True) for name in piece.theirs]
            placed += [(name, False) for name in piece.ours if name not in piece.theirs]
    chosen: dict[str, int] = {}
    for index, (name, published) in enumerate(placed):
        if name in present and (name not in chosen or (published and not placed[chosen[name]][1])):
            chosen[name] = index
    order = [placed[index][0] for index in sorted(chosen.values())]
    for version in (theirs, ours, base):
        for index, name in enumerate(version):
            if name in present and name not in chosen:
                before = next((other for other in reversed(version[:index]) if other in chosen), None)
                order.insert(order.index(before) + 1 if before is not None else 0, name)
                chosen[name] = -1
    return order


def _by_identity(base: Sequence[SectionContent], side: Sequence[SectionContent]) -> dict[str, SectionContent]:
    """side's sections, each under its heading in the base (a renamed one under its old heading)."""
    base_headings = {section.heading for section in base}
    side_headings = {section.heading for section in side}
    removed = [section for section in base if section.heading not in side_headings]
    added = [section for section in side if section.heading not in base_headings]
    identity = {section.heading: section.heading for section in side}
    for old, new in _renames(removed, added):
        identity[new.heading] = old.heading
    return {identity[section.heading]: section for section in side}


def _renames(
    removed: Sequence[SectionContent], added: Sequence[SectionContent]
) -> list[tuple[SectionContent, SectionContent]]:
    """The (removed, added) pairs that are one section renamed: the same body, or most of it.

    An equal body pairs only when no other removed or added section has it
    (empty bodies, say, tell nothing); the rest pair by the share of
    paragraphs kept, the closest pairs first.
    """
    pairs = []
    removed_bodies = Counter(section.body for section in removed)
    added_bodies = Counter(section.body for section in added)
    by_body = {section.body: section for section in added}
    for section in removed:
        body = section.body
        if body.strip() and removed_bodies[body] == 1 and added_bodies[body] == 1:
            pairs.append((section, by_body[body]))
    paired = {id(section) for pair in pairs for section in pair}
    candidates = []
    for old_index, old in enumerate(removed):
        old_paragraphs = Counter(split_paragraphs(old.body))
        for new_index, new in enumerate(added):
            if id(old) in paired or id(new) in paired:
                continue
            new_paragraphs = Counter(split_paragraphs(new.body))
            longer = max(old_paragraphs.total(), new_paragraphs.total())
            share = (old_paragraphs & new_paragraphs).total() / longer if longer else 0
            if share >= RENAMED_SECTION_SHARE:
                candidates.append((-share, old_index, new_index))
    for _, old_index, new_index in sorted(candidates):
        old, new = removed[old_index], added[new_index]
        if id(old) not in paired and id(new) not in paired:
            pairs.append((old, new))
            paired |= {id(old), id(new)}
    return pairs


def _merged_list(base: str, ours: str, theirs: str) -> str | None:
    """A `- item` list (a "See also") changed on both sides, merged item by item.

    Items added at one place on both sides are all kept, the published ones
    first; None (a conflict of the whole list) when one item was changed
    differently, or removed on one side and changed on the other.
    """
    versions = [text.split("\n") for text in (base, ours, theirs)]
    if not all(line.startswith("- ") for lines in versions for line in lines):
        return None
    merged: list[str] = []
    for piece in _merge_sequences(*versions, texts=False):
        if piece.merged is not None:
            merged += piece.merged
        elif not piece.base:
            merged += piece.theirs + tuple(line for line in piece.ours if line not in piece.theirs)
        else:
            return None
    return "\n".join(merged)


def _take_changed(base, ours, theirs):
    return ours if theirs == base else theirs


def _union(*names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(name for group in names for name in group))


def _quoted(name: str) -> str:
    # A heading may hold '/', which separates the parts of a unit.
    return quote(name, safe=" ")


def _joined(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(paragraphs)


def _stretch_label(place: str, start: int, end: int, base_count: int) -> str:
    if place == "Lead" and start == 0 and end == base_count <= 1:
        return place
    if end - start == 1:
        return f"{place}, paragraph {start + 1}"
    if end > start:
        return f"{place}, paragraphs {start + 1}–{end}"
    if base_count == 0:
        return f"{place}, new text"
    if start == 0:
        return f"{place}, new paragraph before paragraph 1"
    return f"{place}, new paragraph after paragraph {start}"


def _section_text(section: SectionContent | None) -> str | None:
    if section is None:
        return None
    heading = f"== {section.heading} =="
    return f"{heading}\n{section.body}" if section.body else heading


def _section_from_text(text: str, kept: SectionContent) -> SectionContent:
    """A section as an editor wrote it: '== Heading ==' then the body; without that line, all body."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    match = _HEADING_LINE.match(first.strip())
    if match and match["inner"].strip():
        heading, body = match["inner"].strip(), rest.strip()
    else:
        heading, body = kept.heading, text
    blank_line = kept.blank_line_after_heading and bool(body)
    return replace(kept, heading=heading, body=body, blank_line_after_heading=blank_line)

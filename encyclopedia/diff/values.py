"""The values a diff is made of: frozen dataclasses a template lays out side by side.

* the title, as a FieldChange when it changed;
* the infobox, one InfoboxChange per key;
* the lead and each section as a TextDiff: one ParagraphChange row per
  paragraph, with word-level operations (WordOp) for paragraphs that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

LEAD = "lead"  # the place name of the lead in moved_from / moved_to

WordOpKind = Literal["equal", "insert", "delete", "replace"]
ParagraphStatus = Literal["unchanged", "changed", "added", "removed", "moved"]
EntryStatus = Literal["unchanged", "changed", "added", "removed"]
# "renamed": the heading changed and the body stayed the same or similar
# (text says how); old_heading is the heading it had. "moved": the same
# heading and body at another place in the order (a section moved whose
# body also changed is "changed", or "renamed"; moved_after says so).
SectionStatus = Literal["unchanged", "changed", "added", "removed", "renamed", "moved"]
Side = Literal["old", "new"]


@dataclass(frozen=True)
class WordOp:
    """One stretch of a text: kept ("equal"), or what replaced what."""

    op: WordOpKind
    old_text: str
    new_text: str


@dataclass(frozen=True)
class FieldChange:
    """A one-line value (the title) that changed; old is None for a new article."""

    old: str | None
    new: str
    ops: tuple[WordOp, ...] = ()
    coarse: bool = False  # shown whole, not word by word (see ArticleDiff.coarse)


@dataclass(frozen=True)
class InfoboxChange:
    key: str
    old: str | None
    new: str | None
    status: EntryStatus
    ops: tuple[WordOp, ...] = ()  # only for "changed"
    coarse: bool = False


@dataclass(frozen=True)
class ParagraphChange:
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
    coarse: bool = False  # ops is the whole old text replaced by the whole new one

    @classmethod
    def unchanged(cls, text: str) -> ParagraphChange:
        """The row of a paragraph left as it was.

        Built without the frozen dataclass's __init__ (which sets each field
        through object.__setattr__): a long article has hundreds of these
        rows, and they were the larger part of a small edit's diff time.
        """
        row = object.__new__(cls)
        row.__dict__.update(_UNCHANGED_FIELDS, old=text, new=text)
        return row


_UNCHANGED_FIELDS = {"status": "unchanged", "ops": (), "moved_from": None, "moved_to": None, "coarse": False}


@dataclass(frozen=True)
class TextDiff:
    """The paragraphs of the lead or of one section.

    has_changes compares the paragraphs themselves, so a section that only
    lost a paragraph to another section has changes though none of its rows
    says so; moved_out lists such paragraphs (the same objects as the
    "moved" rows where they arrived) for a "moved to ..." note.
    """

    # A factory rather than a default, so that the class has no attribute
    # of this name and an untouched place's rows can be built when first
    # read (see `untouched`).
    paragraphs: tuple[ParagraphChange, ...] = field(default_factory=tuple)
    has_changes: bool = False
    moved_out: tuple[ParagraphChange, ...] = ()
    coarse: bool = False  # some row is shown whole, not word by word

    @classmethod
    def untouched(cls, paragraphs_of: Callable[[], tuple[str, ...]]) -> TextDiff:
        """A place left as it was, whose rows (all unchanged) are made from paragraphs_of() when first read.

        Most places of an everyday edit are untouched and never read (the
        pages show what changed): splitting them into paragraphs and rows
        was most of such a diff's time.
        """
        text = object.__new__(cls)
        text.__dict__.update(has_changes=False, moved_out=(), coarse=False, _paragraphs_of=paragraphs_of)
        return text

    def __getattr__(self, name: str):
        # Only reached for an attribute not yet set: an untouched place's rows.
        paragraphs_of = self.__dict__.get("_paragraphs_of")
        if name != "paragraphs" or paragraphs_of is None:
            raise AttributeError(name)
        rows = self.__dict__["paragraphs"] = tuple(map(ParagraphChange.unchanged, paragraphs_of()))
        return rows


@dataclass(frozen=True)
class SectionDiff:
    heading: str  # the new heading, or the old one of a removed section
    status: SectionStatus
    text: TextDiff = field(default_factory=TextDiff)
    old_heading: str | None = None  # only for "renamed"
    # For a section that changed place in the order: the heading it came
    # after before (its old heading if that was renamed), or LEAD if it was first.
    moved_after: str | None = None

    @classmethod
    def unchanged(cls, heading: str, text: TextDiff) -> SectionDiff:
        """The diff of a section left as it was (most of them), made without the frozen __init__ (see ParagraphChange.unchanged)."""
        section = object.__new__(cls)
        section.__dict__.update(heading=heading, status="unchanged", text=text, old_heading=None, moved_after=None)
        return section


@dataclass(frozen=True)
class ArticleDiff:
    title: FieldChange | None
    infobox: tuple[InfoboxChange, ...]
    lead: TextDiff
    sections: tuple[SectionDiff, ...]
    size_change: int = 0  # characters of the written text format, new minus old
    # Why some text is shown whole rather than word by word (the diff ran
    # out of budget), in words for the page; "" when it is not.
    coarse_reason: str = ""

    @property
    def coarse(self) -> bool:
        return bool(self.coarse_reason)

    @property
    def has_changes(self) -> bool:
        return (
            self.title is not None
            or any(row.status != "unchanged" for row in self.infobox)
            or self.lead.has_changes
            or any(section.status != "unchanged" for section in self.sections)
        )

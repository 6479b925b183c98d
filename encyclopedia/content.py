"""The content of one article as plain, immutable values.

This is what a revision snapshot holds, what the text format parses to and
writes from, and what the consistency rules read. It knows nothing of the
database, so the parser, the fold and the rules can be tested without one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

# The longest values the tables hold, in characters (encyclopedia.models,
# editorial.models). The text format and the admin form refuse anything
# longer, so no value reaches a column it does not fit;
# tests/encyclopedia/test_textformat_limits.py keeps these equal to the columns.
MAX_TITLE_LENGTH = 255  # Article.title, Revision.title
MAX_SLUG_LENGTH = 255  # Article.slug, Revision.slug, ArticleAddress.slug
MAX_INFOBOX_KEY_LENGTH = 100  # InfoboxField.key
MAX_HEADING_LENGTH = 255  # Section.heading
# A whole article in the text format. Not a column limit: a bound on what
# one proposal may cost to store, check and diff (MediaWiki's default
# $wgMaxArticleSize is the same 2 MiB), far below PostgreSQL's jsonb limit.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024

# PostgreSQL's text and json types refuse NUL; a lone surrogate cannot be
# encoded as UTF-8 at all. Nothing else is refused by either database.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A title or heading is one line of plain text: it holds no control character
# and nothing that str.splitlines() or a terminal takes for a line end (\x1c-\x1e,
# \x85, U+2028, U+2029), so the CLI's one line per article stays one line.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def unstorable_character(text: str) -> tuple[int, str] | None:
    """The index of the first character no database stores, and what it is; None if there is none."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character (U+0000)" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"
    return found.start(), what


def too_long(what: str, value: str, limit: int) -> str | None:
    if len(value) <= limit:
        return None
    return f"{what} is {len(value)} characters; the limit is {limit}"


def _control_character(what: str, value: str) -> str | None:
    found = _CONTROL.search(value)
    if found is None:
        return None
    return f"{what} holds a control character (U+{ord(found.group()):04X}); it must be one line of plain text"


def title_problem(title: str) -> str | None:
    """Why a title cannot be stored, or None: its length, its characters, and the address made from it."""
    problem = too_long("the title", title, MAX_TITLE_LENGTH) or _control_character("the title", title)
    if problem:
        return problem
    slug = slugify(title)
    if not slug:
        return "the title needs at least one letter or digit (a-z, 0-9) to make the article's address"
    if len(slug) > MAX_SLUG_LENGTH:
        return (
            f"the title gives an address of {len(slug)} characters; the limit is {MAX_SLUG_LENGTH} "
            "(letters such as 'ﬃ' or '½' take several characters there); shorten the title"
        )
    return None


def infobox_key_problem(key: str) -> str | None:
    return too_long(f"the infobox key {_shown(key)}", key, MAX_INFOBOX_KEY_LENGTH)


def heading_problem(heading: str) -> str | None:
    what = f"the heading {_shown(heading)}"
    return too_long(what, heading, MAX_HEADING_LENGTH) or _control_character(what, heading)


def _shown(value: str) -> str:
    """A value as a message quotes it: long ones cut, so the message stays readable."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def content_problems(content: ArticleContent) -> list[str]:
    """Why this content cannot be stored as it is (empty when it can).

    For writers that do not go through the text format or the admin form
    (a command building content itself); those two report each problem
    where it stands instead.
    """
    problems = [title_problem(content.title)]
    problems += [infobox_key_problem(entry.key) for entry in content.infobox]
    # A value is one line of the text format ("- Key: value"); the admin form gives one line too.
    problems += [
        _control_character(f"the infobox field {_shown(entry.key)}", entry.value) for entry in content.infobox
    ]
    problems += [heading_problem(section.heading) for section in content.sections]
    texts = [("the title", content.title), ("the lead", content.lead)]
    texts += [(f"the infobox field {_shown(entry.key)}", entry.key + entry.value) for entry in content.infobox]
    texts += [(f"the section {_shown(section.heading)}", section.heading + section.body) for section in content.sections]
    for where, text in texts:
        found = unstorable_character(text)
        if found:
            problems.append(f"{where} holds {found[1]}, which the database cannot store")
    return [problem for problem in problems if problem]


@dataclass(frozen=True)
class InfoboxEntry:
    key: str
    value: str


@dataclass(frozen=True)
class SectionContent:
    heading: str
    body: str
    # Layout trivia kept only so that an imported file exports byte for byte:
    # "==See also==" instead of "== See also ==", and an empty line between
    # the heading and the body.
    compact_heading: bool = False
    blank_line_after_heading: bool = False

    @property
    def list_items(self) -> tuple[str, ...]:
        """The `- item` lines of the body (the article names of "See also")."""
        return tuple(
            line[2:].strip() for line in self.body.splitlines() if line.startswith("- ")
        )


@dataclass(frozen=True)
class ArticleContent:
    title: str
    lead: str = ""
    infobox: tuple[InfoboxEntry, ...] = field(default_factory=tuple)
    sections: tuple[SectionContent, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        return slugify(self.title)

    def infobox_value(self, key: str) -> str | None:
        for entry in self.infobox:
            if entry.key == key:
                return entry.value
        return None

    def section(self, heading: str) -> SectionContent | None:
        for section in self.sections:
            if section.heading == heading:
                return section
        return None

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "lead": self.lead,
            "infobox": [[entry.key, entry.value] for entry in self.infobox],
            "sections": [
                {
                    "heading": section.heading,
                    "body": section.body,
                    "compact_heading": section.compact_heading,
                    "blank_line_after_heading": section.blank_line_after_heading,
                }
                for section in self.sections
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ArticleContent:
        return cls(
            title=data["title"],
            lead=data.get("lead", ""),
            infobox=tuple(InfoboxEntry(key, value) for key, value in data.get("infobox", [])),
            sections=tuple(
                SectionContent(
                    heading=section["heading"],
                    body=section.get("body", ""),
                    compact_heading=section.get("compact_heading", False),
                    blank_line_after_heading=section.get("blank_line_after_heading", False),
                )
                for section in data.get("sections", [])
            ),
        )

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

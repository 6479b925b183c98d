"""The content of one article as plain, immutable values.

This is what a revision snapshot holds, what the text format parses to and
writes from, and what the consistency rules read. It knows nothing of the
database, so the parser, the fold and the rules can be tested without one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.text import slugify


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

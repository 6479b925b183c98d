"""The article's prose as the rules read it: the lead and each section body,
each with the finding target that names it."""

from __future__ import annotations

from dataclasses import dataclass

from encyclopedia.content import ArticleContent

from ..base import section_target


@dataclass(frozen=True)
class ProseBlock:
    """The lead or one section's body, with the finding target that names it."""

    target: str
    heading: str | None  # None for the lead
    text: str

    @property
    def where(self) -> str:
        """How a message names it: "the lead", "the Attack section"."""
        return "the lead" if self.heading is None else f"the {self.heading} section"


def prose_blocks(content: ArticleContent) -> list[ProseBlock]:
    blocks = [ProseBlock("lead", None, content.lead)] if content.lead else []
    blocks += [
        ProseBlock(section_target(section.heading), section.heading, section.body)
        for section in content.sections
        if section.body
    ]
    return blocks

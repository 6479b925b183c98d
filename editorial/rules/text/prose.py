"""The article's prose as the rules read it: the lead and each section body,
each with the finding target that names it."""

from __future__ import annotations

from dataclasses import dataclass

from encyclopedia.content import ArticleContent
from encyclopedia.diff.prose import PARAGRAPH_BREAK

from ..base import section_target
from .sentences import Sentence


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



def paragraph_index(text: str, offset: int) -> int:
    """The paragraph of `text` that holds `offset`, numbered as the page and
    the diff number them (encyclopedia.diff.prose.split_paragraphs)."""
    return sum(1 for part in PARAGRAPH_BREAK.split(text[:offset])[:-1] if part.strip())


def quote_evidence(block: ProseBlock, sentence: Sentence, start: int, end: int) -> dict:
    """The evidence that lets a page quote a sentence with a part marked.

    `start` and `end` are offsets of the marked part within the sentence;
    `paragraph` anchors the quote to its paragraph of the block (`where`).
    """
    return {
        "where": block.target,
        "paragraph": paragraph_index(block.text, sentence.start),
        "quote": sentence.text,
        "highlight": sentence.text[start:end],
        "highlight_at": start,
    }

"""What changed between two versions of an article, as plain values (`values`).

A diff is computed on demand from two ArticleContent snapshots (no
database): the title and the infobox here, the paragraphs in `prose`, the
words of a changed paragraph or value in `words`. `html` renders one side
of a row; nothing else here knows of HTML.

One `words.Budget` bounds the work of a whole diff, whatever the texts:
what it cannot afford is shown whole (old replaced by new), and the diff
says so (`ArticleDiff.coarse`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .. import textformat
from ..content import ArticleContent, InfoboxEntry
from .prose import diff_prose, merged_order
from .values import ArticleDiff, FieldChange, InfoboxChange
from .words import Budget, word_diff


def diff_articles(
    old: ArticleContent | None, new: ArticleContent, budget: Budget | None = None
) -> ArticleDiff:
    """What changed from old to new; old is None for an article's first version.

    budget (a fresh `Budget` by default) is what the diff may spend; pass
    one to read what it spent.
    """
    if budget is None:
        budget = Budget()
    # A new article is diffed against an empty one, so that everything in it
    # comes out as added.
    baseline = old if old is not None else ArticleContent(title="")
    title = _title_change(old, new, budget)
    infobox = diff_infobox(baseline.infobox, new.infobox, budget)
    lead, sections = diff_prose(baseline, new, budget)
    return ArticleDiff(
        title=title,
        infobox=infobox,
        lead=lead,
        sections=sections,
        size_change=size_change(old, new),
        coarse_reason="; ".join(budget.reasons),
    )


def size_change(old: ArticleContent | None, new: ArticleContent) -> int:
    """Characters gained (or lost, negative) in the written text format."""
    if old is None:
        return len(textformat.write(new))
    # The text format is blocks joined by one separator, so a section the
    # same on both sides adds the same length to each: writing only the
    # others gives the same difference without copying a long article twice.
    old_sections = {section.heading: section for section in old.sections}
    same = {section.heading for section in new.sections if old_sections.get(section.heading) == section}
    if same:
        old, new = _without_sections(old, same), _without_sections(new, same)
    return len(textformat.write(new)) - len(textformat.write(old))


def _without_sections(content: ArticleContent, headings: set[str]) -> ArticleContent:
    return dataclasses.replace(
        content, sections=tuple(section for section in content.sections if section.heading not in headings)
    )


def _title_change(old: ArticleContent | None, new: ArticleContent, budget: Budget) -> FieldChange | None:
    if old is None:
        return FieldChange(old=None, new=new.title)
    if old.title == new.title:
        return None
    words = word_diff(old.title, new.title, budget)
    return FieldChange(old=old.title, new=new.title, ops=words.ops, coarse=words.coarse)


def diff_infobox(
    old: Sequence[InfoboxEntry], new: Sequence[InfoboxEntry], budget: Budget | None = None
) -> tuple[InfoboxChange, ...]:
    if budget is None:
        budget = Budget()
    old_values = {entry.key: entry.value for entry in old}
    new_values = {entry.key: entry.value for entry in new}
    rows = []
    for key in merged_order(list(old_values), list(new_values), budget):
        old_value, new_value = old_values.get(key), new_values.get(key)
        if old_value is None:
            rows.append(InfoboxChange(key, None, new_value, "added"))
        elif new_value is None:
            rows.append(InfoboxChange(key, old_value, None, "removed"))
        elif old_value == new_value:
            rows.append(InfoboxChange(key, old_value, new_value, "unchanged"))
        else:
            words = word_diff(old_value, new_value, budget)
            rows.append(InfoboxChange(key, old_value, new_value, "changed", words.ops, words.coarse))
    return tuple(rows)

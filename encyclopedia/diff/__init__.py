"""What changed between two versions of an article, as plain values (`values`).

A diff is computed on demand from two ArticleContent snapshots (no
database): the title and the infobox here, the paragraphs in `prose`, the
words of a changed paragraph or value in `words`. `html` renders one side
of a row; nothing else here knows of HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import textformat
from ..content import ArticleContent, InfoboxEntry
from .prose import diff_prose, merged_order
from .values import ArticleDiff, FieldChange, InfoboxChange
from .words import word_ops


def diff_articles(old: ArticleContent | None, new: ArticleContent) -> ArticleDiff:
    """What changed from old to new; old is None for an article's first version."""
    # A new article is diffed against an empty one, so that everything in it
    # comes out as added.
    baseline = old if old is not None else ArticleContent(title="")
    title = _title_change(old, new)
    infobox = diff_infobox(baseline.infobox, new.infobox)
    lead, sections = diff_prose(baseline, new)
    return ArticleDiff(
        title=title, infobox=infobox, lead=lead, sections=sections, size_change=size_change(old, new)
    )


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


def diff_infobox(
    old: Sequence[InfoboxEntry], new: Sequence[InfoboxEntry]
) -> tuple[InfoboxChange, ...]:
    old_values = {entry.key: entry.value for entry in old}
    new_values = {entry.key: entry.value for entry in new}
    rows = []
    for key in merged_order(list(old_values), list(new_values)):
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

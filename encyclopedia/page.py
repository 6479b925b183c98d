"""An article laid out for its page: paragraphs, `- item` lists, labelled infobox rows, anchors.

The view model of the article body, built from ArticleContent; every page
that shows an article's text (the published page, an old revision, the
page as of a date) uses it with the `_article_body.html` template.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.text import slugify

from .content import ArticleContent
from .diff.prose import split_paragraphs
from .infobox import NUMBERED_KEY
from .models import Article

SEE_ALSO = "see also"
_KEY_LABELS = {"Partof": "Part of"}


@dataclass(frozen=True)
class ListItem:
    text: str
    slug: str | None = None  # set when the item names a published article
    missing: bool = False  # a "See also" item naming no published article (MediaWiki's red link)


@dataclass(frozen=True)
class Block:
    """A paragraph (text) or a `- item` list (items)."""

    text: str = ""
    items: tuple[ListItem, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class SectionView:
    heading: str
    anchor: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class InfoboxRow:
    key: str
    label: str
    value: str
    anchor: str


@dataclass(frozen=True)
class PageView:
    title: str
    infobox: tuple[InfoboxRow, ...]
    lead: tuple[Block, ...]
    sections: tuple[SectionView, ...]


def infobox_label(key: str) -> str:
    if key in _KEY_LABELS:
        return _KEY_LABELS[key]
    match = NUMBERED_KEY.match(key)
    if match:
        return f"{match['stem']} {match['side']}"
    return key


def _blocks(text: str, *, linked: dict[str, str] | None = None) -> tuple[Block, ...]:
    """Paragraphs split on blank lines; runs of `- item` lines become lists.

    `linked` maps the items that name a published article to its slug
    (used for "See also" only): those link, the others are marked missing;
    None means no links at all.
    """
    blocks: list[Block] = []
    for paragraph in split_paragraphs(text):
        lines: list[str] = []
        items: list[ListItem] = []
        for line in paragraph.splitlines():
            if line.startswith("- "):
                if lines:
                    blocks.append(Block(text="\n".join(lines)))
                    lines = []
                item = line[2:].strip()
                if linked is None:
                    items.append(ListItem(item))
                else:
                    items.append(ListItem(item, linked.get(item), missing=item not in linked))
            else:
                if items:
                    blocks.append(Block(items=tuple(items)))
                    items = []
                lines.append(line)
        if lines:
            blocks.append(Block(text="\n".join(lines)))
        if items:
            blocks.append(Block(items=tuple(items)))
    return tuple(blocks)


def see_also_items(content: ArticleContent) -> set[str]:
    return {
        item.strip()
        for section in content.sections
        if section.heading.casefold() == SEE_ALSO
        for item in section.list_items
    }


def page_view(content: ArticleContent) -> PageView:
    """The content laid out for the article template: one query, for the "See also" links."""
    linked = linked_articles(see_also_items(content))
    return PageView(
        title=content.title,
        infobox=tuple(
            InfoboxRow(
                key=entry.key,
                label=infobox_label(entry.key),
                value=entry.value,
                anchor=field_anchor(entry.key),
            )
            for entry in content.infobox
        ),
        lead=_blocks(content.lead),
        sections=tuple(
            SectionView(
                heading=section.heading,
                anchor="section-" + (slugify(section.heading) or str(number)),
                blocks=_blocks(
                    section.body, linked=linked if section.heading.casefold() == SEE_ALSO else None
                ),
            )
            for number, section in enumerate(content.sections, start=1)
        ),
    )


def field_anchor(key: str) -> str:
    """The anchor of an infobox row, which the provenance page links to."""
    return "field-" + (slugify(key) or "key")


def linked_articles(items: Iterable[str]) -> dict[str, str]:
    """The slug of the published article each item names, by its title or its slug: one query for all.

    Items naming no published article are left out (none at all: no query).
    """
    slug_of_item = {item: slugify(item) for item in items if item}
    if not slug_of_item:
        return {}
    rows = Article.objects.filter(
        Q(slug__in={slug for slug in slug_of_item.values() if slug}) | Q(title__in=slug_of_item.keys())
    ).values_list("title", "slug")
    by_title, slugs = {}, set()
    for title, slug in rows:
        by_title[title] = slug
        slugs.add(slug)
    return {
        item: by_title.get(item) or slug
        for item, slug in slug_of_item.items()
        if item in by_title or slug in slugs
    }

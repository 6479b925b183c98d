"""Template filters that render one side of a diff row: `{{ row|old_html }}`, `{{ row|new_html }}`.

A row is any diff value with `old`, `new` and word `ops` (the title, an
infobox entry, a paragraph): its changed words are highlighted, the rest
escaped. `{{ key|infobox_label }}` names an infobox key as the article
page does ("Part of", "Combatant 2").
"""

from django import template

from .. import page
from ..diff.html import side_html

register = template.Library()


@register.filter
def old_html(row):
    return side_html(row.ops, row.old, "old")


@register.filter
def new_html(row):
    return side_html(row.ops, row.new, "new")


@register.filter
def infobox_label(key: str) -> str:
    return page.infobox_label(key)

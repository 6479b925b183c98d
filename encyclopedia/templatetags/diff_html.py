"""Template filters that render one side of a diff row: `{{ row|old_html }}`, `{{ row|new_html }}`.

A row is any diff value with `old`, `new` and word `ops` (the title, an
infobox entry, a paragraph): its changed words are highlighted, the rest
escaped.
"""

from django import template

from ..diff.html import side_html

register = template.Library()


@register.filter
def old_html(row):
    return side_html(row.ops, row.old, "old")


@register.filter
def new_html(row):
    return side_html(row.ops, row.new, "new")

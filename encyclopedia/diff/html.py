"""One side of a diff row as HTML: the changed words in <del> or <ins>.

All text the authors wrote is escaped; the only markup is the tags added
here. The templates reach it through the `diff_html` template filters.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from .values import Side, WordOp


def render_word_ops(ops: Iterable[WordOp], side: Side) -> SafeString:
    """One side of a word diff as HTML: the changed words in <del> or <ins>.

    All text is escaped; the only markup is the tags added here.
    """
    if side not in ("old", "new"):
        raise ValueError(f"side must be 'old' or 'new', not {side!r}")
    pieces = (_render_op(op, side) for op in ops)
    return format_html_join("", "{}", ((piece,) for piece in pieces if piece))


def _render_op(op: WordOp, side: Side) -> SafeString | str:
    if op.op == "equal":
        return escape(op.old_text if side == "old" else op.new_text)
    if side == "old":
        return format_html('<del class="diff-del">{}</del>', op.old_text) if op.old_text else ""
    return format_html('<ins class="diff-ins">{}</ins>', op.new_text) if op.new_text else ""


def side_html(ops: tuple[WordOp, ...], text: str | None, side: Side) -> SafeString:
    """Highlighted words when there are ops, else the plain escaped text."""
    if ops:
        return render_word_ops(ops, side)
    return escape(text or "")

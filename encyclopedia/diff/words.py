"""Word-level diffs of one paragraph or value: `word_ops` from old to new.

Texts are split into words, runs of whitespace and single punctuation
marks, and compared with difflib.SequenceMatcher.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .values import WordOp

# Words, runs of whitespace, and single punctuation marks: every character
# falls in exactly one token, so joining the tokens gives the text back.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def words_of(text: str) -> list[str]:
    # Similarity ignores whitespace: the spaces two paragraphs share would
    # make any two of them look alike.
    return [token for token in tokenize(text) if not token.isspace()]


def word_ops(old: str, new: str) -> tuple[WordOp, ...]:
    """The word-level edit from old to new; joining each side gives it back."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    # No autojunk: in a long paragraph it would treat spaces and "the" as
    # junk and produce a poor alignment.
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    ops = [
        WordOp(tag, "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return tuple(_absorb_lone_spaces(ops))


def _absorb_lone_spaces(ops: list[WordOp]) -> list[WordOp]:
    """Join two edits separated only by a space into one replacement.

    "<del>three</del> <del>vehicles</del>" reads worse than
    "<del>three vehicles</del>", and says the same.
    """
    merged: list[WordOp] = []
    for op in ops:
        if (
            op.op != "equal"
            and len(merged) >= 2
            and merged[-1].op == "equal"
            and merged[-1].old_text.isspace()
            and merged[-2].op != "equal"
        ):
            space = merged.pop()
            before = merged.pop()
            op = WordOp(
                "replace",
                before.old_text + space.old_text + op.old_text,
                before.new_text + space.new_text + op.new_text,
            )
        merged.append(op)
    return merged

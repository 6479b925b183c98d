"""casualties.change: a changed casualty or strength figure is shown to the
reviewer, and a large change or a removed figure needs a named source.

Figures are paired across the edit by what they count ("killed", "vehicle
captured"), so rewording "13 dead" as "13 killed" is no change, and
"3 vehicles captured" is never compared with "13 killed".
"""

from __future__ import annotations

import re
from itertools import zip_longest

from encyclopedia.infobox import FieldKind, kind_of

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .text.figures import Figure, parse_figures

_WATCHED_KINDS = (FieldKind.CASUALTIES, FieldKind.STRENGTH)
_SOURCE = re.compile(r"(?i)https?://\S+|\bwww\.\S+|\bsource\s*:")
# A change by more than this share of the old figure needs a source.
LARGE_CHANGE_PERCENT = 50


def names_source(summary: str) -> bool:
    """Whether the edit summary points at a source: a URL or "source: ..."."""
    return bool(_SOURCE.search(summary))


def _paired(old: list[Figure], new: list[Figure]) -> list[tuple[Figure | None, Figure | None]]:
    labels = list(dict.fromkeys(figure.label for figure in old + new))
    pairs: list[tuple[Figure | None, Figure | None]] = []
    for label in labels:
        pairs += zip_longest(
            [figure for figure in old if figure.label == label],
            [figure for figure in new if figure.label == label],
        )
    return pairs


def _change_percent(old: Figure, new: Figure) -> int | None:
    """How far the count moved, as a share of the old one; None from zero."""
    if old.quantity.low == 0:
        return None
    return round(abs(new.quantity.low - old.quantity.low) * 100 / old.quantity.low)


class CasualtyChange(Rule):
    id = "casualties.change"
    version = 1
    description = (
        "A changed casualty or strength figure is a warning; a change of more than 50 % or a "
        "removed figure is an error unless the edit summary names a source."
    )

    def check(self, context: CheckContext) -> list[Finding]:
        if context.base is None:
            return []  # a new article changes no figure
        sourced = names_source(context.summary)
        unsourced_severity = Severity.WARNING if sourced else Severity.ERROR
        keys = dict.fromkeys(
            entry.key
            for entry in context.base.infobox + context.content.infobox
            if kind_of(entry.key) in _WATCHED_KINDS
        )
        findings: list[Finding] = []
        for key in keys:
            old_value = context.base.infobox_value(key)
            new_value = context.content.infobox_value(key)
            if old_value == new_value:
                continue
            evidence = {"field": key, "old": old_value or "", "new": new_value or "", "summary": context.summary}
            if new_value is None:
                findings.append(
                    self.finding(
                        unsourced_severity,
                        infobox_target(key),
                        f"The infobox field {key} ({old_value}) was removed"
                        + self._source_note(sourced),
                        **evidence,
                    )
                )
                continue
            for old, new in _paired(parse_figures(old_value or ""), parse_figures(new_value)):
                finding = self._compare(key, old, new, sourced, evidence)
                if finding:
                    findings.append(finding)
        return findings

    def _compare(
        self, key: str, old: Figure | None, new: Figure | None, sourced: bool, evidence: dict
    ) -> Finding | None:
        target = infobox_target(key)
        if old is None:
            assert new is not None
            return self.finding(
                Severity.WARNING,
                target,
                f"The infobox field {key} now gives a new figure, {new.text!r}; check it against a source.",
                new_figure=new.text,
                **evidence,
            )
        if new is None:
            return self.finding(
                Severity.WARNING if sourced else Severity.ERROR,
                target,
                f"The infobox field {key} no longer gives the figure {old.text!r}" + self._source_note(sourced),
                old_figure=old.text,
                **evidence,
            )
        if (old.quantity.low, old.quantity.high) == (new.quantity.low, new.quantity.high):
            return None
        percent = _change_percent(old, new)
        large = percent is None or percent > LARGE_CHANGE_PERCENT
        severity = Severity.ERROR if large and not sourced else Severity.WARNING
        by = "from zero" if percent is None else f"by {percent} %"
        message = f"The infobox field {key} changes the {old.label} figure from {old.quantity} to {new.quantity} ({by})"
        if large:
            message += self._source_note(sourced)
        else:
            message += "."
        extra = {"old_figure": old.text, "new_figure": new.text}
        if percent is not None:
            extra["change_percent"] = percent
        return self.finding(severity, target, message, **extra, **evidence)

    @staticmethod
    def _source_note(sourced: bool) -> str:
        if sourced:
            return "; the edit summary names a source."
        return "; name a source in the edit summary (a URL or 'source: ...')."

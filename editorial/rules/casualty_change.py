"""casualties.change: a changed casualty or strength figure is shown to the
reviewer, and a large change or a removed figure needs a named source.

Figures are paired across the edit by what they count ("killed", "vehicle
captured"), whose they are (the party: "France", "Mali") and who gives them
(the source: "per the army"), so that:

- rewording "13 dead" as "13 killed" is no change, and "3 vehicles
  captured" is never compared with "13 killed";
- adding a second source ("28 killed (per the army)" becoming "28 killed
  (per the army), 40 killed (per the claimants)") adds a figure, it does
  not change the army's;
- a figure given a party or a source it lacked ("28 killed" becoming "28
  killed (per the army)") is the same figure, and a figure split between
  parties whose sum it was ("9 killed" becoming "3 killed (France); 6
  killed (Mali)"), or the parties' figures summed, is no change.
"""

from __future__ import annotations

import re
from itertools import zip_longest

from encyclopedia.infobox import NUMBERED_KEY, FieldKind, kind_of

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .text.figures import Figure, parse_figures
from .text.numbers import Quantity

_WATCHED_KINDS = (FieldKind.CASUALTIES, FieldKind.STRENGTH)
_SOURCE = re.compile(r"(?i)https?://\S+|\bwww\.\S+|\bsource\s*:")
# A change by more than this share of the old figure needs a source.
LARGE_CHANGE_PERCENT = 50
_NEEDS_SOURCE = "name a source in the edit summary (a URL or \u201csource: ...\u201d)"


def names_source(summary: str) -> bool:
    """Whether the edit summary points at a source: a URL or "source: ..."."""
    return bool(_SOURCE.search(summary))


def field_label(key: str) -> str:
    """A key as the page labels it ("Casualties 1"); encyclopedia.page does
    the same but reads the database, which the rules never do."""
    match = NUMBERED_KEY.match(key)
    return f"{match['stem']} {match['side']}" if match else key


def _same(old: Figure, new: Figure) -> bool:
    return (old.quantity.low, old.quantity.high) == (new.quantity.low, new.quantity.high)


def _total(figures: list[Figure]) -> Quantity:
    total = figures[0].quantity
    for figure in figures[1:]:
        total = total + figure.quantity
    return total


def _paired(old: list[Figure], new: list[Figure]) -> list[tuple[Figure | None, Figure | None]]:
    """The old and new figures paired by what, whose and by whom (see the
    module doc); (figure, None) is removed, (None, figure) is new."""
    pairs: list[tuple[Figure | None, Figure | None]] = []
    left_old: dict[str, list[Figure]] = {}
    left_new: dict[str, list[Figure]] = {}
    for key in dict.fromkeys(figure.pairing_key for figure in old + new):
        olds = [figure for figure in old if figure.pairing_key == key]
        news = [figure for figure in new if figure.pairing_key == key]
        common = min(len(olds), len(news))
        pairs += zip(olds[:common], news[:common])
        left_old.setdefault(key[0], []).extend(olds[common:])
        left_new.setdefault(key[0], []).extend(news[common:])
    # What is left of one label: a figure that gained or lost its party or
    # source, a split between parties or a sum of them, else removed and new.
    for label in dict.fromkeys([*left_old, *left_new]):
        olds, news = left_old.get(label, []), left_new.get(label, [])
        for figure in list(olds):
            match = next((other for other in news if _same(figure, other)), None)
            if match is not None:
                olds.remove(figure)
                news.remove(match)
                pairs.append((figure, match))
        if len(olds) == 1 and len(news) > 1 and _total(news) == olds[0].quantity:
            continue  # split between parties
        if len(news) == 1 and len(olds) > 1 and _total(olds) == news[0].quantity:
            continue  # the parties summed
        refined = [
            (before, after)
            for before, after in zip(olds, news)
            if not (before.party or before.source) or not (after.party or after.source)
        ]
        pairs += refined
        paired_old = {id(before) for before, _ in refined}
        paired_new = {id(after) for _, after in refined}
        pairs += zip_longest([f for f in olds if id(f) not in paired_old], [])
        pairs += [(None, figure) for figure in news if id(figure) not in paired_new]
    return pairs


def _change_percent(old: Figure, new: Figure) -> int | None:
    """How far the count moved, as a share of the old one; None from zero."""
    before, after = old.quantity.nominal or 0, new.quantity.nominal or 0
    if before == 0:
        return None
    return round(abs(after - before) * 100 / before)


def _fingerprint(key: str, old: Figure | None, new: Figure | None) -> str:
    figure = old or new
    assert figure is not None
    label, group, party, source = figure.pairing_key
    return "|".join(
        (key, label, group or "", party or "", source or "", str(old.quantity) if old else "", str(new.quantity) if new else "")
    )


class CasualtyChange(Rule):
    id = "casualties.change"
    version = 2
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
            evidence = {"field": key, "infobox": new_value or "", "old": old_value or "", "summary": context.summary}
            if new_value is None:
                findings.append(
                    self.finding(
                        unsourced_severity,
                        infobox_target(key),
                        f"The {field_label(key)} field ({old_value}) was removed" + self._source_note(sourced),
                        fingerprint=f"{key}|removed|{old_value}",
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
        label = field_label(key)
        fingerprint = _fingerprint(key, old, new)
        if old is None:
            assert new is not None
            return self.finding(
                Severity.WARNING,
                target,
                f"{label} now gives a new figure, {new.described}; check it against a source.",
                fingerprint=fingerprint,
                new_figure=new.text,
                **evidence,
            )
        if new is None:
            return self.finding(
                Severity.WARNING if sourced else Severity.ERROR,
                target,
                f"{label} no longer gives the figure {old.described}" + self._source_note(sourced),
                fingerprint=fingerprint,
                old_figure=old.text,
                **evidence,
            )
        if _same(old, new):
            return None
        percent = _change_percent(old, new)
        large = percent is None or percent > LARGE_CHANGE_PERCENT
        if large and not (old.quantity.is_exact and new.quantity.is_exact) and old.quantity.overlaps(new.quantity):
            large = False  # an estimate made more or less precise, within the old one
        severity = Severity.ERROR if large and not sourced else Severity.WARNING
        by = "from zero" if percent is None else f"a change of {percent} %"
        message = f"{label} now gives {new.described} instead of {old.described} ({by})"
        message += self._source_note(sourced) if large else "."
        extra = {"old_figure": old.text, "new_figure": new.text}
        if percent is not None:
            extra["change_percent"] = percent
        return self.finding(severity, target, message, fingerprint=fingerprint, **extra, **evidence)

    @staticmethod
    def _source_note(sourced: bool) -> str:
        if sourced:
            return "; the edit summary names a source."
        return f"; {_NEEDS_SOURCE}."

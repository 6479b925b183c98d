"""The review page as plain values: each finding placed next to what it concerns.

A finding's target (`infobox:<Key>`, `lead`, `section:<Heading>`, `title`)
names an infobox row or a place of the diff; the few whose target is not on
the page go in a general list at the top. No database: `review_layout` is
tested on values, and the template only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from encyclopedia.diff.places import DiffPlace, diff_places
from encyclopedia.diff.values import LEAD, ArticleDiff, FieldChange, InfoboxChange, ParagraphChange

from ..aggregate.statuses import CheckStatus

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Quote:
    """The sentence a finding quotes, cut around the part it marks (all plain text)."""

    before: str
    marked: str
    after: str
    where: str  # the place it stands in: "lead", "section:<Heading>"
    paragraph: int | None  # its paragraph there, as the diff numbers them

    @classmethod
    def from_evidence(cls, evidence: dict) -> Quote | None:
        quote = evidence.get("quote")
        if not isinstance(quote, str) or not quote:
            return None
        marked = evidence.get("highlight")
        at = evidence.get("highlight_at")
        if not isinstance(marked, str) or not marked:
            before, marked, after = quote, "", ""
        else:
            # The offset is the rule's; if it does not point at the marked
            # text (an older finding, say), the first occurrence is marked.
            if not (isinstance(at, int) and not isinstance(at, bool) and quote[at : at + len(marked)] == marked):
                at = quote.find(marked)
            if at < 0:
                before, marked, after = quote, "", ""
            else:
                before, after = quote[:at], quote[at + len(marked) :]
        paragraph = evidence.get("paragraph")
        return cls(
            before=before,
            marked=marked,
            after=after,
            where=str(evidence.get("where", "")),
            paragraph=paragraph if isinstance(paragraph, int) and not isinstance(paragraph, bool) else None,
        )

    @property
    def text(self) -> str:
        return self.before + self.marked + self.after


@dataclass(frozen=True)
class FindingView:
    rule_id: str
    rule_version: int
    severity: str
    target: str
    message: str
    evidence: tuple[tuple[str, str], ...]  # (key, value as text), in the rule's order, for the details
    inherited: bool = False
    quote: Quote | None = None
    anchor: str = ""  # the element id of the finding on the page
    quote_anchor: str = ""  # the element id of the paragraph it quotes, when that is on the page

    @classmethod
    def from_dict(cls, finding: dict) -> FindingView:
        evidence = finding.get("evidence") or {}
        return cls(
            rule_id=str(finding.get("rule_id", "")),
            rule_version=finding.get("rule_version", 0),
            severity=str(finding.get("severity", "info")),
            target=str(finding.get("target", "")),
            message=str(finding.get("message", "")),
            evidence=tuple(
                (str(key), _evidence_text(value)) for key, value in evidence.items() if key not in _QUOTE_KEYS
            ),
            inherited=bool(finding.get("inherited", False)),
            quote=Quote.from_evidence(evidence),
        )


# Shown as the quote itself, so not repeated in the details.
_QUOTE_KEYS = frozenset({"quote", "highlight", "highlight_at", "paragraph", "where", "sentence"})


def _evidence_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class InfoboxRowView:
    change: InfoboxChange
    findings: tuple[FindingView, ...]

    @property
    def key(self) -> str:
        return self.change.key

    @property
    def target(self) -> str:
        return f"infobox:{self.change.key}"


@dataclass(frozen=True)
class RowView:
    """One paragraph row of a place, with the findings that quote it."""

    row: ParagraphChange
    anchor: str
    findings: tuple[FindingView, ...]  # the findings about this paragraph, shown beside it
    quoted_by: tuple[FindingView, ...]  # findings shown elsewhere (an infobox row) that quote it

    @property
    def severity(self) -> str:
        """The worst severity among the findings that concern it; "" when none does."""
        severities = [finding.severity for finding in self.findings + self.quoted_by]
        return min(severities, key=lambda severity: SEVERITY_ORDER.get(severity, 3)) if severities else ""


@dataclass(frozen=True)
class PlaceView:
    """The lead or one section as the diff lays it out, with the findings that concern it.

    `findings` are those about the place as a whole (no paragraph quoted, or
    one not found); the others sit beside their paragraph in `rows`.
    """

    place: DiffPlace
    findings: tuple[FindingView, ...]
    rows: tuple[RowView, ...] = ()


@dataclass(frozen=True)
class ReviewLayout:
    title: FieldChange | None
    title_findings: tuple[FindingView, ...]
    infobox: tuple[InfoboxRowView, ...]
    places: tuple[PlaceView, ...]
    general_findings: tuple[FindingView, ...]  # targets not on the page
    has_changes: bool
    # Findings the published revision already had: shown apart, they do not gate.
    inherited: tuple[FindingView, ...] = ()


def _order(finding: FindingView) -> tuple:
    return (SEVERITY_ORDER.get(finding.severity, 3), finding.rule_id)


def sorted_findings(findings: Iterable[dict]) -> list[FindingView]:
    views = [FindingView.from_dict(finding) for finding in findings]
    return [replace(view, anchor=f"finding-{index}") for index, view in enumerate(sorted(views, key=_order), 1)]


def _quoted_row(place: DiffPlace, quote: Quote) -> int | None:
    """The index in `place.rows` of the paragraph a quote stands in.

    The paragraph number counts the new version's paragraphs, the rows
    that have a new side; the row must also hold the quoted sentence, else
    the first row that holds it is taken (a quote is never put beside a
    paragraph that does not say it).
    """
    new_rows = [index for index, row in enumerate(place.rows) if row.new is not None]
    if quote.paragraph is not None and quote.paragraph < len(new_rows):
        index = new_rows[quote.paragraph]
        if quote.text in place.rows[index].new:
            return index
    return next((index for index in new_rows if quote.text in place.rows[index].new), None)


def review_layout(diff: ArticleDiff, findings: Iterable[dict]) -> ReviewLayout:
    """Place each finding next to the infobox row, the paragraph or the prose it concerns.

    Findings the edit inherited from the published revision are set apart.
    An infobox row or a place of prose is shown when it changed, and also
    when a finding the edit introduced concerns it: then with the quoted
    paragraph, so the reviewer sees what the finding is about. Findings
    whose target is none of these (the title when it did not change, a key
    or heading that is in neither version) are returned as general findings.
    """
    introduced, inherited = [], []
    for finding in sorted_findings(findings):
        (inherited if finding.inherited else introduced).append(finding)
    by_target: dict[str, list[FindingView]] = {}
    for finding in introduced:
        by_target.setdefault(finding.target, []).append(finding)

    def take(target: str) -> list[FindingView]:
        return by_target.pop(target, [])

    title_findings = take("title") if diff.title is not None else []
    infobox_findings = []
    for change in diff.infobox:
        row_findings = take(f"infobox:{change.key}")
        if change.status != "unchanged" or row_findings:
            infobox_findings.append((change, row_findings))

    # Places are laid out whole where a finding concerns or quotes them, and
    # then cut back to the rows that changed or are concerned.
    concerned = {target for target in by_target if target == LEAD or target.startswith("section:")}
    quoted = {finding.quote.where for finding in introduced if finding.quote and finding.quote.where}
    places = []
    quote_anchors: dict[str, str] = {}  # finding anchor -> the row anchor it quotes
    for place_number, place in enumerate(diff_places(diff, shown_whole=concerned | quoted)):
        place_findings = take(place.target) if place.target in concerned else []
        beside: dict[int, list[FindingView]] = {}
        quoted_by: dict[int, list[FindingView]] = {}
        general_here = []
        for finding in place_findings:
            row = _quoted_row(place, finding.quote) if finding.quote else None
            if row is None:
                general_here.append(finding)
            else:
                beside.setdefault(row, []).append(finding)
        for finding in introduced:
            if finding.quote and finding.quote.where == place.target and finding.target != place.target:
                row = _quoted_row(place, finding.quote)
                if row is not None:
                    quoted_by.setdefault(row, []).append(finding)
        # A finding about the place as a whole keeps all of it on the page;
        # otherwise the unchanged paragraphs no finding quotes are left out.
        kept = [
            index
            for index, row in enumerate(place.rows)
            if general_here or row.status != "unchanged" or index in beside or index in quoted_by
        ]
        if not kept and not general_here and place.status == "unchanged" and not place.moved_out:
            continue  # quoted, but the quote is not found in it: nothing to show
        rows = []
        for index in kept:
            anchor = f"place-{place_number}-para-{index}"
            for finding in beside.get(index, []) + quoted_by.get(index, []):
                quote_anchors[finding.anchor] = anchor
            rows.append(RowView(place.rows[index], anchor, tuple(beside.get(index, ())), tuple(quoted_by.get(index, ()))))
        shown = replace(
            place,
            rows=tuple(row.row for row in rows),
            hidden_unchanged=place.hidden_unchanged + len(place.rows) - len(kept),
        )
        places.append(PlaceView(place=shown, findings=tuple(general_here), rows=tuple(rows)))

    def linked(views: Iterable[FindingView]) -> tuple[FindingView, ...]:
        return tuple(replace(view, quote_anchor=quote_anchors.get(view.anchor, "")) for view in views)

    places = [
        replace(
            shown,
            findings=linked(shown.findings),
            rows=tuple(
                replace(row, findings=linked(row.findings), quoted_by=linked(row.quoted_by)) for row in shown.rows
            ),
        )
        for shown in places
    ]
    general = sorted((finding for target_findings in by_target.values() for finding in target_findings), key=_order)
    return ReviewLayout(
        title=diff.title,
        title_findings=linked(title_findings),
        infobox=tuple(InfoboxRowView(change=change, findings=linked(found)) for change, found in infobox_findings),
        places=tuple(places),
        general_findings=linked(general),
        has_changes=diff.has_changes,
        inherited=tuple(inherited),
    )


@dataclass(frozen=True)
class ChecksView:
    """The verdict shown: live for an open revision (what the approval will see), as recorded once decided."""

    status: str
    findings: tuple[dict, ...]
    missing_rules: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return CheckStatus(self.status).label if self.status in CheckStatus.values else self.status

    @property
    def pending(self) -> bool:
        return self.status == CheckStatus.PENDING

    @property
    def errors_stand(self) -> bool:
        return self.status in (CheckStatus.FAILED, CheckStatus.ERROR)

    def count(self, severity: str) -> int:
        """Findings of this severity that the edit introduced (those that make the verdict)."""
        return sum(
            1 for finding in self.findings if finding.get("severity") == severity and not finding.get("inherited")
        )

    @property
    def inherited_count(self) -> int:
        return sum(1 for finding in self.findings if finding.get("inherited"))

    @property
    def error_count(self) -> int:
        return self.count("error")

    @property
    def warning_count(self) -> int:
        return self.count("warning")

    @property
    def info_count(self) -> int:
        return self.count("info")

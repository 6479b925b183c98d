"""The review page as plain values: each finding placed next to what it concerns.

A finding's target (`infobox:<Key>`, `lead`, `section:<Heading>`, `title`)
names an infobox row or a place of the diff; the few whose target is not on
the page go in a general list at the top. No database: `review_layout` is
tested on values, and the template only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from encyclopedia.diff.places import DiffPlace, diff_places
from encyclopedia.diff.values import LEAD, ArticleDiff, FieldChange, InfoboxChange

from ..aggregate.statuses import CheckStatus

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class FindingView:
    rule_id: str
    rule_version: int
    severity: str
    target: str
    message: str
    evidence: tuple[tuple[str, str], ...]  # (key, value as text), in the rule's order

    @classmethod
    def from_dict(cls, finding: dict) -> FindingView:
        return cls(
            rule_id=str(finding.get("rule_id", "")),
            rule_version=finding.get("rule_version", 0),
            severity=str(finding.get("severity", "info")),
            target=str(finding.get("target", "")),
            message=str(finding.get("message", "")),
            evidence=tuple((str(key), _evidence_text(value)) for key, value in (finding.get("evidence") or {}).items()),
        )


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
class PlaceView:
    """The lead or one section as the diff lays it out, with the findings that concern it."""

    place: DiffPlace
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class ReviewLayout:
    title: FieldChange | None
    title_findings: tuple[FindingView, ...]
    infobox: tuple[InfoboxRowView, ...]
    places: tuple[PlaceView, ...]
    general_findings: tuple[FindingView, ...]  # targets not on the page
    has_changes: bool


def sorted_findings(findings: Iterable[dict]) -> list[FindingView]:
    views = [FindingView.from_dict(finding) for finding in findings]
    return sorted(views, key=lambda finding: (SEVERITY_ORDER.get(finding.severity, 3), finding.rule_id))


def review_layout(diff: ArticleDiff, findings: Iterable[dict]) -> ReviewLayout:
    """Place each finding next to the infobox row or the prose it concerns.

    An infobox row or a block of prose is shown when it changed, and also
    when a finding concerns it (then with its unchanged paragraphs, so the
    reviewer sees what the finding is about). Findings whose target is none
    of these (the title when it did not change, a key or heading that is in
    neither version) are returned as general findings.
    """
    by_target: dict[str, list[FindingView]] = {}
    for finding in sorted_findings(findings):
        by_target.setdefault(finding.target, []).append(finding)

    def take(target: str) -> tuple[FindingView, ...]:
        return tuple(by_target.pop(target, ()))

    title_findings = take("title") if diff.title is not None else ()
    infobox = []
    for change in diff.infobox:
        row_findings = take(f"infobox:{change.key}")
        if change.status != "unchanged" or row_findings:
            infobox.append(InfoboxRowView(change=change, findings=row_findings))

    concerned = {target for target in by_target if target == LEAD or target.startswith("section:")}
    places = [PlaceView(place=place, findings=take(place.target)) for place in diff_places(diff, shown_whole=concerned)]

    general = tuple(finding for target_findings in by_target.values() for finding in target_findings)
    general = tuple(sorted(general, key=lambda finding: (SEVERITY_ORDER.get(finding.severity, 3), finding.rule_id)))
    return ReviewLayout(
        title=diff.title,
        title_findings=title_findings,
        infobox=tuple(infobox),
        places=tuple(places),
        general_findings=general,
        has_changes=diff.has_changes,
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
        return sum(1 for finding in self.findings if finding.get("severity") == severity)

    @property
    def error_count(self) -> int:
        return self.count("error")

    @property
    def warning_count(self) -> int:
        return self.count("warning")

    @property
    def info_count(self) -> int:
        return self.count("info")

"""The verdict of a revision's consistency checks, from its recorded rule results.

Only results for the revision's current content and the rule versions in
force count; others are stale. Pure functions over the folded state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .. import events as ev
from .statuses import CheckStatus


class ChecksRecord(Protocol):
    """What the verdict reads of a folded revision (`fold.RevisionState` is one)."""

    content_hash: str
    check_results: tuple[RuleResult, ...]
    started_runs: frozenset
    concluded_runs: frozenset


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    rule_version: int
    content_hash: str
    findings: tuple[dict, ...]
    error: str
    recorded_at: datetime

    def to_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "findings": list(self.findings),
            "error": self.error,
        }


@dataclass(frozen=True)
class CheckState:
    """The checks of a revision judged against the rules as they are now."""

    status: str
    results: dict[str, RuleResult]
    missing_rules: tuple[str, ...]

    @property
    def findings(self) -> list[dict]:
        return flatten(self.results.values())

    @property
    def errors(self) -> list[dict]:
        """The errors the edit introduced; inherited ones do not gate."""
        return [finding for finding in gating(self.findings) if finding["severity"] == "error"]

    @property
    def blocks_approval(self) -> bool:
        return self.status in (CheckStatus.FAILED, CheckStatus.ERROR)


def current_checks(revision: ChecksRecord, rule_versions: dict[str, int]) -> CheckState:
    """Only results for this content and these rule versions count; others are stale."""
    results = current_results(revision.check_results, revision.content_hash, rule_versions)
    missing = tuple(rule_id for rule_id in rule_versions if rule_id not in results)
    status = CheckStatus.PENDING if missing else verdict_of(results.values())
    return CheckState(status=status, results=results, missing_rules=missing)


def check_run(content_hash: str, rule_versions: dict) -> tuple:
    return (content_hash, tuple(sorted(rule_versions.items())))


def verdict_recorded(revision: ChecksRecord, rule_versions: dict) -> bool:
    return check_run(revision.content_hash, rule_versions) in revision.concluded_runs


def check_run_events(revision: ChecksRecord, rule_versions: dict, results: Iterable[ev.RuleChecked]) -> list:
    """What a check run has left to record: each rule's result not yet recorded
    for this content and version, then the verdict once every rule has one.

    Pure: the run computed `results` outside any transaction, and this
    decides at the head read inside one, so a result or verdict that a
    rival delivery recorded meanwhile is not recorded twice.
    """
    new: list[ev.RuleChecked] = []
    for result in results:
        key = {"rule_id": result.rule_id, "rule_version": result.rule_version, "content_hash": result.content_hash}
        if result.content_hash != revision.content_hash or has_result(revision, **key):
            continue
        if any((other.rule_id, other.rule_version) == (result.rule_id, result.rule_version) for other in new):
            continue
        new.append(result)
    # The payloads carry what the verdict reads of a result (rule, version, content, findings, error).
    current = current_results((*revision.check_results, *new), revision.content_hash, rule_versions)
    complete = all(rule_id in current for rule_id in rule_versions)
    if not complete or verdict_recorded(revision, rule_versions):
        return new
    verdict = ev.ChecksConcluded(
        content_hash=revision.content_hash, rule_versions=rule_versions, verdict=verdict_of(current.values())
    )
    return [*new, verdict]


def has_result(revision: ChecksRecord, *, rule_id: str, rule_version: int, content_hash: str) -> bool:
    return any(
        (result.rule_id, result.rule_version, result.content_hash) == (rule_id, rule_version, content_hash)
        for result in revision.check_results
    )


def verdict_of(results: Iterable[RuleResult]) -> str:
    results = list(results)
    if any(result.error for result in results):
        return CheckStatus.ERROR
    severities = {finding["severity"] for result in results for finding in gating(result.findings)}
    if "error" in severities:
        return CheckStatus.FAILED
    if "warning" in severities:
        return CheckStatus.WARNINGS
    return CheckStatus.PASSED


def gating(findings: Iterable[dict]) -> list[dict]:
    """The findings the edit introduced. What it inherited from the published
    revision is shown to the reviewer but does not make the verdict."""
    return [finding for finding in findings if not finding.get("inherited")]


def current_results(results, content_hash: str, rule_versions: dict) -> dict[str, RuleResult]:
    current: dict[str, RuleResult] = {}
    for result in results:
        if result.content_hash == content_hash and rule_versions.get(result.rule_id) == result.rule_version:
            current.setdefault(result.rule_id, result)  # the first result recorded is the one that counts
    return current


def flatten(results: Iterable[RuleResult]) -> list[dict]:
    flat = []
    for result in results:
        if result.error:
            flat.append(
                {
                    "rule_id": result.rule_id,
                    "rule_version": result.rule_version,
                    "severity": "error",
                    "target": "title",
                    "message": f"The rule {result.rule_id} failed to run: {result.error}",
                    "evidence": {"exception": result.error},
                    "rule_error": True,
                }
            )
        flat.extend(result.findings)
    return flat

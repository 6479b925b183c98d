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
    linked: tuple = ()  # check_run's form of RuleChecked.linked: ((title, revision id), ...)

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
    """Only results for this content and these rule versions count; others are stale.

    A rule that read other articles (`linked`) may have several results for
    one content: the latest linked revisions recorded count (see `current_results`).
    """
    results = current_results(revision.check_results, revision.content_hash, rule_versions)
    missing = tuple(rule_id for rule_id in rule_versions if rule_id not in results)
    status = CheckStatus.PENDING if missing else verdict_of(results.values())
    return CheckState(status=status, results=results, missing_rules=missing)


def linked_key(linked: dict | None) -> tuple:
    return tuple(sorted((linked or {}).items()))


def check_run(content_hash: str, rule_versions: dict, linked: dict | None = None) -> tuple:
    """What identifies a check run: the content, the rule versions and, when the
    content mentions other articles, their published revisions it was checked with."""
    run = (content_hash, tuple(sorted(rule_versions.items())))
    return (*run, linked_key(linked)) if linked else run


def results_linked(results: Iterable[RuleResult]) -> dict:
    """The linked revisions a set of results read, together: what their verdict was made with."""
    return {title: revision_id for result in results for title, revision_id in result.linked}


def verdict_recorded(revision: ChecksRecord, rule_versions: dict) -> bool:
    """Whether the verdict of the current results (with the linked revisions they read) is recorded."""
    linked = results_linked(current_results(revision.check_results, revision.content_hash, rule_versions).values())
    return check_run(revision.content_hash, rule_versions, linked) in revision.concluded_runs


def check_run_events(revision: ChecksRecord, rule_versions: dict, results: Iterable[ev.RuleChecked]) -> list:
    """What a check run has left to record: each rule's result not yet recorded
    for this content and version, then the verdict once every rule has one.

    Pure: the run computed `results` outside any transaction, and this
    decides at the head read inside one, so a result or verdict that a
    rival delivery recorded meanwhile is not recorded twice.
    """
    new: list[ev.RuleChecked] = []
    for result in results:
        key = {
            "rule_id": result.rule_id,
            "rule_version": result.rule_version,
            "content_hash": result.content_hash,
            "linked": result.linked,
        }
        if result.content_hash != revision.content_hash or has_result(revision, **key):
            continue
        if result.linked and read_before_a_recorded_result(revision, result):
            continue  # a rival run read the linked articles later: its result stands
        if any((other.rule_id, other.rule_version) == (result.rule_id, result.rule_version) for other in new):
            continue
        new.append(result)
    # The payloads carry what the verdict reads of a result (rule, version, content, findings, error, linked).
    pending = [
        RuleResult(r.rule_id, r.rule_version, r.content_hash, tuple(r.findings), r.error, None, linked_key(r.linked))
        for r in new
    ]
    current = current_results((*revision.check_results, *pending), revision.content_hash, rule_versions)
    complete = all(rule_id in current for rule_id in rule_versions)
    linked = results_linked(current.values())
    if not complete or check_run(revision.content_hash, rule_versions, linked) in revision.concluded_runs:
        return new
    verdict = ev.ChecksConcluded(
        content_hash=revision.content_hash,
        rule_versions=rule_versions,
        verdict=verdict_of(current.values()),
        linked=linked,
    )
    return [*new, verdict]


def read_before_a_recorded_result(revision: ChecksRecord, result: ev.RuleChecked) -> bool:
    """Whether a result already recorded for the same rule, version and content read every linked
    article this one read, each at the same or a later published revision.

    A run that read the linked articles before an approval of one of them, and records after the
    rechecks that approval started, must not put its older reading back on top. Published revisions
    only grow, so the later reading knows each article the earlier one knew, at least as new.
    """
    for other in revision.check_results:
        if (other.rule_id, other.rule_version, other.content_hash) != (
            result.rule_id, result.rule_version, result.content_hash
        ):
            continue
        seen = dict(other.linked)
        if all(title in seen and seen[title] >= revision_id for title, revision_id in result.linked.items()):
            return True
    return False


def has_result(
    revision: ChecksRecord, *, rule_id: str, rule_version: int, content_hash: str, linked: dict | None = None
) -> bool:
    wanted = (rule_id, rule_version, content_hash, linked_key(linked))
    return any(
        (result.rule_id, result.rule_version, result.content_hash, result.linked) == wanted
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
            earlier = current.get(result.rule_id)
            # The first result recorded is the one that counts, unless a later one was made with
            # other linked revisions: a recheck after a linked article changed replaces it.
            if earlier is None or earlier.linked != result.linked:
                current[result.rule_id] = result
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

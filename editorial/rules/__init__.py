"""The consistency rules and their registry: which rules run, at which versions.

Each rule is pure: `run_rule(rule, context)` reads the proposed content (and
the content it was edited from) and returns findings. A rule's id never
changes; its version goes up whenever what it finds changes, so stored
findings say which version of the rule made them. `rule_versions()` is what
the checks, the services and the review page compare stored results with.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from django.conf import settings
from django.utils.module_loading import import_string

from .base import CheckContext, Finding, Rule, Severity
from .casualty_change import CasualtyChange
from .claim_date import ClaimBeforeEvent
from .event_date import EventDateAgreement
from .infobox_prose import InfoboxProseCasualties
from .links_facts import LinkedFactsAgree
from .structure import InfoboxStructure

RULES: tuple[Rule, ...] = (
    InfoboxStructure(),
    EventDateAgreement(),
    ClaimBeforeEvent(),
    CasualtyChange(),
    InfoboxProseCasualties(),
    LinkedFactsAgree(),
)
_BY_ID = {rule.id: rule for rule in RULES}


def active_rules() -> tuple[Rule, ...]:
    """The registered rules, plus any a site adds in STET_EXTRA_RULES (dotted paths to Rule classes)."""
    extra = tuple(import_string(path)() for path in getattr(settings, "STET_EXTRA_RULES", ()))
    return RULES + extra


def rule_versions() -> dict[str, int]:
    return {rule.id: rule.version for rule in active_rules()}


def get_rule(rule_id: str) -> Rule:
    """The registered rule with this id; KeyError names the known ids."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; the rules are {', '.join(_BY_ID)}") from None


def run_rule(rule: Rule, context: CheckContext) -> list[Finding]:
    """The rule's findings, checked to be the rule's own.

    A rule that crashes is not caught here: a crash is a bug in the rule,
    and the caller decides whether a check run fails or records it.
    """
    findings = list(rule.check(context))
    for finding in findings:
        if (finding.rule_id, finding.rule_version) != (rule.id, rule.version):
            raise ValueError(f"{rule!r} returned a finding of {finding.rule_id} v{finding.rule_version}")
    return findings


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def judge(rule: Rule, context: CheckContext) -> list[Finding]:
    """The rule's findings on the proposal, each marked inherited when the
    published revision it was edited from already had it.

    An edit is judged on what it introduces or makes worse: the rule also
    runs on the base (as a new article, so rules about changes find nothing
    there), and a proposal's finding is inherited when the base has one with
    the same fingerprint and at least its severity, matched one for one, so
    a second sentence that repeats an old mistake is new. A new article has
    no base and owns all its findings.
    """
    findings = run_rule(rule, context)
    if context.base is None or not findings:
        return findings
    base_context = CheckContext(
        content=context.base, base=None, summary="", today=context.today, linked=context.linked
    )
    in_base: Counter = Counter()
    for finding in run_rule(rule, base_context):
        for rank in range(_SEVERITY_RANK[finding.severity] + 1):
            in_base[finding.identity, rank] += 1
    judged = []
    for finding in findings:
        key = (finding.identity, _SEVERITY_RANK[finding.severity])
        if in_base[key] > 0:
            for rank in range(key[1] + 1):
                in_base[finding.identity, rank] -= 1
            finding = dataclasses.replace(finding, inherited=True)
        judged.append(finding)
    return judged


def judge_all(context: CheckContext, rules: tuple[Rule, ...] | None = None) -> list[Finding]:
    """Every active rule judged on the proposal (see `judge`)."""
    return [finding for rule in (rules or active_rules()) for finding in judge(rule, context)]


def gating(findings: list[Finding]) -> list[Finding]:
    """The findings that count for the verdict: those the edit introduced."""
    return [finding for finding in findings if not finding.inherited]


__all__ = [
    "RULES",
    "CheckContext",
    "Finding",
    "Rule",
    "Severity",
    "active_rules",
    "gating",
    "get_rule",
    "judge",
    "judge_all",
    "rule_versions",
    "run_rule",
]

"""The consistency rules and their registry: which rules run, at which versions.

Each rule is pure: `run_rule(rule, context)` reads the proposed content (and
the content it was edited from) and returns findings. A rule's id never
changes; its version goes up whenever what it finds changes, so stored
findings say which version of the rule made them. `rule_versions()` is what
the checks, the services and the review page compare stored results with.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import CheckContext, Finding, Rule, Severity
from .casualty_change import CasualtyChange
from .claim_date import ClaimBeforeEvent
from .event_date import EventDateAgreement
from .infobox_prose import InfoboxProseCasualties
from .structure import InfoboxStructure

RULES: tuple[Rule, ...] = (
    InfoboxStructure(),
    EventDateAgreement(),
    ClaimBeforeEvent(),
    CasualtyChange(),
    InfoboxProseCasualties(),
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


__all__ = [
    "RULES",
    "CheckContext",
    "Finding",
    "Rule",
    "Severity",
    "active_rules",
    "get_rule",
    "rule_versions",
    "run_rule",
]

"""What every consistency rule shares: the input it reads and the finding it gives.

The rules are pure: they read an `ArticleContent` (and the one it was edited
from) and return findings. They know nothing of the database or of Celery,
so they can be tested, versioned and re-run on any snapshot.
"""

from __future__ import annotations

import datetime
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from encyclopedia.content import ArticleContent


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


# A finding concerns one infobox field, the lead, one section or the title.
_TARGET = re.compile(r"^(?:infobox:.+|section:.+|lead|title)$", re.DOTALL)


def infobox_target(key: str) -> str:
    return f"infobox:{key}"


def section_target(heading: str) -> str:
    return f"section:{heading}"


def _check_evidence(evidence: dict) -> None:
    # Findings are stored as JSON and compared between check runs, so the
    # evidence is held to the few types that survive a round trip unchanged.
    for key, value in evidence.items():
        if not isinstance(key, str):
            raise TypeError(f"evidence key {key!r} is not a string")
        if isinstance(value, bool) or not (
            isinstance(value, (str, int))
            or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        ):
            raise TypeError(f"evidence {key!r} must be a str, an int or a list of str, not {value!r}")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_version: int
    severity: Severity
    target: str
    message: str
    evidence: dict = field(default_factory=dict)
    # What the finding is about, in words that survive an unrelated edit of
    # the same article ("Casualties1|killed|14|13"): a finding of the base
    # with the same fingerprint is the same finding, inherited.
    fingerprint: str = ""
    # Set by `judge`: the published revision the proposal was edited from
    # already had this finding, so it is shown but does not gate.
    inherited: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))
        if not _TARGET.match(self.target):
            raise ValueError(
                f"target {self.target!r} must be 'infobox:<Key>', 'lead', 'section:<Heading>' or 'title'"
            )
        _check_evidence(self.evidence)
        # A copy, so that the caller's dict or lists cannot change a finding.
        object.__setattr__(
            self,
            "evidence",
            {key: list(value) if isinstance(value, list) else value for key, value in self.evidence.items()},
        )

    def __hash__(self) -> int:
        # The evidence dict is not hashable; its JSON form is, so findings
        # can be put in sets to compare two check runs.
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    def to_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "severity": str(self.severity),
            "target": self.target,
            "message": self.message,
            "evidence": {
                key: list(value) if isinstance(value, list) else value
                for key, value in self.evidence.items()
            },
            "fingerprint": self.fingerprint,
            "inherited": self.inherited,
        }

    @property
    def identity(self) -> str:
        """The fingerprint, or where and what when the rule gives none."""
        return self.fingerprint or f"{self.target}|{self.message}"

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        return cls(
            rule_id=data["rule_id"],
            rule_version=int(data["rule_version"]),
            severity=Severity(data["severity"]),
            target=data["target"],
            message=data["message"],
            evidence=dict(data.get("evidence", {})),
            fingerprint=str(data.get("fingerprint", "")),
            inherited=bool(data.get("inherited", False)),
        )


@dataclass(frozen=True)
class CheckContext:
    content: ArticleContent
    # The revision the proposal was edited from; None for a new article.
    base: ArticleContent | None
    summary: str
    # The only source of "now": rules never read the clock, so a check run
    # can be repeated and gives the same findings.
    today: datetime.date
    # The published content of the other articles the content mentions, by title (see
    # editorial.links); None when the caller read none. Rules that compare across articles read it.
    linked: Mapping[str, ArticleContent] | None = None


class Rule(ABC):
    id: ClassVar[str]
    version: ClassVar[int]
    description: ClassVar[str]

    @abstractmethod
    def check(self, context: CheckContext) -> list[Finding]:
        """The findings for this content; an empty list when it is consistent."""

    def finding(
        self, severity: Severity, target: str, message: str, *, fingerprint: str = "", **evidence
    ) -> Finding:
        """A finding stamped with this rule's id and version.

        `message` is a plain sentence a reviewer understands without knowing
        the rules: no rule ids, no evidence keys. What it quotes goes in the
        evidence as `quote`, `highlight` and `highlight_at` (see
        `text.prose.quote_evidence`), so that the page can show the sentence
        with the figure marked, beside its paragraph.
        """
        return Finding(
            rule_id=self.id,
            rule_version=self.version,
            severity=severity,
            target=target,
            message=message,
            evidence=evidence,
            fingerprint=fingerprint,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} v{self.version}>"

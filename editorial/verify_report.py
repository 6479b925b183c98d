"""What `verify()` found: every problem, and counts of what it read and proved.

Its own module so that each part of the verification (the chain, the
history rows) adds to it without importing the whole verifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    streams: int = 0
    events: int = 0
    revisions: int = 0
    articles: int = 0
    contents: int = 0
    history_rows: int = 0
    # The keyed chain: MACs checked, MACs present but not checked (no key), and plain events
    # older than the key, vouched for by a later keyed event of their stream (sealed) or not.
    keyed: int = 0
    macs_unchecked: int = 0
    sealed: int = 0
    unsealed: int = 0
    key_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def summary(self) -> str:
        text = (
            f"{self.events} events in {self.streams} streams, {self.revisions} revisions, "
            f"{self.articles} published articles, {self.history_rows} history rows, {self.contents} contents"
        )
        if self.key_id:
            text += (
                f"; key {self.key_id}: {self.keyed} events keyed, {self.sealed} older ones sealed by a later "
                f"keyed event of their stream, {self.unsealed} older ones proven by the public chain only"
            )
        elif self.macs_unchecked:
            text += f"; {self.macs_unchecked} MACs not checked: STET_LOG_KEY is not set"
        return text

"""A long event log made fast: real events appended through `store`, as the services append them.

For the replay tests and `benchmarks/event_log.py`. Proposing each
revision through the services would run the rules on every one; here the
rules run once, on the base content, and every revision's check run
records those results (under its own content hash) with their verdict.
Each revision rewrites the end of one section of one of `articles`
articles, and every seventh drops or restores an infobox field, so replaying the approvals
adds, changes and deletes published rows and their history.
"""

from __future__ import annotations

import dataclasses
import uuid

from django.db import transaction
from django.utils import timezone

from editorial import events as ev
from editorial import rules as registry
from editorial import store
from editorial.aggregate.verdict import RuleResult, verdict_of
from editorial.models import Stream
from encyclopedia.content import ArticleContent

from .factories import with_infobox


class EventLog:
    """Appends revisions to `articles` articles built on `base`; `append(n)` may be called again to grow it."""

    def __init__(self, *, base: ArticleContent, articles: int, author, reviewer):
        self.base, self.author, self.reviewer = base, author, reviewer
        self.contents = [dataclasses.replace(base, title=f"{base.title} {number}") for number in range(articles)]
        self.streams = [Stream(id=uuid.uuid4()) for _ in range(articles)]
        self.published: list[int | None] = [None] * articles
        self.revisions = 0
        rules = registry.active_rules()
        self.rule_versions = {rule.id: rule.version for rule in rules}
        context = registry.CheckContext(content=base, base=None, summary="edit", today=timezone.localdate())
        self.findings = {rule.id: [finding.to_dict() for finding in registry.judge(rule, context)] for rule in rules}
        results = [RuleResult(rule.id, rule.version, "", tuple(self.findings[rule.id]), "", timezone.now()) for rule in rules]
        self.verdict = str(verdict_of(results).value)

    @property
    def events_per_revision(self) -> int:
        return 1 + len(self.rule_versions) + 2 + 1  # proposed; started, a result a rule, concluded; decided

    def append(self, revisions: int, *, batch: int = 200) -> None:
        for start in range(0, revisions, batch):
            with transaction.atomic():
                for _ in range(min(batch, revisions - start)):
                    self._append_revision()

    def _append_revision(self) -> None:
        number = self.revisions
        self.revisions += 1
        which = number % len(self.streams)
        content = self._edited(self.contents[which], number)
        stream = self.streams[which]
        if self.published[which] is None:
            store.claim_address(content.slug, stream.id)
        proposed = store.append(
            stream=stream,
            payload=ev.RevisionProposed(
                title=content.title,
                content_hash=store.store_content(content),
                base_revision=self.published[which],
                summary=f"edit {number}",
            ),
            actor=self.author,
        )
        content_hash = content.content_hash
        store.append_all(
            stream=Stream(id=store.checks_stream_id(proposed.id)),
            payloads=[
                ev.ChecksStarted(content_hash=content_hash, rule_versions=self.rule_versions),
                *(
                    ev.RuleChecked(rule_id=rule_id, rule_version=version, content_hash=content_hash,
                                   findings=self.findings[rule_id])
                    for rule_id, version in self.rule_versions.items()
                ),
                ev.ChecksConcluded(content_hash=content_hash, rule_versions=self.rule_versions, verdict=self.verdict),
            ],
            actor=None,
            revision_id=proposed.id,
        )
        if number % 11 == 10:  # eleven is prime to any article count under it: every article has approvals
            decision = ev.RevisionRejected(reason="not this one")
        else:
            decision = ev.RevisionApproved(base_revision=self.published[which], override_reason="benchmark")
        store.append(stream=stream, payload=decision, actor=self.reviewer, revision_id=proposed.id)
        if isinstance(decision, ev.RevisionApproved):
            self.contents[which], self.published[which] = content, proposed.id

    def _edited(self, content: ArticleContent, number: int) -> ArticleContent:
        if number % 7 == 6:
            dropped = not any(entry.key == "Casualties2" for entry in content.infobox)
            return with_infobox(content, "Casualties2", f"{number} killed" if dropped else None)
        sections = list(content.sections)
        where = number % len(sections)
        section = sections[where]
        # From the base's text, so the articles do not grow with the log (the benchmark shows memory against its length).
        sections[where] = dataclasses.replace(section, body=f"{self.base.sections[where].body} Edit {number}.")
        return dataclasses.replace(content, sections=tuple(sections))

"""Rebuild the projections from the event log alone, or verify the live ones.

`verify()` reads everything and writes nothing: it checks every stream's
hash chain and head, every stored content's hash, and compares the live
read models and published tables with a fold of the log. `rebuild()`
empties the projections and re-applies every event with the same
`project()` the live commands use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article, InfoboxField, Section

from .models import ContentBlob, Event, GENESIS_HASH, Revision, Stream
from .projections import project, revision_row_values
from .events import RevisionApproved
from .state import RecordedEvent, evolve, fold_revision


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    streams: int = 0
    events: int = 0
    revisions: int = 0
    articles: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        self.problems.append(problem)


def _events_by_stream() -> dict:
    by_stream = defaultdict(list)
    for event in Event.objects.order_by("stream", "version").iterator(chunk_size=2000):
        by_stream[event.stream].append(event)
    return by_stream


def check_chains(by_stream: dict, report: Report) -> None:
    heads = {stream.id: stream for stream in Stream.objects.all()}
    for stream_id, rows in by_stream.items():
        expected_prev = GENESIS_HASH
        for expected_version, row in enumerate(rows, start=1):
            where = f"stream {stream_id}, event {row.id} (version {row.version}, {row.type})"
            if row.version != expected_version:
                report.add(f"{where}: expected version {expected_version}; an event is missing before it")
                expected_version = row.version
            if row.prev_hash != expected_prev:
                report.add(f"{where}: its previous-hash does not match the event before it (deleted or edited event)")
            if row.compute_hash() != row.hash:
                report.add(f"{where}: its content does not match its hash (edited after it was written)")
            expected_prev = row.hash
        head = heads.pop(stream_id, None)
        if head is None:
            report.add(f"stream {stream_id}: has events but no stream head")
        elif (head.version, head.head_hash) != (rows[-1].version, rows[-1].hash):
            report.add(
                f"stream {stream_id}: head says version {head.version} but the last event is version "
                f"{rows[-1].version} (events deleted from the end, or the head edited)"
            )
    for stream_id, head in heads.items():
        if head.version:
            report.add(f"stream {stream_id}: head says version {head.version} but the stream has no events")


def check_blobs(report: Report) -> dict[str, ArticleContent]:
    contents = {}
    for blob in ContentBlob.objects.iterator(chunk_size=500):
        content = blob.to_content()
        if content.content_hash != blob.hash:
            report.add(f"content {blob.hash}: stored content does not match its hash (edited)")
        contents[blob.hash] = content
    return contents


def verify() -> Report:
    report = Report()
    by_stream = _events_by_stream()
    report.streams = len(by_stream)
    report.events = sum(len(rows) for rows in by_stream.values())
    check_chains(by_stream, report)
    contents = check_blobs(report)

    expected_revisions: dict[int, dict] = {}
    expected_articles: dict = {}
    # A revision's events lie in its article's stream and its own checks stream:
    # fold each revision across streams (in id order), and take each article
    # stream's published revision from its last approval.
    revision_events: dict[int, list] = defaultdict(list)
    published: dict = {}
    for rows in by_stream.values():
        for row in rows:
            revision_events[row.concerns_revision].append(row)
            if row.type == RevisionApproved.type:
                published[row.stream] = row.concerns_revision
    states = {}
    for revision_id, rows in revision_events.items():
        try:
            states[revision_id] = fold_revision(RecordedEvent.from_model(row) for row in rows)
        except ValueError as error:
            report.add(f"revision {revision_id}: cannot be folded: {error}")
            continue
        expected_revisions[revision_id] = revision_row_values(states[revision_id])
    for stream_id, revision_id in published.items():
        revision = states.get(revision_id)
        if revision is None:
            continue
        content = contents.get(revision.content_hash)
        if content is None:
            report.add(f"revision {revision.id}: its content {revision.content_hash} is missing")
            continue
        expected_articles[stream_id] = (revision.id, content)

    _compare_revisions(expected_revisions, report)
    _compare_articles(expected_articles, report)
    report.revisions = len(expected_revisions)
    report.articles = len(expected_articles)
    return report


def _compare_revisions(expected: dict[int, dict], report: Report) -> None:
    live = {row["id"]: row for row in Revision.objects.values()}
    for revision_id, values in sorted(expected.items()):
        row = live.pop(revision_id, None)
        if row is None:
            report.add(f"revision {revision_id}: in the log but missing from the revision list")
            continue
        for name, value in values.items():
            if row[name] != value:
                report.add(f"revision {revision_id}: {name} is {row[name]!r} live but {value!r} in the log")
    for revision_id in sorted(live):
        report.add(f"revision {revision_id}: in the revision list but not in the log")


def _compare_articles(expected: dict, report: Report) -> None:
    live = {article.stream: article for article in Article.objects.with_content()}
    for stream_id, (revision_id, content) in expected.items():
        article = live.pop(stream_id, None)
        if article is None:
            report.add(f"article {content.title!r}: published in the log (revision {revision_id}) but missing")
            continue
        if article.current_revision_id != revision_id:
            report.add(
                f"article {article.title!r}: shows revision {article.current_revision_id}, the log says {revision_id}"
            )
        if article.slug != content.slug:
            report.add(f"article {article.title!r}: slug {article.slug!r}, the log says {content.slug!r}")
        for difference in _content_differences(content, article.to_content()):
            report.add(f"article {content.title!r} (revision {revision_id}): {difference}")
    for article in live.values():
        report.add(f"article {article.title!r}: published but never approved in the log")


def _content_differences(expected: ArticleContent, actual: ArticleContent) -> list[str]:
    differences = []
    if expected.title != actual.title:
        differences.append(f"title is {actual.title!r}, the log says {expected.title!r}")
    if expected.lead != actual.lead:
        differences.append("the lead differs from the log")
    expected_fields = {entry.key: (position, entry.value) for position, entry in enumerate(expected.infobox)}
    actual_fields = {entry.key: (position, entry.value) for position, entry in enumerate(actual.infobox)}
    for key in sorted(expected_fields.keys() | actual_fields.keys()):
        if expected_fields.get(key) != actual_fields.get(key):
            differences.append(
                f"infobox {key}: live {actual_fields.get(key)!r}, the log says {expected_fields.get(key)!r}"
            )
    if expected.sections != actual.sections:
        expected_sections = {section.heading: section for section in expected.sections}
        actual_sections = {section.heading: section for section in actual.sections}
        for heading in sorted(expected_sections.keys() | actual_sections.keys()):
            if expected_sections.get(heading) != actual_sections.get(heading):
                differences.append(f"section {heading!r} differs from the log")
        if [s.heading for s in expected.sections] != [s.heading for s in actual.sections]:
            differences.append("the order of the sections differs from the log")
    return differences


@transaction.atomic
def rebuild() -> int:
    """Empty the projections and re-apply every event; returns the number applied."""
    for model in (Section, InfoboxField, Article):
        model.history.all().delete()
    Article.objects.all().delete()
    Revision.objects.all().delete()
    contents: dict[str, ArticleContent] = {}

    def load(content_hash: str) -> ArticleContent:
        if content_hash not in contents:
            contents[content_hash] = ContentBlob.objects.get(hash=content_hash).to_content()
        return contents[content_hash]

    states: dict = {}
    applied = 0
    for row in Event.objects.order_by("id").iterator(chunk_size=2000):
        event = RecordedEvent.from_model(row)
        states[event.revision_id] = evolve(states.get(event.revision_id), event)
        project(event, states[event.revision_id], content_loader=load)
        applied += 1
    return applied

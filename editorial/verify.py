"""Verify the event log and everything readers see against it, writing nothing.

`verify()` checks, and reports every difference it finds (never raising
for a damaged log):
- per stream, whatever its kind (an article's, or a revision's checks):
  versions 1..n, each event's public SHA-256 hash and its link to the one
  before, and the stream head;
- with STET_LOG_KEY, each event's MAC, and that no event after the key
  began lacks one (see logkey.py);
- every content an event names exists and matches its hash;
- the revision list, the published tables and every history row of them
  (approver, revision, date, values) against a fold of the log;
- the article addresses: each published article's slug is claimed by its
  own stream, and each address names a stream that exists.

A revision is folded from every event that concerns it, in id order (its
checks may lie in a stream of their own); an article's published revision
is its stream's last approval.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article

from . import events as ev
from .models import ArticleAddress, ContentBlob, Event, Revision, Stream
from .projections import revision_row_values
from .verify_chain import check_chains, check_macs, where
from .verify_report import Report
from .verify_history import Approval, compare_history, expected_history, live_history
from .aggregate.fold import RecordedEvent, fold_revision


def verify() -> Report:
    with _read_snapshot():
        return _verify()


@contextmanager
def _read_snapshot():
    """Read every table as of one moment, so that writers going on meanwhile cause no false difference."""
    if connection.in_atomic_block:
        yield  # the caller's transaction is the snapshot
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Django's atomic() would BEGIN IMMEDIATE (settings) and hold the write lock for the
        # whole run; a deferred read transaction sees one snapshot in WAL mode and blocks no writer.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    yield


def _verify() -> Report:
    report = Report()
    by_stream: dict = defaultdict(list)
    for event in Event.objects.order_by("stream", "version").iterator(chunk_size=2000):
        by_stream[event.stream].append(event)
    report.streams = len(by_stream)
    report.events = sum(len(rows) for rows in by_stream.values())
    heads = {stream.id: stream for stream in Stream.objects.all()}
    check_chains(by_stream, dict(heads), report)
    check_macs(by_stream, report)

    recorded = _read_events(by_stream, report)
    states = _fold_revisions(recorded, report)
    published_hashes = {
        states[event.revision_id].content_hash
        for event in recorded
        if isinstance(event.payload, ev.RevisionApproved) and event.revision_id in states
    }
    contents = check_contents(recorded, report, keep=published_hashes)
    approvals = _approvals_by_stream(recorded, states, contents, report)

    expected_articles, skip_history = {}, set()
    names = {}
    for stream_id, stream_approvals in approvals.items():
        last = stream_approvals[-1]
        names[stream_id] = states[last.revision_id].title
        missing = next((a for a in stream_approvals if a.content is None), None)
        if missing is not None:
            report.add(
                f"history of {names[stream_id]!r} not checked: the content of revision {missing.revision_id} "
                "is missing or unreadable"
            )
            skip_history.add(stream_id)
        if last.content is None:
            report.add(f"article {names[stream_id]!r} not checked: the content of revision {last.revision_id} "
                       "is missing or unreadable")
            continue
        expected_articles[stream_id] = (last.revision_id, last.content)

    report.revisions = len(states)
    report.articles = len(expected_articles)
    compare_revisions({rid: revision_row_values(state) for rid, state in states.items()}, report)
    compare_articles(expected_articles, report)
    expected = [
        row
        for stream_id, stream_approvals in approvals.items()
        if stream_id not in skip_history
        for row in expected_history(stream_id, stream_approvals)
    ]
    report.history_rows = compare_history(
        expected,
        live_history(),
        article_names=names,
        skip_streams=skip_history,
        describe_user=_user_describer(),
        add=report.add,
    )
    check_addresses(expected_articles, set(heads) | set(by_stream), report)
    return report


# --- Events, contents and the fold ----------------------------------------------


def _read_events(by_stream: dict, report: Report) -> list[RecordedEvent]:
    recorded = []
    for rows in by_stream.values():
        for row in rows:
            try:
                recorded.append(RecordedEvent.from_model(row))
            except Exception as error:  # a damaged payload is a finding, never a crash
                report.add(f"{where(row)}: cannot be read: {error}")
    recorded.sort(key=lambda event: event.id)
    return recorded


def check_contents(recorded: list[RecordedEvent], report: Report, *, keep: set) -> dict[str, ArticleContent]:
    """Checks every stored content; reports edited, unreadable and missing ones.

    Returns the sound ones among `keep` (those ever published), holding only these in memory.
    """
    named: dict[str, RecordedEvent] = {}
    for event in recorded:
        content_hash = getattr(event.payload, "content_hash", None)
        if isinstance(content_hash, str):
            named.setdefault(content_hash, event)
    contents, sound, damaged = {}, set(), set()
    for blob in ContentBlob.objects.iterator(chunk_size=500):
        report.contents += 1
        try:
            content = blob.to_content()
            actual = content.content_hash
        except Exception as error:
            report.add(f"content {blob.hash}: stored content cannot be read ({type(error).__name__}: {error})")
            damaged.add(blob.hash)
            continue
        if actual != blob.hash:
            report.add(f"content {blob.hash}: stored content does not match its hash (edited)")
            damaged.add(blob.hash)
            continue
        if blob.hash in keep:
            contents[blob.hash] = content
        else:
            sound.add(blob.hash)
    for content_hash, event in named.items():
        if content_hash not in contents and content_hash not in sound and content_hash not in damaged:
            report.add(
                f"content {content_hash}: named by event {event.id} ({event.type}, revision {event.revision_id}) "
                "but missing from the content store"
            )
    return contents


def _fold_revisions(recorded: list[RecordedEvent], report: Report) -> dict:
    by_revision: dict[int, list] = defaultdict(list)
    for event in recorded:
        by_revision[event.revision_id].append(event)
    states = {}
    for revision_id, events in by_revision.items():
        try:
            states[revision_id] = fold_revision(events)
        except Exception as error:
            report.add(f"revision {revision_id}: cannot be folded: {error}")
    return states


def _approvals_by_stream(recorded: list[RecordedEvent], states: dict, contents: dict, report: Report) -> dict:
    """Each article stream's approvals in order, with the approved content (None if missing or damaged)."""
    approvals: dict[object, list[Approval]] = defaultdict(list)
    for event in recorded:  # id order is version order within a stream
        if not isinstance(event.payload, ev.RevisionApproved):
            continue
        revision = states.get(event.revision_id)
        if revision is None:
            report.add(f"event {event.id} (revision.approved): approves revision {event.revision_id}, "
                       "which the log never proposed")
            continue
        if revision.stream != event.stream:
            report.add(f"event {event.id} (revision.approved): approves revision {revision.id} of stream "
                       f"{revision.stream} but is recorded in stream {event.stream}")
            continue
        approvals[event.stream].append(
            Approval(event.revision_id, event.actor_id, event.recorded_at, contents.get(revision.content_hash))
        )
    return approvals


# --- The read models ---------------------------------------------------------------


def compare_revisions(expected: dict[int, dict], report: Report) -> None:
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


def compare_articles(expected: dict, report: Report) -> None:
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


def check_addresses(expected_articles: dict, streams: set, report: Report) -> None:
    addresses = dict(ArticleAddress.objects.values_list("slug", "stream"))
    for stream_id, (_revision_id, content) in expected_articles.items():
        owner = addresses.get(content.slug)
        if owner is None:
            report.add(f"article {content.title!r}: its address {content.slug!r} is not claimed (stream {stream_id})")
        elif owner != stream_id:
            report.add(
                f"article {content.title!r}: its address {content.slug!r} is claimed by stream {owner}, "
                f"not by its own stream {stream_id}"
            )
    for slug, stream_id in sorted(addresses.items()):
        if stream_id not in streams:
            report.add(f"address {slug!r}: names stream {stream_id}, which does not exist")


def _user_describer():
    names: dict | None = None

    def describe(user_id) -> str:
        nonlocal names
        if user_id is None:
            return "nobody"
        if names is None:  # only when there is a difference to describe
            user_model = get_user_model()
            names = dict(user_model.objects.values_list("pk", user_model.USERNAME_FIELD))
        return f"user {user_id} ({names.get(user_id, 'deleted')})"

    return describe

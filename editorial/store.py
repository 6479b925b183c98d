"""Reading and appending events: the only code that writes the event table.

Streams, and why these boundaries: only writes that can truly conflict
share a version counter.
- An article's stream holds its proposals and decisions. Publication must
  be serialised per article (an approval is only valid on top of the
  revision it was written against), and decisions on one revision must
  exclude each other, so these share one counter.
- Each revision has a checks stream of its own (`checks_stream_id`) for
  its check results. Checks of one revision conflict only with each other
  (each step is recorded once); they never hold up an editor's proposal
  or a reviewer's decision on another revision.
- `ArticleAddress` gives each title's slug one stream, so rival first
  drafts of one title meet in one stream instead of founding several.

A decision is taken on exactly the events up to the heads it read first
(`load_revision`, `published_revision_id(..., head=...)`), and appended
with a conditional update of the head it read. Any write committed after
that read makes the append fail (`ConcurrentWrite`); any write committed
before it is among the events read. So no commit can slip between two
reads unnoticed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from . import events as ev
from .errors import ConcurrentWrite, ContentMissing, NotFound
from .models import ArticleAddress, ContentBlob, Event, Stream
from encyclopedia.content import ArticleContent
from .aggregate.fold import RecordedEvent, RevisionState, fold_revision

logger = logging.getLogger(__name__)

# Names the checks stream of each revision; fixed forever, since stored event rows name these streams.
_CHECKS_NAMESPACE = uuid.UUID("6d1b0c4e-8a4f-4f0e-9a51-3c2f1d7e5b90")


def checks_stream_id(revision_id: int) -> uuid.UUID:
    return uuid.uuid5(_CHECKS_NAMESPACE, f"revision {revision_id} checks")


def read_heads(*stream_ids: uuid.UUID) -> dict[uuid.UUID, Stream]:
    """The heads of these streams, in one query; a stream with no event yet is at version 0."""
    found = Stream.objects.in_bulk(list(stream_ids))
    return {stream_id: found.get(stream_id) or Stream(id=stream_id) for stream_id in stream_ids}


def read_head(stream_id: uuid.UUID) -> Stream:
    return read_heads(stream_id)[stream_id]


def append(*, stream: Stream, payload: ev.EventPayload, actor, revision_id: int | None = None) -> RecordedEvent:
    """Append one event on top of the stream head the caller read (see `append_all`)."""
    return append_all(stream=stream, payloads=[payload], actor=actor, revision_id=revision_id)[0]


def append_all(
    *, stream: Stream, payloads: list[ev.EventPayload], actor, revision_id: int | None = None
) -> list[RecordedEvent]:
    """Append events in order on top of the stream head the caller read, in three statements at most.

    The conditional update of the head (`WHERE version = <read>`) makes a
    second writer on the same version fail instead of overwriting, on
    SQLite and PostgreSQL alike: on PostgreSQL it waits for a rival's row
    lock, then sees the rival's version. A stream's head row is made by
    its first append, so a new stream cannot be founded twice either. The
    unique (stream, version) constraint on events backs this up. Must run
    inside a transaction.
    """
    if not payloads:
        return []
    if stream.version == 0:
        # Waits for a rival founding the same stream; then the update below finds it moved.
        Stream.objects.bulk_create([Stream(id=stream.id)], ignore_conflicts=True)
    recorded_at = timezone.now()
    rows, prev_hash = [], stream.head_hash
    for offset, payload in enumerate(payloads, start=1):
        event = Event(
            stream=stream.id,
            version=stream.version + offset,
            type=payload.type,
            payload=payload.to_dict(),
            actor=actor,
            revision_id=revision_id,
            recorded_at=recorded_at,
            prev_hash=prev_hash,
        )
        event.seal()
        rows.append(event)
        prev_hash = event.hash
    last = rows[-1]
    if not _move_head(stream, to_version=last.version, to_hash=last.hash):
        raise ConcurrentWrite(f"stream {stream.id} moved past version {stream.version}")
    # Holding the moved head, nobody else can write these versions: no savepoint, one INSERT.
    for row, event_id in zip(rows, _insert_events(rows)):
        row.id = event_id
        row._state.adding = False
    stream.version, stream.head_hash = last.version, last.hash
    return [RecordedEvent.from_model(row) for row in rows]


# The append is the hot path of every write: its two statements are written once here, with
# each value prepared by its model field as the ORM would, instead of the ORM building and
# compiling them again for every event (most of an append's time on SQLite).
_HEAD_FIELDS = {name: Stream._meta.get_field(name) for name in ("id", "version", "head_hash")}
_EVENT_FIELDS = [field for field in Event._meta.concrete_fields if not field.primary_key]


def _move_head(stream: Stream, *, to_version: int, to_hash: str) -> bool:
    """`UPDATE ... WHERE version = <read>`: True when this writer moved the head it read."""
    quote, prepare = connection.ops.quote_name, lambda name, value: _HEAD_FIELDS[name].get_db_prep_save(value, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Stream._meta.db_table)} SET {quote('version')} = %s, {quote('head_hash')} = %s "
            f"WHERE {quote('id')} = %s AND {quote('version')} = %s",
            [prepare("version", to_version), prepare("head_hash", to_hash), prepare("id", stream.id),
             prepare("version", stream.version)],
        )
        return cursor.rowcount == 1


def _insert_events(rows: list[Event]) -> list[int]:
    """One INSERT of the events, returning their ids in order (as bulk_create relies on)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _EVENT_FIELDS)
    one_row = "(" + ", ".join(["%s"] * len(_EVENT_FIELDS)) + ")"
    params = [field.get_db_prep_save(getattr(row, field.attname), connection) for row in rows for field in _EVENT_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Event._meta.db_table)} ({columns}) VALUES {', '.join([one_row] * len(rows))} "
            f"RETURNING {quote('id')}",
            params,
        )
        return [event_id for (event_id,) in cursor.fetchall()]


@dataclass
class RevisionAtHeads:
    """A revision folded from exactly the events up to the two heads read before them."""

    revision: RevisionState
    article_head: Stream
    checks_head: Stream


def load_revision(revision_id: int, *, stream: uuid.UUID | None = None) -> RevisionAtHeads:
    """Read the heads first, then the revision's events up to them (two streams, three queries;
    two when the caller knows the revision's `stream`)."""
    # Which stream a revision was proposed in never changes, so it may be read before the heads.
    article_stream = stream or (
        Event.objects.filter(id=revision_id, type=ev.RevisionProposed.type).values_list("stream", flat=True).first()
    )
    if article_stream is None:
        raise NotFound(f"There is no revision {revision_id}.")
    checks_stream = checks_stream_id(revision_id)
    heads = read_heads(article_stream, checks_stream)
    article_head, checks_head = heads[article_stream], heads[checks_stream]
    rows = Event.objects.filter(
        Q(stream=article_stream, version__lte=article_head.version) & (Q(id=revision_id) | Q(revision_id=revision_id))
        | Q(stream=checks_stream, version__lte=checks_head.version)
    )
    revision = fold_revision(RecordedEvent.from_model(row) for row in rows)
    return RevisionAtHeads(revision=revision, article_head=article_head, checks_head=checks_head)


def store_content(content: ArticleContent) -> str:
    """Store the content once, keyed by its hash, and return the hash."""
    content_hash = content.content_hash
    ContentBlob.objects.bulk_create(
        [ContentBlob(hash=content_hash, content=content.to_dict())], ignore_conflicts=True
    )
    return content_hash


def contents_by_hash(hashes: Iterable[str]) -> dict[str, ArticleContent]:
    """The stored contents for these hashes, in one query.

    A blob edited into something that is no article content is left out,
    as if missing: the caller says so (`ContentMissing`) instead of failing on it.
    """
    hashes = {content_hash for content_hash in hashes if content_hash}
    if not hashes:
        return {}
    contents = {}
    for blob in ContentBlob.objects.filter(hash__in=hashes):
        try:
            contents[blob.hash] = blob.to_content()
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.error("Content blob %s cannot be read as article content", blob.hash)
    return contents


def load_content(content_hash: str, *, revision_id: int | None = None) -> ArticleContent:
    content = contents_by_hash([content_hash]).get(content_hash)
    if content is None:
        raise ContentMissing(content_hash, revision_id=revision_id)
    return content


def revision_events(revision_id: int) -> list[RecordedEvent]:
    """The events of one revision in both its streams, for reading (a decision uses `load_revision`)."""
    rows = Event.objects.filter(
        Q(id=revision_id, type=ev.RevisionProposed.type) | Q(revision_id=revision_id)
    ).order_by("id")
    return [RecordedEvent.from_model(row) for row in rows]


def published_revision_id(stream_id: uuid.UUID, *, head: Stream | None = None) -> int | None:
    """The stream's last approved revision, read from the log itself (up to `head`, when deciding)."""
    approvals = Event.objects.filter(stream=stream_id, type=ev.RevisionApproved.type)
    if head is not None:
        approvals = approvals.filter(version__lte=head.version)
    return approvals.order_by("-version").values_list("revision_id", flat=True).first()


def address_owner(slug: str) -> uuid.UUID | None:
    return ArticleAddress.objects.filter(slug=slug).values_list("stream", flat=True).first()


def claim_address(slug: str, stream_id: uuid.UUID) -> uuid.UUID:
    """Claim `slug` for `stream_id` unless a stream holds it already; returns the stream that holds it.

    On PostgreSQL a rival's uncommitted claim of the same slug makes the
    insert wait for it; on SQLite writers are serialised. Either way every
    claimant then reads the one stream that won.
    """
    ArticleAddress.objects.bulk_create([ArticleAddress(slug=slug, stream=stream_id)], ignore_conflicts=True)
    return ArticleAddress.objects.values_list("stream", flat=True).get(slug=slug)

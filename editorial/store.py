"""Reading and appending events: the only code that writes the event table."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import events as ev
from .errors import ConcurrentWrite, NotFound
from .models import ContentBlob, Event, Stream
from .state import RecordedEvent
from encyclopedia.content import ArticleContent


def new_stream() -> Stream:
    return Stream.objects.create(id=uuid.uuid4())


def get_stream(stream_id: uuid.UUID) -> Stream:
    return Stream.objects.get(id=stream_id)


def append(*, stream: Stream, payload: ev.EventPayload, actor, revision_id: int | None = None) -> RecordedEvent:
    """Append one event on top of the stream head the caller read.

    Two guards make a second writer on the same version fail instead of
    overwriting, on SQLite and PostgreSQL alike: the conditional update of
    the stream head (which waits for a rival's row lock, then sees its
    version), and the unique (stream, version) constraint on events.
    Must run inside a transaction.
    """
    event = Event(
        stream=stream.id,
        version=stream.version + 1,
        type=payload.type,
        payload=payload.to_dict(),
        actor=actor,
        revision_id=revision_id,
        recorded_at=timezone.now(),
        prev_hash=stream.head_hash,
    )
    event.hash = event.compute_hash()
    moved = Stream.objects.filter(id=stream.id, version=stream.version).update(
        version=event.version, head_hash=event.hash
    )
    if moved != 1:
        raise ConcurrentWrite(f"stream {stream.id} moved past version {stream.version}")
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as error:
        raise ConcurrentWrite(f"stream {stream.id} already has version {event.version}") from error
    stream.version, stream.head_hash = event.version, event.hash
    return RecordedEvent.from_model(event)


def store_content(content: ArticleContent) -> str:
    """Store the content once, keyed by its hash, and return the hash."""
    content_hash = content.content_hash
    ContentBlob.objects.bulk_create(
        [ContentBlob(hash=content_hash, content=content.to_dict())], ignore_conflicts=True
    )
    return content_hash


def load_content(content_hash: str) -> ArticleContent:
    try:
        return ContentBlob.objects.get(hash=content_hash).to_content()
    except ContentBlob.DoesNotExist:
        raise NotFound(f"no stored content with hash {content_hash}") from None


def revision_events(revision_id: int) -> list[RecordedEvent]:
    """The events of one revision, in order (one query, whatever the stream's length)."""
    rows = Event.objects.filter(
        Q(id=revision_id, type=ev.RevisionProposed.type) | Q(revision_id=revision_id)
    ).order_by("version")
    return [RecordedEvent.from_model(row) for row in rows]


def published_revision_id(stream_id: uuid.UUID) -> int | None:
    """The stream's last approved revision, read from the log itself."""
    row = (
        Event.objects.filter(stream=stream_id, type=ev.RevisionApproved.type)
        .order_by("-version")
        .values_list("revision_id", flat=True)
        .first()
    )
    return row

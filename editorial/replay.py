"""Rebuild the projections from the event log alone; verifying them lives in verify.py.

`rebuild()` empties the projections and re-applies every event, reading
the log in id order, `chunk_size` events at a time. Memory stays flat
however long the log is; it holds only
- the folded states of the `revision_capacity` revisions touched last
  (one that leaves has its row written; a later event of it folds it
  again from its events so far),
- the published rows of the `article_capacity` articles approved last,
- one chunk of events and the contents its approvals publish.
It writes what the live path (`projections.project`) writes, each row
once where it can (see replay_bulk.py). `verify()` (re-exported here for
its callers) reads everything and writes nothing.
"""

from __future__ import annotations

from collections import OrderedDict

from django.db import connection, transaction
from django.db.models import Q

from encyclopedia.models import Article, InfoboxField, Section

from . import events as ev
from . import store
from .errors import ContentMissing
from .models import Event, Revision
from .replay_bulk import Publisher, RevisionRows
from .verify import verify
from .aggregate.fold import RecordedEvent, RevisionState, evolve, fold_revision

__all__ = ["rebuild", "verify"]  # replay.verify() is the public name of verify.verify()

_EVENT_COLUMNS = ("id", "stream", "version", "type", "payload", "actor_id", "recorded_at", "revision_id")


@transaction.atomic
def rebuild(
    *,
    chunk_size: int = 2000,
    revision_capacity: int = 1024,
    article_capacity: int = 256,
) -> int:
    """Empty the projections and re-apply every event; returns the number applied."""
    _empty_projections()
    revisions = _RevisionStates(capacity=revision_capacity, rows=RevisionRows(batch_size=chunk_size))
    publisher = Publisher(capacity=article_capacity, batch_size=chunk_size)
    applied = 0
    for chunk in _chunks(_events(chunk_size), chunk_size):
        approvals = []
        for event in chunk:
            state = revisions.apply(event)
            if isinstance(event.payload, ev.RevisionApproved):
                approvals.append((event, state))
        # Publishing needs only each approval's event and state, so the chunk's contents come in one query.
        contents = store.contents_by_hash(state.content_hash for _, state in approvals)
        for event, state in approvals:
            content = contents.get(state.content_hash)
            if content is None:
                raise ContentMissing(state.content_hash, revision_id=state.id)
            publisher.approve(event, state, content)
        applied += len(chunk)
    revisions.flush()
    publisher.flush()
    return applied


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _empty_projections() -> None:
    """Delete every projected row and its history, with plain DELETEs.

    The ORM's delete would make simple-history write a "-" row for each
    deleted row (that no approval made) only to delete it next, and would
    read every row first to do so.
    """
    tables = (
        Section, InfoboxField, Article, Revision,
        Section.history.model, InfoboxField.history.model, Article.history.model,
    )
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _events(chunk_size: int):
    """The log in id order, read `chunk_size` rows at a time (a server-side cursor on PostgreSQL).

    `RecordedEvent.from_model` of plain tuples: building an `Event` instance for each row costs more than the rest.
    """
    rows = Event.objects.order_by("id").values_list(*_EVENT_COLUMNS).iterator(chunk_size=chunk_size)
    for event_id, stream, version, event_type, payload, actor_id, recorded_at, revision_id in rows:
        yield RecordedEvent(
            id=event_id,
            stream=stream,
            version=version,
            type=event_type,
            payload=ev.payload_from(event_type, payload),
            actor_id=actor_id,
            recorded_at=recorded_at,
            revision_id=revision_id if revision_id is not None else event_id,
        )


class _RevisionStates:
    """The folded states of the revisions touched last; the others are in their rows and their events."""

    def __init__(self, *, capacity: int, rows: RevisionRows):
        self.capacity, self.rows = capacity, rows
        # revision id -> (state, whether its row was written earlier in this rebuild), least recently used first
        self._states: OrderedDict[int, tuple[RevisionState, bool]] = OrderedDict()

    def apply(self, event: RecordedEvent) -> RevisionState:
        held = self._states.pop(event.revision_id, None)
        if held is not None:
            state, written = held
        elif isinstance(event.payload, ev.RevisionProposed):
            state, written = None, False
        else:
            # It left memory, so its row was written: fold it again from its events before this one.
            state, written = _fold_before(event.revision_id, event.id), True
        state = evolve(state, event)
        self._states[event.revision_id] = (state, written)
        if len(self._states) > self.capacity:
            _, (oldest, oldest_written) = self._states.popitem(last=False)
            self.rows.write(oldest, exists=oldest_written)
        return state

    def flush(self) -> None:
        for state, written in self._states.values():
            self.rows.write(state, exists=written)
        self._states.clear()
        self.rows.flush()


def _fold_before(revision_id: int, event_id: int) -> RevisionState | None:
    rows = Event.objects.filter(Q(id=revision_id) | Q(revision_id=revision_id), id__lt=event_id)
    return fold_revision(
        RecordedEvent.from_model(row) for row in rows.only(*_EVENT_COLUMNS)
    )

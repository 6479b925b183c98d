"""Rebuild the projections from the event log alone; verifying them lives in verify.py.

`rebuild()` empties the projections and re-applies every event with the
same `project()` the live commands use. `verify()` (re-exported here for
its callers) reads everything and writes nothing.
"""

from __future__ import annotations

from django.db import transaction

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article, InfoboxField, Section

from .models import ContentBlob, Event, Revision
from .projections import project
from .verify import verify  # noqa: F401 (replay.verify() is the public name)
from .aggregate.fold import RecordedEvent, evolve


@transaction.atomic
def rebuild() -> int:
    """Empty the projections and re-apply every event; returns the number applied."""
    Article.objects.all().delete()  # and, by cascade, their infobox fields and sections
    Revision.objects.all().delete()
    # After the rows: deleting them writes "-" history rows, which no approval made.
    for model in (Section, InfoboxField, Article):
        model.history.all().delete()
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

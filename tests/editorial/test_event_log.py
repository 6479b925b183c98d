"""The event log is append-only through the ORM and chained by hashes."""

import pytest

from editorial.models import AppendOnlyError, ContentBlob, Event, GENESIS_HASH, Stream

pytestmark = pytest.mark.django_db


def test_events_cannot_be_updated_or_deleted_through_the_orm(published_seed):
    event = Event.objects.first()
    event.payload = {"summary": "rewritten"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(type="revision.rejected")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ContentBlob.objects.all().delete()
    assert Event.objects.get(pk=event.pk).type == "revision.proposed"


def test_each_event_chains_to_the_one_before_it_and_the_head_names_the_last(published_seed):
    # Chains and heads are per stream: the article's stream and each revision's checks stream.
    streams = sorted(set(Event.objects.values_list("stream", flat=True)))
    article_stream = Event.objects.get(id=published_seed.id).stream
    assert article_stream in streams
    for stream in streams:
        events = list(Event.objects.filter(stream=stream).order_by("version"))
        assert [event.version for event in events] == list(range(1, len(events) + 1))
        assert events[0].prev_hash == GENESIS_HASH
        for previous, event in zip(events, events[1:]):
            assert event.prev_hash == previous.hash
        assert all(event.compute_hash() == event.hash for event in events)
        head = Stream.objects.get(id=stream)
        assert (head.version, head.head_hash) == (events[-1].version, events[-1].hash)
        if stream == article_stream:
            assert events[0].type == "revision.proposed" and events[-1].type == "revision.approved"


def test_a_second_writer_on_the_same_version_fails_instead_of_overwriting(published_seed, editor):
    from editorial import events as ev
    from editorial import store
    from editorial.errors import ConcurrentWrite
    from django.db import transaction

    article_stream = Event.objects.get(id=published_seed.id).stream
    stale_head = Stream.objects.get(id=article_stream)
    current_head = Stream.objects.get(id=article_stream)
    payload = ev.RevisionWithdrawn(reason="x")
    with transaction.atomic():
        store.append(stream=current_head, payload=payload, actor=editor, revision_id=published_seed.id)
    with pytest.raises(ConcurrentWrite), transaction.atomic():
        store.append(stream=stale_head, payload=payload, actor=editor, revision_id=published_seed.id)
    versions = list(Event.objects.filter(stream=article_stream).order_by("version").values_list("version", flat=True))
    assert versions == list(range(1, current_head.version + 1))

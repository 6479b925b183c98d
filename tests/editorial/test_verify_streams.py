"""The verifier folds each revision from every stream it has events in, and checks the article addresses.

A revision's check events lie in its own checks stream (older databases
have them in the article's stream); chains and heads are per stream,
whatever the stream's kind.
"""

import uuid

import pytest
from django.db import transaction

from editorial import events as ev
from editorial import replay, store
from editorial.services import revision_propose
from editorial.models import ArticleAddress, Event, Revision, Stream

from tests.support.factories import with_infobox
from tests.support.tampering import raw_sql

pytestmark = pytest.mark.django_db


def test_a_revision_with_events_in_two_streams_verifies(published_seed):
    streams = set(Event.objects.filter(revision_id=published_seed.id).values_list("stream", flat=True))
    streams.add(Event.objects.get(id=published_seed.id).stream)
    report = replay.verify()
    assert report.problems == []
    assert report.streams == len(streams) == 2


def test_an_older_log_with_check_events_in_the_article_stream_verifies(published_seed, seed_content, editor):
    # Proposed inside the test's transaction: its checks never run, so write them the old way.
    revision = revision_propose(actor=editor, content=with_infobox(seed_content, "Notes", "n"), summary="s")
    article_stream = Stream.objects.get(id=revision.stream)
    versions = {"structure.infobox": 1}
    with transaction.atomic():
        for payload in (
            ev.ChecksStarted(content_hash=revision.content_hash, rule_versions=versions),
            ev.RuleChecked(rule_id="structure.infobox", rule_version=1, content_hash=revision.content_hash,
                           findings=[]),
            ev.ChecksConcluded(content_hash=revision.content_hash, rule_versions=versions, verdict="passed"),
        ):
            store.append(stream=article_stream, payload=payload, actor=None, revision_id=revision.id)
    replay.rebuild()

    report = replay.verify()

    assert report.problems == []
    assert Revision.objects.get(id=revision.id).check_status == "passed"


def test_an_edited_check_event_in_a_checks_stream_is_found(published_seed):
    checked = Event.objects.filter(revision_id=published_seed.id, type="checks.concluded").get()
    assert checked.stream != Event.objects.get(id=published_seed.id).stream
    raw_sql("UPDATE editorial_event SET payload = %s WHERE id = %s",
            ['{"content_hash": "x", "rule_versions": {}, "verdict": "passed"}', checked.id])

    found = replay.verify().problems

    assert any(
        p.startswith(f"stream {checked.stream}, event {checked.id} (version {checked.version}, checks.concluded)")
        and "does not match its hash" in p
        for p in found
    ), found


def test_an_approval_recorded_in_another_article_s_stream_is_found(busy_history):
    pending = Revision.objects.filter(status="pending").get()
    other = Revision.objects.filter(title="Tongo Tongo ambush").get()
    head = Stream.objects.get(id=other.stream)
    with transaction.atomic():
        approval = store.append(stream=head, payload=ev.RevisionApproved(base_revision=other.id), actor=None,
                                revision_id=pending.id)

    found = replay.verify().problems

    assert (
        f"event {approval.id} (revision.approved): approves revision {pending.id} of stream {pending.stream} "
        f"but is recorded in stream {other.stream}"
    ) in found, found


def test_a_published_article_whose_address_is_not_claimed_by_its_stream_is_found(busy_history):
    revision = Revision.objects.filter(title="2017 Ayorou attack").first()
    address = ArticleAddress.objects.get(slug="2017-ayorou-attack")
    assert address.stream == revision.stream

    ArticleAddress.objects.filter(slug="2017-ayorou-attack").update(stream=uuid.UUID(int=7))
    found = replay.verify().problems
    assert (
        "article '2017 Ayorou attack': its address '2017-ayorou-attack' is claimed by stream "
        f"{uuid.UUID(int=7)}, not by its own stream {revision.stream}"
    ) in found, found
    assert f"address '2017-ayorou-attack': names stream {uuid.UUID(int=7)}, which does not exist" in found, found

    ArticleAddress.objects.filter(slug="2017-ayorou-attack").delete()
    assert replay.verify().problems == [
        f"article '2017 Ayorou attack': its address '2017-ayorou-attack' is not claimed (stream {revision.stream})"
    ]


def test_an_address_naming_a_stream_that_does_not_exist_is_found(busy_history):
    ghost = uuid.uuid4()
    ArticleAddress.objects.create(slug="ghost-town", stream=ghost)
    assert replay.verify().problems == [f"address 'ghost-town': names stream {ghost}, which does not exist"]

"""The optional keyed chain: with STET_LOG_KEY, each event also carries an HMAC that only the key's holder can make.

The attacker here can write to the database but does not hold the key: they
rewrite an event, recompute the public SHA-256 chain to the head (and the
head), and rebuild the projections so that every table agrees with the
forged log. Without the key nothing can tell; with it, the forgery is found.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from editorial import replay
from editorial.services import revision_approve
from editorial.models import Event, Stream
from encyclopedia.content import ArticleContent

from tests.support.commands import run_command
from tests.support.factories import propose_checked, with_infobox
from tests.support.tampering import raw_sql

pytestmark = pytest.mark.django_db

KEY = "k3y-for-tests-only-0123456789abcdef0123456789"
OTHER_KEY = "an0ther-key-for-tests-only-0123456789abcdef01"


@pytest.fixture
def keyed(settings):
    settings.STET_LOG_KEY = KEY
    return settings


def forge(event_id: int, *, strip_macs: bool = False, **changes) -> None:
    """Rewrite one event and re-hash its stream to the head with the public SHA-256 scheme."""
    target = Event.objects.get(id=event_id)
    prev_hash = target.prev_hash
    for event in Event.objects.filter(stream=target.stream, version__gte=target.version).order_by("version"):
        if event.id == event_id:
            for name, value in changes.items():
                setattr(event, name, value)
        event.prev_hash = prev_hash
        event.hash = event.compute_hash()
        mac, mac_key_id = ("", "") if strip_macs else (event.mac, event.mac_key_id)
        raw_sql(
            "UPDATE editorial_event SET actor_id = %s, payload = %s, prev_hash = %s, hash = %s, mac = %s, "
            "mac_key_id = %s WHERE id = %s",
            [event.actor_id, _json(event.payload), event.prev_hash, event.hash, mac, mac_key_id, event.id],
        )
        prev_hash = event.hash
    Stream.objects.filter(id=target.stream).update(head_hash=prev_hash)
    replay.rebuild()  # the projections now agree with the forged log


def _json(value) -> str:
    return json.dumps(value)


def last_approval() -> Event:
    return Event.objects.filter(type="revision.approved").order_by("-id").first()


def test_with_a_key_every_event_carries_a_mac_and_verifies(keyed, busy_history):
    assert not Event.objects.filter(mac="").exists()
    assert Event.objects.values("mac_key_id").distinct().count() == 1
    report = replay.verify()
    assert report.problems == []
    assert report.keyed == Event.objects.count()


def test_a_forged_approver_with_a_recomputed_chain_passes_without_the_key_and_is_caught_with_it(
    keyed, busy_history, reviewer
):
    approval = last_approval()
    assert approval.actor_id != reviewer.id
    forge(approval.id, actor_id=reviewer.id)

    keyed.STET_LOG_KEY = ""
    assert replay.verify().problems == [], "the public chain alone cannot tell"

    keyed.STET_LOG_KEY = KEY
    found = replay.verify().problems
    assert found == [
        f"stream {approval.stream}, event {approval.id} (version {approval.version}, revision.approved): "
        "its MAC does not match (changed and re-hashed by someone without STET_LOG_KEY)"
    ]


def test_stripping_the_macs_of_a_forged_tail_is_caught_with_the_key(keyed, busy_history, reviewer):
    approval = last_approval()
    forge(approval.id, strip_macs=True, actor_id=reviewer.id)

    found = replay.verify().problems

    first_keyed = Event.objects.order_by("id").first().id
    assert (
        f"stream {approval.stream}, event {approval.id} (version {approval.version}, revision.approved): "
        f"has no MAC, but event {first_keyed} before it was keyed (forged, or written by a process "
        "without STET_LOG_KEY)"
    ) in found, found


def test_a_log_verified_with_another_key_is_refused_event_by_event(keyed, busy_history):
    keyed.STET_LOG_KEY = OTHER_KEY
    report = replay.verify()
    assert len(report.problems) == Event.objects.count()
    assert all("keyed under key" in p and "not the configured key" in p for p in report.problems)


def test_without_the_key_a_keyed_log_still_verifies_its_public_chain(keyed, busy_history):
    keyed.STET_LOG_KEY = ""
    report = replay.verify()
    assert report.problems == []
    assert (report.keyed, report.macs_unchecked) == (0, Event.objects.count())
    assert "not checked: STET_LOG_KEY is not set" in report.summary()

    target = Event.objects.filter(type="revision.rejected").get()
    raw_sql("UPDATE editorial_event SET payload = %s WHERE id = %s", ['{"reason": "fine"}', target.id])
    assert any(f"event {target.id}" in p and "does not match its hash" in p for p in replay.verify().problems)


def test_a_site_that_sets_the_key_later_verifies_and_old_events_are_sealed_by_later_keyed_ones(
    settings, busy_history, seed_content, editor, reviewer
):
    settings.STET_LOG_KEY = ""
    plain = Event.objects.count()
    settings.STET_LOG_KEY = KEY
    revision = propose_checked(actor=editor, content=with_infobox(seed_content, "Notes", "keyed"), summary="k")
    revision_approve(actor=reviewer, revision_id=revision.id)

    report = replay.verify()

    assert report.problems == []
    assert report.keyed == Event.objects.count() - plain
    assert report.sealed > 0 and report.sealed + report.unsealed == plain
    # An old event of the Ayorou stream is sealed by the keyed approval that follows it.
    seed_approval = Event.objects.filter(type="revision.approved").order_by("id").first()
    forge(seed_approval.id, actor_id=editor.id)
    found = replay.verify().problems
    assert any(p.startswith(f"stream {seed_approval.stream}, event ") and "MAC does not match" in p for p in found)


def test_the_key_cannot_vouch_for_old_events_that_no_keyed_event_follows(settings, busy_history, editor):
    """What the key cannot prove: the plain tail of a stream older than the key (README)."""
    settings.STET_LOG_KEY = ""
    tongo = Event.objects.filter(type="revision.approved").order_by("-id").first()  # the other article
    settings.STET_LOG_KEY = KEY
    # Keyed events from now on, but none in the Tongo Tongo stream.
    propose_checked(actor=editor, content=ArticleContent(title="Inates attack", lead="An attack."), summary="new")
    forge(tongo.id, actor_id=editor.id)
    report = replay.verify()
    assert report.problems == []
    assert report.unsealed > 0


def test_pinning_where_the_key_began_catches_a_log_whose_macs_were_all_stripped(keyed, busy_history, reviewer):
    first = Event.objects.order_by("id").first()
    approval = last_approval()
    for stream in Event.objects.values_list("stream", flat=True).distinct():
        forge(Event.objects.filter(stream=stream).order_by("version").first().id, strip_macs=True)
    forge(approval.id, strip_macs=True, actor_id=reviewer.id)
    assert replay.verify().problems == [], "with no keyed event left, nothing says where the key began"

    keyed.STET_LOG_KEYED_FROM = first.id
    found = replay.verify().problems
    assert len(found) == Event.objects.count()
    assert f"has no MAC, but STET_LOG_KEYED_FROM requires one from event {first.id} on" in found[0]


def test_the_command_prints_what_the_key_proved(keyed, busy_history):
    output = run_command("replay_events", "--verify")
    assert f"{Event.objects.count()} events keyed" in output


@pytest.mark.parametrize(
    "env, refusal",
    [
        ({"STET_LOG_KEY": "too-short"}, "STET_LOG_KEY is too short to be a key"),
        ({"STET_LOG_KEY": KEY, "STET_LOG_KEYED_FROM": "soon"}, "STET_LOG_KEYED_FROM must be an event id"),
    ],
    ids=["short key", "keyed-from not an id"],
)
def test_settings_refuse_a_key_that_is_no_key(env, refusal):
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=repo, env={**os.environ, "DEBUG": "1", **env}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert refusal in result.stderr

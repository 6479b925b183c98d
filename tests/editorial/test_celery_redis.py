"""The checks on a real Celery worker with a real Redis: the happy path, a killed worker, a dead broker.

Under CI=true these fail when Redis is missing; elsewhere they skip with the reason.
"""

import re
import time
from io import StringIO

import pytest
from django.core.management import call_command

from editorial.services import revision_approve, revision_propose
from editorial.models import Event, Revision
from editorial.rules import RULES
from encyclopedia.models import Article

from tests.support.celery_worker import (
    SHARED_REDIS,
    RedisServer,
    Worker,
    celery_sends_to,
    drop_queue,
    private_queue,
    require_redis,
)
from tests.support.processes import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
VERDICT_TIMEOUT = 90


def verdict_of(revision_id):
    row = Revision.objects.filter(id=revision_id).values_list("check_status", "checks_concluded_at").first()
    return row[0] if row and row[1] else None


def typo_fix(seed_content):
    attack = seed_content.section("Attack")
    fixed = attack.__class__(**{**attack.__dict__, "body": attack.body.replace("intersected", "intercepted")})
    return seed_content.__class__(
        **{**seed_content.__dict__, "sections": tuple(fixed if s is attack else s for s in seed_content.sections)}
    )


@pytest.fixture
def queue():
    name = private_queue()
    yield name
    if SHARED_REDIS:
        try:
            drop_queue(SHARED_REDIS, name)
        except Exception:  # Redis may be the thing under test being down
            pass


@pytest.fixture
def redis_broker():
    require_redis(SHARED_REDIS)
    return SHARED_REDIS


def test_propose_then_verdict_then_approve_through_a_real_worker(
    redis_broker, queue, tmp_path, published_seed, seed_content, editor, reviewer
):
    worker = Worker(redis_broker, queue, tmp_path / "worker.log")
    try:
        with celery_sends_to(redis_broker, queue):
            revision = revision_propose(actor=editor, content=typo_fix(seed_content), summary="typo")
            verdict = wait_until(
                lambda: verdict_of(revision.id), timeout=VERDICT_TIMEOUT, what="the worker's verdict",
                details=worker.output,
            )
        assert verdict == "passed", worker.output()
        assert "editorial.check_revision" in worker.output()
        revision_approve(actor=reviewer, revision_id=revision.id)
        assert "intercepted" in Article.objects.get().sections.get(heading="Attack").body
    finally:
        worker.stop()


def test_a_worker_killed_mid_check_is_replaced_and_the_verdict_is_recorded_once(
    redis_broker, queue, tmp_path, published_seed, seed_content, editor
):
    gate = tmp_path / "gate"
    gate.mkdir()
    worker_env = {
        "STET_EXTRA_RULES": "tests.support.rules.GatedRule",
        "STET_TEST_GATE_DIR": str(gate),
        "STET_BROKER_VISIBILITY_TIMEOUT": "3",
        "STET_BROKER_RESTORE_INTERVAL": "1",
    }
    first = Worker(redis_broker, queue, tmp_path / "first.log", **worker_env)
    with celery_sends_to(redis_broker, queue):
        revision = revision_propose(actor=editor, content=typo_fix(seed_content), summary="typo")
    try:
        wait_until(lambda: list(gate.glob("started-*")), timeout=VERDICT_TIMEOUT, what="the check to start")
    finally:
        first.kill()
    # Killed in the middle of its rules: a run is recorded in one transaction, so nothing is half-written.
    assert verdict_of(revision.id) is None
    assert not Event.objects.filter(revision_id=revision.id, type__startswith="checks.").exists()

    (gate / "release").touch()
    second = Worker(redis_broker, queue, tmp_path / "second.log", **worker_env)
    try:
        verdict = wait_until(
            lambda: verdict_of(revision.id), timeout=VERDICT_TIMEOUT, what="the verdict after the restart",
            details=lambda: first.output() + second.output(),
        )
    finally:
        second.stop()
    assert verdict == "passed", second.output()
    rule_ids = list(
        Event.objects.filter(revision_id=revision.id, type="checks.rule_checked").values_list("payload__rule_id", flat=True)
    )
    assert sorted(rule_ids) == sorted([rule.id for rule in RULES] + ["test.gated"])  # each exactly once
    assert Event.objects.filter(revision_id=revision.id, type="checks.concluded").count() == 1


def test_a_proposal_made_while_redis_is_down_is_kept_and_checked_when_it_is_back(
    queue, tmp_path, published_seed, seed_content, editor, reviewer
):
    require_redis(SHARED_REDIS)  # the machine must have Redis at all
    broker = RedisServer(tmp_path)
    broker.start()
    broker.stop()
    with celery_sends_to(broker.url, queue):
        started = time.monotonic()
        revision = revision_propose(actor=editor, content=typo_fix(seed_content), summary="typo")
        assert time.monotonic() - started < 30, "a dead broker must not hold up a proposal"
    row = Revision.objects.get(id=revision.id)
    assert (row.status, row.check_status, row.checks_started_at) == ("pending", "pending", None)

    broker.start()
    worker = Worker(broker.url, queue, tmp_path / "worker.log")
    try:
        with celery_sends_to(broker.url, queue):
            out = StringIO()
            call_command("recheck", str(revision.id), stdout=out)
            assert out.getvalue() == f"{revision.id}\tchecks sent\n"
            verdict = wait_until(
                lambda: verdict_of(revision.id), timeout=VERDICT_TIMEOUT, what="the verdict", details=worker.output
            )
    finally:
        worker.stop()
        broker.stop()
    assert verdict == "passed", worker.output()
    assert Event.objects.filter(revision_id=revision.id, type="checks.concluded").count() == 1
    revision_approve(actor=reviewer, revision_id=revision.id)


MESSAGE_END = "-" * 79 + "\n"  # what django.core.mail.backends.filebased writes after each message


def test_a_rejection_is_emailed_to_its_author_by_a_real_worker_after_it_commits(
    redis_broker, queue, tmp_path, published_seed, seed_content, editor, reviewer
):
    from editorial.models import Notification
    from editorial.services import revision_reject

    editor.email = "eda@example.org"
    editor.save(update_fields=["email"])
    outbox = tmp_path / "mail"
    worker = Worker(
        redis_broker, queue, tmp_path / "worker.log",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(outbox),
    )
    try:
        with celery_sends_to(redis_broker, queue):
            revision = revision_propose(actor=editor, content=typo_fix(seed_content), summary="typo")
            wait_until(lambda: verdict_of(revision.id), timeout=VERDICT_TIMEOUT, what="the verdict", details=worker.output)
            revision_reject(actor=reviewer, revision_id=revision.id, reason="Keep the source's spelling.")
        # Whole messages only: the file backend creates the file first and ends each message with a rule.
        emails = wait_until(
            lambda: [text for text in (path.read_text() for path in outbox.glob("*.log")) if text.endswith(MESSAGE_END)]
            if outbox.exists() else [],
            timeout=VERDICT_TIMEOUT, what="the worker's email", details=worker.output,
        )
    finally:
        worker.stop()
    [email] = emails  # the seed's approval was told in-process, before this worker
    assert "To: eda@example.org" in email and "Keep the source's spelling." in email
    notification = Notification.objects.get(revision_id=revision.id)
    assert (notification.recipient_id, notification.kind) == (editor.id, "rejected")
    assert notification.emailed_at is not None


@pytest.mark.postgresql
def test_a_worker_keeps_its_database_connection_across_tasks_and_replaces_one_that_died(
    redis_broker, queue, tmp_path, published_seed, seed_content, editor
):
    """A check task must not open a PostgreSQL connection before its first query (Celery closes them by default)."""
    from django.db import connection

    from tests.support.factories import with_infobox

    def sessions() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
            return cursor.fetchone()[0]

    def propose_and_wait(number):
        content = with_infobox(seed_content, "Result", f"ISGS victory ({number})")
        revision = revision_propose(actor=editor, content=content, summary=f"edit {number}")
        return wait_until(lambda: verdict_of(revision.id), timeout=VERDICT_TIMEOUT, what="a verdict", details=worker.output)

    worker = Worker(redis_broker, queue, tmp_path / "worker.log")
    try:
        with celery_sends_to(redis_broker, queue):
            assert propose_and_wait(0) == "passed"  # the worker is up and connected
            before = sessions()
            for number in range(1, 7):
                assert propose_and_wait(number) == "passed"
            opened = sessions() - before
            assert opened <= 1, f"{opened} new database sessions for 6 check tasks"
            # A connection that died between tasks (a restarted server, an idle timeout) is replaced.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            assert propose_and_wait(7) == "passed", worker.output()
    finally:
        worker.stop()


# --- Facts across linked articles (issue 12): the process manager after an approval -------------


def _publish(content, editor, reviewer, override_reason="", *, approval_sent_to=None):
    """Propose (the checks run in-process), then approve; with `approval_sent_to` (broker, queue) what
    runs after the approval goes to that broker's workers, else it runs in-process too."""
    from contextlib import nullcontext

    revision = revision_propose(actor=editor, content=content, summary="publish")
    with celery_sends_to(*approval_sent_to) if approval_sent_to else nullcontext():
        return revision_approve(actor=reviewer, revision_id=revision.id, override_reason=override_reason)


def _with_background(content, old, new):
    import dataclasses

    sections = tuple(
        dataclasses.replace(section, body=section.body.replace(old, new)) if section.heading == "Background" else section
        for section in content.sections
    )
    return dataclasses.replace(content, sections=sections)


def test_an_approval_rechecks_the_proposals_and_reports_the_articles_that_mention_it_on_a_real_worker(
    redis_broker, queue, tmp_path, seed_content, editor, editor2, reviewer
):
    from editorial.models import ConsistencyEntry, LinkedRecheck
    from tests.support.linked_articles import tongo_tongo

    _publish(seed_content, editor, reviewer)
    _publish(tongo_tongo(), editor, reviewer)
    proposal = revision_propose(
        actor=editor2, content=_with_background(seed_content, "early October 2017", "early November 2017"), summary="m"
    )
    assert verdict_of(proposal.id) == "warnings"  # November against the ambush's 4 October

    worker = Worker(redis_broker, queue, tmp_path / "worker.log")
    try:
        changed = _publish(tongo_tongo(date="4 November 2017"), editor, reviewer, approval_sent_to=(redis_broker, queue))
        wait_until(
            lambda: verdict_of(proposal.id) == "passed" and ConsistencyEntry.objects.exists(),
            timeout=VERDICT_TIMEOUT, what="the recheck and the report", details=worker.output,
        )
        approval = Event.objects.get(revision_id=changed.id, type="revision.approved")
        wait_until(lambda: LinkedRecheck.objects.filter(event_id=approval.id).exists(), timeout=VERDICT_TIMEOUT,
                   what="the approval marked done", details=worker.output)
    finally:
        worker.stop()
    assert "editorial.linked_rechecks" in worker.output()
    # The open proposal now agrees; the published seed (still "October") disagrees since revision N.
    assert Event.objects.filter(revision_id=proposal.id, type="checks.concluded").count() == 2
    entry = ConsistencyEntry.objects.get()
    assert (entry.article_title, entry.linked_title, entry.since_revision_id) == (
        "2017 Ayorou attack", "Tongo Tongo ambush", changed.id
    )


def test_a_cycle_of_three_linked_articles_is_rechecked_once_per_approval_on_a_real_worker(
    redis_broker, queue, tmp_path, seed_content, editor, reviewer
):
    import dataclasses

    from editorial.models import ConsistencyEntry, LinkedRecheck
    from tests.support.linked_articles import inates_ambush, tongo_tongo

    _publish(seed_content, editor, reviewer)
    _publish(tongo_tongo(see_also="Inates ambush"), editor, reviewer)
    _publish(inates_ambush(), editor, reviewer)  # seed -> Tongo Tongo -> Inates -> seed
    moved = dataclasses.replace(
        seed_content,
        infobox=tuple(
            dataclasses.replace(e, value="October 28, 2017") if e.key == "Date" else e for e in seed_content.infobox
        ),
    )
    worker = Worker(redis_broker, queue, tmp_path / "worker.log")
    try:
        approved = _publish(
            moved, editor, reviewer, override_reason="the prose follows", approval_sent_to=(redis_broker, queue)
        )
        approval = Event.objects.get(revision_id=approved.id, type="revision.approved")
        wait_until(lambda: LinkedRecheck.objects.filter(event_id=approval.id).exists(), timeout=VERDICT_TIMEOUT,
                   what="the linked rechecks", details=worker.output)
    finally:
        worker.stop()
    entry = ConsistencyEntry.objects.get()
    assert (entry.article_title, entry.linked_title, entry.since_revision_id) == (
        "Inates ambush", "2017 Ayorou attack", approved.id
    )
    # One approval, one pass: the cycle sends no task on to the next article (the three before ran in-process).
    received = set(re.findall(r"Task editorial\.linked_rechecks\[([\w-]+)\] received", worker.output()))
    assert len(received) == 1, worker.output()
    assert LinkedRecheck.objects.count() == 4


def test_linked_rechecks_lost_while_redis_is_down_are_done_by_the_sweep_on_a_real_worker(
    queue, tmp_path, seed_content, editor, reviewer
):
    from config.celery import app
    from editorial.models import ConsistencyEntry, LinkedRecheck
    from tests.support.linked_articles import tongo_tongo

    require_redis(SHARED_REDIS)
    _publish(seed_content, editor, reviewer)
    _publish(tongo_tongo(), editor, reviewer)
    broker = RedisServer(tmp_path)
    broker.start()
    broker.stop()
    # The approval stands; its task is lost with the broker.
    lost = _publish(tongo_tongo(niger_killed=5), editor, reviewer, approval_sent_to=(broker.url, queue))
    approval = Event.objects.get(revision_id=lost.id, type="revision.approved")
    assert not LinkedRecheck.objects.filter(event_id=approval.id).exists()

    broker.start()
    worker = Worker(broker.url, queue, tmp_path / "worker.log", STET_CHECKS_LOST_AFTER="0")
    try:
        with celery_sends_to(broker.url, queue):
            app.send_task("editorial.sweep_linked_rechecks", queue=queue)  # what beat sends
            wait_until(lambda: LinkedRecheck.objects.filter(event_id=approval.id).exists(), timeout=VERDICT_TIMEOUT,
                       what="the sweep's rechecks", details=worker.output)
    finally:
        worker.stop()
        broker.stop()
    assert ConsistencyEntry.objects.get().since_revision_id == lost.id

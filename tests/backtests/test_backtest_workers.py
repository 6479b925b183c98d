"""Backtests fanned out to a real Celery worker over Redis: the chunks' parts land in the database, no result backend.

Under CI=true these fail when Redis is missing; elsewhere they skip with the reason.
"""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from backtests.models import BacktestChunk, BacktestRun
from tests.support.celery_worker import SHARED_REDIS, Worker, celery_sends_to, drop_queue, private_queue, require_redis
from tests.support.processes import wait_until

from .conftest import V1, V2

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
RULE = "test.result_wording"


@pytest.fixture
def queue():
    require_redis(SHARED_REDIS)
    name = private_queue()
    yield name
    drop_queue(SHARED_REDIS, name)


def test_the_chunks_are_judged_by_the_worker_and_the_report_is_the_same(history, queue, tmp_path):
    worker = Worker(SHARED_REDIS, queue, tmp_path / "worker.log", STET_EXTRA_RULES=V2)
    out = StringIO()
    try:
        with celery_sends_to(SHARED_REDIS, queue):
            call_command("backtest_rules", "--chunk", "1", "--timeout", "90", stdout=out)
    finally:
        worker.stop()
    output = out.getvalue()
    assert "4 chunks of up to 1, on the workers" in output
    assert "4/4 chunks, 4/4 revisions" in output, worker.output()
    run = BacktestRun.objects.get()
    assert (run.status, run.mode) == ("done", "workers")
    workers = set(BacktestChunk.objects.filter(run=run).values_list("worker", flat=True))
    assert len(workers) == 1 and workers.pop().startswith("test-"), worker.output()
    result = run.results.get(rule_id=RULE)
    assert (result.flagged, result.newly_flagged, result.no_longer_flagged, result.unchanged) == (1, 1, 1, 2)
    assert [example["revision"] for example in result.examples["newly_flagged"]] == [history["decisive"]]
    assert "backtests.judge_chunk" in worker.output()


def test_a_worker_with_the_old_version_of_a_rule_fails_the_run_instead_of_mixing_versions(history, queue, tmp_path):
    worker = Worker(SHARED_REDIS, queue, tmp_path / "worker.log", STET_EXTRA_RULES=V1)
    out = StringIO()
    try:
        with celery_sends_to(SHARED_REDIS, queue):
            with pytest.raises(CommandError, match="this process has v1 of test.result_wording, and the run is of v2"):
                call_command("backtest_rules", "--rule", RULE, "--chunk", "2", "--timeout", "90", stdout=out)
    finally:
        worker.stop()
    run = BacktestRun.objects.get()
    assert run.status == "failed"
    assert not run.results.get().flagged  # nothing from another version is counted


def test_without_workers_the_command_stops_at_its_deadline_and_says_what_is_missing(history, queue):
    out = StringIO()
    with celery_sends_to(SHARED_REDIS, queue):  # nobody consumes this queue
        with pytest.raises(CommandError, match=r"(?s)did not judge every chunk within 1 s.*2 of 2 chunks were not judged"):
            call_command("backtest_rules", "--chunk", "2", "--timeout", "1", stdout=out)
    assert "0/2 chunks, 0/4 revisions" in out.getvalue()
    assert BacktestRun.objects.get().status == "failed"


def test_a_worker_killed_mid_chunk_is_replaced_and_the_chunk_recorded_once(history, queue, tmp_path, settings):
    gate = tmp_path / "gate"
    gate.mkdir()
    gated = "tests.support.rules.GatedRule"
    settings.STET_EXTRA_RULES = [V2, gated]
    worker_env = {
        "STET_EXTRA_RULES": f"{V2},{gated}",
        "STET_TEST_GATE_DIR": str(gate),
        "STET_BROKER_VISIBILITY_TIMEOUT": "3",
        "STET_BROKER_RESTORE_INTERVAL": "1",
    }
    out, failure = StringIO(), []

    def backtest():
        try:
            call_command("backtest_rules", "--chunk", "2", "--timeout", "90", stdout=out)
        except BaseException as error:  # handed to the test's thread
            failure.append(error)
        finally:
            connection.close()  # this thread's own connection, so the test database can be flushed

    first = Worker(SHARED_REDIS, queue, tmp_path / "first.log", **worker_env)
    with celery_sends_to(SHARED_REDIS, queue):
        command = threading.Thread(target=backtest)
        command.start()
        try:
            wait_until(lambda: list(gate.glob("started-*")), timeout=90, what="a chunk to start", details=first.output)
        finally:
            first.kill()
        assert not BacktestChunk.objects.filter(finished_at__isnull=False).exists()
        (gate / "release").touch()
        second = Worker(SHARED_REDIS, queue, tmp_path / "second.log", **worker_env)
        try:
            command.join(timeout=120)
        finally:
            second.stop()
    assert not command.is_alive() and not failure, (failure, out.getvalue(), second.output())
    run = BacktestRun.objects.get()
    assert run.status == "done"
    assert run.results.get(rule_id="test.gated").revisions == 4  # each revision judged once, in the report
    assert run.results.get(rule_id=RULE).newly_flagged == 1


def test_nothing_to_judge_sends_nothing_and_is_done(history, queue):
    out = StringIO()
    with celery_sends_to(SHARED_REDIS, queue):
        call_command("backtest_rules", "--since", "2999-01-01", "--timeout", "1", stdout=out)
    assert "0 approved revisions since 2999-01-01, 0 chunks" in out.getvalue()
    assert BacktestRun.objects.get().status == "done"


def test_an_unreachable_broker_fails_the_run_at_once_naming_it(history):
    with celery_sends_to("redis://127.0.0.1:1/0", "nobody"):
        with pytest.raises(CommandError, match="the chunks could not be sent to the broker"):
            call_command("backtest_rules", "--timeout", "60", stdout=StringIO())
    run = BacktestRun.objects.get()
    assert run.status == "failed" and run.error.startswith("the chunks could not be sent")

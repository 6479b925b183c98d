"""Verdicts per second through real Celery workers: one worker process against two.

For each database (PostgreSQL is the one the goal is about; SQLite is
reported too) and each spread of the proposals (all on one article, or
round-robin over ten), prints the verdicts per second of a prefork worker
with one process and of one with two (`--concurrency=2`), and their ratio
(the goal on PostgreSQL: at least 1.8x, whatever the spread). Beside each
arm: how many of the machine's cores were busy while its batches ran
(from /proc/stat, every process counted: the workers, the database server,
Redis, this process). When the 2-process arm keeps every core busy, the
cores are the limit, not the workers.

Each batch is prepared first, without a broker in the way: the proposals
are made in this process, whose broker is an in-memory one nobody reads,
so their after-commit hooks send nothing anywhere. Then every check task
of the batch is sent at once to the queue of the worker under test, and the
batch's time runs from the first send until the worker's `task-succeeded`
event of the last one is received here (a check task returns once its
verdict has committed; all verdicts are then confirmed in the database).
The two workers run side by side on queues of their own, the idle one
waiting; batches alternate between them (1, 2, then 2, 1, ...), and the
figure of each arm is the median of its batches, and the ratio is given
both as the ratio of the medians and as the median of the ratios of
batches run side by side (steadier when other work on the machine comes
and goes).

    python benchmarks/check_throughput.py [--batch 30] [--repeats 5] [--databases postgresql,sqlite]

Production settings: DEBUG off, no result backend. Each database is created
for the run and dropped afterwards (as in check_latency.py); Redis is
STET_BENCH_REDIS_URL (default redis://127.0.0.1:6379/14), and every key the
run made there is deleted at the end. Figures only: never part of pass/fail.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench_support.celery_worker import (
    REPO,
    TaskEvents,
    Worker,
    django_environment,
    redis_url,
    wait_until_serving,
)
from bench_support.children import child_figures, parent_arguments
from bench_support.machine import cores, cores_busy, cpu_jiffies, load
from bench_support.worker_runs import on_each_database, require_redis

SPREADS = (1, 10)  # articles the proposals of a batch are spread over
PROCESSES = (1, 2)  # worker processes
BATCH_TIMEOUT = 300  # seconds: far beyond any expected batch, so a stuck run ends with a message


# --- The parent: a throwaway database and a child process per database, then the table -----


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=30, help="proposals checked in each measured batch")
    parser.add_argument("--repeats", type=int, default=5, help="measured batches of each arm")
    parser.add_argument("--databases", default="postgresql,sqlite")
    args = parent_arguments(parser, measure)
    if args is None:
        return

    broker = redis_url()
    print(
        f"Verdicts per second through a prefork worker with 1 process against one with 2, on Redis ({broker});"
        f" batches of {args.batch} proposals, {args.repeats} per arm, alternating; medians."
    )
    print(
        f"This machine has {cores()} cores, shared by the workers, the database server and this process"
        f" (2 processes cannot do better than {min(2, cores())}x); a load average above {cores()} means other"
        f" work competed with the run. DEBUG off, no result backend."
    )
    require_redis(broker)
    print(f"load average over the last minute, before: {load()}")
    print(f"{'database':<11}{'articles':>9}{'processes':>10}{'verdicts/s':>12}{'min':>8}{'max':>8}{'vs 1 process':>14}"
          f"{'paired':>8}{'cores busy':>12}")
    on_each_database("check_throughput", args.databases, broker, lambda *where: measure_in_child(*where, broker, args), report)


def measure_in_child(url: str, database: str, token: str, workdir: Path, broker: str, args) -> dict:
    where = {"database": database, "url": url, "token": token, "broker": broker, "workdir": str(workdir)}
    command = [sys.executable, __file__, "--child", json.dumps(where), "--batch", str(args.batch),
               "--repeats", str(args.repeats)]
    # The proposals are made with an in-memory broker: their checks are sent by this benchmark, after.
    environment = django_environment(url, "memory://", f"{token}-{database}-unread")
    return child_figures(command, cwd=REPO, env=environment, database=database)


def report(database: str, figures: dict) -> None:
    for spread in SPREADS:
        single = statistics.median(figures[f"{spread}/1"])
        for processes in PROCESSES:
            rates = figures[f"{spread}/{processes}"]
            median = statistics.median(rates)
            ratio = paired = ""
            if processes != 1:
                ratio = f"{median / single:.2f}x"
                # Each batch against the 1-process batch run next to it: steadier when others' load drifts.
                pairs = zip(figures[f"{spread}/{processes}"], figures[f"{spread}/1"])
                paired = f"{statistics.median(many / one for many, one in pairs):.2f}x"
            goal = "" if processes == 1 or database != "postgresql" else " (goal: at least 1.8x)"
            readings = [value for value in figures[f"busy:{spread}/{processes}"] if value is not None]
            busy = f"{statistics.median(readings):.2f} of {cores()}" if readings else "unknown"
            print(f"{database:<11}{spread:>9}{processes:>10}{median:>12.1f}{min(rates):>8.1f}{max(rates):>8.1f}"
                  f"{ratio:>14}{paired:>8}{busy:>12}{goal}")


# --- The child: one database, two workers, the batches ----------------------------------------


def measure(where: dict, args) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from config.celery import app
    from editorial.models import Revision
    from editorial.services import revision_propose
    from editorial.tasks import check_revision, ping

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    editor = get_user_model().objects.get(username="editor")
    reviewer = get_user_model().objects.get(username="reviewer")
    articles = ten_articles(editor, reviewer)
    workdir, database = Path(where["workdir"]), where["database"]
    workers = {
        processes: Worker(
            name=f"{where['token']}-{database}-{processes}p", queue=f"{where['token']}-{database}-{processes}p",
            database_url=where["url"], broker_url=where["broker"], concurrency=processes,
            log_path=workdir / f"worker-{database}-{processes}p.log",
        )
        for processes in PROCESSES
    }
    batches = iter(range(1_000_000))

    with app.connection_for_write(where["broker"]) as broker, TaskEvents(app, where["broker"], where["token"]) as events:

        def send(task, arguments: tuple, worker: Worker) -> str:
            return task.apply_async(arguments, queue=worker.queue, connection=broker).id

        def verdicts_per_second(worker: Worker, spread: int, size: int, busy: list | None = None) -> float:
            number = next(batches)
            revision_ids = []
            for index in range(size):
                stream, content = articles[index % spread]
                edited = with_result(content, f"ISGS victory (batch {number}, {index})")
                revision_ids.append(revision_propose(actor=editor, content=edited, summary=f"batch {number}", stream=stream).id)
            jiffies = cpu_jiffies()
            started = time.perf_counter()
            task_ids = [send(check_revision, (revision_id,), worker) for revision_id in revision_ids]
            succeeded = events.wait(task_ids, timeout=BATCH_TIMEOUT)
            elapsed = max(succeeded) - started
            if busy is not None:
                busy.append(cores_busy(jiffies, cpu_jiffies()))
            recorded = Revision.objects.filter(id__in=revision_ids, checks_concluded_at__isnull=False).count()
            if recorded != size:
                raise RuntimeError(f"batch {number}: {size - recorded} check tasks succeeded before their verdict was recorded")
            return size / elapsed

        for worker in workers.values():
            worker.start()
        try:
            for worker in workers.values():
                wait_until_serving(events, lambda worker=worker: send(ping, ("ready?",), worker), worker=worker)
                # Untimed: every pool process connects and warms its caches.
                verdicts_per_second(worker, 10, 4 * worker.concurrency)
            figures: dict[str, list[float]] = {f"{spread}/{processes}": [] for spread in SPREADS for processes in PROCESSES}
            # The whole machine's busy cores while each arm ran: the workers, PostgreSQL's backends, Redis, this process.
            busy: dict[str, list] = {f"{spread}/{processes}": [] for spread in SPREADS for processes in PROCESSES}
            for repeat in range(args.repeats):
                for turn, spread in enumerate(SPREADS):
                    # Alternate which arm goes first, so neither always runs on the larger database.
                    order = PROCESSES if (repeat + turn) % 2 == 0 else tuple(reversed(PROCESSES))
                    for processes in order:
                        arm = f"{spread}/{processes}"
                        figures[arm].append(verdicts_per_second(workers[processes], spread, args.batch, busy[arm]))
        finally:
            for worker in workers.values():
                worker.stop()
    return {**figures, **{f"busy:{arm}": readings for arm, readings in busy.items()}}


def ten_articles(editor, reviewer) -> list[tuple]:
    """The seed article and nine published copies under other titles: (stream, content) each."""
    from editorial.checks import check_revision
    from editorial.errors import EditorialError
    from editorial.services import revision_approve, revision_propose
    from encyclopedia.models import Article

    seed = Article.objects.with_content().get()
    content = seed.to_content()
    articles = [(seed.stream, content)]
    for number in range(2, 11):
        copy = dataclasses.replace(content, title=f"{content.title} ({number})")
        revision = revision_propose(actor=editor, content=copy, summary="a copy for the benchmark")
        check_revision(revision.id)  # what the task does, here: this process has no worker
        try:
            revision_approve(actor=reviewer, revision_id=revision.id)
        except EditorialError:  # the copy's findings, if any, are the seed's own
            revision_approve(actor=reviewer, revision_id=revision.id, override_reason="a copy of the seed article")
        articles.append((revision.stream, copy))
    return articles


def with_result(content, value: str):
    from encyclopedia.content import InfoboxEntry

    infobox = tuple(InfoboxEntry(entry.key, value) if entry.key == "Result" else entry for entry in content.infobox)
    return dataclasses.replace(content, infobox=infobox)


if __name__ == "__main__":
    main()

"""Latency from proposal to verdict through a real Celery worker on Redis, against a no-op task round trip.

For each database (SQLite, then PostgreSQL) prints the median and 95th
percentile of two arms measured alternately on the same worker:

- the round trip of a no-op task (`editorial.ping`): publish, the worker
  runs it, its `task-succeeded` event is received here;
- a proposal to its verdict: `revision_propose` (whose after-commit hook
  sends the checks), the worker runs `editorial.check_revision`, which
  returns once its verdict has committed, and that task's `task-succeeded`
  event is received here (the verdict is then confirmed in the database,
  outside the timing);

and the ratio of the two (the goal is at most 2x). The proposal arm is also
split into the proposal's own transaction and the time from sending the
checks to their verdict, and of that, the time the check task itself ran
in the worker (the `runtime` of its event; the rest is the broker, the
worker's dispatch and the event's way back, as for the no-op task).

    python benchmarks/check_latency.py [--runs 60] [--warm-up 5] [--databases sqlite,postgresql]

Production settings: DEBUG off, no result backend (production has none),
one prefork worker process started with `-E` on a queue of this run's own.
Each database is created for the run and dropped afterwards (a SQLite file
in a temporary directory; `stet_bench_check_latency_<pid>` on the
PostgreSQL server of a PostgreSQL DATABASE_URL, else STET_BENCH_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432/postgres). Redis is
STET_BENCH_REDIS_URL (default redis://127.0.0.1:6379/14); every key the run
made there is deleted at the end. Figures only: never part of pass/fail.
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
    PublishedTasks,
    TaskEvents,
    Worker,
    django_environment,
    redis_url,
    wait_until_serving,
)
from bench_support.children import child_figures, parent_arguments
from bench_support.machine import cores, load
from bench_support.worker_runs import on_each_database, require_redis

TASK_TIMEOUT = 120  # seconds: far beyond any expected latency, so a stuck run ends with a message


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


# --- The parent: a throwaway database and a child process per database, then the table -----


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=60, help="measured runs of each arm, alternating")
    parser.add_argument("--warm-up", type=int, default=5, help="untimed runs of each arm first")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parent_arguments(parser, measure)
    if args is None:
        return

    broker = redis_url()
    print(
        f"Proposal to verdict through one prefork worker process on Redis ({broker}), against a no-op task"
        f" on the same worker; {args.runs} runs of each arm, alternating, after {args.warm_up} untimed."
    )
    print(
        f"Both arms end when the worker's task-succeeded event is received here. DEBUG off, no result backend."
        f" This machine has {cores()} cores; a load average above that means other work competed with the run."
    )
    require_redis(broker)
    print(f"load average over the last minute, before: {load()}")
    on_each_database("check_latency", args.databases, broker, lambda *where: measure_in_child(*where, broker, args), report)


def measure_in_child(url: str, database: str, token: str, workdir: Path, broker: str, args) -> dict:
    where = {"database": database, "url": url, "token": token, "broker": broker, "workdir": str(workdir)}
    queue = f"{token}-{database}"
    command = [sys.executable, __file__, "--child", json.dumps(where), "--runs", str(args.runs),
               "--warm-up", str(args.warm_up)]
    return child_figures(command, cwd=REPO, env=django_environment(url, broker, queue), database=database)


def report(database: str, figures: dict) -> None:
    def line(label: str, samples: list[float]) -> str:
        return (f"{database:<11}{label:<34}{len(samples):>5}{statistics.median(samples) * 1000:>10.1f} ms"
                f"{percentile(samples, 0.95) * 1000:>10.1f} ms")

    print(f"{'database':<11}{'arm':<34}{'runs':>5}{'median':>13}{'p95':>13}")
    print(line("no-op task round trip", figures["ping"]))
    print(line("  of which the task ran", figures["ping_task"]))
    print(line("proposal to verdict", figures["verdict"]))
    print(line("  of which the proposal", figures["propose"]))
    print(line("  of which checks sent to verdict", figures["checks"]))
    print(line("    of which the check task ran", figures["check_task"]))
    ping, verdict = figures["ping"], figures["verdict"]
    print(
        f"{database:<11}ratio to the no-op round trip: median {statistics.median(verdict) / statistics.median(ping):.1f}x,"
        f" p95 {percentile(verdict, 0.95) / percentile(ping, 0.95):.1f}x (goal: at most 2x);"
        f" checks alone: median {statistics.median(figures['checks']) / statistics.median(ping):.1f}x"
    )


# --- The child: one database, one worker, both arms -------------------------------------------


def measure(where: dict, args) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from config.celery import app
    from editorial.models import Revision
    from editorial.services import revision_propose
    from editorial.tasks import ping
    from encyclopedia.models import Article

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    editor = get_user_model().objects.get(username="editor")
    article = Article.objects.with_content().get()
    content = article.to_content()
    workdir = Path(where["workdir"])
    worker = Worker(
        name=f"{where['token']}-{where['database']}", queue=f"{where['token']}-{where['database']}",
        database_url=where["url"], broker_url=where["broker"], concurrency=1,
        log_path=workdir / f"worker-{where['database']}.log",
    )

    with TaskEvents(app, where["broker"], where["token"]) as events, PublishedTasks() as published, worker:

        def ping_once(number: int) -> dict:
            started = time.perf_counter()
            task_id = ping.delay(f"ping {number}").id
            (succeeded,) = events.wait([task_id], timeout=TASK_TIMEOUT)
            return {"ping": succeeded - started, "ping_task": events.runtimes[task_id]}

        def propose_once(number: int) -> dict:
            edited = with_result(content, f"ISGS victory (benchmark {number})")
            mark = published.mark()
            started = time.perf_counter()
            revision = revision_propose(actor=editor, content=edited, summary=f"benchmark {number}",
                                        stream=article.stream)
            task_id, sent_at = published.only_since(mark, "editorial.check_revision")
            (succeeded,) = events.wait([task_id], timeout=TASK_TIMEOUT)
            # Outside the timing: the event must mean the verdict is in the database.
            if not Revision.objects.filter(id=revision.id, checks_concluded_at__isnull=False).exists():
                raise RuntimeError(f"revision {revision.id}: its check task succeeded before its verdict was recorded")
            return {"verdict": succeeded - started, "propose": sent_at - started, "checks": succeeded - sent_at,
                    "check_task": events.runtimes[task_id]}

        wait_until_serving(events, lambda: ping.delay("ready?").id, worker=worker)
        for number in range(args.warm_up):
            ping_once(-1 - number)
            propose_once(-1 - number)
        samples: dict[str, list[float]] = {
            "ping": [], "ping_task": [], "verdict": [], "propose": [], "checks": [], "check_task": [],
        }
        for number in range(args.runs):
            # Alternate which arm goes first, so neither always follows the other.
            arms = (ping_once, propose_once) if number % 2 == 0 else (propose_once, ping_once)
            for arm in arms:
                for name, seconds in arm(number).items():
                    samples[name].append(seconds)
    return samples


def with_result(content, value: str):
    from encyclopedia.content import InfoboxEntry

    infobox = tuple(InfoboxEntry(entry.key, value) if entry.key == "Result" else entry for entry in content.infobox)
    return dataclasses.replace(content, infobox=infobox)


if __name__ == "__main__":
    main()

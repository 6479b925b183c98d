"""A backtest of every rule over 10k approved revisions: one worker process against two.

    python benchmarks/backtest.py [--revisions 10000] [--chunk 250] [--repeats 3] [--database postgresql]

The history is made fast on a throwaway database (PostgreSQL by default, a
PostgreSQL DATABASE_URL naming the server): the log is appended through
`editorial.store` as the services append it (tests/support/event_log.py:
twenty articles, each revision a proposal, a check run and a decision, nine
in ten approved), then the revision list and the published tables are
rebuilt from it (`replay.rebuild`), so the backtest reads what a site's
database holds. Enough revisions are appended for `--revisions` approved
ones.

Two prefork workers run side by side on queues of their own, one with one
process and one with two (`--concurrency=2`); each arm is a whole backtest
(`backtests.engine.plan`, the chunks sent as a group to that worker's queue,
waiting for every chunk's row, then `finish`), timed from planning to the
finished report. A warm-up run of one cheap rule goes through each worker
first (untimed: the pool processes connect and import). The arms alternate
(1, 2, then 2, 1, ...); the figure of each is the median of its runs, and the
ratio is given as the ratio of the medians and the median of the ratios of
runs side by side. The in-process time of one run (the command without a
broker) is printed too, for reference.

The machine's own ceiling is measured beside each pair of runs: the same
rules on the seed, in memory (no database, no broker), in one process and
in two (`multiprocessing`), timed alike. On a shared machine whose cores are
busy with other work, two processes gain little over one whatever the
backtest does; this control says how much the machine allowed at the time.

Production settings: DEBUG off, no result backend. The database is dropped
afterwards; Redis is STET_BENCH_REDIS_URL (default redis://127.0.0.1:6379/14),
and every key the run made there is deleted at the end. Figures only: never
part of pass/fail.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

from bench_support.celery_worker import REPO, Worker, django_environment, redis_answers, redis_url
from bench_support.children import child_figures, parent_arguments
from bench_support.machine import cores, load
from bench_support.worker_runs import on_each_database

PROCESSES = (1, 2)
ARTICLES = 20
RUN_TIMEOUT = 1800  # seconds: far beyond any expected run, so a stuck one ends with a message


# --- The parent: a throwaway database, a child process on it, the table ------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--revisions", type=int, default=10_000, help="approved revisions backtested")
    parser.add_argument("--chunk", type=int, default=250, help="revisions per chunk")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each arm")
    parser.add_argument("--database", default="postgresql", help="postgresql or sqlite")
    args = parent_arguments(parser, measure)
    if args is None:
        return

    broker = redis_url()
    if not redis_answers(broker):
        raise SystemExit(f"Redis is not reachable at {broker}: start it, or set STET_BENCH_REDIS_URL")
    print(
        f"A backtest of every rule over {args.revisions} approved revisions ({args.chunk} a chunk), by a prefork"
        f" worker with 1 process against one with 2, on {args.database} and Redis ({broker}); {args.repeats} runs"
        f" per arm, alternating; medians. DEBUG off, no result backend."
    )
    print(
        f"This machine has {cores()} cores, shared by the workers, the database server and this process"
        f" (2 processes cannot do better than {min(2, cores())}x); a load average above {cores()} means other"
        f" work competed with the run."
    )
    print(f"load average over the last minute, before: {load()}")
    on_each_database("backtest", args.database, broker, lambda *where: measure_in_child(*where, broker, args),
                     lambda database, figures: report(figures))


def measure_in_child(url: str, database: str, token: str, workdir: Path, broker: str, args) -> dict:
    where = {"url": url, "token": token, "broker": broker, "workdir": str(workdir)}
    command = [sys.executable, __file__, "--child", json.dumps(where), "--revisions", str(args.revisions),
               "--chunk", str(args.chunk), "--repeats", str(args.repeats)]
    # The child sends the chunks itself, to each worker's own queue; its default queue is read by nobody.
    environment = django_environment(url, broker, f"{token}-unread")
    return child_figures(command, cwd=REPO, env=environment, database=database)


def report(figures: dict) -> None:
    print(f"history: {figures['revisions']} approved revisions of {figures['log_revisions']} in the log, made in"
          f" {figures['generate_s']:.0f} s (log {figures['append_s']:.0f} s, rebuild {figures['rebuild_s']:.0f} s)")
    print(f"in this process (no broker), one run: {figures['in_process_s']:.1f} s")
    single = statistics.median(figures["1"])
    print(f"{'processes':>10}{'median s':>10}{'min':>8}{'max':>8}{'revisions/s':>13}{'vs 1 process':>14}{'paired':>8}")
    for processes in PROCESSES:
        times = figures[str(processes)]
        median = statistics.median(times)
        ratio = paired = ""
        if processes != 1:
            ratio = f"{single / median:.2f}x"
            pairs = zip(figures["1"], times)  # run side by side: steadier when others' load drifts
            paired = f"{statistics.median(one / many for one, many in pairs):.2f}x"
        print(f"{processes:>10}{median:>10.1f}{min(times):>8.1f}{max(times):>8.1f}"
              f"{figures['revisions'] / median:>13.0f}{ratio:>14}{paired:>8}")
    ceiling = statistics.median(one / two for one, two in zip(figures["cpu/1"], figures["cpu/2"]))
    print(f"the machine's ceiling meanwhile (the rules in memory, 1 process against 2, paired): {ceiling:.2f}x")
    print(f"each run's report (rule: flagged, newly flagged): {figures['summary']}")


# --- The child: the history, two workers, the runs ---------------------------------------------


def measure(where: dict, args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from backtests import engine
    from backtests.models import RunStatus
    from backtests.tasks import fan_out

    call_command("migrate", verbosity=0)
    figures = build_history(args.revisions)
    workdir = Path(where["workdir"])
    workers = {
        processes: Worker(
            name=f"{where['token']}-{processes}p", queue=f"{where['token']}-{processes}p", database_url=where["url"],
            broker_url=where["broker"], concurrency=processes, log_path=workdir / f"worker-{processes}p.log",
        )
        for processes in PROCESSES
    }

    def backtest(worker: Worker | None, rule_ids=None) -> tuple[float, object]:
        started = time.perf_counter()
        run = engine.plan(rule_ids=rule_ids, chunk_size=args.chunk, mode="workers" if worker else "in-process")
        if worker is None:
            for number in range(run.chunks):
                engine.judge_chunk(run.pk, number, worker="in-process")
        else:
            fan_out(run, queue=worker.queue)
            if not engine.wait_for_chunks(run, timeout=RUN_TIMEOUT, poll=0.05):
                raise RuntimeError(f"the {worker.concurrency}-process worker did not finish:\n{worker.output()}")
        run = engine.finish(run)
        elapsed = time.perf_counter() - started
        if run.status != RunStatus.DONE:
            raise RuntimeError(f"backtest {run.pk} failed: {run.error}")
        return elapsed, run

    figures["in_process_s"], run = backtest(None)
    figures["summary"] = "; ".join(f"{result.rule_id}: {result.flagged}, {result.newly_flagged}" for result in run.results.all())
    for worker in workers.values():
        worker.start()
    try:
        for worker in workers.values():
            backtest(worker, rule_ids=["structure.infobox"])  # untimed warm-up; also waits until it serves
        for repeat in range(args.repeats):
            order = PROCESSES if repeat % 2 == 0 else tuple(reversed(PROCESSES))
            for processes in order:
                figures.setdefault(str(processes), []).append(backtest(workers[processes])[0])
            for processes in order:
                figures.setdefault(f"cpu/{processes}", []).append(rules_in_memory(processes))
    finally:
        for worker in workers.values():
            worker.stop()
    return figures


CEILING_JUDGEMENTS = 400  # about two seconds of the rules on this machine, idle


def rules_in_memory(processes: int) -> float:
    """Seconds for `processes` processes to judge CEILING_JUDGEMENTS seed edits between them, in memory."""
    from multiprocessing import get_context

    with get_context("fork").Pool(processes) as pool:
        pool.map(_judge_seed_edits, [1] * processes)  # untimed: the pool is up
        started = time.perf_counter()
        pool.map(_judge_seed_edits, [CEILING_JUDGEMENTS // processes] * processes)
        return time.perf_counter() - started


def _judge_seed_edits(count: int) -> int:
    import datetime

    from editorial.rules import CheckContext, judge_all
    from encyclopedia.textformat import parse_bytes
    from tests.support.environment import SEED_PATH
    from tests.support.factories import with_infobox

    seed = parse_bytes(SEED_PATH.read_bytes(), source=str(SEED_PATH))
    context = CheckContext(
        content=with_infobox(seed, "Result", "ISGS decisive victory"), base=seed, summary="edit", today=datetime.date.today()
    )
    for _ in range(count):
        judge_all(context)
    return count


def build_history(approved: int) -> dict:
    """Append enough revisions for `approved` approvals through the store, then rebuild the projections."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from editorial import replay
    from editorial.models import Revision, RevisionStatus
    from encyclopedia.textformat import parse_bytes
    from tests.support.environment import SEED_PATH
    from tests.support.event_log import EventLog

    users = get_user_model().objects
    author, reviewer = users.create_user(username="author"), users.create_user(username="reviewer")
    seed = parse_bytes(SEED_PATH.read_bytes(), source=str(SEED_PATH))
    started = time.perf_counter()
    log = EventLog(base=seed, articles=ARTICLES, author=author, reviewer=reviewer)
    log.append(math.ceil(approved * 10 / 9))  # one revision in ten is rejected
    appended = time.perf_counter()
    replay.rebuild()
    rebuilt = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics after a bulk load, as the README asks of anyone loading in bulk
    return {
        "revisions": Revision.objects.filter(status=RevisionStatus.APPROVED).count(),
        "log_revisions": log.revisions,
        "append_s": appended - started,
        "rebuild_s": rebuilt - appended,
        "generate_s": rebuilt - started,
    }


if __name__ == "__main__":
    main()

"""Latency from proposal to verdict through a real Celery worker on Redis.

Prints the median and 95th percentile of the time from proposing a revision
to its recorded verdict, beside the round trip of a no-op Celery task (the
baseline: broker, worker and result backend, nothing of ours) measured in
the same run, and their ratio.

    python benchmarks/check_latency.py [--proposals 40] [--pings 40]

Uses a throwaway SQLite database unless DATABASE_URL is set, and Redis at
STET_BENCH_REDIS_URL (default redis://127.0.0.1:6379/14).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def configure_environment(workdir: Path) -> dict:
    redis_url = os.environ.get("STET_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "STET_CELERY_QUEUE": f"stet-bench-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.002)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proposals", type=int, default=40)
    parser.add_argument("--pings", type=int, default=40)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="stet-bench-"))
    env = configure_environment(workdir)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-n", f"bench-{os.getpid()}@%h"],
        cwd=REPO, env={**os.environ, **env}, stdout=open(workdir / "worker.log", "wb"), stderr=subprocess.STDOUT,
    )
    try:
        run(args)
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def run(args) -> None:
    import dataclasses

    from django.contrib.auth import get_user_model

    from editorial.services import revision_propose
    from editorial.models import Revision
    from editorial.tasks import ping
    from encyclopedia.content import InfoboxEntry
    from encyclopedia.models import Article

    ping.delay("warm-up").get(timeout=120)  # the worker is up and connected

    baseline = []
    for number in range(args.pings):
        started = time.perf_counter()
        assert ping.delay(str(number)).get(timeout=60) == str(number)
        baseline.append(time.perf_counter() - started)

    editor = get_user_model().objects.get(username="editor")
    article = Article.objects.with_content().get()
    content = article.to_content()
    latencies = []
    for number in range(args.proposals):
        edited = dataclasses.replace(
            content,
            infobox=tuple(
                InfoboxEntry(entry.key, f"ISGS victory (benchmark {number})") if entry.key == "Result" else entry
                for entry in content.infobox
            ),
        )
        started = time.perf_counter()
        revision = revision_propose(actor=editor, content=edited, summary=f"benchmark {number}")
        wait_for(
            lambda: Revision.objects.filter(id=revision.id, checks_concluded_at__isnull=False).exists(),
            timeout=120, what=f"the verdict of revision {revision.id}",
        )
        latencies.append(time.perf_counter() - started)

    base_median, base_p95 = statistics.median(baseline), percentile(baseline, 0.95)
    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(f"no-op task round trip ({len(baseline)} runs): median {base_median * 1000:.1f} ms, p95 {base_p95 * 1000:.1f} ms")
    print(f"proposal to verdict   ({len(latencies)} runs): median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    print(f"ratio to the no-op round trip: median {median / base_median:.1f}x, p95 {p95 / base_p95:.1f}x")


if __name__ == "__main__":
    main()

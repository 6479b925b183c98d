"""The frame of a benchmark that measures through real workers: one throwaway database after another.

Each database is made for the run and dropped after it, a child process
measures on it (Django is set up once a process), and at the end, however
the run ended, every Redis key the run made and its temporary directory
are removed, and the output says so.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .celery_worker import clean_redis, redis_answers, run_token
from .databases import Unavailable, throwaway_database
from .machine import load


def require_redis(broker: str) -> None:
    if not redis_answers(broker):
        raise SystemExit(f"Redis is not reachable at {broker}: start it, or set STET_BENCH_REDIS_URL")


def on_each_database(
    name: str,
    databases: str,
    broker: str,
    measure_on: Callable[[str, str, str, Path], dict],
    report: Callable[[str, dict], None],
) -> None:
    """For each of `databases`: `measure_on(url, database, token, workdir)`, then `report(database, figures)`."""
    token = run_token(name)
    workdir = Path(tempfile.mkdtemp(prefix=f"stet-{name}-"))
    try:
        for database in databases.split(","):
            try:
                with throwaway_database(database, workdir, name, prefer_database_url=True) as url:
                    figures = measure_on(url, database, token, workdir)
            except Unavailable as reason:
                print(f"{database:<11}skipped: {reason}")
                continue
            report(database, figures)
            print(f"{database:<11}load average over the last minute, after: {load()}")
    finally:
        left = clean_redis(broker, token)
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"cleaned up: workers stopped, databases dropped, temporary directory removed, Redis keys of the run"
              f" deleted{' (left: ' + ', '.join(left) + ')' if left else ''}")

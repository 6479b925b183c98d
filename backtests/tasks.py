"""The backtest's fan-out: one Celery task per chunk, sent together as a group.

No result backend is needed: each task writes its chunk's part into the
chunk's row, and the command waits for the rows (`engine.wait_for_chunks`).
A chunk is recorded once, so a redelivered task (a worker killed mid-chunk,
`acks_late`) only does what is missing.
"""

from __future__ import annotations

from celery import group, shared_task
from django.db import DatabaseError

from . import engine
from .models import BacktestRun


@shared_task(
    name="backtests.judge_chunk",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=8,
)
def judge_chunk_task(self, run_id: int, number: int) -> bool:
    return engine.judge_chunk(run_id, number, worker=self.request.hostname or "")


def fan_out(run: BacktestRun, *, queue: str | None = None) -> None:
    """Send every chunk of the run to the workers at once (on the default queue, or `queue`)."""
    chunks = group(judge_chunk_task.si(run.pk, number) for number in range(run.chunks))
    chunks.apply_async(**({"queue": queue} if queue else {}))


def sends_to_workers() -> bool:
    """Whether tasks go to a broker (CELERY_BROKER_URL set) rather than run in this process."""
    return not judge_chunk_task.app.conf.task_always_eager

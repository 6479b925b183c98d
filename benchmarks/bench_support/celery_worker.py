"""Real Celery workers for the benchmarks: started on a private queue, watched through task events, cleaned up.

Both benchmarks that go through a worker end every measurement at the same
signal: the worker's `task-succeeded` event for that task, as received here
(workers are started with `-E`). A check task returns only after its verdict
has committed, so the event means the verdict is recorded; no result backend
is needed, as in production, where CELERY_RESULT_BACKEND is unset.

Every name this run creates in Redis (its queues, the worker's control
queue, the event receiver's queue) carries one token, so `clean_redis` can
remove them all, and only them, from a Redis that others share.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
# Production settings need a key; this one only ever signs nothing in a throwaway database.
BENCH_SECRET_KEY = "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def redis_url() -> str:
    return os.environ.get("STET_BENCH_REDIS_URL", DEFAULT_REDIS)


def run_token(label: str) -> str:
    """A name no other run on this Redis uses; every key this run makes contains it."""
    return f"stet-bench-{label}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def django_environment(database_url: str, broker_url: str, queue: str) -> dict:
    """The environment of production settings on a throwaway database: no DEBUG, no result backend."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "STET_CELERY_QUEUE": queue,
        "SECRET_KEY": os.environ.get("SECRET_KEY", BENCH_SECRET_KEY),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    for production_unset in ("DEBUG", "CELERY_RESULT_BACKEND"):
        environment.pop(production_unset, None)
    return environment


class Worker:
    """`celery -A config worker -E` on one queue, in its own process group (parent and pool children)."""

    def __init__(self, *, name: str, queue: str, database_url: str, broker_url: str, concurrency: int, log_path: Path):
        self.hostname = f"{name}@{socket.gethostname()}"
        self.queue, self.concurrency, self.log_path = queue, concurrency, log_path
        self.environment = django_environment(database_url, broker_url, queue)
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-E", "-Q", self.queue,
             f"--concurrency={self.concurrency}", "--pool=prefork", "--loglevel=WARNING",
             "--without-gossip", "--without-mingle", "-n", self.hostname],
            cwd=REPO, env=self.environment, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    def stop(self, patience: float = 30) -> None:
        """Warm shutdown (SIGTERM to the parent, which ends its children); the whole group is killed if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=patience)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # pool children left behind, if any
        except ProcessLookupError:
            pass
        self.process.wait(timeout=patience)
        self.log.close()
        self.process = None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def __enter__(self) -> "Worker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class TaskFailed(Exception):
    pass


class TaskEvents:
    """Task events received in a thread: the moment (perf_counter, here) each task succeeded.

    `with TaskEvents(app, broker_url, token) as events:` then
    `events.wait([task_id], timeout)` returns when each of them succeeded.
    """

    def __init__(self, app, broker_url: str, token: str):
        self.app, self.broker_url, self.token = app, broker_url, token
        self.succeeded: dict[str, float] = {}
        self.runtimes: dict[str, float] = {}  # seconds the task itself ran in the worker, as the worker says
        self.failed: dict[str, str] = {}
        self.changed = threading.Condition()

    def __enter__(self) -> "TaskEvents":
        self.connection = self.app.connection_for_read(self.broker_url)
        self.receiver = self.app.events.Receiver(
            self.connection,
            handlers={"task-succeeded": self._on_succeeded, "task-failed": self._on_failed},
            node_id=self.token,  # the receiver's queue is named after the run, so its cleanup finds it
        )
        self.thread = threading.Thread(target=self._capture, name="task-events", daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.receiver.should_stop = True  # the capture loop looks at it at least once a second
        self.thread.join(timeout=10)
        self.connection.release()

    def _capture(self) -> None:
        # wakeup=False: no broadcast to every worker on this Redis asking for a heartbeat.
        self.receiver.capture(limit=None, timeout=None, wakeup=False)

    def _on_succeeded(self, event: dict) -> None:
        arrived = time.perf_counter()
        with self.changed:
            self.succeeded[event["uuid"]] = arrived
            self.runtimes[event["uuid"]] = float(event.get("runtime") or 0.0)
            self.changed.notify_all()

    def _on_failed(self, event: dict) -> None:
        with self.changed:
            self.failed[event["uuid"]] = event.get("exception", "")
            self.changed.notify_all()

    def wait(self, task_ids, timeout: float) -> list[float]:
        """The time each task succeeded (in the order given); raises if one fails or the deadline passes."""
        task_ids = list(task_ids)
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                failed = [task_id for task_id in task_ids if task_id in self.failed]
                if failed:
                    raise TaskFailed(f"task {failed[0]} failed: {self.failed[failed[0]]}")
                if all(task_id in self.succeeded for task_id in task_ids):
                    return [self.succeeded[task_id] for task_id in task_ids]
                left = deadline - time.monotonic()
                if left <= 0:
                    missing = sum(task_id not in self.succeeded for task_id in task_ids)
                    raise TimeoutError(f"{missing} of {len(task_ids)} tasks did not succeed within {timeout:.0f} s")
                self.changed.wait(left)


class PublishedTasks:
    """The id and send time of every task this process publishes (Celery's after_task_publish signal).

    The checks of a proposal are sent by the service's after-commit hook,
    which does not hand out the task; this is how the benchmark learns its id.
    """

    def __init__(self):
        self.sent: list[tuple[str, str, float]] = []  # (task name, id, perf_counter)

    def __enter__(self) -> "PublishedTasks":
        from celery.signals import after_task_publish

        after_task_publish.connect(self._record, weak=False)
        return self

    def __exit__(self, *exc) -> None:
        from celery.signals import after_task_publish

        after_task_publish.disconnect(self._record)

    def _record(self, sender=None, headers=None, **_):
        self.sent.append((sender, (headers or {}).get("id"), time.perf_counter()))

    def mark(self) -> int:
        return len(self.sent)

    def only_since(self, mark: int, name: str) -> tuple[str, float]:
        """The one `name` task published since `mark` (its id and send time); anything else is an error."""
        found = [(task_id, at) for sender, task_id, at in self.sent[mark:] if sender == name]
        if len(found) != 1:
            raise LookupError(f"{len(found)} {name} tasks were published where one was expected")
        return found[0]


def wait_until_serving(events: TaskEvents, send_ping, timeout: float = 120, worker: Worker | None = None) -> None:
    """Ping until a ping's success is received: the worker consumes its queue and our receiver hears it.

    The receiver subscribes asynchronously, so an event sent before it listens
    is lost; pinging again until one arrives waits for both sides.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker is not None and worker.process is not None and worker.process.poll() is not None:
            raise RuntimeError(f"the worker {worker.hostname} exited:\n{worker.output()}")
        task_id = send_ping()
        try:
            events.wait([task_id], timeout=1.0)
            return
        except TimeoutError:
            continue
    details = f":\n{worker.output()}" if worker is not None else ""
    raise TimeoutError(f"no worker answered a ping within {timeout:.0f} s{details}")


def clean_redis(broker_url: str, token: str) -> list[str]:
    """Delete every key naming this run, and this run's members of kombu's shared sets. Returns what is left."""
    import redis

    client = redis.Redis.from_url(broker_url)
    for key in list(client.scan_iter(match=f"*{token}*", count=1000)):
        client.delete(key)
    # Shared bookkeeping (the bindings of the event and control exchanges) lists our queues as members.
    for key in list(client.scan_iter(match="_kombu.*", count=1000)):
        kind = client.type(key)
        if kind == b"set":
            ours = [member for member in client.smembers(key) if token.encode() in member]
            if ours:
                client.srem(key, *ours)
        elif kind == b"zset":
            ours = [member for member in client.zrange(key, 0, -1) if token.encode() in member]
            if ours:
                client.zrem(key, *ours)
        elif kind == b"hash":
            ours = [field for field in client.hkeys(key) if token.encode() in field]
            if ours:
                client.hdel(key, *ours)
    # A task left unacknowledged (a worker killed mid-task) waits in kombu's shared hash under its delivery tag.
    for tag, message in client.hscan_iter("unacked"):
        if token.encode() in message:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    # kombu keeps a deadline per exchange whose binding table has expiring members; once our members
    # were the last, the table is gone and its deadline is stale (kombu's own sweep would drop it too).
    for exchange in client.zrange("_kombu.binding_deadlines", 0, -1):
        name = exchange.decode()
        if not client.exists(f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}"):
            client.zrem("_kombu.binding_deadlines", exchange)
    return leftovers(client, token)


def leftovers(client, token: str) -> list[str]:
    left = [key.decode() for key in client.scan_iter(match=f"*{token}*", count=1000)]
    for key in client.scan_iter(match="_kombu.*", count=1000):
        kind = client.type(key)
        members = (
            client.smembers(key) if kind == b"set"
            else client.zrange(key, 0, -1) if kind == b"zset"
            else client.hkeys(key) if kind == b"hash"
            else []
        )
        left += [f"{key.decode()}: {member.decode(errors='replace')}" for member in members if token.encode() in member]
    left += [f"unacked: {tag.decode()}" for tag, message in client.hscan_iter("unacked") if token.encode() in message]
    return left


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False

"""Real Celery workers and Redis servers for tests: start, kill, send tasks to them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.environment import IN_CI, REPO
from tests.support.processes import database_url_for_workers, free_port, terminate_process_group, wait_until

SHARED_REDIS = os.environ.get("STET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def require_redis(url: str = SHARED_REDIS) -> None:
    if redis_answers(url):
        return
    message = f"Redis is not reachable at {url}"
    if IN_CI:
        pytest.fail(f"{message}, and CI needs it (start it: redis-server --daemonize yes --port 6379)")
    pytest.skip(f"{message}; start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379")


def private_queue() -> str:
    """A queue name of this test's own, so concurrent test runs on one Redis never take each other's tasks."""
    import uuid

    return f"stet-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def drop_queue(url: str, queue: str) -> None:
    import redis

    redis.Redis.from_url(url).delete(queue)


class Worker:
    """`celery -A config worker` in its own process group, on the test database."""

    def __init__(self, broker_url: str, queue: str, log_path: Path, **env):
        self.log_path = log_path
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url_for_workers(),
            "CELERY_BROKER_URL": broker_url,
            "STET_CELERY_QUEUE": queue,
            "CELERY_TRACE_LOG_LEVEL": "INFO",
            "PYTHONPATH": str(REPO),
            **env,
        }
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
             "--concurrency=1", "--pool=prefork", "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}-{time.monotonic_ns()}@%h"],
            cwd=REPO, env=environment, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and pool children), as a lost machine would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        terminate_process_group(self.process)
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


class RedisServer:
    """A private redis-server on a free port, so a test can take the broker down and bring it back."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = "/usr/bin/redis-server"
        if not os.path.exists(binary):
            (pytest.fail if IN_CI else pytest.skip)("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: redis_answers(self.url), timeout=20, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        wait_until(lambda: not redis_answers(self.url), timeout=10, what="redis-server to stop")


@contextmanager
def celery_sends_to(broker_url: str, queue: str):
    """Make this process send tasks to a real broker and queue instead of running them in-process."""
    from config.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    _drop_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _drop_connections(app)


def _drop_connections(app) -> None:
    """Forget pooled broker connections so the next send connects to the broker now configured."""
    from kombu import pools

    pools.reset()  # closes every pool kombu keeps, keyed by broker
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None

"""Child processes for tests: wait on a condition, stop a process group, a free port, this test's database.

Shared by the real Celery worker (celery_worker.py) and the real gunicorn
(tests/system/http_support.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

from django.db import connection


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.05, details=None):
    """Poll `condition` until it returns something truthy; fail naming `what` at the deadline.

    `details`, a callable, adds what helps to understand a timeout (a worker's log).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            extra = f"\n{details()}" if details else ""
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}{extra}")
        time.sleep(interval)


def terminate_process_group(process: subprocess.Popen) -> None:
    """SIGTERM a server's whole process group (parent and children), SIGKILL it if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def database_url_for_workers() -> str:
    """The URL of the database this test runs on, for a worker in another process."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

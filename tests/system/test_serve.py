"""`make serve` for real: honcho with the Procfile's gunicorn, Celery worker and beat, on PostgreSQL and Redis.

The test runs the Makefile's own target (its refusals, `check --deploy`, migrate and collectstatic, then
honcho) on the test database and the test Redis, with a private queue and static directory, waits until
/healthz says ok (which needs beat to have sent a sweep and a worker to have run it), reads an article and
its stylesheet through whitenoise, then presses Ctrl-C (SIGINT to make's process group, as a terminal
does) and checks that every process it started is gone. Run once with text logs and once with
LOG_FORMAT=json, where every access line must be a JSON object.

Under CI=true a missing PostgreSQL or Redis fails the test instead of skipping it (tests/conftest.py and
`require_redis`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from encyclopedia.models import Article
from tests.support.celery_worker import SHARED_REDIS, drop_queue, private_queue, require_redis
from tests.support.environment import REPO
from tests.support.processes import database_url_for_workers, free_port, wait_until

pytestmark = [pytest.mark.postgresql, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front of gunicorn adds


def descendants(root: int) -> set[int]:
    """Every live process below `root`, read from /proc (honcho puts each child in its own session)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited while we looked
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def serve_environment(tmp_path: Path, port: int, queue: str, log_format: str) -> dict:
    environment = {
        key: value for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE", "MAKEFLAGS"}
    }
    environment.update(
        DATABASE_URL=database_url_for_workers(),
        CELERY_BROKER_URL=SHARED_REDIS,
        STET_CELERY_QUEUE=queue,
        SECRET_KEY="serve-test-k7#pQz!9vL2@wX4^mN8&bR1*tY6%cF3(hJ5)gD0-sA_eU+iO=lK~jH",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
        BEAT_SCHEDULE=str(tmp_path / "celerybeat-schedule"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        CELERY_CONCURRENCY="1",
        STET_CHECKS_SWEEP_INTERVAL="1",  # so that /healthz sees a sweep within seconds
        LOG_FORMAT=log_format,
    )
    return environment


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_make_serve_answers_health_pages_and_static_files_and_stops_on_ctrl_c(
    published_seed, tmp_path, log_format
):
    require_redis()
    queue, port = private_queue(), free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    started: set[int] = set()
    with open(log_path, "wb") as log:
        # -o: the venv is there; a newer pyproject.toml must not make the test reinstall it.
        make = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "serve"],
            cwd=REPO, env=serve_environment(tmp_path, port, queue, log_format),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    output = lambda: log_path.read_text(errors="replace")[-6000:]  # noqa: E731
    try:

        def healthy():
            started.update(descendants(make.pid))
            if make.poll() is not None:
                raise AssertionError(f"make serve exited with {make.returncode}\n{output()}")
            try:
                response = requests.get(f"{base}/healthz", headers=PROXY_HEADERS, timeout=5)
            except requests.RequestException:
                return None
            return response if response.status_code == 200 else None

        health = wait_until(healthy, timeout=120, interval=0.2, what="/healthz to say ok", details=output)
        body = health.json()
        assert body["status"] == "ok"
        assert body["database"] == {"ok": True, "vendor": "postgresql"}
        assert body["broker"] == {"ok": True}
        assert body["beat"]["last_sweep_age_seconds"] <= body["beat"]["max_age_seconds"]

        # A load balancer probes over plain HTTP: /healthz answers it, every other page redirects to HTTPS.
        assert requests.get(f"{base}/healthz", timeout=10, allow_redirects=False).status_code == 200
        article = Article.objects.get()
        plain = requests.get(f"{base}{article.get_absolute_url()}", timeout=30, allow_redirects=False)
        assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
        page = requests.get(f"{base}{article.get_absolute_url()}", headers=PROXY_HEADERS, timeout=30)
        assert page.status_code == 200, page.text[:2000]
        assert article.title in page.text
        # The page names the collected, hashed copy of its stylesheet; whitenoise serves it, compressed
        # and cacheable for good, since its name changes with its content.
        stylesheet = re.search(r'href="(/static/reader/site\.[0-9a-f]{12}\.css)"', page.text)
        assert stylesheet, page.text[:2000]
        css = requests.get(f"{base}{stylesheet[1]}", headers={**PROXY_HEADERS, "Accept-Encoding": "gzip"}, timeout=30)
        assert css.status_code == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert css.headers["Content-Encoding"] == "gzip"
        assert "immutable" in css.headers["Cache-Control"]
        started.update(descendants(make.pid))
        assert len(started) >= 8, f"expected honcho, gunicorn and its 2 workers, a worker and its child, beat: {started}"
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)  # Ctrl-C in the terminal that runs `make serve`
        try:
            make.wait(timeout=60)
            wait_until(lambda: not any(alive(pid) for pid in started), timeout=30, what="every process to stop",
                       details=lambda: f"still running: {[pid for pid in started if alive(pid)]}\n{output()}")
        finally:
            for pid in started:  # never leave a server behind, even when the test failed
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
            drop_queue(SHARED_REDIS, queue)

    log_text = log_path.read_text(errors="replace")
    for process in ("web.1", "worker.1", "beat.1"):
        assert f"{process} stopped" in log_text, log_text[-4000:]
    access_lines = [line for line in log_text.splitlines() if "GET /healthz" in line]
    assert access_lines, log_text[-4000:]
    if log_format == "json":
        for line in access_lines:
            record = json.loads(line)  # --no-prefix: the whole line is the object
            assert record["logger"] == "gunicorn.access" and record["level"] == "INFO"
            assert "GET /healthz" in record["message"]

"""A bounded, local load test against `make serve`: readers over HTTP while editors propose and reviewers approve.

Starts `make serve` itself (gunicorn, a Celery worker and beat under honcho) on a throwaway PostgreSQL
database and this run's own Redis queue, seeds articles with a few approved edits each, then for
--duration seconds runs at once:

- readers (--readers threads, each a `requests` session behind the pretend TLS proxy), picking at
  random an article page, its history, a diff between two of its revisions, or the article `as_of`
  an instant from its history;
- writers (--writers threads), each on articles of its own so that no write is refused as stale:
  propose an edit through the services (whose after-commit hook sends the checks to the worker),
  wait for the worker's verdict, and approve it as another person.

Prints per page the requests, requests/s, median and p95 latency, the same for the writes (propose,
proposal to verdict through the worker, approve), and the error count: non-200 answers, exceptions,
and 5xx lines in the server's access log. It must be 0.

    python benchmarks/load_test.py [--duration 30] [--readers 8] [--writers 2] [--web-concurrency 4]

PostgreSQL: `stet_bench_load_test_<pid>` on STET_BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards. Redis: STET_BENCH_REDIS_URL
(default redis://127.0.0.1:6379/14); the run's queue and health stamp are deleted at the end.
Figures only: never part of pass/fail.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

from bench_support.databases import Unavailable, throwaway_database
from bench_support.machine import cores, load

REPO = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("STET_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET_KEY = "load-test-only-k7pQz9vL2wX4mN8bR1tY6cF3hJ5gD0sAeUiOlKjH-not-for-production"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front of gunicorn adds


# --- make serve, started and stopped here ------------------------------------------------


def descendants(root: int) -> set[int]:
    """Every live process below `root` (honcho puts each child in a session of its own)."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children[int((entry / "stat").read_text().rpartition(")")[2].split()[1])].append(int(entry.name))
            except OSError:
                continue
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """`make serve` in its own process group; stopped as Ctrl-C would, every child accounted for."""

    def __init__(self, workdir: Path, database_url: str, queue: str, web_concurrency: int, celery_concurrency: int):
        self.port = free_port()
        self.log_path = workdir / "serve.log"
        self.environment = {
            **{key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "MAKEFLAGS"}},
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": REDIS_URL,
            "STET_CELERY_QUEUE": queue,
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(workdir / "static"),
            "BEAT_SCHEDULE": str(workdir / "celerybeat-schedule"),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(web_concurrency),
            "CELERY_CONCURRENCY": str(celery_concurrency),
            "STET_CHECKS_SWEEP_INTERVAL": "5",
        }
        self.children: set[int] = set()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180) -> None:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", "-o", ".venv/.installed", "serve"],
                cwd=REPO, env=self.environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.children |= descendants(self.process.pid)
            if self.process.poll() is not None:
                raise RuntimeError(f"make serve exited with {self.process.returncode}:\n{self.output()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", headers=PROXY_HEADERS, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"/healthz did not say ok within {timeout:.0f}s:\n{self.output()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.children |= descendants(self.process.pid)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in self.children):
            time.sleep(0.1)
        for pid in self.children:  # whatever did not stop in time
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def server_errors(self, since: int = 0) -> list[str]:
        """5xx lines of the access log after offset `since` (start-up's 503s of /healthz are before)."""
        return [line for line in self.output()[since:].splitlines() if re.search(r'" 5\d\d ', line)]


# --- The data and the people ----------------------------------------------------------------


@dataclasses.dataclass
class Seeded:
    slug: str
    stream: object
    approved: list[int]
    as_of: list[str]


def setup_django(database_url: str, queue: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=database_url, CELERY_BROKER_URL=REDIS_URL,
        STET_CELERY_QUEUE=queue, SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING",
    )
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def person(username: str, group: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from editorial.roles import ensure_groups

    ensure_groups()
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=group))
    return user


def wait_for_verdict(revision_id: int, timeout: float = 60) -> None:
    from editorial.aggregate.statuses import CheckStatus
    from editorial.models import Revision

    deadline = time.monotonic() + timeout
    while Revision.objects.filter(id=revision_id, check_status=CheckStatus.PENDING).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no verdict for revision {revision_id} within {timeout:.0f}s")
        time.sleep(0.01)


def propose_and_approve(editor, reviewer, content, summary: str) -> tuple[int, float, float, float]:
    """Propose, wait for the worker's verdict, approve: the revision and the three durations."""
    from editorial.aggregate.statuses import CheckStatus
    from editorial.models import Revision
    from editorial.services import revision_approve, revision_propose

    started = time.perf_counter()
    revision = revision_propose(actor=editor, content=content, summary=summary)
    proposed = time.perf_counter()
    wait_for_verdict(revision.id)
    judged = time.perf_counter()
    # The seed's own findings are not this test's concern: approve over them as a reviewer would.
    failed = Revision.objects.filter(id=revision.id, check_status__in=[CheckStatus.FAILED, CheckStatus.ERROR]).exists()
    revision_approve(actor=reviewer, revision_id=revision.id, override_reason="load test" if failed else "")
    approved = time.perf_counter()
    return revision.id, proposed - started, judged - proposed, approved - judged


def seed(articles: int, edits: int, editor, reviewer) -> list[Seeded]:
    from editorial.models import Revision
    from editorial.reader.queries import as_of_value
    from encyclopedia.textformat import parse_bytes

    base = parse_bytes((REPO / "fixtures" / "2017_Ayorou_attack.txt").read_bytes())
    seeded = []
    for number in range(articles):
        content = dataclasses.replace(base, title=f"{base.title} (load {number})")
        ids = []
        for edit in range(edits):
            ids.append(propose_and_approve(editor, reviewer, edited(content, f"seed {edit}"), f"seed edit {edit}")[0])
        rows = Revision.objects.filter(id__in=ids).order_by("id")
        seeded.append(
            Seeded(
                slug=rows[0].slug, stream=rows[0].stream, approved=ids,
                as_of=[as_of_value(row.decided_at) for row in rows],
            )
        )
    return seeded


def edited(content, marker: str):
    from encyclopedia.content import InfoboxEntry

    entries = [entry for entry in content.infobox if entry.key != "Notes"] + [InfoboxEntry("Notes", f"Load test {marker}")]
    return dataclasses.replace(content, infobox=tuple(entries))


# --- The run --------------------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def record(self, what: str, seconds: float) -> None:
        with self.lock:
            self.times[what].append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def reader(base_url: str, articles: list[Seeded], stop: threading.Event, tally: Tally, seed_number: int) -> None:
    chooser = random.Random(seed_number)
    session = requests.Session()
    session.headers.update(PROXY_HEADERS)
    while not stop.is_set():
        article = chooser.choice(articles)
        page = chooser.choice(["article", "history", "diff", "as_of"])
        path = f"/articles/{article.slug}/"
        if page == "history":
            path += "history/"
        elif page == "diff":
            old, new = sorted(chooser.sample(article.approved, 2))
            path += f"diff/{old}/{new}/"
        elif page == "as_of":
            path += f"?as_of={chooser.choice(article.as_of)}"
        started = time.perf_counter()
        try:
            response = session.get(base_url + path, timeout=30)
        except requests.RequestException as failure:
            tally.error(f"{page} {path}: {failure}")
            continue
        tally.record(page, time.perf_counter() - started)
        if response.status_code != 200:
            tally.error(f"{page} {path}: HTTP {response.status_code}")


def writer(number: int, articles: list[Seeded], stop: threading.Event, tally: Tally) -> None:
    from django.db import connection

    from editorial.models import Revision
    from editorial.store import load_content

    editor, reviewer = person(f"load-editor-{number}", "Editors"), person(f"load-reviewer-{number}", "Reviewers")
    round_number = 0
    try:
        while not stop.is_set():
            article = articles[round_number % len(articles)]
            round_number += 1
            published = Revision.objects.filter(stream=article.stream, status="approved").order_by("-decided_at").first()
            content = edited(load_content(published.content_hash), f"writer {number} round {round_number}")
            try:
                _id, propose, verdict, approve = propose_and_approve(editor, reviewer, content, f"load round {round_number}")
            except Exception as failure:  # counted: the run must have none
                tally.error(f"writer {number}: {type(failure).__name__}: {failure}")
                continue
            tally.record("propose", propose)
            tally.record("verdict (worker)", verdict)
            tally.record("approve", approve)
    finally:
        connection.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--web-concurrency", type=int, default=4)
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--articles-per-writer", type=int, default=2)
    parser.add_argument("--seed-edits", type=int, default=4)
    options = parser.parse_args()

    import redis
    import uuid

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        raise SystemExit(f"Redis is not reachable at {REDIS_URL}: start it, or set STET_BENCH_REDIS_URL") from None
    print(f"This machine has {cores()} cores; load average over the last minute, before: {load()}")
    queue = f"stet-load-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="stet-load-") as workdir:
        try:
            database = throwaway_database("postgresql", Path(workdir), "load_test")
            database_url = database.__enter__()
        except Unavailable as why:
            print(f"load test skipped: {why}")
            return 1
        serve = Serve(Path(workdir), database_url, queue, options.web_concurrency, options.celery_concurrency)
        log_mark = 0
        try:
            serve.start()
            setup_django(database_url, queue)
            from django.db import connection

            writers = max(options.writers, 1)
            seeded = seed(writers * options.articles_per_writer, options.seed_edits,
                          person("load-seeder", "Editors"), person("load-seed-reviewer", "Reviewers"))
            connection.close()
            print(f"make serve at {serve.url}: gunicorn x{options.web_concurrency}, Celery worker x{options.celery_concurrency}, beat;"
                  f" {len(seeded)} articles of {options.seed_edits} approved revisions")
            tally, stop = Tally(), threading.Event()
            log_mark = len(serve.output())  # count 5xx from here: start-up's /healthz answers 503 until beat's first sweep
            threads = [
                threading.Thread(target=reader, args=(serve.url, seeded, stop, tally, number))
                for number in range(options.readers)
            ] + [
                threading.Thread(target=writer, args=(number, seeded[number::writers], stop, tally))
                for number in range(options.writers)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(options.duration)  # the run's length: the threads work until told to stop
            stop.set()
            load_during = load()
            for thread in threads:
                thread.join(timeout=120)
            elapsed = time.perf_counter() - started
        finally:
            serve.stop()
            server_errors = serve.server_errors(since=log_mark)
            database.__exit__(None, None, None)
            client = redis.Redis.from_url(REDIS_URL)
            client.delete(queue, f"stet:health:last-sweep:{database.name}")

    print(f"\n{options.readers} readers and {options.writers} writers for {elapsed:.1f} s;"
          f" load average over the last minute at the end: {load_during}\n")
    print(f"{'page / operation':<20}{'count':>8}{'per s':>9}{'median ms':>11}{'p95 ms':>9}")
    for what in ["article", "history", "diff", "as_of", "propose", "verdict (worker)", "approve"]:
        values = tally.times.get(what, [])
        if not values:
            print(f"{what:<20}{0:>8}")
            continue
        print(f"{what:<20}{len(values):>8}{len(values) / elapsed:>9.1f}"
              f"{statistics.median(values) * 1000:>11.1f}{p95(values) * 1000:>9.1f}")
    reads = sum(len(tally.times.get(page, [])) for page in ("article", "history", "diff", "as_of"))
    print(f"\nreader pages: {reads / elapsed:.1f} requests/s; approved edits: {len(tally.times.get('approve', [])) / elapsed:.2f}/s")
    errors = len(tally.errors) + len(server_errors)
    print(f"errors: {errors} ({len(tally.errors)} in the clients, {len(server_errors)} 5xx in the access log)")
    for line in (tally.errors + server_errors)[:20]:
        print(f"  {line}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

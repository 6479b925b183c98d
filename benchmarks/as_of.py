"""Time of the reader's `?as_of=` page near an article's start against today, and against other articles' history.

    python benchmarks/as_of.py [--revisions 10000] [--rounds 100] [--databases sqlite,postgresql]
                               [--without-index]

Builds a fresh database with one measured article (100 revisions over
eight years) among others whose revisions interleave with it in time and
id, first 1,000 revisions in all, then `--revisions` (10,000) in all.
At each size it fetches the measured article's page as of a day near its
start and as of today, interleaved (the order alternates each round),
and prints the median of each and their ratio (goal: at most 1.2), and how
much the page slowed when the other articles' history grew tenfold
(goal: not at all). `--without-index` then drops `revision_as_of_idx` and
measures again, to show what the index is for.

The rows are bulk-inserted (revisions, contents, articles), not proposed
through the event log: the page reads only these tables, and building
10,000 revisions through the workflow would take minutes. After every bulk
load the benchmark runs ANALYZE, as anyone loading rows in bulk should:
PostgreSQL's autovacuum may be off or not have run yet, and without
statistics the planner guesses row counts and may scan instead of using
the index; SQLite plans from its own statistics only once ANALYZE made them.

Databases: SQLite (a temporary file) by default; PostgreSQL too when
DATABASE_URL is a postgres:// URL (a throwaway database is made on that
server and dropped afterwards), or with `--databases sqlite,postgresql`
(the server of STET_BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres). Figures only: never pass/fail.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench_support.children import child_figures
from bench_support.databases import Unavailable, is_postgres, throwaway_database

REPO = Path(__file__).resolve().parent.parent
TARGET_REVISIONS = 100
OTHER_ARTICLES = 99
FIRST_SIZE = 1_000
START = datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=8 * 365)
SEED = 20171021


# --- The parent: one child process per database --------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--revisions", type=int, default=10_000, help="revisions in all at the larger size")
    parser.add_argument("--rounds", type=int, default=100, help="interleaved rounds of the two pages at each size")
    parser.add_argument("--databases", help="sqlite, postgresql or both (default: sqlite, and postgresql "
                        "when DATABASE_URL is a postgres URL)")
    parser.add_argument("--without-index", action="store_true", help="also measure with revision_as_of_idx dropped")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a database URL: run the measurements there
    args = parser.parse_args()
    if args.revisions <= FIRST_SIZE:
        parser.error(f"--revisions must be more than {FIRST_SIZE}")
    if args.child:
        print(json.dumps(measure(args)))
        return

    databases = args.databases or ("sqlite,postgresql" if is_postgres(os.environ.get("DATABASE_URL")) else "sqlite")
    print(f"?as_of= page of one article ({TARGET_REVISIONS} revisions) near its start vs today;"
          f" median of {args.rounds} interleaved rounds, ANALYZE after each bulk load.")
    print(f"{'database':<11}{'revisions':>10}{'index':>7}{'start ms':>10}{'today ms':>10}{'ratio':>8}{'vs 1k':>8}"
          f"   its SQL alone: {'start ms':>9}{'today ms':>10}{'ratio':>8}{'vs 1k':>8}")
    workdir = Path(tempfile.mkdtemp(prefix="stet-as-of-"))
    try:
        for database in databases.split(","):
            report(database, workdir, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("ratio: start / today (goal <= 1.2x). vs 1k: the slower of the two against the first size's, so how"
          " much 10x the other articles' history costs (goal: 1x).")


def report(database: str, workdir: Path, args) -> None:
    try:
        with throwaway_database(database, workdir, "as_of", prefer_database_url=True) as url:
            rows = run_child(url, workdir, args)
    except Unavailable as reason:
        print(f"{database:<11}skipped: {reason}")
        return
    smallest = rows[0]
    for row in rows:
        slower = max(row["start_ms"], row["today_ms"]) / max(smallest["start_ms"], smallest["today_ms"])
        query_slower = max(row["start_query_ms"], row["today_query_ms"]) / max(
            smallest["start_query_ms"], smallest["today_query_ms"])
        print(f"{database:<11}{row['revisions']:>10}{row['index']:>7}{row['start_ms']:>10.2f}"
              f"{row['today_ms']:>10.2f}{row['start_ms'] / row['today_ms']:>7.2f}x{slower:>7.2f}x"
              f"   {'':>15}{row['start_query_ms']:>9.3f}{row['today_query_ms']:>10.3f}"
              f"{row['start_query_ms'] / row['today_query_ms']:>7.2f}x{query_slower:>7.2f}x")


def run_child(url: str, workdir: Path, args) -> list[dict]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",  # the test client speaks plain HTTP
        "STATIC_ROOT": str(workdir / "static"),  # the page names hashed static files, as in production
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    environment.pop("DEBUG", None)  # production settings: templates cached, no query log kept in memory
    environment.pop("CELERY_BROKER_URL", None)
    command = [sys.executable, __file__, "--child", url, "--revisions", str(args.revisions),
               "--rounds", str(args.rounds), *(["--without-index"] if args.without_index else [])]
    return child_figures(command, cwd=REPO, env=environment, database=url)


# --- The child: build and measure on one database -------------------------------------------


def measure(args) -> list[dict]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as make serve does before it starts
    target, first, rest = plan_rows(args.revisions)
    load(first, target)
    rows = [{"revisions": FIRST_SIZE, "index": "yes", **time_pages(target, args.rounds)}]
    load(rest, target)
    rows.append({"revisions": args.revisions, "index": "yes", **time_pages(target, args.rounds)})
    if args.without_index:
        drop_as_of_index()
        rows.append({"revisions": args.revisions, "index": "no", **time_pages(target, args.rounds)})
    return rows


class Target:
    """The measured article: its stream, slug and a day near its start."""

    def __init__(self):
        self.stream = uuid.uuid4()
        self.slug = "measured-article"
        self.early_day: datetime.date | None = None
        self.current_revision_id: int | None = None


def plan_rows(total: int) -> tuple[Target, list[dict], list[dict]]:
    """Every revision to load, ids in order of time as event ids are, split into the first size and the rest."""
    randomness = random.Random(SEED)
    target = Target()
    others = [uuid.uuid4() for _ in range(OTHER_ARTICLES)]
    moments = [(START + SPAN * (number + 0.5) / TARGET_REVISIONS, target.stream) for number in range(TARGET_REVISIONS)]
    moments += [(START + SPAN * randomness.random(), randomness.choice(others)) for _ in range(total - TARGET_REVISIONS)]
    moments.sort(key=lambda moment: moment[0])
    first_share = (FIRST_SIZE - TARGET_REVISIONS) / (total - TARGET_REVISIONS)
    first, rest, seen = [], [], set()
    statuses = ["approved", "approved", "approved", "rejected", "pending"]
    for revision_id, (moment, stream) in enumerate(moments, start=1):
        # An article's first revision is approved (it founded the article); the rest mix every outcome.
        status = statuses[revision_id % len(statuses)] if stream in seen else "approved"
        seen.add(stream)
        row = {"id": revision_id, "stream": stream, "status": status, "proposed_at": moment}
        if stream == target.stream:
            if status == "approved":
                target.current_revision_id = revision_id
                if target.early_day is None:
                    target.early_day = (moment + datetime.timedelta(days=2)).date()
            first.append(row)
        else:
            (first if randomness.random() < first_share else rest).append(row)
    return target, first, rest


def load(rows: list[dict], target: Target) -> None:
    """Bulk-insert the revisions (and their articles and contents), then ANALYZE: the statistics a bulk load needs."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from editorial.models import Revision
    from editorial.store import store_content
    from encyclopedia.models import Article
    from encyclopedia.textformat import parse_bytes

    seed = parse_bytes((REPO / "fixtures" / "2017_Ayorou_attack.txt").read_bytes())
    user, _ = get_user_model().objects.get_or_create(username="bench-as-of")
    with transaction.atomic():
        # Every content of the same length, so that the two pages render the same amount of text.
        pool = [store_content(with_result(seed, f"revision {number:06d}")) for number in range(20)]
        revisions = []
        for row in rows:
            ours = row["stream"] == target.stream
            content_hash = store_content(with_result(seed, f"revision {row['id']:06d}")) if ours else (
                pool[row["id"] % len(pool)])
            decided = row["status"] != "pending"
            revisions.append(Revision(
                id=row["id"], stream=row["stream"], title=title_of(row["stream"], target),
                slug=slug_of(row["stream"], target), author=user, summary="bulk", content_hash=content_hash,
                status=row["status"], proposed_at=row["proposed_at"], decided_by=user if decided else None,
                decided_at=row["proposed_at"] + datetime.timedelta(hours=1) if decided else None,
                check_status="passed",
            ))
        Revision.objects.bulk_create(revisions, batch_size=1000)
        published = set(Article.objects.values_list("stream", flat=True))
        articles = {}
        for row in rows:
            if row["stream"] not in published and row["status"] == "approved":
                articles.setdefault(row["stream"], Article(
                    stream=row["stream"], title=title_of(row["stream"], target), slug=slug_of(row["stream"], target),
                    current_revision_id=target.current_revision_id if row["stream"] == target.stream else row["id"],
                    published_at=row["proposed_at"],
                ))
        Article.objects.bulk_create(articles.values())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def title_of(stream: uuid.UUID, target: Target) -> str:
    return "Measured article" if stream == target.stream else f"Article {stream.hex[:12]}"


def slug_of(stream: uuid.UUID, target: Target) -> str:
    return target.slug if stream == target.stream else f"article-{stream.hex[:12]}"


def with_result(content, value: str):
    import dataclasses

    from encyclopedia.content import InfoboxEntry

    infobox = tuple(InfoboxEntry(e.key, value) if e.key == "Result" else e for e in content.infobox)
    return dataclasses.replace(content, infobox=infobox)


def drop_as_of_index() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX revision_as_of_idx")
        cursor.execute("ANALYZE")


def time_pages(target: Target, rounds: int) -> dict:
    """Median milliseconds of the page as of the early day and as of today, fetched in alternating order.

    Beside each page, the median of its lookup's SQL alone (the statement `queries.revision_as_of` sends,
    run bare), the part that an index changes: the rest of the page is the ORM and rendering, the same
    whatever the history.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from editorial.reader import queries

    client = Client()
    url = reverse("reader:article", kwargs={"slug": target.slug})
    pages = {"start": f"{url}?as_of={target.early_day:%Y-%m-%d}", "today": f"{url}?as_of={datetime.date.today()}"}
    days = {"start": target.early_day, "today": datetime.date.today()}
    times: dict[str, list[float]] = {"start": [], "today": [], "start_query": [], "today_query": []}

    def fetch(name: str) -> float:
        began = time.perf_counter()
        response = client.get(pages[name])
        elapsed = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"{pages[name]} answered {response.status_code}")
        return elapsed

    statements = {}
    for name, day in days.items():
        with CaptureQueriesContext(connection) as captured:
            queries.revision_as_of(target.stream, day)
        (statements[name],) = (query["sql"] for query in captured.captured_queries)

    def look_up(name: str) -> float:
        # The page's request closed the connection (CONN_MAX_AGE=0): open it before the clock starts.
        with connection.cursor() as cursor:
            began = time.perf_counter()
            cursor.execute(statements[name])
            cursor.fetchall()
            return time.perf_counter() - began

    for _ in range(3):  # warm up: connections, templates, the first pages of each table
        fetch("start"), fetch("today")
    for round_number in range(rounds):
        for name in ("start", "today") if round_number % 2 else ("today", "start"):
            times[name].append(fetch(name))
            times[f"{name}_query"].append(look_up(name))
    return {f"{name}_ms": statistics.median(values) * 1000 for name, values in times.items()}


if __name__ == "__main__":
    main()

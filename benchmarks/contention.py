"""Proposal throughput and refusals when several editors propose on one article at once.

For 1, 4 and 8 concurrent editors, on SQLite and on PostgreSQL, prints the
proposals per second, how many proposals were refused, and how many
revisions were left without a verdict; beside it, the rate of bare inserts
into a table of the same shape as editorial_event (same columns, indexes
and constraints, nothing of ours on top) by as many threads, measured in
the same run, and the ratio of the two.

    python benchmarks/contention.py [--per-editor 10] [--inserts 200] [--checks in-process|off]
                                    [--editors 1,4,8] [--databases sqlite,postgresql]

Each editor is a thread with its own database connection calling
`editorial.services.revision_propose` on the published article, as the
admin edit form does. By default the consistency checks run in-process
after each proposal commits, in the proposing thread: that is what the
web process does when CELERY_BROKER_URL is unset (`make run`, `make serve`
without a broker), and the check results are writes that may contend with
the proposals. `--checks off` sends them to an in-memory broker nobody
reads, to measure proposals alone.

Each database is created for the run and dropped afterwards: a SQLite
file in a temporary directory, and `stet_bench_contention_<pid>` on the
PostgreSQL server of STET_BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres). A database that cannot be
reached is reported and skipped. Figures only: never part of pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench_support.children import child_figures
from bench_support.databases import Unavailable, throwaway_database

REPO = Path(__file__).resolve().parent.parent
BARE_TABLE = "bench_bare_event"


# --- The parent: one child process per database, then the table -------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-editor", type=int, default=10, help="proposals per editor at each level")
    parser.add_argument("--inserts", type=int, default=200, help="bare inserts per thread at each level")
    parser.add_argument("--checks", choices=["in-process", "off"], default="in-process")
    parser.add_argument("--editors", default="1,4,8")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a database URL: run the measurements there
    args = parser.parse_args()
    levels = [int(level) for level in args.editors.split(",")]
    if args.child:
        print(json.dumps(measure(args.child, levels, args)))
        return

    print(
        f"Proposals on one article by concurrent editors ({args.per_editor} each), checks {args.checks};"
        f" bare inserts: {args.inserts} per thread into a copy of editorial_event."
    )
    print(f"{'database':<11}{'editors':>8}{'proposals':>10}{'refused':>9}{'no verdict':>11}"
          f"{'proposals/s':>13}{'inserts/s':>11}{'ratio':>8}")
    workdir = Path(tempfile.mkdtemp(prefix="stet-contention-"))
    for database in args.databases.split(","):
        try:
            with throwaway_database(database, workdir, "contention") as url:
                rows = run_child(url, args)
        except Unavailable as reason:
            print(f"{database:<11}skipped: {reason}")
            continue
        for row in rows:
            no_verdict = row["no_verdict"] if args.checks == "in-process" else "-"  # nothing checks them
            print(
                f"{database:<11}{row['editors']:>8}{row['proposals']:>10}{row['refused']:>9}{no_verdict:>11}"
                f"{row['proposals_per_s']:>13.1f}{row['inserts_per_s']:>11.0f}"
                f"{row['inserts_per_s'] / max(row['proposals_per_s'], 1e-9):>7.0f}x"
            )
            for message, count in row["refusals"].items():
                print(f"{'':<19}refused {count}x: {message}")


def run_child(url: str, args) -> list[dict]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    environment.pop("DEBUG", None)  # production settings: no query log kept in memory
    if args.checks == "off":
        environment["CELERY_BROKER_URL"] = "memory://"  # sent to a broker nobody reads
    else:
        environment.pop("CELERY_BROKER_URL", None)  # run after each commit, in the proposing thread
    command = [sys.executable, __file__, "--child", url, "--per-editor", str(args.per_editor),
               "--inserts", str(args.inserts), "--editors", args.editors, "--checks", args.checks]
    return child_figures(command, cwd=REPO, env=environment, database=url)


# --- The child: measurements on one database ----------------------------------------------


def measure(url: str, levels: list[int], args) -> list[dict]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    create_bare_table()
    editors = make_editors(max(levels))
    # Warm up (connections, caches, the first pages of each table) before anything is timed.
    propose_concurrently(editors[:1], 2)
    insert_concurrently(1, 20)
    rows = []
    for level in levels:
        proposals = propose_concurrently(editors[:level], args.per_editor)
        inserts_per_s = insert_concurrently(level, args.inserts)
        rows.append({"editors": level, **proposals, "inserts_per_s": inserts_per_s})
    return rows


def make_editors(count: int) -> list:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from editorial.roles import ensure_groups

    ensure_groups()
    editors = []
    for number in range(count):
        user, _created = get_user_model().objects.get_or_create(username=f"bench-editor-{number}", is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        editors.append(get_user_model().objects.get(pk=user.pk))  # fresh permission cache
    return editors


def together(count: int, work) -> float:
    """Run work(index) in `count` threads released together; the wall-clock seconds until all are done."""
    from django.db import connection

    barrier = threading.Barrier(count + 1)
    errors = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def propose_concurrently(editors: list, per_editor: int) -> dict:
    from editorial.services import revision_propose
    from editorial.errors import EditorialError
    from editorial.models import Revision
    from encyclopedia.models import Article

    article = Article.objects.with_content().get()
    content = article.to_content()
    marker = uuid.uuid4().hex[:8]
    refusals: dict[str, int] = {}
    lock = threading.Lock()

    def work(index: int) -> None:
        editor = editors[index]
        for number in range(per_editor):
            edited = with_result(content, f"ISGS victory ({marker} {editor.username} {number})")
            try:
                revision_propose(actor=editor, content=edited, summary=f"bench {marker}", stream=article.stream)
            except EditorialError as error:
                with lock:
                    refusals[str(error)] = refusals.get(str(error), 0) + 1

    elapsed = together(len(editors), work)
    recorded = Revision.objects.filter(summary=f"bench {marker}")
    return {
        "proposals": recorded.count(),
        "refused": sum(refusals.values()),
        "refusals": refusals,
        "no_verdict": recorded.filter(checks_concluded_at__isnull=True).count(),
        "proposals_per_s": recorded.count() / elapsed,
    }


def with_result(content, value: str):
    import dataclasses

    from encyclopedia.content import InfoboxEntry

    infobox = tuple(InfoboxEntry(e.key, value) if e.key == "Result" else e for e in content.infobox)
    return dataclasses.replace(content, infobox=infobox)


def create_bare_table() -> None:
    """A table with editorial_event's columns, indexes and constraints, and nothing else."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {BARE_TABLE} (LIKE editorial_event INCLUDING ALL)")
            return
        cursor.execute(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'editorial_event' AND sql IS NOT NULL"
            " AND type IN ('table', 'index')"
        )
        statements = sorted(cursor.fetchall(), key=lambda row: row[0] != "table")  # the table before its indexes
        for _kind, sql in statements:
            sql = sql.replace('"editorial_event"', f'"{BARE_TABLE}"').replace("editorial_event", BARE_TABLE)
            # Index names are global in SQLite: give the copies their own.
            sql = sql.replace('INDEX "', f'INDEX "{BARE_TABLE}_')
            cursor.execute(sql)


def insert_concurrently(threads: int, per_thread: int) -> float:
    """Bare inserts per second: one row per transaction, each thread in its own stream."""
    from django.db import connection, transaction

    def work(index: int) -> None:
        stream = uuid.uuid4()
        columns, rows = bare_rows(stream, per_thread)
        sql = (
            f"INSERT INTO {BARE_TABLE} ({', '.join(connection.ops.quote_name(c) for c in columns)})"
            f" VALUES ({', '.join(['%s'] * len(columns))})"
        )
        for row in rows:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, row)

    elapsed = together(threads, work)
    return threads * per_thread / elapsed


def bare_rows(stream: uuid.UUID, count: int) -> tuple[list[str], list[list]]:
    """Every column of the event table (whatever it has now), filled as a proposal would fill it.

    Values are prepared before the timing starts, by the model's own fields,
    so the timed loop is the INSERT and its commit and nothing else.
    """
    from django.db import connection, models
    from django.utils import timezone

    from editorial.models import Event

    known = {
        "stream": lambda version: stream,
        "version": lambda version: version,
        "type": lambda version: "revision.proposed",
        "payload": lambda version: {"title": "2017 Ayorou attack", "content_hash": "0" * 64, "base_revision": 1,
                                    "summary": "bench", "reverts_revision": None},
        "actor": lambda version: None,
        "revision_id": lambda version: None,
        "recorded_at": lambda version: timezone.now(),
        "prev_hash": lambda version: "0" * 64,
        "hash": lambda version: uuid.uuid4().hex * 2,
    }

    def value(field, version):
        if field.name in known:
            return known[field.name](version)
        if isinstance(field, (models.CharField, models.TextField)):  # e.g. a MAC: unique-looking text
            return uuid.uuid4().hex[: field.max_length or 32]
        return field.get_default() if field.has_default() else None

    fields = [field for field in Event._meta.concrete_fields if not field.primary_key]
    rows = [
        [field.get_db_prep_save(value(field, version), connection) for field in fields]
        for version in range(1, count + 1)
    ]
    return [field.column for field in fields], rows


if __name__ == "__main__":
    main()

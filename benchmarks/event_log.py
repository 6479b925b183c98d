"""Cost of the event log: one append against a bare INSERT, and a rebuild against bare inserts, with its memory.

    python benchmarks/event_log.py [--events 100000] [--appends 1000] [--rounds 3]
                                   [--databases sqlite,postgresql]

On each database (a throwaway one: a SQLite file, a PostgreSQL database
dropped afterwards) it prints:
- appends: one event a transaction through `editorial.store.append`,
  against one bare INSERT of a like row a transaction; `--appends`
  interleaved pairs (the order alternates), medians and their ratio
  (goal: at most 3x);
- rebuild: `replay.rebuild()` of a log of `--events` events against as
  many bare single-row INSERTs of the same rows (into an empty copy of
  the event table with its indexes, one transaction), `--rounds` interleaved pairs, medians
  and their ratio (goal: at most 3x);
- memory: the peak traced by tracemalloc during a rebuild of a quarter,
  half and all of the log (goal: flat, since the rebuild streams).

The log is appended through `editorial.store`, as the services append it
(tests/support/event_log.py): revisions of twenty articles, each with its
proposal, a check run (a start, every active rule's result, a verdict)
and a decision, ten in eleven approved, so the rebuild folds and publishes
for real; `replay_events --verify` then checks what it wrote. Memory is
flat once a chunk of events (2,000) and the revisions held (1,024) are
full, about ten thousand events: a smaller `--events` shows it filling.
Figures only: never pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from bench_support.children import child_figures
from bench_support.databases import Unavailable, throwaway_database

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 20
SCRATCH = "bench_bare_event"


# --- The parent: one child process per database --------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000, help="events in the log rebuilt")
    parser.add_argument("--appends", type=int, default=1000, help="interleaved pairs of single appends")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved pairs of rebuild and bare inserts")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a database URL: run the measurements there
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="stet-event-log-"))
    try:
        for database in args.databases.split(","):
            report(database.strip(), workdir, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(database: str, workdir: Path, args) -> None:
    try:
        with throwaway_database(database, workdir, "event_log") as url:
            result = run_child(url, args)
    except Unavailable as reason:
        print(f"{database}: skipped: {reason}")
        return
    append, rebuild = result["append"], result["rebuild"]
    print(f"== {database}")
    print(f"append, one event a transaction ({append['pairs']} interleaved pairs, medians):"
          f" store.append {append['store_us']:.0f} us, bare INSERT {append['bare_us']:.0f} us,"
          f" ratio {append['store_us'] / append['bare_us']:.2f}x (goal <= 3x)")
    print(f"rebuild of {rebuild['events']} events ({rebuild['pairs']} interleaved pairs, medians):"
          f" replay.rebuild() {rebuild['rebuild_s']:.2f} s, {rebuild['events']} bare INSERTs {rebuild['bare_s']:.2f} s,"
          f" ratio {rebuild['rebuild_s'] / rebuild['bare_s']:.2f}x (goal <= 3x)")
    print(f"verify after the rebuild: {rebuild['verified']}")
    print("rebuild peak memory (tracemalloc): " + ", ".join(
        f"{row['events']} events {row['peak_mb']:.1f} MB" for row in result["memory"]) + " (goal: flat)")
    print(f"(log generated in {result['generate_s']:.0f} s)")


def run_child(url: str, args) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "benchmarks")]),
    }
    environment.pop("DEBUG", None)  # production settings: no query log kept in memory
    environment.pop("CELERY_BROKER_URL", None)
    command = [sys.executable, __file__, "--child", url, "--events", str(args.events),
               "--appends", str(args.appends), "--rounds", str(args.rounds)]
    return child_figures(command, cwd=REPO, env=environment, database=url)


# --- The child: build and measure on one database -------------------------------------------


def measure(args) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from encyclopedia.textformat import parse_bytes
    from tests.support.environment import SEED_PATH
    from tests.support.event_log import EventLog

    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    author, reviewer = users.create_user(username="author"), users.create_user(username="reviewer")
    seed = parse_bytes(SEED_PATH.read_bytes(), source=str(SEED_PATH))

    log = EventLog(base=seed, articles=ARTICLES, author=author, reviewer=reviewer)
    revisions = max(1, args.events // log.events_per_revision)
    memory, generate_s = [], 0.0
    for share in (4, 2, 1):
        started = time.perf_counter()
        log.append(revisions // share - log.revisions)
        generate_s += time.perf_counter() - started
        analyze()
        memory.append({"events": log_size(), "peak_mb": peak_rebuild_memory() / 2**20})
    rebuild = time_rebuilds(args.rounds)
    rebuild["verified"] = verify_rebuild()
    append = time_appends(args.appends, author)  # last: its events belong to no revision, which no replay expects
    return {"append": append, "rebuild": rebuild, "memory": memory, "generate_s": generate_s}


def log_size() -> int:
    from editorial.models import Event

    return Event.objects.count()


def analyze() -> None:
    """Statistics after a bulk load, as anyone loading rows in bulk should (autovacuum may not have run)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def peak_rebuild_memory() -> int:
    from editorial import replay

    tracemalloc.start()
    try:
        replay.rebuild()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def event_insert():
    """The INSERT statement of one event row into `table`, and a function giving a row's parameters."""
    from django.db import connection

    from editorial.models import Event

    fields = [field for field in Event._meta.concrete_fields if field.attname != "id"]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)

    def statement(table: str) -> str:
        return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"

    def parameters(event) -> list:
        return [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]

    return statement, parameters


def time_appends(pairs: int, actor) -> dict:
    """One event a transaction through `store.append`, against a bare INSERT of a like row a transaction."""
    from django.db import connection, transaction

    from editorial import events as ev
    from editorial import store
    from editorial.models import Event, Stream

    statement, parameters = event_insert()
    insert = statement(connection.ops.quote_name(Event._meta.db_table))
    payload = ev.RuleChecked(rule_id="structure.infobox", rule_version=2, content_hash="0" * 64, findings=[])
    head, bare_stream = Stream(id=uuid.uuid4()), uuid.uuid4()
    with transaction.atomic():
        store.append(stream=head, payload=payload, actor=actor, revision_id=1)  # the stream's founding insert
    store_times, bare_times = [], []

    def through_store() -> float:
        started = time.perf_counter()
        with transaction.atomic():
            store.append(stream=head, payload=payload, actor=actor, revision_id=1)
        return time.perf_counter() - started

    def bare(version: int) -> float:
        row = Event(stream=bare_stream, version=version, type=payload.type, payload=payload.to_dict(), actor=actor,
                    revision_id=1, prev_hash="0" * 64, hash=uuid.uuid4().hex * 2)
        values = parameters(row)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(insert, values)
        return time.perf_counter() - started

    for pair in range(pairs):
        if pair % 2:
            bare_times.append(bare(pair + 1))
            store_times.append(through_store())
        else:
            store_times.append(through_store())
            bare_times.append(bare(pair + 1))
    return {"pairs": pairs, "store_us": statistics.median(store_times) * 1e6,
            "bare_us": statistics.median(bare_times) * 1e6}


def verify_rebuild() -> str:
    """What `replay_events --verify` says of the tables the last rebuild wrote: the rebuild timed is a correct one."""
    from editorial import replay

    report = replay.verify()
    return f"OK ({report.summary()})" if report.ok else f"{len(report.problems)} difference(s): {report.problems[:3]}"


def copy_event_table() -> None:
    """An empty copy of the event table with its constraints and indexes, so a bare INSERT maintains as much."""
    from django.db import connection

    from editorial.models import Event

    table = Event._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'CREATE TABLE {SCRATCH} (LIKE "{table}" INCLUDING ALL)')
            return
        cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
        for kind, sql in cursor.fetchall():
            if kind == "table":
                cursor.execute(sql.replace(f'"{table}"', f'"{SCRATCH}"', 1))
            elif kind == "index":  # its own name, on the copy
                cursor.execute(sql.replace('INDEX "', f'INDEX "{SCRATCH}_', 1).replace(f'"{table}"', f'"{SCRATCH}"'))


def time_rebuilds(pairs: int) -> dict:
    """`replay.rebuild()` against one bare INSERT a row of the same events into a scratch copy of the table."""
    from django.db import connection, transaction

    from editorial import replay
    from editorial.models import Event

    statement, parameters = event_insert()
    copy_event_table()
    insert = statement(SCRATCH)
    rows = [parameters(event) for event in Event.objects.order_by("id").iterator(chunk_size=2000)]

    def rebuild() -> float:
        started = time.perf_counter()
        replay.rebuild()
        return time.perf_counter() - started

    def bare() -> float:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SCRATCH}")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for values in rows:
                cursor.execute(insert, values)
        return time.perf_counter() - started

    rebuild_times, bare_times = [], []
    for pair in range(pairs):
        arms = ((bare, bare_times), (rebuild, rebuild_times))
        for arm, times in arms if pair % 2 else arms[::-1]:
            times.append(arm())
    return {"events": len(rows), "pairs": pairs, "rebuild_s": statistics.median(rebuild_times),
            "bare_s": statistics.median(bare_times)}


if __name__ == "__main__":
    main()

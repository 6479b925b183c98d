"""Tampering with the log behind the application's back, as an attacker with database access would.

On PostgreSQL a trigger refuses UPDATE and DELETE on the event and content
tables; whoever owns the tables can switch it off, which is what these
helpers do (inside the test's transaction, so it is switched on again by
the rollback). The verifier must find the tampering either way.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

GUARDED_TABLES = ("editorial_event", "editorial_contentblob")


@contextmanager
def guard_off():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # ALTER TABLE refuses while deferred foreign-key checks of this transaction are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in GUARDED_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def raw_sql(sql: str, params=()) -> int:
    """Run one statement with the guard off; returns the number of rows it touched."""
    with guard_off(), connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount

"""Deterministic interleavings: a rival command commits between two reads of the command under test.

`connection.execute_wrapper` sees every SQL statement the command sends on
its own connection. After its k-th SELECT, the rival runs to completion in
another thread (so on another connection, in its own transaction), and
only then does the command go on. Walking k over every read the command
makes puts the rival's commit between every pair of its reads, whatever
the code looks like inside.

Only PostgreSQL can interleave like this: on SQLite every write transaction
begins with BEGIN IMMEDIATE, so a rival cannot commit until the command
has (tests/editorial/test_interleaving.py shows that instead).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db import connection, transaction

# Once the command writes to the log, it holds the stream head's row lock
# until it commits; a rival that needs that lock would wait for the command
# while the command waits for the rival. Reads after that point cannot be
# interleaved with a commit anyway, so counting pauses there, and resumes
# once that transaction commits: a command made of several transactions
# (a check run records each step in its own) is walked through all of them.
_APPEND_STATEMENTS = (
    'UPDATE "editorial_stream"',
    'INSERT INTO "editorial_stream"',
    'INSERT INTO "editorial_event"',
    'INSERT INTO "editorial_articleaddress"',  # a rival claiming the same title waits for it
)


@dataclass
class Interleaving:
    reads_before_append: int = 0  # reads outside the windows where the command holds a head
    rival_ran_after_read: int | None = None
    rival_outcome: object = None
    statements: list[str] = field(default_factory=list)


def run_with_rival(command, rival, *, after_read: int | None, timeout: float = 60.0):
    """Run `command`; after its `after_read`-th read (None: never), run `rival` to completion.

    Returns (the command's result or exception, the Interleaving record).
    """
    record = Interleaving()
    appending = False

    def run_rival():
        def target():
            try:
                record.rival_outcome = rival()
            except Exception as error:  # the rival's refusal is an outcome under test
                record.rival_outcome = error
            finally:
                connection.close()

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise AssertionError(f"the rival did not finish within {timeout:.0f}s (waiting on the command's lock?)")

    def resume_counting():
        nonlocal appending
        appending = False

    def wrapper(execute, sql, params, many, context):
        nonlocal appending
        if sql.lstrip().startswith(_APPEND_STATEMENTS) and not appending:
            appending = True
            transaction.on_commit(resume_counting)
        result = execute(sql, params, many, context)
        if not appending and record.rival_ran_after_read is None and sql.lstrip().upper().startswith("SELECT"):
            record.reads_before_append += 1
            if record.reads_before_append == after_read:
                record.rival_ran_after_read = after_read
                run_rival()
        return result

    with connection.execute_wrapper(wrapper):
        try:
            outcome = command()
        except Exception as error:  # the command's refusal is an outcome under test
            outcome = error
    return outcome, record


def count_reads(command) -> int:
    """How many reads `command` makes outside its append windows (run it once without a rival)."""
    _outcome, record = run_with_rival(command, lambda: None, after_read=None)
    return record.reads_before_append

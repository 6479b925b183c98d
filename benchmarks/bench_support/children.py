"""A benchmark's child processes (one per database: Django is set up once a process), stopped cleanly.

An interrupted run must still stop its workers, drop its databases and
delete its Redis keys. So the first SIGINT or SIGTERM raises
KeyboardInterrupt and any further one is ignored while the cleanup runs,
and an interrupted parent asks its child to stop (SIGTERM) and waits for
it, instead of killing it before it could stop its own workers.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess

CHILD_CLEANUP_PATIENCE = 60  # seconds: a child stops its workers (a warm shutdown) well within it


def interrupt_once() -> None:
    def interrupted(signum, frame):
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_IGN)  # the cleanup must not be cut short by a second signal
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a background job keeps ignoring it
        signal.signal(signal.SIGINT, interrupted)


def run_child(command: list[str], *, cwd, env) -> tuple[int, str, str]:
    """Run a child to its end: its exit status, standard output and error."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate()
    except BaseException:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=CHILD_CLEANUP_PATIENCE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
    return process.returncode, stdout, stderr


def child_figures(command: list[str], *, cwd, env, database: str) -> dict:
    """Run a measuring child; its figures are the JSON object on the last line it printed."""
    status, stdout, stderr = run_child(command, cwd=cwd, env=env)
    if status != 0:
        raise SystemExit(f"the measurement on {database} failed:\n{stderr[-6000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def parent_arguments(parser, measure):
    """The arguments of the parent run; in a child (`--child` names where, as JSON), measure there,
    print the figures as the last line, and return None."""
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    interrupt_once()
    if not args.child:
        return args
    print(json.dumps(measure(json.loads(args.child), args)))
    return None

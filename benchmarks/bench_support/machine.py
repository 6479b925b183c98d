"""What a benchmark should say about the machine it ran on: its cores, and how busy others kept them."""

from __future__ import annotations

import os


def cores() -> int:
    return os.cpu_count() or 1


def load() -> str:
    """The 1-minute load average: above the core count, other work was competing with the run."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # not every platform has one
        return "unknown"


def cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat; None where there is none."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and waiting for I/O
    return sum(fields) - idle, sum(fields)


def cores_busy(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """How many of the machine's cores were busy on average between two readings (every process counted)."""
    if before is None or after is None or after[1] == before[1]:
        return None
    return cores() * (after[0] - before[0]) / (after[1] - before[1])

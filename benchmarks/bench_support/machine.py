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

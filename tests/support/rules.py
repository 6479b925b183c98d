"""Rules that exist only for tests, loaded through STET_EXTRA_RULES (in-process or in a worker)."""

import os
import time
from pathlib import Path

from editorial.rules import Rule


class ExplodingRule(Rule):
    """A rule with a bug."""

    id = "test.explodes"
    version = 1
    description = "Raises, as a buggy rule would."

    def check(self, context):
        return [1 / 0]


class GatedRule(Rule):
    """Holds a check in the middle until the test lets it go, so a worker can be killed there.

    It writes `started` in STET_TEST_GATE_DIR, then waits for `release` to
    appear there (with a deadline, so a forgotten gate cannot hang a worker).
    """

    id = "test.gated"
    version = 1
    description = "Waits for the test's signal."

    def check(self, context):
        gate = Path(os.environ["STET_TEST_GATE_DIR"])
        (gate / f"started-{os.getpid()}").write_text(context.content.title)
        deadline = time.monotonic() + 120
        while not (gate / "release").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the test never released the gate")
            time.sleep(0.05)
        return []

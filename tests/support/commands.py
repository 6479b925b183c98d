"""Management commands as tests run them: with their on-commit callbacks run, or with their output read."""

from io import StringIO

from django.core.management import call_command


def call_command_committed(*args, **kwargs):
    """call_command, then run its on-commit callbacks (see factories.propose_checked)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return call_command(*args, **kwargs)


def run_command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()

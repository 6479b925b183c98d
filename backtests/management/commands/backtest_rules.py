"""manage.py backtest_rules [--rule ID] [--since DATE] [--chunk N]: the current rules over every approved revision."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from backtests import engine
from backtests.models import RunStatus
from backtests.tasks import fan_out, sends_to_workers

KIND_LABELS = {
    "flagged": "flagged now",
    "newly_flagged": "newly flagged",
    "no_longer_flagged": "no longer flagged",
    "flagged_differently": "flagged differently",
    "rule_errors": "rule errors",
}


class Command(BaseCommand):
    help = (
        "Run the current rules over every approved revision (as its checks ran: against its base) and report per rule"
        " how many would be flagged, by severity, with examples, against the verdicts that were in force. With"
        " CELERY_BROKER_URL set, chunks go to the workers and the command waits for them; without, they run here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", dest="rules", metavar="ID", help="only this rule (repeatable)")
        parser.add_argument("--since", type=_date, help="only revisions approved on or after this day (YYYY-MM-DD)")
        parser.add_argument("--chunk", type=int, default=500, help="revisions per chunk (default 500)")
        parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the workers (default 3600)")

    def handle(self, *args, rules=None, since=None, chunk=500, timeout=3600, **options):
        on_workers = sends_to_workers()
        try:
            run = engine.plan(
                rule_ids=rules, since=since, chunk_size=chunk, mode="workers" if on_workers else "in-process",
                requested_by="manage.py backtest_rules",
            )
        except engine.BacktestError as error:
            raise CommandError(str(error)) from None
        rule_list = ", ".join(f"{rule_id} v{version}" for rule_id, version in run.rule_versions.items())
        where = "on the workers" if on_workers else "in this process (no broker)"
        self.stdout.write(
            f"Backtest {run.pk}: {rule_list}; {run.revisions} approved revisions"
            f"{f' since {since}' if since else ''}, {run.chunks} chunks of up to {run.chunk_size}, {where}"
        )

        def show(chunks: int, revisions: int) -> None:
            self.stdout.write(f"  {chunks}/{run.chunks} chunks, {revisions}/{run.revisions} revisions")
            self.stdout.flush()

        error = ""
        if on_workers and run.chunks:
            try:
                fan_out(run)
            except Exception as failure:  # kombu raises several types for an unreachable broker
                engine.finish(run, error=f"the chunks could not be sent: {failure}")
                raise CommandError(f"Backtest {run.pk}: the chunks could not be sent to the broker ({failure})")
            if not engine.wait_for_chunks(run, timeout=timeout, on_progress=show):
                error = f"the workers did not judge every chunk within {timeout:g} s"
        else:
            for number in range(run.chunks):
                engine.judge_chunk(run.pk, number, worker="in-process")
                show(*engine.progress(run))
        run = engine.finish(run, error=error)
        self.report(run)
        if run.status != RunStatus.DONE:
            raise CommandError(f"Backtest {run.pk} failed: {run.error}")

    def report(self, run) -> None:
        for result in run.results.all():
            self.stdout.write("")
            self.stdout.write(
                f"{result.rule_id} v{result.rule_version}: {result.flagged} of {result.revisions} revisions flagged"
                f" (errors {result.flagged_error}, warnings {result.flagged_warning}, info {result.flagged_info})"
            )
            in_force = ", ".join(
                f"{'not in force' if version == 'none' else 'v' + version}: {count}"
                for version, count in sorted(result.versions_in_force.items())
            )
            self.stdout.write(
                f"  against the verdicts in force ({in_force}): newly flagged {result.newly_flagged}, no longer"
                f" flagged {result.no_longer_flagged}, flagged differently {result.flagged_differently}, unchanged"
                f" {result.unchanged}; rule errors {result.rule_errors}"
            )
            for kind, label in KIND_LABELS.items():
                examples = result.examples.get(kind) or []
                if examples:
                    self.stdout.write(f"  {label}:")
                for example in examples:
                    severity = f" [{example['severity']}]" if example["severity"] else ""
                    self.stdout.write(f"    revision {example['revision']} of {example['title']}{severity}: {example['message']}")
                    if example["before"]:
                        self.stdout.write(f"      in force: {example['before']}")
                    self.stdout.write(
                        f"      review: {engine.absolute(engine.review_path(example['revision']))}"
                        f"  public: {engine.absolute(engine.public_path(example['slug'], example['revision']))}"
                    )
        self.stdout.write("")
        self.stdout.write(f"Backtest {run.pk} {run.status}; the report in the admin: {engine.absolute(engine.run_path(run))}")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None

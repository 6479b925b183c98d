"""`manage.py replay_events`: rebuild every projection from the event log, or verify them against it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from editorial import links, replay


class Command(BaseCommand):
    help = (
        "Rebuild every projection (revision list, published articles and their history, the links "
        "between articles) from the event log, in one transaction. With --verify, write nothing: check every hash chain (and, with STET_LOG_KEY, "
        "every MAC) and every stored content, and compare the live tables and their history with the "
        "log, printing each difference; exits non-zero if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true")

    def handle(self, *args, verify: bool, **options):
        if not verify:
            with transaction.atomic():  # all or nothing: never articles without their links
                applied = replay.rebuild()
                articles = links.rebuild_all()
            self.stdout.write(
                f"Rebuilt the projections from {applied} events, and the links of {articles}"
                f" article{'' if articles == 1 else 's'}."
            )
        report = replay.verify()
        for problem in report.problems:
            self.stdout.write(f"DIFFERENCE: {problem}")
        summary = report.summary()
        if not report.ok:
            raise CommandError(f"{len(report.problems)} difference(s) found ({summary}).")
        self.stdout.write(f"OK: the log verifies and matches the live tables ({summary}).")

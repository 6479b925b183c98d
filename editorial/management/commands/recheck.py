"""`manage.py recheck`: send again the checks of open revisions whose checks were lost or are stale."""

from django.core.management.base import BaseCommand

from editorial.checks import revisions_needing_checks
from editorial.tasks import enqueue_checks


class Command(BaseCommand):
    help = (
        "Send again the checks of open revisions whose checks were lost (not finished after "
        "STET_CHECKS_LOST_AFTER seconds) or made with older rule versions. With IDs, those "
        "revisions' checks are sent now if they have no current verdict."
    )

    def add_arguments(self, parser):
        parser.add_argument("revision_ids", type=int, nargs="*", metavar="ID")

    def handle(self, *args, revision_ids, **options):
        due = revisions_needing_checks(revision_ids=revision_ids or None)
        failed = [revision_id for revision_id in due if not enqueue_checks(revision_id)]
        for revision_id in due:
            outcome = "could not be sent (broker unreachable)" if revision_id in failed else "sent"
            self.stdout.write(f"{revision_id}\tchecks {outcome}")
        if not due:
            self.stdout.write("No open revision needs its checks run again.")
        if failed:
            self.stderr.write(f"{len(failed)} revision(s) could not be sent; run recheck again later.")
            raise SystemExit(1)

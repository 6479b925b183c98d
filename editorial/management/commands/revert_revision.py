"""`manage.py revert_revision`: propose the content of an earlier revision again (checks and review apply)."""

from django.core.management.base import BaseCommand

from editorial.cli import refusals_as_command_errors, user_named
from editorial.services import revision_revert


class Command(BaseCommand):
    help = "Propose the content of an earlier revision again (checks and review apply)."

    def add_arguments(self, parser):
        parser.add_argument("revision_id", type=int, metavar="ID", help="The revision to restore.")
        parser.add_argument("--user", required=True)
        parser.add_argument("--summary", default="")

    def handle(self, *args, revision_id, user, summary, **options):
        with refusals_as_command_errors():
            revision = revision_revert(actor=user_named(user), revision_id=revision_id, summary=summary)
        self.stdout.write(f"{revision.id}\t{revision.title}\trestores revision {revision_id}")

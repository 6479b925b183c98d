"""`manage.py withdraw_revision`: withdraw your own pending revision."""

from django.core.management.base import BaseCommand

from editorial.cli import refusals_as_command_errors, user_named
from editorial.services import revision_withdraw


class Command(BaseCommand):
    help = "Withdraw your own pending revision."

    def add_arguments(self, parser):
        parser.add_argument("revision_id", type=int, metavar="ID")
        parser.add_argument("--user", required=True, help="The author.")
        parser.add_argument("--reason", default="")

    def handle(self, *args, revision_id, user, reason, **options):
        with refusals_as_command_errors():
            revision = revision_withdraw(actor=user_named(user), revision_id=revision_id, reason=reason)
        self.stdout.write(f"Revision {revision.id} of {revision.title!r} withdrawn.")

from django.core.management.base import BaseCommand

from editorial.cli import refusals_as_command_errors, user_named
from editorial.commands import revision_approve


class Command(BaseCommand):
    help = "Approve a pending revision and publish it."

    def add_arguments(self, parser):
        parser.add_argument("revision_id", type=int, metavar="ID")
        parser.add_argument("--user", required=True, help="The reviewer.")

    def handle(self, *args, revision_id, user, **options):
        with refusals_as_command_errors():
            revision = revision_approve(actor=user_named(user), revision_id=revision_id)
        self.stdout.write(f"Revision {revision.id} of {revision.title!r} approved and published.")

"""`manage.py reject_revision`: reject a pending revision, with a reason the author can act on."""

from django.core.management.base import BaseCommand

from editorial.cli import refusals_as_command_errors, user_named
from editorial.services import revision_reject


class Command(BaseCommand):
    help = "Reject a pending revision, with a reason the author can act on."

    def add_arguments(self, parser):
        parser.add_argument("revision_id", type=int, metavar="ID")
        parser.add_argument("--user", required=True, help="The reviewer.")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, revision_id, user, reason, **options):
        with refusals_as_command_errors():
            revision = revision_reject(actor=user_named(user), revision_id=revision_id, reason=reason)
        self.stdout.write(f"Revision {revision.id} of {revision.title!r} rejected.")

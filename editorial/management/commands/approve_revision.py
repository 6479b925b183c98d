"""`manage.py approve_revision`: approve a pending revision and publish it."""

from django.core.management.base import BaseCommand

from editorial.cli import refusals_as_command_errors, user_named
from editorial.services import revision_approve


class Command(BaseCommand):
    help = (
        "Approve a pending revision and publish it. Refused while its checks are pending, and while "
        "errors stand unless --override gives the reason to publish anyway."
    )

    def add_arguments(self, parser):
        parser.add_argument("revision_id", type=int, metavar="ID")
        parser.add_argument("--user", required=True, help="The reviewer.")
        parser.add_argument("--override", default="", metavar="REASON", help="Why to publish despite errors.")

    def handle(self, *args, revision_id, user, override, **options):
        with refusals_as_command_errors():
            revision = revision_approve(actor=user_named(user), revision_id=revision_id, override_reason=override)
        note = f" (override: {revision.override_reason})" if revision.override_reason else ""
        self.stdout.write(f"Revision {revision.id} of {revision.title!r} approved and published{note}.")

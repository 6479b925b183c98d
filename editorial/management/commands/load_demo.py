"""`manage.py load_demo`: fill a fresh database with the demo users and the seed article."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from editorial.checks import check_revision
from editorial.cli import refusals_as_command_errors, user_named
from editorial.services import revision_approve, revision_propose
from encyclopedia.models import Article
from encyclopedia.textformat import parse_bytes

SEED_FILES = ["2017_Ayorou_attack.txt"]


class Command(BaseCommand):
    help = (
        "Fill a fresh database with the demo users (password 'stet-demo') and the seed article, "
        "proposed by 'editor', checked, and approved by 'reviewer'. Safe to run again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            call_command("loaddata", "demo_users", verbosity=0)
        editor, reviewer = user_named("editor"), user_named("reviewer")
        for name in SEED_FILES:
            path = Path(settings.BASE_DIR) / "fixtures" / name
            content = parse_bytes(path.read_bytes(), source=str(path))
            if Article.objects.filter(title=content.title).exists():
                continue
            with refusals_as_command_errors():
                revision = revision_propose(actor=editor, content=content, summary=f"Import of {name}")
                # Checked here, not on a worker, so the demo needs no running worker;
                # a worker that gets the same task later finds the verdict recorded.
                check_revision(revision.id)
                revision_approve(actor=reviewer, revision_id=revision.id)
            self.stdout.write(f"Published {content.title!r} (revision {revision.id}).")
        self.stdout.write("Demo users: admin, editor, editor2, reviewer, reviewer2 (password 'stet-demo').")

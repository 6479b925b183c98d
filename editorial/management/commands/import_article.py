"""`manage.py import_article`: propose one revision per file in the article text format, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from editorial.cli import user_named
from editorial.services import revision_propose
from editorial.errors import EditorialError
from encyclopedia.content import MAX_ARTICLE_BYTES, unstorable_character
from encyclopedia.textformat import ArticleFormatError, parse_bytes


class Command(BaseCommand):
    help = (
        "Propose one revision per file in the article text format (a new article, or a new "
        "revision of the article with the same title). All files or none: any error writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--user", required=True, help="The author of the proposals.")
        parser.add_argument("--summary", default="", help="The edit summary (default: 'Import of FILE').")

    def handle(self, *args, paths, user, summary, **options):
        author = user_named(user)
        found = unstorable_character(summary)
        if found:
            raise CommandError(f"--summary holds {found[1]}, which the database cannot store. Nothing was imported.")
        parsed = []
        for path in paths:  # parse everything first: one bad file refuses the whole call
            try:
                with open(path, "rb") as file:
                    # One byte past the limit is enough for the parser to refuse it; never read more.
                    data = file.read(MAX_ARTICLE_BYTES + 1)
            except OSError as error:
                raise CommandError(f"{path}: cannot be read: {error.strerror or error}") from None
            except ValueError as error:  # a path with a NUL in it
                raise CommandError(f"{path!r}: cannot be read: {error}") from None
            try:
                parsed.append((path, parse_bytes(data, source=path)))
            except ArticleFormatError as error:
                raise CommandError(str(error)) from None

        proposals = []
        with transaction.atomic():
            for path, content in parsed:
                try:
                    revision = revision_propose(
                        actor=author, content=content, summary=summary or f"Import of {_text(Path(path).name)}"
                    )
                except EditorialError as error:
                    raise CommandError(f"{path}: {error} Nothing was imported.") from error
                proposals.append((path, revision))
        for path, revision in proposals:
            self.stdout.write(f"{revision.id}\t{revision.title}\t{_text(path)}")


def _text(path: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as surrogates) shown as U+FFFD.

    Such a name can be neither stored nor printed as it is.
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

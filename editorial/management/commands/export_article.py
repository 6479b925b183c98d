"""`manage.py export_article`: print an article in the text format, as published now or at any revision."""

from django.core.management.base import BaseCommand, CommandError

from editorial.cli import refusals_as_command_errors
from editorial.selectors import revision_content, revision_get
from encyclopedia.models import Article
from encyclopedia.textformat import write


class Command(BaseCommand):
    help = "Print an article in the text format, as published now or at any revision."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--revision", type=int, metavar="ID", help="Print this revision instead.")

    def handle(self, *args, slug, revision, **options):
        if revision is not None:
            with refusals_as_command_errors():
                wanted = revision_get(revision)
                article_stream = Article.objects.filter(slug=slug).values_list("stream", flat=True).first()
                # A revision may have renamed the article: its stream decides, not its title.
                if wanted.stream != article_stream and wanted.slug != slug:
                    raise CommandError(f"Revision {revision} is not a revision of the article {slug!r}.")
                content = revision_content(revision)
        else:
            article = Article.objects.with_content().filter(slug=slug).first()
            if article is None:
                raise CommandError(f"No published article has the slug {slug!r}.")
            content = article.to_content()
        self.stdout.write(write(content), ending="")

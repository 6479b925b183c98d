"""Reading the published encyclopedia (what readers see)."""

from .models import Article


def article_get_published(slug: str) -> Article | None:
    """The article with its infobox and sections: three queries, however long its history."""
    return Article.objects.with_content().filter(slug=slug).first()

"""The published content readers see.

These tables are a projection of the editorial event log: only
`editorial.projections` writes them, so every row is approved content and
every history row names the approver and the revision that caused it.
"""

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .content import (
    MAX_HEADING_LENGTH,
    MAX_INFOBOX_KEY_LENGTH,
    MAX_SLUG_LENGTH,
    MAX_TITLE_LENGTH,
    ArticleContent,
    InfoboxEntry,
    SectionContent,
)
from .infobox import FieldKind


class PublishedHistory(models.Model):
    """What the history rows of the published tables add to simple-history's: the revision that wrote them.

    Every published row is written by the approval of one editorial
    revision, which the writer names on the instance as
    `_history_revision_id` (beside simple-history's `_history_user` and
    `_history_date`); `_record_revision` copies it into the history row.

    A plain id, not a ForeignKey to `editorial.Revision`: the encyclopedia
    imports nothing from the editorial app, which is built on it. Nullable,
    since a row written by anything but an approval names no revision (the
    verifier reports such rows); indexed, so that the rows one revision
    wrote are found without reading the whole history.
    """

    revision_id = models.BigIntegerField(
        null=True, db_index=True, help_text="The approved revision whose publication wrote this history row."
    )

    class Meta:
        abstract = True


class IndexedHistoricalRecords(HistoricalRecords):
    """simple-history's records with indexes of our own on the history table (it has no option for them)."""

    def __init__(self, *args, indexes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indexes = tuple(indexes)

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["indexes"] = [*meta.get("indexes", ()), *(index.clone() for index in self.indexes)]
        return meta


@receiver(pre_create_historical_record)
def _record_revision(sender, instance, history_instance, **kwargs) -> None:
    if isinstance(history_instance, PublishedHistory):
        history_instance.revision_id = getattr(instance, "_history_revision_id", None)


class ArticleQuerySet(models.QuerySet):
    def with_content(self):
        """Infobox and sections in two more queries, whatever their number."""
        return self.prefetch_related("infobox_fields", "sections")


class Article(models.Model):
    # The event stream this article is the projection of.
    stream = models.UUIDField(unique=True, editable=False)
    title = models.CharField(max_length=MAX_TITLE_LENGTH, unique=True)
    slug = models.SlugField(max_length=MAX_SLUG_LENGTH, unique=True)
    lead = models.TextField(blank=True)
    current_revision_id = models.BigIntegerField(
        help_text="The approved revision this content comes from."
    )
    published_at = models.DateTimeField()

    history = HistoricalRecords(bases=[PublishedHistory])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reader:article", kwargs={"slug": self.slug})

    def to_content(self) -> ArticleContent:
        """The published content as plain values (uses prefetched rows if any)."""
        return ArticleContent(
            title=self.title,
            lead=self.lead,
            infobox=tuple(
                InfoboxEntry(field.key, field.value) for field in self.infobox_fields.all()
            ),
            sections=tuple(
                SectionContent(
                    heading=section.heading,
                    body=section.body,
                    compact_heading=section.compact_heading,
                    blank_line_after_heading=section.blank_line_after_heading,
                )
                for section in self.sections.all()
            ),
        )


class InfoboxField(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="infobox_fields")
    key = models.CharField(max_length=MAX_INFOBOX_KEY_LENGTH)
    value = models.TextField(help_text="The value as written.")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=[(kind.value, kind.value) for kind in FieldKind])

    history = IndexedHistoricalRecords(
        bases=[PublishedHistory],
        indexes=[
            # Provenance reads one field's history rows newest first; without this the database walks the
            # history of every article back from the newest row.
            models.Index(fields=["article", "key", "history_id"], name="infobox_history_field_idx"),
        ],
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="unique_infobox_key_per_article"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"


class Section(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=MAX_HEADING_LENGTH)
    body = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    compact_heading = models.BooleanField(
        default=False, help_text="Written '==Heading==' in the source file."
    )
    blank_line_after_heading = models.BooleanField(default=False)

    history = HistoricalRecords(bases=[PublishedHistory])

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "heading"], name="unique_section_heading_per_article"),
        ]

    def __str__(self) -> str:
        return self.heading


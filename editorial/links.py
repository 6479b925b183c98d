"""The links projection: which published articles mention which.

An article mentions another by a "See also" item naming it, or in its prose
by the other article's event: "the Tongo Tongo ambush", "an ISGS ambush in
Tongo Tongo", "the 2017 Ayorou attack". Both sides are reduced to names
(`names_of`, `mentioned_names`):

- "title:<slug>" for a whole title ("See also" items);
- "event:<slug>" for an event article's place: a title that ends in an
  event noun ("Tongo Tongo ambush", "2017 Ayorou attack") is named by what
  comes before the noun, without a leading year ("tongo-tongo", "ayorou"),
  so "the ambush in Tongo Tongo" and "the Tongo Tongo attack" both name it.

The projection keeps names on both sides (`ArticleName`: a published
article's own names; `ArticleLink`: the names an article mentions), so a
mention of an article not yet written links to it the moment it is
published. It is rebuilt from published content at each approval
(`rebuild_for`, from the process manager in linked_rechecks.py) and can be
rebuilt whole from the published tables (`rebuild_all`, which `replay_events`
runs after the other projections). The open proposals' mentions
(`ProposalMention`) are noted by their check runs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article

from . import store
from .models import ArticleLink, ArticleName, ContentBlob, ProposalMention, Revision, RevisionStatus
from .rules.links_facts import mentioned_names, names_of

@dataclass(frozen=True)
class LinkedArticle:
    """A published article another one mentions, as published."""

    revision_id: int
    stream: uuid.UUID
    content: ArticleContent


def linked_published(
    content: ArticleContent, *, exclude_stream: uuid.UUID | None = None, names: dict[str, str] | None = None
) -> dict[str, LinkedArticle]:
    """The published articles this content mentions (`names`, if already known), by title.

    One query, whatever their number: the revisions published for the streams
    that hold any of the names, each with its content blob.
    """
    names = mentioned_names(content) if names is None else names
    if not names:
        return {}
    streams = ArticleName.objects.filter(key__in=list(names)).values("stream")
    published = Article.objects.filter(stream__in=streams)
    if exclude_stream is not None:
        published = published.exclude(stream=exclude_stream)
    blob = ContentBlob.objects.filter(hash=OuterRef("content_hash")).values("content")[:1]
    rows = (
        Revision.objects.filter(id__in=published.values("current_revision_id"))
        .annotate(blob=Subquery(blob))
        .values_list("id", "stream", "blob")
    )
    linked = {}
    for revision_id, stream, data in rows:
        if data is None:
            continue  # a missing blob is the verifier's to report; nothing to compare with
        other = ArticleContent.from_dict(data)
        linked[other.title] = LinkedArticle(revision_id, stream, other)
    return linked


def published_contents(streams) -> list[LinkedArticle]:
    """The published content of these articles: one query."""
    blob = ContentBlob.objects.filter(hash=OuterRef("content_hash")).values("content")[:1]
    rows = (
        Revision.objects.filter(id__in=Article.objects.filter(stream__in=streams).values("current_revision_id"))
        .annotate(blob=Subquery(blob))
        .values_list("id", "stream", "blob")
        .order_by("id")
    )
    return [LinkedArticle(revision_id, stream, ArticleContent.from_dict(data)) for revision_id, stream, data in rows if data]


def rebuild_for(stream: uuid.UUID, content: ArticleContent | None, revision_id: int | None) -> set[str]:
    """Replace one article's rows of the projection by what its published content says; returns the
    names it had before (a renamed article is still mentioned by its old name somewhere)."""
    with transaction.atomic():
        before = set(ArticleName.objects.filter(stream=stream).values_list("key", flat=True))
        ArticleName.objects.filter(stream=stream).delete()
        ArticleLink.objects.filter(source_stream=stream).delete()
        if content is None:
            return before
        ArticleName.objects.bulk_create([ArticleName(key=name, stream=stream) for name in sorted(names_of(content.title))])
        ArticleLink.objects.bulk_create(
            [
                ArticleLink(source_stream=stream, key=name, kind=kind, source_revision_id=revision_id)
                for name, kind in sorted(mentioned_names(content).items())
            ]
        )
    return before


def rebuild_all(*, chunk_size: int = 500) -> int:
    """Rebuild the whole projection from the published articles and the open proposals, `chunk_size`
    contents at a time; returns the number of published articles."""
    published = 0
    with transaction.atomic():
        ArticleName.objects.all().delete()
        ArticleLink.objects.all().delete()
        ProposalMention.objects.all().delete()
        streams = list(Article.objects.order_by("stream").values_list("stream", flat=True))
        for start in range(0, len(streams), chunk_size):
            for article in published_contents(streams[start : start + chunk_size]):
                rebuild_for(article.stream, article.content, article.revision_id)
                published += 1
        pending = list(Revision.objects.filter(status=RevisionStatus.PENDING).order_by("id").values_list("id", "content_hash"))
        for start in range(0, len(pending), chunk_size):
            chunk = pending[start : start + chunk_size]
            contents = store.contents_by_hash(content_hash for _, content_hash in chunk)
            ProposalMention.objects.bulk_create(
                [
                    mention
                    for revision_id, content_hash in chunk
                    if content_hash in contents
                    for mention in _mentions(revision_id, mentioned_names(contents[content_hash]))
                ]
            )
    return published


def note_proposal_mentions(revision_id: int, names) -> None:
    """Record the names an open proposal mentions (idempotent: a redelivered check adds nothing)."""
    if names:
        ProposalMention.objects.bulk_create(_mentions(revision_id, names), ignore_conflicts=True)


def _mentions(revision_id: int, names) -> list[ProposalMention]:
    return [ProposalMention(revision_id=revision_id, key=name) for name in sorted(names)]


def open_proposals_mentioning(names) -> list[int]:
    """The pending revisions whose content mentions any of `names`, whatever their article publishes."""
    mentioning = ProposalMention.objects.filter(key__in=sorted(names)).values("revision_id")
    return list(
        Revision.objects.filter(id__in=mentioning, status=RevisionStatus.PENDING).order_by("id").values_list("id", flat=True)
    )


def purge_proposal_mentions() -> int:
    """Forget the mentions of revisions no longer open: they are never checked again."""
    open_ids = Revision.objects.filter(status=RevisionStatus.PENDING).values("id")
    deleted, _ = ProposalMention.objects.exclude(revision_id__in=open_ids).delete()
    return deleted


def streams_mentioning(title: str, *, exclude: uuid.UUID | None = None, also=()) -> list[uuid.UUID]:
    """The published articles whose content mentions the article with this title (or the names `also`)."""
    streams = ArticleLink.objects.filter(key__in=sorted(names_of(title) | set(also)))
    if exclude is not None:
        streams = streams.exclude(source_stream=exclude)
    return sorted(set(streams.values_list("source_stream", flat=True)), key=str)

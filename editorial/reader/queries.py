"""Reading an article's past for the reader-facing pages.

Every ORM read of the history, diff, provenance and "as of" pages lives
here. Each helper costs a fixed number of queries, however many revisions
the article has: pages are cut by keyset (`id < before`), contents are
fetched for a whole page in one query, and provenance is computed by the
database in one query over the history rows. Each query reads an index
that leads with its own article (stream, slug, or article and infobox key),
so its cost never grows with other articles' history:
tests/editorial/test_query_plans.py asserts the plans on PostgreSQL.

Who may see what: readers see approved revisions only; people who can
propose or review (`privileged`) see every revision. A revision that the
viewer may not see is reported as missing, never as forbidden, so that
nothing about it leaks.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, replace
from functools import cached_property

from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from encyclopedia.content import ArticleContent
from encyclopedia.diff import size_change
from encyclopedia.models import Article, InfoboxField
from encyclopedia.page import field_anchor, infobox_label

from ..aggregate.statuses import RevisionStatus
from ..errors import ContentMissing
from ..models import MAX_REVISION_ID, Revision
from ..roles import can_propose, can_review
from ..store import contents_by_hash
from .charts import Chart, field_chart

PAGE_SIZE = 50
# ASCII digits only: str.isdigit() and int() also accept "²" or "١٢", and int() " 1" or "1_0".
_ID = re.compile(r"[0-9]{1,19}")


def positive_id(value: str | None) -> int | None:
    """A row id written in an address or a query, or None when it is not one (1 to 2**63 - 1)."""
    if value is None or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_REVISION_ID else None


def is_privileged(user) -> bool:
    """Editors and reviewers see unapproved revisions; readers never do."""
    return can_propose(user) or can_review(user)


def _visible(queryset, privileged: bool):
    return queryset if privileged else queryset.filter(status=RevisionStatus.APPROVED)


# --- Which article -----------------------------------------------------------


@dataclass(frozen=True)
class ArticleRef:
    """The article a page is about: its stream, and its published row if any.

    `article` is None for an article that has never been published; only
    privileged viewers get such a reference.
    """

    stream: uuid.UUID
    title: str
    slug: str
    article: Article | None

    @property
    def current_revision_id(self) -> int | None:
        return self.article.current_revision_id if self.article is not None else None


def article_ref(slug: str, *, privileged: bool) -> ArticleRef | None:
    """The published article with this slug; for editors, an unpublished draft's stream too."""
    article = Article.objects.filter(slug=slug).first()
    if article is not None:
        return ArticleRef(stream=article.stream, title=article.title, slug=article.slug, article=article)
    if not privileged:
        return None
    draft = (
        Revision.objects.filter(slug=slug)
        .exclude(stream__in=Article.objects.values("stream"))
        .order_by("-id")
        .values("stream", "title")
        .first()
    )
    if draft is None:
        return None
    return ArticleRef(stream=draft["stream"], title=draft["title"], slug=slug, article=None)


def renamed_article(slug: str) -> Article | None:
    """The article an approved revision once published under this slug (it was renamed since)."""
    stream = (
        Revision.objects.filter(slug=slug, status=RevisionStatus.APPROVED)
        .order_by("-id")
        .values("stream")[:1]
    )
    return Article.objects.filter(stream__in=Subquery(stream)).first()


# --- Revisions ---------------------------------------------------------------


def _revisions():
    return Revision.objects.select_related("author", "decided_by")


def revision_in_stream(stream: uuid.UUID, revision_id: int, *, privileged: bool) -> Revision | None:
    """The revision if it belongs to this article and the viewer may see it."""
    return _visible(_revisions().filter(stream=stream, id=revision_id), privileged).first()


def revision_pair(
    stream: uuid.UUID, old_id: int, new_id: int, *, privileged: bool
) -> tuple[Revision | None, Revision | None]:
    """Both revisions of a diff in one query; None for one that is missing or hidden."""
    ids = [number for number in (old_id, new_id) if 0 < number <= MAX_REVISION_ID]
    rows = {row.id: row for row in _visible(_revisions().filter(stream=stream, id__in=ids), privileged)}
    return rows.get(old_id), rows.get(new_id)


def revision_contents(*revisions: Revision) -> list[ArticleContent]:
    """The content of each revision, in one query; ContentMissing names the first one not stored."""
    contents = contents_by_hash(revision.content_hash for revision in revisions)
    for revision in revisions:
        if revision.content_hash not in contents:
            raise ContentMissing(revision.content_hash, revision_id=revision.id)
    return [contents[revision.content_hash] for revision in revisions]


def revision_content(revision: Revision) -> ArticleContent:
    return revision_contents(revision)[0]


# --- As of a date ------------------------------------------------------------


def end_of_day(day: datetime.date) -> datetime.datetime | None:
    """The first instant after `day`, in UTC; None after the last day a date can name (9999-12-31)."""
    if day == datetime.date.max:
        return None
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)


def revision_as_of(stream: uuid.UUID, day: datetime.date) -> Revision | None:
    """The revision readers saw at the end of `day` (UTC): the last one approved by then."""
    approved = _revisions().filter(stream=stream, status=RevisionStatus.APPROVED)
    end = end_of_day(day)
    if end is not None:
        approved = approved.filter(decided_at__lt=end)
    return approved.order_by("-decided_at", "-id").first()


def revision_at(stream: uuid.UUID, moment: datetime.datetime) -> Revision | None:
    """The revision readers saw at this instant: the last one approved at or before it."""
    approved = _revisions().filter(stream=stream, status=RevisionStatus.APPROVED, decided_at__lte=moment)
    return approved.order_by("-decided_at", "-id").first()


def as_of_value(moment: datetime.datetime) -> str:
    """The `as_of` that shows the version published at `moment`: the instant in UTC, to the microsecond."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def first_approval_at(stream: uuid.UUID) -> datetime.datetime | None:
    return (
        Revision.objects.filter(stream=stream, status=RevisionStatus.APPROVED)
        .order_by("decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )


# --- The history page --------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    revision: Revision
    size_change: int | None  # None when the base's content is not stored
    is_current: bool

    @property
    def check_status(self) -> str:
        return getattr(self.revision, "check_status", "") or ""

    @property
    def as_of(self) -> str:
        """The `as_of` of the page as readers saw it once this revision was published ("" if never)."""
        revision = self.revision
        if revision.status != RevisionStatus.APPROVED or revision.decided_at is None:
            return ""
        return as_of_value(revision.decided_at)

    @property
    def check_label(self) -> str:
        display = getattr(self.revision, "get_check_status_display", None)
        return display() if display is not None and self.check_status else self.check_status


@dataclass(frozen=True)
class HistoryPage:
    rows: tuple[HistoryRow, ...]
    # The `before` of the next (older) page, or None on the last page.
    older_before: int | None


def history_page(
    ref: ArticleRef, *, privileged: bool, before: int | None = None, size: int = PAGE_SIZE
) -> HistoryPage:
    """One page of revisions, newest first, cut by keyset: two queries whatever the history.

    The size change is counted in characters of the written text format
    against the revision's base; the base's content hash comes with the page
    (a subquery), and all the contents the page needs come in one query.
    """
    base_hash = Revision.objects.filter(id=OuterRef("base_revision_id")).values("content_hash")[:1]
    revisions = _visible(_revisions().filter(stream=ref.stream), privileged).annotate(
        base_content_hash=Subquery(base_hash)
    )
    if before is not None:
        revisions = revisions.filter(id__lt=before)
    page = list(revisions.order_by("-id")[: size + 1])
    older_before = page[size - 1].id if len(page) > size else None
    page = page[:size]

    contents = contents_by_hash(
        [revision.content_hash for revision in page] + [revision.base_content_hash for revision in page]
    )
    sizes: dict[tuple[str, str | None], int | None] = {}
    rows = []
    for revision in page:
        key = (revision.content_hash, revision.base_content_hash)
        if key not in sizes:
            new = contents.get(revision.content_hash)
            old = contents.get(revision.base_content_hash) if revision.base_content_hash else None
            missing_base = revision.base_revision_id is not None and old is None
            sizes[key] = None if new is None or missing_base else size_change(old, new)
        rows.append(
            HistoryRow(
                revision=revision,
                size_change=sizes[key],
                is_current=revision.id == ref.current_revision_id,
            )
        )
    return HistoryPage(rows=tuple(rows), older_before=older_before)


# --- Pending proposals and neighbouring edits ---------------------------------


def pending_revisions(stream: uuid.UUID) -> list[Revision]:
    """The article's proposals waiting for review, oldest first: one query."""
    return list(
        Revision.objects.select_related("author")
        .filter(stream=stream, status=RevisionStatus.PENDING)
        .order_by("id")
        .only("id", "stream", "status", "author__username", "proposed_at")
    )


@dataclass(frozen=True)
class Neighbours:
    """The approved revisions around a diff: the edit before its old side, the one after its new side."""

    before_old: int | None
    after_new: int | None


def approved_neighbours(stream: uuid.UUID, old_id: int, new_id: int) -> Neighbours:
    """One query, each side bounded by the stream's index (newest or oldest first, one row)."""
    approved = Revision.objects.filter(stream=stream, status=RevisionStatus.APPROVED)
    before = approved.filter(id__lt=old_id).order_by("-id").values("id")[:1]
    after = approved.filter(id__gt=new_id).order_by("id").values("id")[:1]
    row = (
        Revision.objects.filter(id=new_id)
        .annotate(before_old=Subquery(before), after_new=Subquery(after))
        .values("before_old", "after_new")
        .first()
    )
    if row is None:
        return Neighbours(None, None)
    return Neighbours(row["before_old"], row["after_new"])


# --- Provenance of the infobox -----------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One value a field had, from the publication of revision `revision_id` on; `value` None: removed."""

    value: str | None
    revision_id: int | None  # None when the history row names no revision
    author: str | None  # who wrote that revision, who approved it (None when unknown)
    approver: str | None
    at: datetime.datetime

    @property
    def removed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class FieldProvenance:
    key: str
    value: str
    revision: Revision | None  # None when the history row names no revision we know
    timeline: tuple[TimelineEntry, ...] = ()  # every value it had, oldest first (with_timelines)

    @property
    def anchor(self) -> str:
        return field_anchor(self.key)

    @property
    def label(self) -> str:
        return infobox_label(self.key)

    @cached_property
    def chart(self) -> Chart | None:
        """A line of the field's counts across its values, when it has at least two."""
        if sum(1 for entry in self.timeline if entry.value is not None) < 2:
            return None
        return field_chart(self.timeline)


def infobox_provenance(article: Article) -> list[FieldProvenance]:
    """For each current infobox value, the revision that introduced it: two queries.

    The database finds, per field, the last history row that breaks the
    current value's run (another value, or a deletion) and then the first
    row after it: that row's `revision_id` names the revision. Position-only
    changes keep the run unbroken.
    """
    historical = InfoboxField.history.model
    same_field = historical.objects.filter(article_id=OuterRef("article_id"), key=OuterRef("key"))
    last_break = (
        same_field.filter(~Q(value=OuterRef("value")) | Q(history_type="-"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    run_start = (
        same_field.filter(history_id__gt=OuterRef("run_after"))
        .order_by("history_id")
        .values("revision_id")[:1]
    )
    fields = list(
        InfoboxField.objects.filter(article=article)
        .annotate(run_after=Coalesce(Subquery(last_break), Value(0)))
        .annotate(origin_revision_id=Subquery(run_start))
        .order_by("position")
    )
    revision_ids = {field.origin_revision_id for field in fields} - {None}
    revisions = _revisions().in_bulk(revision_ids) if revision_ids else {}
    return [
        FieldProvenance(
            key=field.key,
            value=field.value,
            revision=revisions.get(field.origin_revision_id),
        )
        for field in fields
    ]


def with_timelines(article: Article, fields: list[FieldProvenance]) -> list[FieldProvenance]:
    """The fields with every value each has had, from their history rows: one query.

    Only the rows that changed the value (or removed the field) make an
    entry; a row that only moved the field keeps its run. Who wrote and
    who approved each value come with the rows (subqueries by primary key).
    """
    if not fields:
        return fields
    historical = InfoboxField.history.model
    revision = Revision.objects.filter(id=OuterRef("revision_id"))
    rows = (
        historical.objects.filter(article_id=article.pk, key__in=[field.key for field in fields])
        .annotate(
            author_name=Subquery(revision.values("author__username")[:1]),
            approver_name=Subquery(revision.values("decided_by__username")[:1]),
        )
        .order_by("key", "history_id")
        .values_list("key", "value", "history_type", "revision_id", "author_name", "approver_name", "history_date")
    )
    timelines: dict[str, list[TimelineEntry]] = {field.key: [] for field in fields}
    for key, value, history_type, revision_id, author, approver, at in rows:
        entries = timelines[key]
        shown = None if history_type == "-" else value
        if entries and entries[-1].value == shown:
            continue
        entries.append(TimelineEntry(shown, revision_id, author, approver, at))
    return [replace(field, timeline=tuple(timelines[field.key])) for field in fields]

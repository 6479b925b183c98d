"""The reader's queries are planned on an index of their own article, never a scan of everyone's history.

On PostgreSQL, with a few thousand revisions and history rows spread over
many articles, and the statistics refreshed (ANALYZE, as after any bulk
load: autovacuum may be off), each query the reader pages send is
EXPLAINed exactly as Django sends it, and its plan must read the named
index and never scan the revision or history table. A plan that scans is
one whose cost grows with every other article's history.
"""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from editorial.aggregate.statuses import RevisionStatus
from editorial.models import Revision
from editorial.reader import queries
from encyclopedia.models import Article, InfoboxField

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

ARTICLES = 150
REVISIONS_PER_ARTICLE = 30  # 4,500 revisions in all
FIELDS_PER_ARTICLE = 8
START = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
HISTORICAL_FIELD = InfoboxField.history.model


@pytest.fixture
def crowded(django_user_model):
    """Many articles with long histories, loaded in bulk; the statistics refreshed as after any bulk load."""
    author = django_user_model.objects.create_user(username="bulk-author")
    reviewer = django_user_model.objects.create_user(username="bulk-reviewer")
    statuses = [RevisionStatus.APPROVED] * 3 + [RevisionStatus.REJECTED, RevisionStatus.PENDING]
    revisions, articles = [], []
    for number in range(ARTICLES):
        stream = uuid.uuid4()
        last_approved = None
        for version in range(REVISIONS_PER_ARTICLE):
            status = statuses[version % len(statuses)] if version else RevisionStatus.APPROVED
            # Articles interleave in ids and time, as real editing does: every article has revisions at every
            # date, so a plan that walks ids or dates crosses every other article's history.
            revision_id = version * ARTICLES + number + 1
            proposed = START + datetime.timedelta(hours=revision_id)
            decided = status != RevisionStatus.PENDING
            revisions.append(
                Revision(
                    id=revision_id, stream=stream, title=f"Article {number}", slug=f"article-{number}",
                    author=author, summary="bulk", content_hash=f"{revision_id:064x}", status=status,
                    proposed_at=proposed, decided_by=reviewer if decided else None,
                    decided_at=proposed + datetime.timedelta(minutes=30) if decided else None,
                )
            )
            if status == RevisionStatus.APPROVED:
                last_approved = revision_id
        articles.append(
            Article(stream=stream, title=f"Article {number}", slug=f"article-{number}",
                    current_revision_id=last_approved, published_at=START)
        )
    Revision.objects.bulk_create(revisions, batch_size=1000)
    Article.objects.bulk_create(articles, batch_size=1000)
    articles = list(Article.objects.order_by("id"))
    fields, history = [], []
    for article in articles:
        for position in range(FIELDS_PER_ARTICLE):
            fields.append(InfoboxField(article=article, key=f"Field{position}", value="final", position=position,
                                       kind="text"))
    InfoboxField.objects.bulk_create(fields, batch_size=1000)
    number_of = {article.id: number for number, article in enumerate(articles)}
    for field in InfoboxField.objects.all():
        for version in range(REVISIONS_PER_ARTICLE // 3):
            history.append(
                HISTORICAL_FIELD(
                    id=field.id, article_id=field.article_id, key=field.key, position=field.position,
                    kind=field.kind, value="final" if version > 6 else f"value {version}",
                    history_date=START + datetime.timedelta(hours=version), history_type="+" if not version else "~",
                    revision_id=version * ARTICLES + number_of[field.article_id] + 1,
                )
            )
    HISTORICAL_FIELD.objects.bulk_create(history, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return articles[ARTICLES // 2]


def plans_of(action) -> list[tuple[str, dict]]:
    """Each statement `action` sends, exactly as Django sent it, with the plan PostgreSQL chooses for it."""
    with CaptureQueriesContext(connection) as captured:
        action()
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plans.append((query["sql"], (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]))
    return plans


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def reads(plan: dict) -> list[tuple[str, str, str | None]]:
    """(table, node type, index) for every read of a table in the plan; a bitmap read names its indexes."""
    found = []
    for node in nodes(plan):
        table = node.get("Relation Name")
        if table is None:
            continue
        if node["Node Type"] == "Bitmap Heap Scan":
            for inner in nodes(node):
                if inner["Node Type"] == "Bitmap Index Scan":
                    found.append((table, node["Node Type"], inner["Index Name"]))
        else:
            found.append((table, node["Node Type"], node.get("Index Name")))
    return found


def describe(plan: dict, depth: int = 0) -> str:
    line = "  " * depth + " ".join(
        str(part) for part in (plan["Node Type"], plan.get("Relation Name", ""), plan.get("Index Name", "")) if part
    )
    return "\n".join([line, *(describe(child, depth + 1) for child in plan.get("Plans", ()))])


REVISIONS = "editorial_revision"
FIELD_HISTORY = HISTORICAL_FIELD._meta.db_table
INDEX_SCANS = {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"}


def assert_planned_on(action, allowed: dict[str, set[str]], *, sorted_in_index: bool = False) -> None:
    """Every read of a history table by `action` goes through one of the allowed indexes of that table.

    `allowed` maps each history table the action must read to the indexes
    it may read it by; a table the action must not touch maps to nothing.
    With `sorted_in_index`, the plan also has no Sort: the index gives the order.
    """
    read_tables = set()
    for sql, plan in plans_of(action):
        shown = f"{sql}\n{describe(plan)}"
        for table, node_type, index in reads(plan):
            if table not in (REVISIONS, FIELD_HISTORY):
                continue
            read_tables.add(table)
            assert node_type in INDEX_SCANS, f"{node_type} on {table}:\n{shown}"
            assert index in allowed.get(table, set()), f"{table} read by {index}, not {allowed.get(table)}:\n{shown}"
        if sorted_in_index and any(table == REVISIONS for table, _, _ in reads(plan)):
            assert not any(node["Node Type"] in {"Sort", "Incremental Sort"} for node in nodes(plan)), shown
    assert read_tables == set(allowed), f"the action read {read_tables}, expected {set(allowed)}"


def test_as_of_near_the_start_reads_one_index_entry(crowded):
    day = (START + datetime.timedelta(days=3)).date()
    assert queries.revision_as_of(crowded.stream, day) is not None
    assert_planned_on(
        lambda: queries.revision_as_of(crowded.stream, day), {REVISIONS: {"revision_as_of_idx"}}, sorted_in_index=True
    )


def test_as_of_today_reads_one_index_entry(crowded):
    today = datetime.date.today()
    assert queries.revision_as_of(crowded.stream, today).id == crowded.current_revision_id
    assert_planned_on(
        lambda: queries.revision_as_of(crowded.stream, today), {REVISIONS: {"revision_as_of_idx"}}, sorted_in_index=True
    )


def test_first_approval_reads_one_index_entry(crowded):
    assert queries.first_approval_at(crowded.stream) is not None
    assert_planned_on(
        lambda: queries.first_approval_at(crowded.stream), {REVISIONS: {"revision_as_of_idx"}}, sorted_in_index=True
    )


# The history page reads one stream by an index that leads with the stream; the base's hash by primary key.
STREAM_INDEXES = {"revision_stream_idx", "revision_as_of_idx", "editorial_revision_pkey"}


@pytest.mark.parametrize("privileged", [False, True], ids=["reader", "editor"])
def test_history_page_reads_only_its_own_stream(crowded, privileged):
    ref = queries.article_ref(crowded.slug, privileged=privileged)
    page = queries.history_page(ref, privileged=privileged, size=10)
    assert len(page.rows) == 10 and page.older_before is not None
    assert_planned_on(lambda: queries.history_page(ref, privileged=privileged, size=10), {REVISIONS: STREAM_INDEXES})
    assert_planned_on(
        lambda: queries.history_page(ref, privileged=privileged, before=page.older_before, size=10),
        {REVISIONS: STREAM_INDEXES},
    )


def test_revision_pages_read_revisions_by_id(crowded):
    stream, current = crowded.stream, crowded.current_revision_id
    assert_planned_on(
        lambda: queries.revision_in_stream(stream, current, privileged=False), {REVISIONS: STREAM_INDEXES}
    )
    assert_planned_on(
        lambda: queries.revision_pair(stream, current - 3 * ARTICLES, current, privileged=False),
        {REVISIONS: STREAM_INDEXES},
    )


def test_old_addresses_and_drafts_are_looked_up_by_slug(crowded):
    assert queries.renamed_article(crowded.slug) == crowded
    assert_planned_on(lambda: queries.renamed_article(crowded.slug), {REVISIONS: {"revision_slug_idx"}})
    draft = Revision.objects.order_by("id").last()
    Revision.objects.bulk_create([Revision(
        id=draft.id + 1, stream=uuid.uuid4(), title="A draft", slug="a-draft", author_id=draft.author_id,
        content_hash=draft.content_hash, proposed_at=draft.proposed_at,
    )])
    assert queries.article_ref("a-draft", privileged=True).article is None
    assert_planned_on(lambda: queries.article_ref("a-draft", privileged=True), {REVISIONS: {"revision_slug_idx"}})


def test_provenance_reads_only_its_fields_history(crowded):
    fields = queries.infobox_provenance(crowded)
    # Every field took its final value in the article's eighth revision.
    eighth = 7 * ARTICLES + ARTICLES // 2 + 1
    assert [field.revision.id if field.revision else None for field in fields] == [eighth] * FIELDS_PER_ARTICLE
    assert_planned_on(
        lambda: queries.infobox_provenance(crowded),
        {FIELD_HISTORY: {"infobox_history_field_idx"}, REVISIONS: {"editorial_revision_pkey"}},
    )

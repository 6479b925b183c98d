"""The reader's new queries (issue 11) are planned on an index of their own article, as the others are.

The pending notice and the previous/next-edit links read one stream's
revisions, the provenance timelines one article's field history; with
thousands of revisions over many articles (the crowded fixture of
test_query_plans), none may scan the revision or history table.
"""

import pytest

from editorial.reader import queries
from tests.editorial import test_query_plans as plans
from django.db import connection

from tests.editorial.test_query_plans import (
    ARTICLES, FIELD_HISTORY, FIELDS_PER_ARTICLE, REVISIONS, STREAM_INDEXES, assert_planned_on
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

crowded = plans.crowded  # the same crowded database, as a fixture of this module


def test_the_pending_notice_reads_only_its_own_stream(crowded):
    pending = queries.pending_revisions(crowded.stream)
    assert pending and all(revision.stream == crowded.stream for revision in pending)
    assert_planned_on(lambda: queries.pending_revisions(crowded.stream), {REVISIONS: STREAM_INDEXES})


def test_the_neighbouring_edits_read_only_their_own_stream(crowded):
    current = crowded.current_revision_id
    # The crowded article's approved revisions are every fifth version but the first: ids step by ARTICLES.
    middle_old, middle_new = current - 10 * ARTICLES, current - 9 * ARTICLES
    neighbours = queries.approved_neighbours(crowded.stream, middle_old, middle_new)
    assert neighbours.before_old is not None and neighbours.before_old < middle_old
    assert neighbours.after_new is not None and neighbours.after_new > middle_new
    assert_planned_on(
        lambda: queries.approved_neighbours(crowded.stream, middle_old, middle_new), {REVISIONS: STREAM_INDEXES}
    )


def indexes_leading_with_the_article(table: str) -> set[str]:
    """The indexes of `table` whose first column is article_id: each reads one article's rows only."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, about in constraints.items() if about["index"] and about["columns"][:1] == ["article_id"]}


def test_the_timelines_read_only_their_articles_field_history(crowded):
    fields = queries.infobox_provenance(crowded)
    timelines = queries.with_timelines(crowded, fields)
    # Each field went through seven values, then "final" (see the crowded fixture).
    assert [len(field.timeline) for field in timelines] == [8] * FIELDS_PER_ARTICLE
    assert timelines[0].timeline[-1].author == "bulk-author" and timelines[0].timeline[-1].approver == "bulk-reviewer"
    article_indexes = indexes_leading_with_the_article(FIELD_HISTORY)
    assert "infobox_history_field_idx" in article_indexes
    assert_planned_on(
        lambda: queries.with_timelines(crowded, fields),
        {FIELD_HISTORY: article_indexes, REVISIONS: {"editorial_revision_pkey"}},
    )

"""The reader's new queries (issue 11) are planned on an index of their own article, as the others are.

The pending notice and the previous/next-edit links read one stream's
revisions; with thousands of revisions over many articles (the crowded
fixture of test_query_plans), neither may scan the revision table. The
provenance timelines are covered by test_provenance_reads_only_its_fields_history.
"""

import pytest

from editorial.reader import queries
from tests.editorial import test_query_plans as plans
from tests.editorial.test_query_plans import ARTICLES, REVISIONS, STREAM_INDEXES, assert_planned_on

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

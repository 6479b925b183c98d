"""The published tables are a projection of the log: replay reproduces them, tampering is found."""

import dataclasses
import json
import tracemalloc

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from editorial import replay
from editorial.services import revision_approve
from editorial.models import Event, Revision
from encyclopedia.content import ArticleContent
from encyclopedia.models import Article, InfoboxField, Section

from tests.support.commands import run_command
from tests.support.event_log import EventLog
from tests.support.factories import propose_checked, with_infobox
from tests.support.tampering import raw_sql

pytestmark = pytest.mark.django_db


def snapshot_tables():
    return {
        # Surrogate ids are renumbered by a rebuild; everything a reader or auditor sees is compared.
        "articles": list(Article.objects.order_by("stream").values(
            "stream", "title", "slug", "lead", "current_revision_id", "published_at")),
        "fields": list(InfoboxField.objects.order_by("article__stream", "position").values(
            "article__stream", "key", "value", "position", "kind")),
        "sections": list(Section.objects.order_by("article__stream", "position").values(
            "article__stream", "heading", "body", "position", "compact_heading", "blank_line_after_heading")),
        "revisions": list(Revision.objects.order_by("id").values()),
        "field_history": list(InfoboxField.history.order_by("history_date", "key").values(
            "key", "value", "history_type", "history_user_id", "revision_id", "history_change_reason",
            "history_date")),
        "article_history": list(Article.history.order_by("history_date", "stream").values(
            "stream", "title", "slug", "lead", "current_revision_id", "published_at",
            "history_type", "history_user_id", "revision_id", "history_change_reason", "history_date")),
        "section_history": list(Section.history.order_by("history_date", "heading").values(
            "heading", "body", "position", "history_type", "history_user_id", "revision_id",
            "history_change_reason", "history_date")),
    }


def test_the_live_tables_equal_a_fold_of_the_log(busy_history):
    report = replay.verify()
    assert report.problems == []
    assert (report.articles, report.revisions) == (2, 7)


def test_replay_from_empty_reproduces_the_published_tables_and_their_history(busy_history):
    before = snapshot_tables()
    Article.objects.all().delete()
    Revision.objects.all().delete()
    assert not replay.verify().ok

    output = run_command("replay_events")

    assert "Rebuilt the projections from" in output and "OK:" in output
    after = snapshot_tables()
    for table in before:
        assert after[table] == before[table], table


def test_a_rebuild_over_the_live_tables_reproduces_them_and_adds_no_history(busy_history):
    before = snapshot_tables()

    output = run_command("replay_events")

    assert "OK:" in output
    after = snapshot_tables()
    for table in before:
        assert after[table] == before[table], table


def test_verify_reports_an_event_edited_with_raw_sql(busy_history):
    target = Event.objects.filter(type="revision.rejected").get()
    raw_sql(
        "UPDATE editorial_event SET payload = %s WHERE id = %s",
        [json.dumps({"reason": "looked fine to me"}), target.id],
    )
    with pytest.raises(CommandError, match="difference"):
        run_command("replay_events", "--verify")
    problems = replay.verify().problems
    assert any(f"event {target.id}" in p and "does not match its hash" in p for p in problems)
    assert any("decision_reason" in p for p in problems)


def test_verify_reports_an_event_deleted_with_raw_sql(busy_history):
    target = Event.objects.filter(type="revision.approved").order_by("id")[1]
    raw_sql("DELETE FROM editorial_event WHERE id = %s", [target.id])
    problems = replay.verify().problems
    assert len([p for p in problems if "an event is missing before it" in p]) == 1, "one gap, one finding"
    assert any("previous-hash does not match" in p for p in problems)


def test_verify_reports_the_last_event_of_a_stream_deleted_with_raw_sql(busy_history):
    last = Event.objects.order_by("-id").first()
    raw_sql("DELETE FROM editorial_event WHERE id = %s", [last.id])
    problems = replay.verify().problems
    assert any("events deleted from the end" in p for p in problems)


def test_verify_reports_a_published_table_edited_behind_the_log(busy_history):
    InfoboxField.objects.filter(key="Result").update(value="Nigerien victory")
    output = None
    with pytest.raises(CommandError):
        output = run_command("replay_events", "--verify")
    assert output is None
    problems = replay.verify().problems
    assert problems == [
        "article '2017 Ayorou attack' (revision "
        f"{Article.objects.get(title='2017 Ayorou attack').current_revision_id}): infobox Result: "
        "live (4, 'Nigerien victory'), the log says (4, '16 killed, 5 injured')"
    ]


def test_verify_reports_stored_content_edited_with_raw_sql(busy_history):
    raw_sql("UPDATE editorial_contentblob SET content = %s", [json.dumps({"title": "X"})])
    assert any("does not match its hash" in p and p.startswith("content ") for p in replay.verify().problems)


# --- A rebuild that streams: each row written once, memory flat ------------------------------------


def _statements(queries, verb: str, table: str) -> int:
    """How many statements (an executemany counting once) `verb` the table."""
    statements = [query["sql"].split(" times: ", 1)[-1] for query in queries]  # executemany's are "N times: SQL"
    return sum(1 for sql in statements if sql.startswith(verb) and f'"{table}"' in sql.split("(")[0])


def test_a_rebuild_writes_each_revision_row_once_and_the_history_rows_in_one_insert_a_table(busy_history):
    with CaptureQueriesContext(connection) as captured:
        replay.rebuild()

    assert _statements(captured, "INSERT", "editorial_revision") == 1
    assert _statements(captured, "UPDATE", "editorial_revision") == 0
    for model in (Article, InfoboxField, Section):
        assert _statements(captured, "INSERT", model.history.model._meta.db_table) == 1, model
        assert _statements(captured, "INSERT", model._meta.db_table) == 1, model
        assert _statements(captured, "UPDATE", model._meta.db_table) == 0, model
    assert replay.verify().problems == []


def _history_names_its_live_rows():
    """Every history row's id names one row (one article and key) whose last history row is its live state."""
    for model, key in ((Article, "stream"), (InfoboxField, "key"), (Section, "heading")):
        last_by_id = {}
        for row in model.history.order_by("history_id").values():
            owner = row.get("article_id"), row[key]
            assert last_by_id.get(row["id"], (owner,))[0] == owner, f"{model.__name__} id {row['id']} names two rows"
            last_by_id[row["id"]] = (owner, row)
        live = {row["id"]: row for row in model.objects.values()}
        for row_id, (_owner, last) in last_by_id.items():
            if last["history_type"] == "-":
                assert row_id not in live, f"{model.__name__} {row_id} deleted in its history but live"
            else:
                assert {name: last[name] for name in live[row_id]} == live[row_id]
        assert set(live) <= set(last_by_id)


def _approve_proposed(revision, *, reviewer):
    """Approve, with an override reason only if the checks stand against it."""
    blocked = Revision.objects.get(id=revision.id).check_status in ("failed", "error")
    revision_approve(actor=reviewer, revision_id=revision.id, override_reason="a test" if blocked else "")


def _approve(content, *, editor, reviewer):
    _approve_proposed(propose_checked(actor=editor, content=content, summary="edit"), reviewer=reviewer)


@pytest.fixture
def history_with_deletions(busy_history, seed_content, editor, reviewer):
    """Busy history, then the seed article loses an infobox field and a section, and gets the field back;
    meanwhile an edit of the other article waits for its approval until after the seed's."""
    article = Article.objects.get(title=seed_content.title)
    content = article.to_content()
    other = Article.objects.get(title="Tongo Tongo ambush").to_content()
    waiting = propose_checked(actor=editor, content=with_infobox(other, "Place", "Tongo Tongo"), summary="edit")
    without = dataclasses.replace(with_infobox(content, "Casualties2", None), sections=content.sections[:-1])
    _approve(without, editor=editor, reviewer=reviewer)
    _approve_proposed(waiting, reviewer=reviewer)
    _approve(with_infobox(without, "Casualties2", "4 killed"), editor=editor, reviewer=reviewer)


def test_the_history_rows_name_the_live_rows_they_record(history_with_deletions):
    _history_names_its_live_rows()  # as the live path wrote them
    replay.rebuild()
    _history_names_its_live_rows()


def test_a_rebuild_holding_one_revision_and_one_article_at_a_time_reproduces_the_live_tables(history_with_deletions):
    before = snapshot_tables()

    with CaptureQueriesContext(connection) as captured:
        replay.rebuild(chunk_size=3, revision_capacity=1, article_capacity=1)

    # A revision decided after another's events was folded again from its events before the decision.
    assert any('FROM "editorial_event"' in query["sql"] and '"editorial_event"."id" <' in query["sql"]
               for query in captured)
    after = snapshot_tables()
    for table in before:
        assert after[table] == before[table], table
    _history_names_its_live_rows()
    assert replay.verify().problems == []


def test_after_a_rebuild_the_live_path_adds_rows_with_fresh_ids(history_with_deletions, editor, reviewer):
    replay.rebuild(article_capacity=1)
    content = Article.objects.get(title="Tongo Tongo ambush").to_content()

    _approve(with_infobox(content, "Date", "4 October 2017"), editor=editor, reviewer=reviewer)
    _approve(ArticleContent(title="A third article", lead="New."), editor=editor, reviewer=reviewer)

    assert replay.verify().problems == []
    _history_names_its_live_rows()


def _peak_rebuild_memory(**options) -> int:
    tracemalloc.start()
    try:
        replay.rebuild(**options)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_rebuild_holds_as_much_memory_for_a_log_four_times_longer(seed_content, editor, reviewer):
    log = EventLog(base=seed_content, articles=6, author=editor, reviewer=reviewer)
    options = {"chunk_size": 100, "revision_capacity": 8, "article_capacity": 2}
    # The short log is past the first thousand events, over which Django's own caches fill.
    log.append(120)
    short = _peak_rebuild_memory(**options)
    log.append(360)
    long = _peak_rebuild_memory(**options)

    assert Event.objects.count() == 480 * log.events_per_revision
    # Holding every revision's state and content, the long log's peak is over four times the short one's.
    assert long < short * 1.25, (short, long)
    assert replay.verify().problems == []

"""The published tables are a projection of the log: replay reproduces them, tampering is found."""

import json

import pytest
from django.core.management.base import CommandError

from editorial import replay
from editorial.models import Event, Revision
from encyclopedia.models import Article, InfoboxField, Section

from tests.support.commands import run_command
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

"""The verifier covers what readers see: every history row of the published tables, and every stored content.

The admin history and provenance pages show the history rows (approver,
revision, date, values), so an edit of any of them must be a difference.
"""

import json

import pytest
from django.core.management.base import CommandError

from editorial import replay
from editorial.models import Event
from encyclopedia.models import Article, InfoboxField, Section

from tests.support.commands import run_command
from tests.support.factories import propose_checked, with_infobox
from tests.support.tampering import raw_sql

pytestmark = pytest.mark.django_db


def problems() -> list[str]:
    return replay.verify().problems


def last_result_row():
    return InfoboxField.history.filter(key="Result").order_by("-history_id").first()


def test_a_clean_log_checks_every_history_row(busy_history):
    report = replay.verify()
    assert report.problems == []
    rows = Article.history.count() + InfoboxField.history.count() + Section.history.count()
    assert report.history_rows == rows > 0


def test_an_edited_approver_in_a_history_row_is_a_difference(busy_history, editor, reviewer):
    row = last_result_row()
    assert row.history_user_id == reviewer.id
    InfoboxField.history.filter(history_id=row.history_id).update(history_user=editor)

    found = problems()

    revision = row.revision_id
    assert found == [
        f"history of '2017 Ayorou attack', infobox field 'Result', revision {revision}: "
        f"approver is user {editor.id} (eda), the log says user {reviewer.id} (rosa)"
    ]
    with pytest.raises(CommandError, match="1 difference"):
        run_command("replay_events", "--verify")


def test_an_edited_value_in_a_history_row_is_a_difference(busy_history):
    row = last_result_row()
    InfoboxField.history.filter(history_id=row.history_id).update(value="Nigerien victory")
    assert problems() == [
        f"history of '2017 Ayorou attack', infobox field 'Result', {row.history_change_reason}: "
        "value is 'Nigerien victory', the log says '16 killed, 5 injured'"
    ]


def test_an_edited_revision_date_or_kind_of_change_in_a_history_row_is_a_difference(busy_history):
    row = last_result_row()
    Article.history.filter(revision_id=row.revision_id).update(
        revision_id=999999, history_change_reason="revision 999999"
    )
    Section.history.filter(history_type="+", heading="Attack").update(history_date=row.history_date)
    InfoboxField.history.filter(history_id=row.history_id).update(history_type="+")

    found = problems()

    assert any(
        "history of '2017 Ayorou attack', article row: no history row for " + row.history_change_reason in p
        for p in found
    ), found
    assert any("article row: a history row for revision 999999 that the log does not imply" in p for p in found), found
    assert any("section 'Attack'" in p and "date is" in p for p in found), found
    assert any("infobox field 'Result'" in p and "change is '+', the log says '~'" in p for p in found), found


def test_deleting_every_history_row_is_found(busy_history):
    for model in (Article, InfoboxField, Section):
        model.history.all().delete()

    found = problems()

    assert any("infobox field 'Result': no history row for revision" in p for p in found), found
    assert any("section 'Aftermath': no history row for revision" in p for p in found), found
    assert any("'Tongo Tongo ambush', article row: no history row for revision" in p for p in found), found
    with pytest.raises(CommandError, match="difference"):
        run_command("replay_events", "--verify")


def test_a_history_row_nobody_approved_is_found(busy_history, editor):
    row = last_result_row()
    forged = InfoboxField.history.get(history_id=row.history_id)
    forged.pk = None
    forged.value = "Malian victory"
    forged.history_user = editor
    forged.revision_id = 999999
    forged.history_change_reason = "revision 999999"
    forged.save()

    assert problems() == [
        "history of '2017 Ayorou attack', infobox field 'Result': "
        "a history row for revision 999999 that the log does not imply"
    ]


def test_a_history_row_that_names_no_revision_is_found(busy_history):
    row = last_result_row()
    InfoboxField.history.filter(history_id=row.history_id).update(revision_id=None, history_change_reason="fixed a typo")
    found = problems()
    assert f"history row {row.history_id} of infobox field 'Result' names no revision ('fixed a typo')" in "".join(
        found
    ), found


def test_an_edited_change_reason_is_a_difference(busy_history):
    # The admin's history page shows the reason; the revision itself is the column, which still matches.
    row = last_result_row()
    InfoboxField.history.filter(history_id=row.history_id).update(history_change_reason="fixed a typo")
    assert problems() == [
        f"history of '2017 Ayorou attack', infobox field 'Result', revision {row.revision_id}: "
        f"change reason is 'fixed a typo', the log says 'revision {row.revision_id}'"
    ]


def test_a_missing_content_is_a_finding_not_a_crash(busy_history, seed_content, editor):
    # A pending proposal whose content is unique to it: nothing else refers to that content.
    pending = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Notes", "a content of its own"), summary="pending"
    )
    raw_sql("DELETE FROM editorial_contentblob WHERE hash = %s", [pending.content_hash])

    found = problems()

    assert (
        f"content {pending.content_hash}: named by event {pending.id} (revision.proposed, revision {pending.id}) "
        "but missing from the content store"
    ) in found, found
    with pytest.raises(CommandError, match="difference"):
        run_command("replay_events", "--verify")


def test_a_missing_published_content_is_reported_and_the_rest_still_verified(busy_history):
    published = Article.objects.get(title="2017 Ayorou attack").current_revision_id
    content_hash = Event.objects.get(id=published).payload["content_hash"]
    raw_sql("DELETE FROM editorial_contentblob WHERE hash = %s", [content_hash])
    InfoboxField.history.filter(history_id=last_result_row().history_id).update(value="edited")

    found = problems()

    assert any(p.startswith(f"content {content_hash}: named by event {published} ") for p in found), found
    assert any("history of '2017 Ayorou attack' not checked" in p for p in found), found
    assert not any("Tongo Tongo" in p for p in found), "the other article still verifies"


@pytest.mark.parametrize(
    "stored",
    [[1, 2], {"title": 5}, {"title": "x", "infobox": [["only a key"]]}, "a string"],
    ids=["a list", "a number as title", "a malformed infobox", "a string"],
)
def test_stored_content_that_cannot_be_read_is_a_finding_not_a_crash(busy_history, stored):
    published = Article.objects.get(title="Tongo Tongo ambush").current_revision_id
    content_hash = Event.objects.get(id=published).payload["content_hash"]
    raw_sql("UPDATE editorial_contentblob SET content = %s WHERE hash = %s", [json.dumps(stored), content_hash])

    found = problems()

    assert any(p.startswith(f"content {content_hash}: ") for p in found), found

"""History rows of the published tables name the approver and the revision, and only real changes."""

import pytest
from django.core.management import call_command

from editorial.services import revision_approve
from encyclopedia.models import Article, InfoboxField, Section

from tests.support.commands import call_command_committed
from tests.support.factories import propose_checked, with_infobox

pytestmark = pytest.mark.django_db


def test_history_rows_carry_the_approver_and_the_revision(published_seed, seed_content, editor, reviewer2):
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Result", "14 killed, 5 injured"), summary="fix"
    )
    revision_approve(actor=reviewer2, revision_id=revision.id)

    latest = InfoboxField.history.filter(key="Result").order_by("-history_id").first()
    assert latest.value == "14 killed, 5 injured"
    assert latest.history_type == "~"
    assert latest.history_user == reviewer2
    assert latest.history_change_reason == f"revision {revision.id}"
    assert latest.revision_id == revision.id

    first = InfoboxField.history.filter(key="Result").order_by("history_id").first()
    assert (first.history_type, first.history_user.username) == ("+", "rosa")
    assert first.history_change_reason == f"revision {published_seed.id}"
    assert first.revision_id == published_seed.id


def test_an_unchanged_field_gets_no_new_history_row(published_seed, seed_content, editor, reviewer):
    fields_before = InfoboxField.history.count()
    sections_before = Section.history.count()
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Result", "14 killed, 5 injured"), summary="fix"
    )
    revision_approve(actor=reviewer, revision_id=revision.id)

    assert InfoboxField.history.count() == fields_before + 1
    assert Section.history.count() == sections_before
    assert InfoboxField.history.filter(key="Place").count() == 1


def test_a_removed_field_is_recorded_as_deleted_by_the_approver(published_seed, seed_content, editor, reviewer):
    revision = propose_checked(actor=editor, content=with_infobox(seed_content, "Partof", None), summary="rm")
    revision_approve(actor=reviewer, revision_id=revision.id)
    deleted = InfoboxField.history.get(key="Partof", history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (reviewer, f"revision {revision.id}")
    assert deleted.revision_id == revision.id
    assert not InfoboxField.objects.filter(key="Partof").exists()


def test_a_management_command_names_the_real_user_in_history(seed_bytes, tmp_path, editor, reviewer):
    from io import StringIO

    path = tmp_path / "seed.txt"
    path.write_bytes(seed_bytes)
    out = StringIO()
    call_command_committed("import_article", str(path), "--user", editor.username, stdout=out)
    revision_id = out.getvalue().split("\t")[0]
    call_command("approve_revision", revision_id, "--user", reviewer.username, stdout=StringIO())

    article_history = Article.history.get()
    assert (article_history.history_user, article_history.history_change_reason) == (
        reviewer, f"revision {revision_id}"
    )
    assert article_history.revision_id == int(revision_id)
    assert set(InfoboxField.history.values_list("history_user__username", flat=True)) == {reviewer.username}

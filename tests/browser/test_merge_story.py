"""Merge instead of redo, in a real browser (Debian's chromium through Playwright).

Two editors edit the same published revision. A reviewer approves the first;
the second editor's proposal changed the same infobox field differently, so
Stet cannot merge it alone: she is notified, opens the merge page from her
notifications, takes the published text for the conflict, and lands on her
rebased proposal, which a reviewer sees marked as rebased in the queue. A
third edit, saved on a form opened before another approval and touching
another field, is merged as it is saved.
"""

import re

import pytest
from playwright.sync_api import expect

from editorial.models import Notification, Revision
from editorial.services import revision_approve
from editorial.store import load_content
from encyclopedia.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def infobox_value(page, key: str):
    return page.locator(f'tr.form-row:has(input[name$="-key"][value="{key}"]) input[name$="-value"]')


def propose_through_the_form(page, article, changes: dict, summary: str):
    for key, value in changes.items():
        infobox_value(page, key).fill(value)
    page.fill("#id_summary", summary)
    page.click('input[name="_save"]')


def test_a_conflict_is_resolved_on_the_merge_page_and_a_clean_one_merges_by_itself(
    new_page, artifacts, published_seed, editor, editor2, reviewer
):
    article = Article.objects.get()
    edit_url = f"/admin/encyclopedia/article/{article.pk}/change/"
    first, second = new_page(editor), new_page(editor2)
    first.goto(edit_url)
    second.goto(edit_url)

    propose_through_the_form(first, article, {"Result": "ISGS tactical victory"}, "Result as the army put it")
    first.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    theirs = Revision.objects.latest("id")
    propose_through_the_form(second, article, {"Result": "Nigerien withdrawal"}, "Result per the local press")
    second.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    mine = Revision.objects.latest("id")

    # The approval runs its after-commit work here (no broker): the rebase finds the conflict.
    revision_approve(actor=reviewer, revision_id=theirs.id)
    assert Notification.objects.get(recipient=editor2, revision_id=mine.id).kind == "conflict"

    second.goto("/admin/editorial/notification/")
    expect(second.locator("h1")).to_have_text("Notifications (1 unread)")
    second.screenshot(path=str(artifacts / "merge-notification.png"), full_page=True)
    second.click(f"text=needs you: it conflicts with revision {theirs.id}")
    second.wait_for_url(f"**/admin/editorial/revision/{mine.id}/rebase/")
    conflict = second.locator("fieldset.conflict")
    expect(conflict).to_have_count(1)
    expect(conflict.locator("legend")).to_have_text("Infobox: Result")
    expect(conflict.locator("pre.ours")).to_have_text("Nigerien withdrawal")
    expect(conflict.locator("pre.theirs")).to_have_text("ISGS tactical victory")
    expect(conflict.locator("textarea")).to_have_value("Nigerien withdrawal")  # what she typed, kept
    conflict.locator("button[data-take=theirs]").click()
    expect(conflict.locator("textarea")).to_have_value("ISGS tactical victory")
    conflict.locator("textarea").fill("ISGS tactical victory; Nigerien withdrawal")
    second.screenshot(path=str(artifacts / "merge-conflict-page.png"), full_page=True)
    second.click("#rebase-form input[type=submit]")
    second.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    rebased = Revision.objects.get(rebased_from_id=mine.id)
    assert (rebased.author, rebased.base_revision_id, rebased.status) == (editor2, theirs.id, "pending")
    assert load_content(rebased.content_hash).infobox_value("Result") == "ISGS tactical victory; Nigerien withdrawal"
    expect(second.locator("#rebased-from")).to_contain_text(f"rebased onto revision {theirs.id} from")
    second.screenshot(path=str(artifacts / "merge-rebased-proposal.png"), full_page=True)

    # The reviewer's queue says it was rebased.
    queue = new_page(reviewer)
    queue.goto("/admin/editorial/revision/")
    expect(queue.locator(".rebased-note")).to_have_text(f"(rebased onto revision {theirs.id} from revision {mine.id})")

    # A form opened before another approval, changing another field, merges as it is saved.
    first.goto(edit_url)
    approved_meanwhile = rebased.id
    revision_approve(actor=reviewer, revision_id=approved_meanwhile)
    propose_through_the_form(first, article, {"Casualties2": "4 killed, 1 vehicle destroyed"}, "Militant toll")
    first.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    expect(first.locator(".messagelist")).to_contain_text(f"Revision {approved_meanwhile} was published while you edited")
    merged = Revision.objects.filter(author=editor, status="pending").get()
    content = load_content(merged.content_hash)
    assert content.infobox_value("Casualties2") == "4 killed, 1 vehicle destroyed"
    assert content.infobox_value("Result") == "ISGS tactical victory; Nigerien withdrawal"
    first.screenshot(path=str(artifacts / "merge-on-save.png"), full_page=True)

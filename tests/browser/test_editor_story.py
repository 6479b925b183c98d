"""The editor's side of the story in a real browser (Debian's chromium through Playwright).

An editor proposes an edit whose checks find errors, through the edit form,
and lands on its page. From the admin's index she opens My proposals, finds
it among her proposals, opens its page by its ID, reads where it stands and
what the checks found, opens Edit again (the form filled from it), and
withdraws it; the page then says it is withdrawn, and My proposals still
lists it. A rejected proposal of hers shows the reviewer's reason.

While a real worker has yet to check a proposal, its page says the checks
are running, and shows itself again with the findings once they are in.
"""

import re

import pytest
from playwright.sync_api import expect

from editorial.models import Revision
from editorial.services import revision_propose, revision_reject
from encyclopedia.models import Article

from tests.support.celery_worker import SHARED_REDIS, Worker, celery_sends_to, drop_queue, private_queue, require_redis
from tests.support.factories import propose_checked, with_infobox
from tests.support.urls import review_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VERDICT_TIMEOUT_MS = 90_000  # a worker's start and the checks, on a slow machine


def infobox_value(page, key: str):
    return page.locator(f'tr.form-row:has(input[name$="-key"][value="{key}"]) input[name$="-value"]')


def test_an_editor_proposes_finds_her_proposal_reads_it_and_withdraws_it(
    new_page, artifacts, published_seed, seed_content, editor, editor2, reviewer
):
    rejected = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "Draw"), summary="Draw")
    revision_reject(actor=reviewer, revision_id=rejected.id, reason="No source says it was a draw.")
    theirs = propose_checked(actor=editor2, content=with_infobox(seed_content, "Partof", "Sahel"), summary="Theirs")
    article = Article.objects.get()

    # She proposes through the edit form and lands on her proposal's page.
    page = new_page(editor)
    page.goto(f"/admin/encyclopedia/article/{article.pk}/change/")
    infobox_value(page, "Casualties1").fill("14 killed, 5 injured, 3 vehicles captured")
    page.fill("#id_summary", "Ministry update")
    page.click('input[name="_save"]')
    page.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    proposal = Revision.objects.latest("id")
    assert (proposal.author, proposal.check_status) == (editor, "failed")
    expect(page.locator("#standing-headline")).to_have_text("Your proposal is pending review")

    # Later, from the admin's index: My proposals, hers only, in every status.
    page.goto("/admin/")
    page.screenshot(path=str(artifacts / "editor-admin-index.png"), full_page=True)
    page.click("#index-my-proposals")
    expect(page.locator("h1")).to_have_text("My proposals")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)  # this one, the rejected one, the seed she imported
    expect(page.locator(f'#result_list a[href="{review_url(theirs.id)}"]')).to_have_count(0)
    expect(rows.first.locator(".field-status")).to_have_text("pending review")
    page.screenshot(path=str(artifacts / "editor-my-proposals.png"), full_page=True)

    # The ID opens the proposal's own page: where it stands, what the checks found, what she can do.
    rows.first.locator(".field-id a").click()
    page.wait_for_url(f"**{review_url(proposal.id)}")
    standing = page.locator("#standing")
    expect(standing.locator("#standing-headline")).to_have_text("Your proposal is pending review")
    expect(standing).to_contain_text("The consistency checks found 2 errors")
    expect(page.locator('li.finding[data-rule="casualties.infobox_prose"]').first).to_be_visible()
    expect(page.locator("#approve, #approve-override, #reject")).to_have_count(0)
    page.screenshot(path=str(artifacts / "editor-proposal-pending.png"), full_page=True)

    # Edit again opens the form filled from this proposal; she leaves it without saving.
    page.click("#edit-again")
    page.wait_for_url(re.compile(rf"/admin/encyclopedia/article/{article.pk}/change/\?from_revision={proposal.id}$"))
    expect(infobox_value(page, "Casualties1")).to_have_value("14 killed, 5 injured, 3 vehicles captured")
    page.go_back()
    page.wait_for_url(f"**{review_url(proposal.id)}")

    page.fill("#id_withdraw_reason", "The ministry has not confirmed it yet.")
    page.click("#withdraw")
    expect(page.locator("ul.messagelist li").first).to_have_text(f"Revision {proposal.id} withdrawn.")
    assert page.url.endswith(review_url(proposal.id))
    expect(page.locator("#standing-headline")).to_have_text("Your proposal was withdrawn")
    expect(page.locator("#decision-reason")).to_have_text("The ministry has not confirmed it yet.")
    expect(page.locator("#withdraw")).to_have_count(0)
    expect(page.locator("#edit-again")).to_be_visible()
    page.screenshot(path=str(artifacts / "editor-proposal-withdrawn.png"), full_page=True)
    assert Revision.objects.get(id=proposal.id).status == "withdrawn"

    # Back in My proposals (the breadcrumb): still listed, as withdrawn; the rejected one says why.
    page.locator(".breadcrumbs a", has_text="My proposals").click()
    expect(page.locator("#result_list tbody tr").first.locator(".field-status")).to_have_text("withdrawn")
    page.locator(f'#result_list .field-id a[href="{review_url(rejected.id)}"]').click()
    expect(page.locator("#standing-headline")).to_have_text("Your proposal was rejected")
    expect(page.locator("#decision-reason")).to_have_text("Reason: No source says it was a draw.")
    page.screenshot(path=str(artifacts / "editor-proposal-rejected.png"), full_page=True)


@pytest.mark.redis
def test_the_proposal_page_shows_the_findings_by_itself_when_a_real_worker_finishes_the_checks(
    new_page, artifacts, tmp_path, published_seed, seed_content, editor
):
    require_redis(SHARED_REDIS)
    queue = private_queue()
    try:
        # Sent to a queue no worker reads yet: the checks wait, as they do when the workers are busy.
        with celery_sends_to(SHARED_REDIS, queue):
            proposal = revision_propose(
                actor=editor,
                content=with_infobox(seed_content, "Casualties1", "14 killed, 5 injured, 3 vehicles captured"),
                summary="Ministry update",
            )
            page = new_page(editor)
            page.goto(review_url(proposal.id))
            expect(page.locator("#standing-headline")).to_have_text("Your proposal is waiting for its checks")
            expect(page.locator("#reload-checks")).to_be_visible()
            page.screenshot(path=str(artifacts / "editor-proposal-checking.png"), full_page=True)

            worker = Worker(SHARED_REDIS, queue, tmp_path / "worker.log")
            try:
                # No reload by the test: the page asks, and shows itself again when the verdict is in.
                expect(page.locator("#standing-headline")).to_have_text(
                    "Your proposal is pending review", timeout=VERDICT_TIMEOUT_MS
                )
            finally:
                worker.stop()
        expect(page.locator("#standing")).to_contain_text("The consistency checks found 2 errors")
        expect(page.locator('li.finding[data-rule="casualties.infobox_prose"]').first).to_be_visible()
        expect(page.locator("#reload-checks")).to_have_count(0)
        page.screenshot(path=str(artifacts / "editor-proposal-checked.png"), full_page=True)
    finally:
        drop_queue(SHARED_REDIS, queue)

"""The whole editorial story in a real browser (Debian's chromium through Playwright).

An editor changes Casualties1 in the admin; a reviewer sees 13 -> 14 and the
error, cannot approve without an override, and rejects; the editor corrects
the prose too; another reviewer approves; readers see the new figures, the
history compares both revisions, the old revision shows the old figures.
"""

import re

import pytest
from playwright.sync_api import expect

from editorial.models import Revision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "2017-ayorou-attack"


def propose_in_admin(page, *, casualties: str, summary: str, prose_edits: dict[str, str] = {}) -> int:
    page.goto("/admin/encyclopedia/article/")
    page.get_by_role("link", name="2017 Ayorou attack").click()
    page.locator('input[name$="-value"][value^="13 killed"]').fill(casualties)
    for old, new in prose_edits.items():
        field = page.locator(f'textarea:has-text("{old}")')
        field.fill(field.input_value().replace(old, new))
    page.fill('textarea[name="summary"], input[name="summary"]', summary)
    page.click('input[name="_save"]')
    message = page.locator(".messagelist .success, ul.messagelist li").first
    expect(message).to_contain_text("proposed for review")
    return int(re.search(r"Revision (\d+)", message.inner_text()).group(1))


def test_edit_review_reject_correct_approve_and_browse(new_page, artifacts, published_seed, editor, reviewer, reviewer2):
    # An editor changes the casualties in the admin; checks run after the commit.
    editor_page = new_page(editor)
    first = propose_in_admin(editor_page, casualties="14 killed, 5 injured", summary="Ministry update")
    assert Revision.objects.get(id=first).check_status == "failed"

    # A reviewer sees 13 -> 14 highlighted and the error, cannot approve without an override, rejects.
    review = new_page(reviewer)
    review.goto("/admin/editorial/revision/")
    review.locator(f'a[href$="/{first}/review/"]').first.click()
    row = review.locator('tr[data-key="Casualties1"]')
    expect(row.locator("del").first).to_have_text("13")
    expect(row.locator("ins").first).to_have_text("14")
    expect(review.locator(".verdict")).to_have_attribute("data-status", "failed")
    prose_disagrees = review.locator(
        '.finding.finding-error[data-rule="casualties.infobox_prose"][data-target="infobox:Casualties1"]'
    )
    expect(prose_disagrees.first).to_be_visible()  # beside the field: the prose still says thirteen
    expect(review.locator("#approve")).to_have_count(0)
    expect(review.locator("#approve-override")).to_be_visible()
    review.screenshot(path=str(artifacts / "review-page.png"), full_page=True)
    review.fill('textarea[name="reason"]', "The prose still says thirteen; correct both, with a source.")
    review.click("#reject")
    expect(review.locator("ul.messagelist li").first).to_contain_text("rejected")
    assert Revision.objects.get(id=first).status == "rejected"

    # The editor corrects the prose too and proposes again.
    second = propose_in_admin(
        editor_page,
        casualties="14 killed, 5 injured",
        summary="Ministry update, prose too; source: https://example.org/niger-defence-ministry",
        prose_edits={"killing 13 gendarmes": "killing 14 gendarmes", "Thirteen gendarmes": "Fourteen gendarmes"},
    )
    assert Revision.objects.get(id=second).check_status in {"passed", "warnings"}

    # Another reviewer approves.
    approver = new_page(reviewer2)
    approver.goto(f"/admin/editorial/revision/{second}/review/")
    approver.click("#approve")
    expect(approver.locator("ul.messagelist li").first).to_contain_text("approved")

    # Readers see the new figures.
    reader = new_page()
    reader.goto(f"/articles/{SLUG}/")
    expect(reader.locator(".infobox")).to_contain_text("14 killed, 5 injured")
    expect(reader.locator("main")).not_to_contain_text("13 killed")
    expect(reader.locator("main")).to_contain_text("Fourteen gendarmes were killed")

    # The history compares both approved revisions.
    reader.goto(f"/articles/{SLUG}/history/")
    expect(reader.locator(f'input[name="new"][value="{first}"]')).to_have_count(0)  # rejected: not for readers
    expect(reader.locator(f'input[name="new"][value="{second}"]')).to_have_count(1)
    reader.screenshot(path=str(artifacts / "history-page.png"), full_page=True)
    reader.check(f'input[name="old"][value="{published_seed.id}"]')
    reader.check(f'input[name="new"][value="{second}"]')
    reader.get_by_role("button", name="Compare selected revisions").click()
    reader.wait_for_url(f"**/articles/{SLUG}/diff/{published_seed.id}/{second}/")
    expect(reader.locator("del", has_text="13").first).to_be_visible()
    expect(reader.locator("ins", has_text="14").first).to_be_visible()

    # The old revision's page shows the old figures.
    reader.goto(f"/articles/{SLUG}/revisions/{published_seed.id}/")
    expect(reader.locator(".infobox")).to_contain_text("13 killed, 5 injured, 3 vehicles captured")
    expect(reader.locator("main")).to_contain_text("Thirteen gendarmes were killed")

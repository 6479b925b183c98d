"""The edit form in a real browser (issue 11): an editor breaks the toll, sees it with
"Show changes" before any reviewer does, fixes it, orders rows with the up/down
controls, proposes, and lands on her proposal's page."""

import re

import pytest
from playwright.sync_api import expect

from editorial.models import Revision
from editorial.selectors import revision_content
from encyclopedia.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "source: https://example.org/niger-defence-ministry"


def infobox_value(page, key: str):
    return page.locator(f'tr.form-row:has(input[name$="-key"][value="{key}"]) input[name$="-value"]')


def replace_in(field, old: str, new: str) -> None:
    text = field.input_value()
    assert old in text, f"{old!r} is not in the field"
    field.fill(text.replace(old, new))


def test_show_changes_then_fix_then_propose(new_page, artifacts, published_seed, editor):
    article = Article.objects.get()
    page = new_page(editor)
    page.goto(f"/admin/encyclopedia/article/{article.pk}/change/")
    expect(page).to_have_title(re.compile(r"\| Stet$"))
    expect(page.locator("#site-name")).to_have_text("Stet")
    # No empty trailing rows: every section on the form is one of the article's.
    expect(page.locator("#sections-group .inline-related.has_original")).to_have_count(len(article.sections.all()))
    expect(page.locator('#sections-group .inline-related:not(.empty-form)')).to_have_count(len(article.sections.all()))
    # The Delete? header fits its column, and each row's checkbox sits under it, also on a narrow window.
    page.set_viewport_size({"width": 900, "height": 900})
    header = page.locator("#infobox_fields-group th.column-delete")
    assert header.evaluate("th => th.scrollWidth <= th.clientWidth")
    module_box = page.locator("#infobox_fields-group fieldset").bounding_box()
    table_box = page.locator("#infobox_fields-group table").bounding_box()
    assert table_box["x"] + table_box["width"] <= module_box["x"] + module_box["width"] + 0.5
    header_box = header.bounding_box()
    for checkbox in page.locator('#infobox_fields-group td.delete input[type="checkbox"]').all():
        box = checkbox.bounding_box()
        assert header_box["x"] <= box["x"] and box["x"] + box["width"] <= header_box["x"] + header_box["width"]
    page.set_viewport_size({"width": 1280, "height": 900})

    # The editor changes the killed figure so that it disagrees with the prose, and looks before proposing.
    infobox_value(page, "Casualties1").fill("31 killed, 5 injured, 3 vehicles captured")
    page.click("#show-changes")
    preview = page.locator("#preview")
    expect(preview).to_be_visible()
    row = preview.locator('tr[data-key="Casualties1"]')
    expect(row.locator("del").first).to_have_text("13")
    expect(row.locator("ins").first).to_have_text("31")
    prose = row.locator('li.finding-error[data-rule="casualties.infobox_prose"]')
    expect(prose.locator("mark", has_text="Thirteen")).to_have_count(1)
    expect(preview.locator(".verdict")).to_have_attribute("data-status", "failed")
    expect(infobox_value(page, "Casualties1")).to_have_value("31 killed, 5 injured, 3 vehicles captured")
    expect(preview.locator("#preview-page .infobox")).to_contain_text("31 killed")  # the draft as it will read
    page.screenshot(path=str(artifacts / "edit-form-show-changes.png"), full_page=True)
    assert Revision.objects.count() == 1  # nothing was proposed

    # She fixes it: the true toll in the infobox, the lead and the Aftermath.
    infobox_value(page, "Casualties1").fill("14 killed, 5 injured, 3 vehicles captured")
    replace_in(page.locator("#id_lead"), "killing 13 gendarmes", "killing 14 gendarmes")
    replace_in(page.locator('textarea:has-text("Thirteen gendarmes")'), "Thirteen gendarmes", "Fourteen gendarmes")
    page.fill("#id_summary", f"One more gendarme died of his wounds; {SOURCE}")
    expect(page.locator("#summary-counter")).to_have_text(re.compile(r"^\d+ / 1000$"))
    page.click("#show-changes")
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator('#preview li.finding-error')).to_have_count(0)

    page.click('input[name="_save"]')
    page.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    proposal = Revision.objects.latest("id")
    assert page.url.endswith(f"/admin/editorial/revision/{proposal.id}/review/")
    message = page.locator("ul.messagelist li").first
    expect(message).to_contain_text(f"Revision {proposal.id} proposed for review; consistency checks finished with 0 errors")
    expect(message.get_by_role("link", name=f"Open revision {proposal.id}")).to_be_visible()
    page.screenshot(path=str(artifacts / "edit-form-proposed.png"), full_page=True)
    assert revision_content(proposal.id).infobox_value("Casualties1") == "14 killed, 5 injured, 3 vehicles captured"


def test_rows_are_ordered_with_up_and_down(new_page, artifacts, published_seed, seed_content, editor):
    article = Article.objects.get()
    page = new_page(editor)
    page.goto(f"/admin/encyclopedia/article/{article.pk}/change/")
    headings = [section.heading for section in seed_content.sections]

    # The position numbers are hidden behind the controls, and still sent.
    expect(page.locator("#sections-group input.row-position").first).to_be_hidden()
    last = page.locator("#sections-group .inline-related:not(.empty-form)").last
    expect(last.get_by_role("button", name="Move down")).to_be_disabled()
    last.get_by_role("button", name="Move up").click()
    moved = page.locator("#sections-group .inline-related:not(.empty-form)").nth(len(headings) - 2)
    expect(moved.locator('input[name$="-heading"]')).to_have_value(headings[-1])

    # A new infobox row through the admin's own "Add another" control gets the controls too.
    page.locator("#infobox_fields-group .add-row a").click()
    new_row = page.locator("#infobox_fields-group tr.form-row.dynamic-infobox_fields:not(.empty-form)").last
    new_row.locator('input[name$="-key"]').fill("Territory")
    new_row.locator('input[name$="-value"]').fill("Tillaberi Region")
    new_row.get_by_role("button", name="Move up").click()
    page.fill("#id_summary", "Order: See also before its neighbour; territory")
    page.screenshot(path=str(artifacts / "edit-form-ordering.png"), full_page=True)

    page.click('input[name="_save"]')
    page.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    content = revision_content(Revision.objects.latest("id").id)
    assert [section.heading for section in content.sections] == [*headings[:-2], headings[-1], headings[-2]]
    keys = [entry.key for entry in seed_content.infobox]
    assert [entry.key for entry in content.infobox] == [*keys[:-1], "Territory", keys[-1]]


def test_edit_again_starts_from_the_proposal(new_page, artifacts, published_seed, editor):
    article = Article.objects.get()
    page = new_page(editor)
    page.goto(f"/admin/encyclopedia/article/{article.pk}/change/")
    infobox_value(page, "Casualties1").fill("31 killed, 5 injured, 3 vehicles captured")
    page.fill("#id_summary", f"Toll; {SOURCE}")
    page.click('input[name="_save"]')
    page.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    first = Revision.objects.latest("id")

    # From her proposal's page, "Edit again" opens the form on the proposal, not on the published article.
    page.locator("#edit-again").click()
    page.wait_for_url(re.compile(rf"\?from_revision={first.id}$"))
    expect(page.locator("#prefilled-from")).to_contain_text(f"revision {first.id}")
    expect(page.locator("#pending-revisions")).to_contain_text(f"Revision {first.id} by {editor.username} is pending review")
    expect(infobox_value(page, "Casualties1")).to_have_value("31 killed, 5 injured, 3 vehicles captured")
    expect(page.locator("#id_summary")).to_have_value(f"Toll; {SOURCE}")
    page.screenshot(path=str(artifacts / "edit-form-edit-again.png"), full_page=True)

    infobox_value(page, "Casualties1").fill("13 killed, 6 injured, 3 vehicles captured")
    page.fill("#id_summary", f"One more wounded; {SOURCE}")
    page.click('input[name="_save"]')
    page.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    second = Revision.objects.latest("id")
    assert second.id != first.id and second.base_revision_id == first.base_revision_id
    assert revision_content(second.id).infobox_value("Casualties1") == "13 killed, 6 injured, 3 vehicles captured"


def test_without_javascript_rows_are_added_and_ordered_by_number(browser, live_server, artifacts, published_seed, seed_content, editor):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", "pw")
        page.click("input[type=submit]")
        article = Article.objects.get()
        page.goto(f"/admin/encyclopedia/article/{article.pk}/change/")

        # The order numbers are plain inputs, and a section is added by posting the form as typed.
        expect(page.locator("#sections-group input.row-position").first).to_be_visible()
        page.fill("#id_summary", f"Reactions first; {SOURCE}")
        page.click("#add-section")
        new_section = page.locator("#sections-group .inline-related:not(.empty-form)").last
        expect(new_section.locator('input[name$="-heading"]')).to_have_value("")
        expect(page.locator("#id_summary")).to_have_value(f"Reactions first; {SOURCE}")
        new_section.locator('input[name$="-heading"]').fill("Reactions")
        new_section.locator('textarea[name$="-body"]').fill("Niger mourned.")
        new_section.locator('input[name$="-position"]').fill("0")
        page.screenshot(path=str(artifacts / "edit-form-no-javascript.png"), full_page=True)
        page.click('input[name="_save"]')
        page.wait_for_url(re.compile(r"/admin/editorial/revision/\d+/review/$"))
    finally:
        context.close()
    content = revision_content(Revision.objects.latest("id").id)
    assert [section.heading for section in content.sections] == [
        "Reactions", *[section.heading for section in seed_content.sections]
    ]

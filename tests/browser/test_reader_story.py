"""A reader's walk through an article's past in a real browser (Debian's chromium through Playwright).

The reader follows "See also" (one article exists, one is a red link), opens
the history, reads the page as it was when an older revision was published,
compares two edits and steps to the previous and next edit, reads the
preview under the diff and the provenance chart of the killed. An editor
then sees the pending proposal on the article and follows it to its review.
"""

import dataclasses

import pytest
from playwright.sync_api import expect

from editorial.errors import EditorialError
from editorial.services import revision_approve
from encyclopedia.content import ArticleContent, SectionContent

from tests.support.factories import propose_checked, publish, with_infobox, with_lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "/articles/2017-ayorou-attack/"
OVERRIDE = "The ministry's later count; the prose follows."


def publish_count(content, *, author, reviewer, summary):
    """Publish a count the prose does not follow yet, with an override where the checks stand against it."""
    revision = propose_checked(actor=author, content=content, summary=summary)
    try:
        return revision_approve(actor=reviewer, revision_id=revision.id)
    except EditorialError:
        return revision_approve(actor=reviewer, revision_id=revision.id, override_reason=OVERRIDE)


@pytest.fixture
def story(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    publish(
        ArticleContent(title="Tongo Tongo ambush", lead="The Tongo Tongo ambush occurred on 4 October 2017."),
        author=editor, reviewer=reviewer, override_reason="A stub; its infobox comes next.",
    )
    sections = tuple(section for section in seed_content.sections if section.heading != "See also")
    content = dataclasses.replace(
        seed_content, sections=(*sections, SectionContent("See also", "- Tongo Tongo ambush\n- Inates attack"))
    )
    revisions = [published_seed.id]
    for killed, author, approver in ((13, editor, reviewer), (14, editor2, reviewer2), (17, editor, reviewer2)):
        content = with_infobox(content, "Casualties1", f"{killed} killed, 5 injured, 3 vehicles captured")
        summary = f"Casualties: {killed} killed"
        revisions.append(publish_count(content, author=author, reviewer=approver, summary=summary).id)
    pending = propose_checked(actor=editor2, content=with_lead(content, "A lead under review."), summary="lead")
    return {"revisions": revisions, "pending": pending.id}


def test_a_reader_follows_history_as_of_diffs_and_see_also(new_page, artifacts, story, editor):
    seed, with_see_also, fourteen, seventeen = story["revisions"]
    reader = new_page()
    reader.goto(SEED)
    expect(reader.locator(".infobox")).to_contain_text("17 killed")
    expect(reader.locator(".pending-notice")).to_have_count(0)  # readers are not told of proposals
    expect(reader.locator(".tabs .edit-tab")).to_have_count(0)
    see_also = reader.locator("#section-see-also")
    missing = see_also.locator(".missing-page")
    expect(missing).to_have_text("Inates attack")
    expect(missing).to_have_attribute("title", "Page does not exist")
    reader.screenshot(path=str(artifacts / "reader-see-also.png"), full_page=True)
    see_also.get_by_role("link", name="Tongo Tongo ambush").click()
    reader.wait_for_url("**/articles/tongo-tongo-ambush/")
    expect(reader.locator("h1.article-title")).to_have_text("Tongo Tongo ambush")

    # The history: the row of the 14-killed edit leads to the page as readers saw it then.
    reader.goto(SEED)
    reader.locator(".tabs").get_by_role("link", name="History").click()
    row = reader.locator("table.history tr", has=reader.locator(f'a[href="{SEED}revisions/{fourteen}/"]'))
    reader.screenshot(path=str(artifacts / "reader-history.png"), full_page=True)
    row.locator("a.as-of-link").click()
    reader.wait_for_url("**/?as_of=*")
    banner = reader.locator(".banner-old")
    expect(banner).to_contain_text("as readers saw it at")
    expect(banner).to_contain_text(f"{fourteen}")
    expect(reader.locator(".infobox")).to_contain_text("14 killed")
    reader.screenshot(path=str(artifacts / "reader-as-of.png"), full_page=True)

    # From the history, the 14-killed edit's diff; then the next and the previous edit.
    reader.go_back()
    row = reader.locator("table.history tr", has=reader.locator(f'a[href="{SEED}revisions/{fourteen}/"]'))
    row.locator("a.diff-link").click()
    reader.wait_for_url(f"**{SEED}diff/{with_see_also}/{fourteen}/")
    expect(reader.locator("table.diff-infobox")).to_contain_text("14")
    expect(reader.locator(".diff-preview")).to_contain_text(f"Revision {fourteen} as it reads")
    reader.screenshot(path=str(artifacts / "reader-diff-with-preview.png"), full_page=True)
    reader.get_by_role("link", name="Next edit →").click()
    reader.wait_for_url(f"**{SEED}diff/{fourteen}/{seventeen}/")
    expect(reader.locator(".diff-nav")).to_contain_text("No later edit")
    expect(reader.locator(".diff-old-head")).to_contain_text(f"Revision {fourteen}")
    reader.get_by_role("link", name="← Previous edit").click()
    reader.get_by_role("link", name="← Previous edit").click()
    reader.wait_for_url(f"**{SEED}diff/{seed}/{with_see_also}/")

    # A newer revision named first still puts the older one on the left.
    reader.goto(f"{SEED}diff/{seventeen}/{seed}/")
    expect(reader.locator(".diff-old-head")).to_contain_text(f"Revision {seed}")
    expect(reader.locator(".diff-new-head")).to_contain_text(f"Revision {seventeen}")

    # Provenance: the killed over time, drawn.
    reader.goto(f"{SEED}provenance/")
    chart = reader.locator("#field-casualties1 + tr svg.field-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(3)
    reader.screenshot(path=str(artifacts / "reader-provenance-chart.png"), full_page=True)

    # An editor sees the proposal waiting on the article and opens its review page from there.
    editor_page = new_page(editor)
    editor_page.goto(SEED)
    expect(editor_page.locator(".tabs .edit-tab")).to_be_visible()
    notice = editor_page.locator(".pending-notice")
    expect(notice).to_contain_text(f"Revision {story['pending']} by emil is pending review")
    editor_page.screenshot(path=str(artifacts / "reader-pending-notice.png"), full_page=True)
    notice.get_by_role("link").click()
    editor_page.wait_for_url(f"**/admin/editorial/revision/{story['pending']}/review/")

"""Links on the reader pages: "See also" (with red links), history rows to `as_of`, findings in words."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from editorial.models import Revision
from editorial.reader.queries import as_of_value
from encyclopedia.content import ArticleContent, SectionContent
from encyclopedia.page import page_view

from tests.support.factories import client_for, propose_checked, publish, publish_ministry_update, with_lead
from tests.support.html import dom, html_of
from tests.support.urls import SEED_URL

pytestmark = pytest.mark.django_db

STUB = "A stub; its infobox comes next."
MISSING = "Page does not exist"


def with_see_also(content: ArticleContent, *items: str) -> ArticleContent:
    sections = tuple(section for section in content.sections if section.heading != "See also")
    body = "\n".join(f"- {item}" for item in items)
    return dataclasses.replace(content, sections=(*sections, SectionContent("See also", body)))


def stub(title: str) -> ArticleContent:
    return ArticleContent(title=title, lead=f"{title} is a stub.")


# --- See also -------------------------------------------------------------------------


def see_also_items(html: str) -> dict[str, tuple[str, str]]:
    """Each "See also" item: (how it is shown: "link" or "missing", its link or title)."""
    section = dom(html).one("section", id="section-see-also")
    items = {}
    for item in section.select("li"):
        links, missing = item.select("a"), item.select("span", class_="missing-page")
        if links:
            items[item.text()] = ("link", links[0].attrs["href"])
        else:
            items[item.text()] = ("missing", missing[0].attrs["title"])
    return items


def test_see_also_links_existing_articles_and_marks_missing_ones(
    client, published_seed, seed_content, editor, reviewer
):
    publish(stub("Tongo Tongo ambush"), author=editor, reviewer=reviewer, override_reason=STUB)
    publish(stub("Ségou raid"), author=editor, reviewer=reviewer, override_reason=STUB)
    content = with_see_also(seed_content, "Tongo Tongo ambush", "ségou raid", "Inates attack", "2017 Ayorou attack")
    publish(content, author=editor, reviewer=reviewer, summary="see also")

    items = see_also_items(html_of(client.get(SEED_URL)))
    assert items == {
        "Tongo Tongo ambush": ("link", "/articles/tongo-tongo-ambush/"),
        "ségou raid": ("link", "/articles/segou-raid/"),  # written otherwise, the same address
        "Inates attack": ("missing", MISSING),
        "2017 Ayorou attack": ("link", SEED_URL),
    }


def test_see_also_costs_one_query_for_all_its_items(published_seed, seed_content, editor, reviewer):
    for number in range(3):
        publish(stub(f"Raid {number}"), author=editor, reviewer=reviewer, override_reason=STUB)
    many = with_see_also(seed_content, *(f"Raid {number}" for number in range(6)))
    with CaptureQueriesContext(connection) as captured:
        view = page_view(many)
    assert len(captured.captured_queries) == 1
    shown = [item for section in view.sections for block in section.blocks for item in block.items]
    assert [(item.slug, item.missing) for item in shown] == [
        ("raid-0", False), ("raid-1", False), ("raid-2", False), (None, True), (None, True), (None, True)
    ]


def test_lists_outside_see_also_are_not_links(published_seed, seed_content):
    content = with_lead(seed_content, "Casualties by town:\n- Tongo Tongo ambush\n- Ayorou")
    lead_items = [item for block in page_view(content).lead for item in block.items]
    assert [(item.text, item.slug, item.missing) for item in lead_items] == [
        ("Tongo Tongo ambush", None, False),
        ("Ayorou", None, False),
    ]


def test_a_see_also_item_is_escaped(client, published_seed, seed_content, editor, reviewer):
    publish(with_see_also(seed_content, '<img src=x onerror="alert(1)">'), author=editor, reviewer=reviewer)
    html = html_of(client.get(SEED_URL))
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


# --- History rows lead to the page as readers saw it ----------------------------------------


def test_each_approved_history_row_links_to_the_page_as_readers_saw_it(
    client, published_seed, seed_content, editor, reviewer
):
    second = publish(with_lead(seed_content, "The second lead."), author=editor, reviewer=reviewer)
    # Published the same day, moments apart: a day would not tell them apart, the instant does.
    third = publish(with_lead(seed_content, "The third lead."), author=editor, reviewer=reviewer)
    history = dom(html_of(client.get(f"{SEED_URL}history/")))
    links = {
        int(row.select("td")[2].select("a")[0].text()): row.one("a", class_="as-of-link").attrs["href"]
        for row in history.one("table", class_="history").select("tr")[1:]
    }
    assert set(links) == {published_seed.id, second.id, third.id}
    for revision_id, lead in ((published_seed.id, "The 2017 Ayorou attack occurred"), (second.id, "The second lead."),
                              (third.id, "The third lead.")):
        decided_at = Revision.objects.get(id=revision_id).decided_at
        assert links[revision_id] == f"{SEED_URL}?as_of={as_of_value(decided_at)}"
        page = html_of(client.get(links[revision_id]))
        assert lead in page, revision_id
        assert f'revisions/{revision_id}/">{revision_id}</a>' in page


def test_unapproved_rows_have_no_as_of_link(published_seed, seed_content, editor):
    pending = propose_checked(actor=editor, content=with_lead(seed_content, "Pending."), summary="pending")
    history = dom(html_of(client_for(editor).get(f"{SEED_URL}history/")))
    rows = history.one("table", class_="history").select("tr")[1:]
    pending_row = next(row for row in rows if f"/revisions/{pending.id}/" in row.html())
    assert not pending_row.select("a", class_="as-of-link")


# --- Findings in plain words ------------------------------------------------------------


def test_the_revision_page_lists_its_findings_in_words(client, published_seed, seed_content, editor, reviewer):
    edited = publish_ministry_update(seed_content, author=editor, reviewer=reviewer)
    findings = Revision.objects.get(id=edited.id).check_findings
    assert findings  # the prose still says 13 killed
    page = dom(html_of(client.get(f"{SEED_URL}revisions/{edited.id}/")))
    listed = page.one(class_="findings").select("li")
    assert len(listed) == len(findings)
    texts = [item.text() for item in listed]
    for finding in findings:
        assert any(finding["message"] in text for text in texts), finding["message"]
    severities = [item.one(class_="severity").text() for item in listed]
    assert severities == sorted(severities, key=["Error", "Warning", "Note"].index)
    assert severities[0] == "Error"
    assert any("(Infobox: " in text for text in texts)  # where, with the field's human label


def test_a_revision_with_clean_checks_says_they_found_nothing(client, published_seed, seed_content, editor, reviewer):
    clean = publish(with_lead(seed_content, seed_content.lead + " Nothing new."), author=editor, reviewer=reviewer)
    revision = Revision.objects.get(id=clean.id)
    html = html_of(client.get(f"{SEED_URL}revisions/{clean.id}/"))
    if revision.check_findings:
        assert 'class="findings"' in html
    else:
        assert "The consistency checks found nothing." in html


def test_findings_are_escaped(client, published_seed, seed_content, editor, reviewer):
    edited = publish_ministry_update(seed_content, author=editor, reviewer=reviewer)
    hostile = [{"severity": "error", "target": "section:<b>x</b>", "message": "<script>alert(1)</script>"}]
    Revision.objects.filter(id=edited.id).update(check_findings=hostile)
    html = html_of(client.get(f"{SEED_URL}revisions/{edited.id}/"))
    assert "<script>alert(1)" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

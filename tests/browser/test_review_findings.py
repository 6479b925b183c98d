"""Findings beside what they quote, in a real browser: a finding about a paragraph
sits in that paragraph's row, the paragraph is marked, and the quote links to it."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import propose_checked, with_infobox
from tests.support.urls import review_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _with_aftermath(content, old: str, new: str):
    import dataclasses

    sections = tuple(
        dataclasses.replace(section, body=section.body.replace(old, new)) if section.heading == "Aftermath" else section
        for section in content.sections
    )
    assert sections != content.sections, f"{old!r} is not in the Aftermath"
    return dataclasses.replace(content, sections=sections)


def _boxes_overlap_vertically(first: dict, second: dict) -> bool:
    return first["y"] < second["y"] + second["height"] and second["y"] < first["y"] + first["height"]


def test_a_prose_finding_sits_beside_its_paragraph(new_page, published_seed, seed_content, editor, reviewer):
    content = _with_aftermath(seed_content, "Thirteen gendarmes were killed", "Fifteen gendarmes were killed")
    revision = propose_checked(actor=editor, content=content, summary="Toll from the prose")
    page = new_page(reviewer)
    page.goto(review_url(revision.id))

    place = page.locator('section.diff-place[data-target="section:Aftermath"]')
    finding = place.locator('li.finding[data-rule="casualties.infobox_prose"]')
    expect(finding).to_have_count(1)
    expect(finding.locator("mark")).to_have_text("Fifteen")
    expect(finding.locator(".finding-message")).not_to_contain_text("casualties.infobox_prose")
    expect(finding.locator(".finding-details")).not_to_have_attribute("open", "")
    row = place.locator("tr.para-concerned-error")
    expect(row).to_have_count(1)
    expect(row.locator("td.diff-new")).to_contain_text("Fifteen gendarmes were killed")
    # Beside it: the finding is in the same row, to the right of the new text.
    paragraph_box = row.locator("td.diff-new").bounding_box()
    finding_box = finding.bounding_box()
    assert finding_box["x"] >= paragraph_box["x"] + paragraph_box["width"] - 1
    assert _boxes_overlap_vertically(paragraph_box, finding_box)


def test_a_field_finding_links_to_the_paragraph_it_quotes(new_page, published_seed, seed_content, editor, reviewer):
    content = with_infobox(seed_content, "Casualties1", "14 killed, 5 injured, 3 vehicles captured")
    revision = propose_checked(actor=editor, content=content, summary="One more killed")
    page = new_page(reviewer)
    page.goto(review_url(revision.id))

    field_row = page.locator('tr[data-key="Casualties1"]')
    quote = field_row.locator("li.finding blockquote.finding-quote", has_text="Thirteen")
    expect(quote).to_have_count(1)
    target_id = quote.locator("a.quote-link").get_attribute("href").lstrip("#")
    paragraph = page.locator(f"#{target_id}")
    expect(paragraph).to_have_class(re.compile(r"\bpara-concerned-error\b"))
    expect(paragraph.locator("td.diff-new")).to_contain_text("Thirteen gendarmes were killed")
    # The paragraph is not an edited one: it is shown because the finding quotes it.
    expect(paragraph).to_have_class(re.compile(r"\bpara-unchanged\b"))

    quote.locator("a.quote-link").click()
    page.wait_for_function(f"location.hash === '#{target_id}'")
    assert page.evaluate(f"document.getElementById('{target_id}').matches(':target')")
    box = paragraph.bounding_box()
    viewport = page.viewport_size
    assert 0 <= box["y"] < viewport["height"], "the quoted paragraph is scrolled into view"
    # And back: the paragraph says which finding quotes it.
    expect(paragraph.locator("p.quoted-by a")).to_have_attribute("href", "#" + quote.locator("xpath=ancestor::li[1]").get_attribute("id"))

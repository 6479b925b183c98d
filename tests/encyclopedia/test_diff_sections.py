"""What a diff says about sections and keys: a renamed heading is one renamed section, a moved
paragraph says where it came from, and infobox keys read as the article page names them."""

from __future__ import annotations

import dataclasses

import pytest

from encyclopedia.content import ArticleContent, SectionContent
from encyclopedia.diff import diff_articles
from encyclopedia.diff.places import diff_places
from encyclopedia.diff.prose import split_paragraphs
from encyclopedia.diff.words import Budget
from tests.encyclopedia import diff_inputs
from tests.support.factories import client_for, propose_checked, with_infobox
from tests.support.html import assert_inert, dom, html_of
from tests.support.urls import SEED_URL, review_url

EARLY_OCTOBER = (
    "In early October 2017, Nigerien and American forces were killed by an ISGS "
    "ambush in Tongo Tongo, also in Tillabéri Region."
)


def renamed(article: ArticleContent, old_heading: str, new_heading: str, body: str | None = None) -> ArticleContent:
    sections = tuple(
        dataclasses.replace(section, heading=new_heading, body=section.body if body is None else body)
        if section.heading == old_heading
        else section
        for section in article.sections
    )
    return dataclasses.replace(article, sections=sections)


def with_body(article: ArticleContent, heading: str, body: str) -> ArticleContent:
    sections = tuple(
        dataclasses.replace(section, body=body) if section.heading == heading else section
        for section in article.sections
    )
    return dataclasses.replace(article, sections=sections)


def rows_of(diff):
    yield from diff.lead.paragraphs
    for section in diff.sections:
        yield from section.text.paragraphs


# --- heading renames, as values ---------------------------------------------


def test_a_renamed_heading_is_one_renamed_section_with_its_paragraphs_unchanged(seed_content):
    edited = renamed(seed_content, "Aftermath", "Consequences")

    diff = diff_articles(seed_content, edited)

    [section] = [section for section in diff.sections if section.status != "unchanged"]
    assert (section.heading, section.status, section.old_heading) == ("Consequences", "renamed", "Aftermath")
    assert [section.heading for section in diff.sections] == [s.heading for s in edited.sections]
    assert {row.status for row in rows_of(diff)} == {"unchanged"}
    assert [row.new for row in section.text.paragraphs] == list(split_paragraphs(seed_content.section("Aftermath").body))
    assert diff.has_changes


def test_a_renamed_heading_whose_body_was_also_edited_diffs_the_body(seed_content):
    body = seed_content.section("Aftermath").body
    edited = renamed(seed_content, "Aftermath", "Consequences", body.replace("five others", "six others", 1))

    diff = diff_articles(seed_content, edited)

    section = next(section for section in diff.sections if section.heading == "Consequences")
    assert (section.status, section.old_heading) == ("renamed", "Aftermath")
    assert "Aftermath" not in [section.heading for section in diff.sections]
    statuses = [row.status for row in section.text.paragraphs]
    assert statuses.count("changed") == 1 and set(statuses) == {"changed", "unchanged"}


def test_a_section_replaced_by_an_unrelated_one_is_removed_and_added(seed_content):
    edited = renamed(seed_content, "Aftermath", "Reactions", "Governments condemned the raid within the day.")

    diff = diff_articles(seed_content, edited)

    changed = {section.heading: section.status for section in diff.sections if section.status != "unchanged"}
    assert changed == {"Aftermath": "removed", "Reactions": "added"}


def test_each_renamed_section_finds_its_own_body():
    first, second = "Troops arrived at dawn and left at noon.", "The village counted its dead the next week."
    old = ArticleContent(title="T", sections=(SectionContent("One", first), SectionContent("Two", second)))
    new = ArticleContent(title="T", sections=(SectionContent("Uno", first), SectionContent("Dos", second + " Twelve.")))

    diff = diff_articles(old, new)

    assert [(s.heading, s.status, s.old_heading) for s in diff.sections] == [
        ("Uno", "renamed", "One"),
        ("Dos", "renamed", "Two"),
    ]


def test_renames_are_sought_without_weighing_every_pair():
    # Every heading changed and every body unrelated, but one: far too many
    # pairs to weigh them all; the body kept is found by its text.
    old = diff_inputs.random_article(11, 40_000, sections=40)
    others = diff_inputs.random_article(12, 40_000, sections=40).sections
    new = dataclasses.replace(
        old,
        sections=(
            dataclasses.replace(old.sections[5], heading="Kept body"),
            *(dataclasses.replace(section, heading=f"Renamed {number}") for number, section in enumerate(others)),
        ),
    )
    budget = Budget()

    diff = diff_articles(old, new, budget)

    renames = [(s.old_heading, s.heading) for s in diff.sections if s.status == "renamed"]
    assert renames == [("Part 6", "Kept body")]
    assert budget.comparisons < 40


def moved_before(article: ArticleContent, heading: str, before: str) -> ArticleContent:
    moving = article.section(heading)
    others = [section for section in article.sections if section.heading != heading]
    at = next(number for number, section in enumerate(others) if section.heading == before)
    return dataclasses.replace(article, sections=(*others[:at], moving, *others[at:]))


def test_a_section_moved_elsewhere_is_one_moved_section_that_says_where_it_was(seed_content):
    edited = moved_before(seed_content, "Aftermath", "Background")

    diff = diff_articles(seed_content, edited)

    changed = [(s.heading, s.status, s.moved_after) for s in diff.sections if s.status != "unchanged"]
    assert changed == [("Aftermath", "moved", "Attack")]
    assert {row.status for row in rows_of(diff)} == {"unchanged"}
    assert diff.has_changes
    [place] = diff_places(diff)
    assert (place.name, place.status, place.moved_after, place.rows) == ("Aftermath", "moved", "Attack", ())


def test_a_section_moved_and_edited_is_changed_and_says_where_it_was(seed_content):
    body = seed_content.section("Aftermath").body.replace("five others", "six others", 1)
    edited = with_body(moved_before(seed_content, "Aftermath", "Background"), "Aftermath", body)

    diff = diff_articles(seed_content, edited)

    changed = [(s.heading, s.status, s.moved_after) for s in diff.sections if s.status != "unchanged"]
    assert changed == [("Aftermath", "changed", "Attack")]
    assert [row.status for row in diff.sections[0].text.paragraphs] == ["changed", "unchanged"]


def test_the_places_of_a_diff_name_the_old_heading_of_a_renamed_section(seed_content):
    diff = diff_articles(seed_content, renamed(seed_content, "Aftermath", "Consequences"))

    [place] = diff_places(diff)

    assert (place.name, place.old_name, place.status, place.target) == (
        "Consequences",
        "Aftermath",
        "renamed",
        "section:Consequences",
    )


def test_laying_out_an_everyday_diff_leaves_untouched_places_unsplit():
    old, new = diff_inputs.one_paragraph_changed(30_000)
    diff = diff_articles(old, new)

    [place] = diff_places(diff)

    assert place.rows and all(row.status != "unchanged" for row in place.rows)
    untouched = [section.text for section in diff.sections if section.status == "unchanged"]
    assert untouched and not any("paragraphs" in vars(text) for text in untouched)


# --- on the pages --------------------------------------------------------------


def both_pages(client, base_id: int, proposal_id: int):
    return (
        dom(html_of(client.get(f"{SEED_URL}diff/{base_id}/{proposal_id}/"))),
        dom(html_of(client.get(review_url(proposal_id)))),
    )


@pytest.mark.django_db
def test_the_pages_show_a_renamed_heading_once_with_its_paragraphs_once(
    published_seed, seed_content, editor, reviewer
):
    body = seed_content.section("Aftermath").body
    edited = renamed(seed_content, "Aftermath", "Consequences", body.replace("five others", "six others", 1))
    proposal = propose_checked(actor=editor, content=edited, summary="better heading")

    public, review = both_pages(client_for(reviewer), published_seed.id, proposal.id)

    public_headings = [" ".join(h2.text().split()) for h2 in public.select("h2")]
    assert "Aftermath → Consequences section renamed" in public_headings
    # The review page names its places with the public diff's template (diff/_place_name.html).
    assert "Aftermath → Consequences section renamed" in [" ".join(h2.text().split()) for h2 in review.select("h2")]
    for page in (public, review):
        headings = [" ".join(h2.text().split()) for h2 in page.select("h2")]
        assert not any(heading.startswith(("Aftermath section", "Consequences section")) for heading in headings)
        assert "moved" not in page.text()
        changed = [row for row in page.select("tr") if "para-changed" in row.classes()]
        assert len(changed) == 1


@pytest.mark.django_db
def test_the_pages_show_a_moved_section_and_where_it_was(published_seed, seed_content, editor, reviewer):
    proposal = propose_checked(
        actor=editor, content=moved_before(seed_content, "Aftermath", "Background"), summary="reorder"
    )

    public, review = both_pages(client_for(reviewer), published_seed.id, proposal.id)

    public_headings = [" ".join(h2.text().split()) for h2 in public.select("h2")]
    assert "Aftermath section moved was after “Attack”" in public_headings
    assert "Aftermath section moved was after “Attack”" in [" ".join(h2.text().split()) for h2 in review.select("h2")]


@pytest.mark.django_db
def test_a_moved_paragraph_says_where_it_came_from_where_it_stands(published_seed, seed_content, editor, reviewer):
    background = list(split_paragraphs(seed_content.section("Background").body))
    aftermath = list(split_paragraphs(seed_content.section("Aftermath").body))
    assert background[1] == EARLY_OCTOBER
    edited = with_body(seed_content, "Background", background[0])
    edited = with_body(edited, "Aftermath", "\n\n".join([aftermath[0], EARLY_OCTOBER, aftermath[1]]))
    proposal = propose_checked(actor=editor, content=edited, summary="move")

    for page in both_pages(client_for(reviewer), published_seed.id, proposal.id):
        [arrived] = [row for row in page.select("tr") if "para-moved" in row.classes()]
        [note] = arrived.select("p", **{"class": "moved-note"})
        assert note.text() == "moved from “Background”"
        assert note.within(arrived.one("td", **{"class": "diff-new"}))
        [left] = [row for row in page.select("tr") if "para-moved-away" in row.classes()]
        assert "moved to “Aftermath”" in left.text()


@pytest.mark.django_db
def test_infobox_keys_in_the_diffs_read_as_on_the_article_page(published_seed, seed_content, editor, reviewer):
    edited = with_infobox(seed_content, "Partof", "Insurgency in the Maghreb")
    edited = with_infobox(edited, "Combatant2", "ISGS")
    proposal = propose_checked(actor=editor, content=edited, summary="keys")

    for page in both_pages(client_for(reviewer), published_seed.id, proposal.id):
        keys = [" ".join(th.text().split()) for th in page.select("th", scope="row")]
        assert "Part of" in keys and "Combatant 2" in keys
        assert "Partof" not in page.text() and "Combatant2" not in page.text()


@pytest.mark.django_db
def test_a_renamed_or_moved_heading_is_shown_as_text(published_seed, seed_content, editor, reviewer):
    hostile = "<script>alert(1)</script>"
    edited = moved_before(renamed(seed_content, "Aftermath", hostile), hostile, "Background")
    edited = moved_before(edited, "Attack", "Background")
    proposal = propose_checked(actor=editor, content=edited, summary="hostile heading")

    public = html_of(client_for(reviewer).get(f"{SEED_URL}diff/{published_seed.id}/{proposal.id}/"))

    assert_inert(public)
    assert "Aftermath → <script>alert(1)</script> section renamed" in " ".join(
        " ".join(h2.text().split()) for h2 in dom(public).select("h2")
    )

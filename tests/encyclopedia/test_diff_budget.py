"""Diffs cost a bounded amount of work whatever the texts, stay correct, and say when they went coarse.

The bounds are checked on the work the diff counts (its `Budget`), never on
the clock: the counts are the same on any machine.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encyclopedia.content import ArticleContent, SectionContent
from encyclopedia.diff import diff_articles
from encyclopedia.diff.prose import split_paragraphs
from encyclopedia.diff.values import ArticleDiff, WordOp
from encyclopedia.diff.words import ARTICLE_BUDGET, Budget, count_words, match_sequences, word_diff, word_ops, words_of
from encyclopedia.templatetags.diff_html import new_html, old_html
from tests.encyclopedia import diff_inputs
from tests.support.factories import client_for, propose_checked, publish, with_lead
from tests.support.html import html_of
from tests.support.urls import SEED_URL, review_url

COARSE_NOTICE = "This diff is shown paragraph by paragraph: the change was too large to compare word by word."


def rows(diff: ArticleDiff):
    yield from diff.lead.paragraphs
    for section in diff.sections:
        yield from section.text.paragraphs


def shown_text(fragment) -> str:
    """What a rendered side reads as: our tags taken out, entities decoded."""
    return html.unescape(re.sub(r'</?(del|ins)( class="diff-(del|ins)")?>', "", str(fragment)))


def assert_diff_gives_back_both_versions(diff: ArticleDiff, old: ArticleContent, new: ArticleContent) -> None:
    """Each place shows the new paragraphs in order; every old paragraph shows once; each side renders to its text."""
    assert [row.new for row in diff.lead.paragraphs if row.new is not None] == list(split_paragraphs(new.lead))
    new_bodies = {section.heading: section.body for section in new.sections}
    for section in diff.sections:
        shown = [row.new for row in section.text.paragraphs if row.new is not None]
        assert shown == list(split_paragraphs(new_bodies.get(section.heading, "")))
    all_old = list(split_paragraphs(old.lead)) + [p for s in old.sections for p in split_paragraphs(s.body)]
    assert Counter(row.old for row in rows(diff) if row.old is not None) == Counter(all_old)
    for row in rows(diff):
        if row.old is not None:
            assert shown_text(old_html(row)) == row.old
        if row.new is not None:
            assert shown_text(new_html(row)) == row.new
        if row.ops:
            assert "".join(op.old_text for op in row.ops) == row.old
            assert "".join(op.new_text for op in row.ops) == row.new


def counted(old: ArticleContent, new: ArticleContent) -> tuple[ArticleDiff, Budget]:
    budget = Budget()
    return diff_articles(old, new, budget), budget


def paragraph_count(*articles: ArticleContent) -> int:
    return sum(len(diff_inputs.paragraphs(article)) for article in articles)


def characters(*articles: ArticleContent) -> int:
    return sum(len(diff_inputs.written(article)) for article in articles)


# --- the adversarial pairs of issue 10 ----------------------------------------------


def test_two_unrelated_texts_are_diffed_correctly_with_few_comparisons():
    old, new = diff_inputs.unrelated()

    diff, budget = counted(old, new)

    assert_diff_gives_back_both_versions(diff, old, new)
    # The old code measured every old paragraph against every new one of its
    # section: 7 x 7 per section here, over a thousand in all.
    assert budget.comparisons <= 2 * paragraph_count(old, new)
    assert budget.spent <= characters(old, new)
    assert {row.status for row in rows(diff)} == {"removed", "added"}


def test_shuffled_paragraphs_are_all_moves_found_by_their_text():
    old, new = diff_inputs.shuffled()

    diff, budget = counted(old, new)

    assert_diff_gives_back_both_versions(diff, old, new)
    statuses = Counter(row.status for row in rows(diff))
    assert set(statuses) <= {"unchanged", "moved"}
    assert statuses["moved"] > 100
    assert all(row.old == row.new and row.ops == () for row in rows(diff))
    # One comparison per paragraph (its equal text), not one per pair.
    assert budget.comparisons <= paragraph_count(new)
    assert not diff.coarse


def test_every_fourth_word_of_a_long_paragraph_changed_is_word_by_word_within_the_budget():
    old, new = diff_inputs.every_fourth_word()
    assert len(old.lead) >= 100_000

    diff, budget = counted(old, new)

    assert_diff_gives_back_both_versions(diff, old, new)
    [row] = diff.lead.paragraphs
    assert row.status == "changed" and not diff.coarse
    changed = [op for op in row.ops if op.op != "equal"]
    assert len(changed) == len(old.lead.split(" ")) // 4
    assert all(op.new_text.startswith("changed") for op in changed)
    assert budget.spent <= ARTICLE_BUDGET


def test_the_long_paragraph_goes_coarse_when_the_budget_is_small():
    old, new = diff_inputs.every_fourth_word()
    budget = Budget(units=20_000)

    diff = diff_articles(old, new, budget)

    assert diff.coarse and diff.lead.coarse
    assert diff.coarse_reason == "the change was too large to compare word by word"
    [row] = diff.lead.paragraphs
    assert row.coarse
    assert row.ops == (WordOp("replace", old.lead, new.lead),)
    assert_diff_gives_back_both_versions(diff, old, new)
    assert budget.spent <= 20_000 + 2 * characters(old, new)


def repetitive(words: int, vocabulary: list[str], seed: int) -> str:
    """A paragraph of few distinct words: nothing in it is unique, so nothing anchors an alignment."""
    import random

    rng = random.Random(seed)
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def test_a_paragraph_with_no_unique_word_is_shown_whole_at_once():
    old_text = repetitive(20_000, ["the", "attack", "of", "a", "town"], 1)
    new_text = repetitive(20_000, ["the", "attack", "of", "a", "town"], 2)
    old, new = ArticleContent(title="T", lead=old_text), ArticleContent(title="T", lead=new_text)

    diff, budget = counted(old, new)

    assert diff.coarse
    assert_diff_gives_back_both_versions(diff, old, new)
    # Given up after counting, before any quadratic work: 20k x 20k words
    # would be 400 million cells.
    assert budget.spent <= 2 * characters(old, new)


def test_a_small_edit_is_word_by_word_and_costs_little():
    old, new = diff_inputs.one_paragraph_changed()

    diff, budget = counted(old, new)

    assert_diff_gives_back_both_versions(diff, old, new)
    [changed] = [row for row in rows(diff) if row.status != "unchanged"]
    assert [op for op in changed.ops if op.op != "equal"] == [
        WordOp("insert", "", " A resident said the shooting could be heard from the next village.")
    ]
    assert not diff.coarse
    assert budget.comparisons == 1
    assert budget.spent < 1_000


@pytest.mark.parametrize(
    "build",
    [diff_inputs.every_fourth_word, diff_inputs.unrelated, diff_inputs.renamed_headings],
    ids=["one paragraph", "unrelated", "headings renamed"],
)
def test_the_largest_articles_stay_within_the_budget_and_say_what_they_left_out(build):
    old, new = build(2_000_000)

    diff, budget = counted(old, new)

    assert_diff_gives_back_both_versions(diff, old, new)
    # Everything but a few linear charges is paid for before it is done.
    assert budget.spent <= ARTICLE_BUDGET + characters(old, new)
    assert diff.coarse


def test_a_moved_paragraph_is_found_among_many_by_its_shared_wording():
    old = diff_inputs.random_article(7, 20_000)
    texts = diff_inputs.paragraphs(old)
    moving = texts[1]
    edited_copy = moving.replace(".", ";", 1)
    new = dataclasses.replace(
        old,
        lead=old.lead.replace(moving, "").strip(),
        sections=(*old.sections[:-1], dataclasses.replace(old.sections[-1], body=old.sections[-1].body + "\n\n" + edited_copy)),
    )
    assert moving in old.lead

    diff, budget = counted(old, new)

    [moved] = [row for row in rows(diff) if row.status == "moved"]
    assert (moved.old, moved.new) == (moving, edited_copy)
    assert [op for op in moved.ops if op.op != "equal"] == [WordOp("replace", ".", ";")]
    assert budget.comparisons <= 4


def test_every_paragraph_of_a_long_section_edited_is_paired_in_order_with_few_comparisons():
    texts = diff_inputs.paragraphs(diff_inputs.random_article(9, 100_000, paragraph_size=200, sections=1))
    edited = [text.replace(" ", " still ", 1) for text in texts]
    old = ArticleContent(title="T", sections=(SectionContent("A", "\n\n".join(texts)),))
    new = ArticleContent(title="T", sections=(SectionContent("A", "\n\n".join(edited)),))
    assert len(texts) > 400

    diff, budget = counted(old, new)

    assert_diff_gives_back_both_versions(diff, old, new)
    assert [(row.status, row.old) for row in rows(diff)] == [("changed", text) for text in texts]
    assert all([op.op for op in row.ops].count("insert") == 1 for row in rows(diff))
    assert budget.comparisons <= 2 * len(texts)
    assert not diff.coarse


# --- the word diff ------------------------------------------------------------------


def test_whitespace_is_carried_by_the_words_and_still_shown_when_it_changes():
    assert word_ops("a  b c", "a b c") == (
        WordOp("equal", "a ", "a "),
        WordOp("delete", " ", ""),
        WordOp("equal", "b c", "b c"),
    )
    assert word_ops("a b c", "a b\nc") == (
        WordOp("equal", "a b", "a b"),
        WordOp("replace", " ", "\n"),
        WordOp("equal", "c", "c"),
    )


def test_common_ends_never_cut_a_word():
    ops = word_ops("They were killed today.", "They were kidnapped today.")

    assert [op for op in ops if op.op != "equal"] == [WordOp("replace", "killed", "kidnapped")]


def test_the_diff_of_a_pair_is_measured_once_per_diff():
    budget = Budget()

    first = word_diff("one two three", "one two four", budget)
    spent = budget.spent

    assert word_diff("one two three", "one two four", budget) is first
    assert budget.spent == spent


def test_match_sequences_anchors_on_unique_items_and_reports_unfinished_work():
    blocks, complete = match_sequences(list("xabcy"), list("zabcw"), Budget())
    assert complete and blocks == [(1, 1, 3)]

    no_anchor_a, no_anchor_b = ["a", "b"] * 1000, ["b", "a"] * 1000
    blocks, complete = match_sequences(no_anchor_a, no_anchor_b, Budget(units=100))
    assert not complete


# --- the pages say so ---------------------------------------------------------------


@pytest.fixture
def coarse_edit(published_seed, seed_content, editor):
    """A proposal whose lead is a long paragraph with nothing unique in it, unlike the published lead."""
    vocabulary = ["the", "attack", "of", "a", "town"]
    old_lead = repetitive(3_000, vocabulary, 1) + "."
    new_lead = repetitive(3_000, vocabulary, 2) + "."
    return old_lead, new_lead


@pytest.mark.django_db
def test_the_public_diff_and_the_review_page_say_when_the_diff_is_coarse(
    published_seed, seed_content, editor, reviewer, coarse_edit
):
    old_lead, new_lead = coarse_edit
    base = publish(
        with_lead(seed_content, old_lead), author=editor, reviewer=reviewer, stream=published_seed.stream
    )
    proposal = propose_checked(actor=editor, content=with_lead(seed_content, new_lead), summary="rewrite")
    assert diff_articles(with_lead(seed_content, old_lead), with_lead(seed_content, new_lead)).coarse

    public = html_of(client_for(reviewer).get(f"{SEED_URL}diff/{base.id}/{proposal.id}/"))
    review = html_of(client_for(reviewer).get(review_url(proposal.id)))

    assert public.count(COARSE_NOTICE) == 1
    assert review.count(COARSE_NOTICE) == 1


@pytest.mark.django_db
def test_an_ordinary_diff_has_no_coarse_notice(published_seed, seed_content, editor, reviewer):
    edited = dataclasses.replace(seed_content, lead=seed_content.lead + " One more sentence.")
    proposal = propose_checked(actor=editor, content=edited, summary="a sentence")

    public = html_of(client_for(reviewer).get(f"{SEED_URL}diff/{published_seed.id}/{proposal.id}/"))
    review = html_of(client_for(reviewer).get(review_url(proposal.id)))

    assert COARSE_NOTICE not in public and COARSE_NOTICE not in review
    assert '<ins class="diff-ins"> One more sentence.</ins>' in public


def test_untouched_places_make_their_rows_only_when_read():
    # Most of an everyday edit's article is untouched, and the pages show
    # only what changed: splitting every place into rows was most of the
    # diff's time (benchmarks/diff_cost.py).
    old, new = diff_inputs.one_paragraph_changed(30_000)
    diff = diff_articles(old, new)
    untouched = [section for section in diff.sections if section.status == "unchanged"]

    assert untouched and "paragraphs" not in vars(diff.lead)
    assert not any("paragraphs" in vars(section.text) for section in untouched)
    # Read, they are the rows of an untouched place, the same on every read.
    bodies = {section.heading: section.body for section in new.sections}
    for section in untouched:
        rows_read = section.text.paragraphs
        assert [(row.status, row.old, row.new) for row in rows_read] == [
            ("unchanged", text, text) for text in split_paragraphs(bodies[section.heading])
        ]
        assert section.text.paragraphs is rows_read
    assert diff == diff_articles(old, new)


_awkward_characters = st.sampled_from(list(" \t\n\x1c\x85\u00a0\u2028_.,é1"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)) | _awkward_characters, max_size=40))
def test_counting_words_agrees_with_splitting_them(text):
    # equal_share counts words without splitting them, which must not
    # change what it counts.
    assert count_words(text) == len(words_of(text))

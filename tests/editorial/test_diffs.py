"""Diffs between two versions of an article: pure values, no database."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from encyclopedia.diff import diff_articles, size_change
from encyclopedia.diff.html import render_word_ops
from encyclopedia.diff.prose import split_paragraphs
from encyclopedia.diff.values import ArticleDiff, WordOp
from encyclopedia.diff.words import tokenize, word_ops
from encyclopedia.templatetags.diff_html import new_html, old_html
from encyclopedia import textformat
from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent
from tests.support.environment import SEED_PATH
from tests.support.html import dom
from tests.support.payloads import HOSTILE_TEXTS

TYPO_SENTENCE = "Some of the militants were intersected north of the town"
EARLY_OCTOBER = (
    "In early October 2017, Nigerien and American forces were killed by an ISGS "
    "ambush in Tongo Tongo, also in Tillabéri Region."
)


@dataclasses.dataclass(frozen=True)
class DiffCounts:
    """How many rows of each kind a diff has, counted from its values (what a reader would count)."""

    infobox_added: int = 0
    infobox_removed: int = 0
    infobox_changed: int = 0
    sections_added: int = 0
    sections_removed: int = 0
    sections_changed: int = 0
    paragraphs_added: int = 0
    paragraphs_removed: int = 0
    paragraphs_changed: int = 0
    paragraphs_moved: int = 0


def summarise(diff: ArticleDiff) -> DiffCounts:
    paragraphs = [row.status for text in (diff.lead, *(s.text for s in diff.sections)) for row in text.paragraphs]
    infobox = [row.status for row in diff.infobox]
    sections = [section.status for section in diff.sections]
    counts = {}
    for kind, statuses in (("infobox", infobox), ("sections", sections), ("paragraphs", paragraphs)):
        for status in ("added", "removed", "changed", "moved"):
            if hasattr(DiffCounts, f"{kind}_{status}"):
                counts[f"{kind}_{status}"] = statuses.count(status)
    return DiffCounts(**counts)


@pytest.fixture(scope="module")
def seed() -> ArticleContent:
    return textformat.parse_bytes(SEED_PATH.read_bytes())


# --- helpers -------------------------------------------------------------


def with_infobox_value(article: ArticleContent, key: str, value: str) -> ArticleContent:
    entries = tuple(
        InfoboxEntry(entry.key, value) if entry.key == key else entry for entry in article.infobox
    )
    return dataclasses.replace(article, infobox=entries)


def with_body(article: ArticleContent, heading: str, body: str) -> ArticleContent:
    sections = tuple(
        dataclasses.replace(section, body=body) if section.heading == heading else section
        for section in article.sections
    )
    return dataclasses.replace(article, sections=sections)


def paragraphs_of(article: ArticleContent, heading: str) -> list[str]:
    return list(split_paragraphs(article.section(heading).body))


def all_rows(diff: ArticleDiff):
    yield from diff.lead.paragraphs
    for section in diff.sections:
        yield from section.text.paragraphs


def statuses(diff: ArticleDiff) -> Counter:
    return Counter(row.status for row in all_rows(diff))


def section_diff(diff: ArticleDiff, heading: str):
    return next(section for section in diff.sections if section.heading == heading)


def tagged(html: str, tag: str) -> list[str]:
    return re.findall(rf'<{tag} class="diff-{tag}">(.*?)</{tag}>', html)


def assert_only_diff_markup(html: str, expected_text: str) -> None:
    """The fragment holds no markup but ours, and reads as the text given."""
    tree = dom(str(html))
    for node in tree.iter():
        assert (node.tag, node.attr_list) in {("del", (("class", "diff-del"),)), ("ins", (("class", "diff-ins"),))}
    assert tree.text() == expected_text
    # With our tags taken out nothing is left that could start markup or
    # close an attribute.
    bare = re.sub(r'</?(del|ins)( class="diff-(del|ins)")?>', "", str(html))
    assert not set(bare) & set("<>\"'")


# --- whole articles ------------------------------------------------------


def test_identical_articles_have_no_changes(seed):
    diff = diff_articles(seed, seed)

    assert not diff.has_changes
    assert diff.title is None
    assert {row.status for row in diff.infobox} == {"unchanged"}
    assert {section.status for section in diff.sections} == {"unchanged"}
    assert set(statuses(diff)) == {"unchanged"}
    assert [section.heading for section in diff.sections] == [s.heading for s in seed.sections]
    assert summarise(diff) == DiffCounts()  # every count zero
    assert diff.size_change == 0


def test_casualty_count_change_highlights_only_the_number(seed):
    edited = with_infobox_value(seed, "Casualties1", "14 killed, 5 injured, 3 vehicles captured")

    diff = diff_articles(seed, edited)

    changed = [row for row in diff.infobox if row.status != "unchanged"]
    assert len(changed) == 1
    row = changed[0]
    assert (row.key, row.status) == ("Casualties1", "changed")
    assert row.old == "13 killed, 5 injured, 3 vehicles captured"
    assert row.new == "14 killed, 5 injured, 3 vehicles captured"
    assert [op for op in row.ops if op.op != "equal"] == [WordOp("replace", "13", "14")]
    assert tagged(new_html(row), "ins") == ["14"]
    assert tagged(old_html(row), "del") == ["13"]
    assert tagged(new_html(row), "del") == [] and tagged(old_html(row), "ins") == []
    assert new_html(row) == '<ins class="diff-ins">14</ins> killed, 5 injured, 3 vehicles captured'
    assert diff.has_changes
    assert summarise(diff).infobox_changed == 1
    assert set(statuses(diff)) == {"unchanged"}
    assert diff.size_change == 0


def test_typo_fix_is_one_changed_paragraph_with_one_replace(seed):
    attack = seed.section("Attack").body
    assert TYPO_SENTENCE in attack
    edited = with_body(seed, "Attack", attack.replace("intersected", "intercepted"))

    diff = diff_articles(seed, edited)

    assert statuses(diff) == Counter(unchanged=len(list(all_rows(diff))) - 1, changed=1)
    attack_diff = section_diff(diff, "Attack")
    assert attack_diff.status == "changed"
    [row] = attack_diff.text.paragraphs
    assert row.status == "changed"
    edits = [op for op in row.ops if op.op != "equal"]
    assert edits == [WordOp("replace", "intersected", "intercepted")]
    assert tagged(old_html(row), "del") == ["intersected"]
    assert tagged(new_html(row), "ins") == ["intercepted"]
    others = [section.status for section in diff.sections if section.heading != "Attack"]
    assert set(others) == {"unchanged"}
    assert not diff.lead.has_changes


def test_paragraph_moved_to_another_section_is_one_moved_row(seed):
    background = paragraphs_of(seed, "Background")
    aftermath = paragraphs_of(seed, "Aftermath")
    assert background[1] == EARLY_OCTOBER
    edited = with_body(seed, "Background", background[0])
    edited = with_body(edited, "Aftermath", "\n\n".join([aftermath[0], EARLY_OCTOBER, aftermath[1]]))

    diff = diff_articles(seed, edited)

    counts = statuses(diff)
    assert counts["moved"] == 1
    assert counts["added"] == counts["removed"] == counts["changed"] == 0
    aftermath_rows = section_diff(diff, "Aftermath").text.paragraphs
    assert [row.status for row in aftermath_rows] == ["unchanged", "moved", "unchanged"]
    moved = aftermath_rows[1]
    assert (moved.old, moved.new) == (EARLY_OCTOBER, EARLY_OCTOBER)
    assert (moved.moved_from, moved.moved_to) == ("Background", "Aftermath")
    assert moved.ops == ()
    # The section it left changed too, and can say where the paragraph went.
    background_diff = section_diff(diff, "Background")
    assert background_diff.status == "changed"
    assert [row.status for row in background_diff.text.paragraphs] == ["unchanged"]
    assert background_diff.text.moved_out == (moved,)
    assert summarise(diff).paragraphs_moved == 1
    assert summarise(diff).sections_changed == 2


def test_paragraph_moved_and_slightly_edited_keeps_its_word_ops(seed):
    background = paragraphs_of(seed, "Background")
    edited_paragraph = EARLY_OCTOBER.replace("early October", "late September")
    edited = with_body(seed, "Background", background[0])
    aftermath = seed.section("Aftermath").body
    edited = with_body(edited, "Aftermath", aftermath + "\n\n" + edited_paragraph)

    diff = diff_articles(seed, edited)

    assert statuses(diff)["moved"] == 1
    assert statuses(diff)["added"] == statuses(diff)["removed"] == 0
    [moved] = [row for row in all_rows(diff) if row.status == "moved"]
    assert (moved.old, moved.new) == (EARLY_OCTOBER, edited_paragraph)
    assert [op for op in moved.ops if op.op != "equal"] == [
        WordOp("replace", "early October", "late September")
    ]
    assert tagged(new_html(moved), "ins") == ["late September"]


def test_paragraph_moved_from_the_lead_into_a_section(seed):
    edited = dataclasses.replace(seed, lead="")
    edited = with_body(edited, "Background", seed.lead + "\n\n" + seed.section("Background").body)

    diff = diff_articles(seed, edited)

    assert diff.lead.has_changes
    assert diff.lead.paragraphs == ()
    [moved] = [row for row in all_rows(diff) if row.status != "unchanged"]
    assert (moved.status, moved.moved_from, moved.moved_to) == ("moved", "lead", "Background")
    assert diff.lead.moved_out == (moved,)


def test_paragraph_moved_within_a_section(seed):
    first, second = paragraphs_of(seed, "Aftermath")
    edited = with_body(seed, "Aftermath", f"{second}\n\n{first}")

    diff = diff_articles(seed, edited)

    rows = section_diff(diff, "Aftermath").text.paragraphs
    assert [row.status for row in rows].count("moved") == 1
    assert [row.new for row in rows] == [second, first]
    [moved] = [row for row in rows if row.status == "moved"]
    assert (moved.moved_from, moved.moved_to) == ("Aftermath", "Aftermath")
    assert statuses(diff)["added"] == statuses(diff)["removed"] == 0
    assert section_diff(diff, "Aftermath").status == "changed"
    # Moving within a section is shown by the row itself, not as a departure.
    assert section_diff(diff, "Aftermath").text.moved_out == ()


def test_rewritten_stretch_pairs_similar_paragraphs_and_adds_the_rest():
    old = ArticleContent(
        title="T",
        lead="Keep this.\n\nThe fort was attacked at dawn by forty men.\n\nKeep that.",
    )
    new = ArticleContent(
        title="T",
        lead=(
            "Keep this.\n\nA wholly different story about river trade in the region.\n\n"
            "The fort was attacked at dawn by fifty men.\n\nKeep that."
        ),
    )

    rows = diff_articles(old, new).lead.paragraphs

    assert [row.status for row in rows] == ["unchanged", "added", "changed", "unchanged"]
    assert [op for op in rows[2].ops if op.op != "equal"] == [WordOp("replace", "forty", "fifty")]


def test_unrelated_paragraphs_are_removed_and_added_not_paired():
    old = ArticleContent(title="T", lead="Alpha beta gamma delta epsilon.")
    new = ArticleContent(title="T", lead="Completely unrelated words here now.")

    rows = diff_articles(old, new).lead.paragraphs

    assert [(row.status, row.old, row.new) for row in rows] == [
        ("removed", "Alpha beta gamma delta epsilon.", None),
        ("added", None, "Completely unrelated words here now."),
    ]


def test_added_and_removed_keys_and_sections_keep_their_places(seed):
    infobox = [entry for entry in seed.infobox if entry.key != "Partof"]
    infobox.insert(4, InfoboxEntry("Combatant1", "Niger"))
    sections = [section for section in seed.sections if section.heading != "Background"]
    sections.insert(2, SectionContent("Reactions", "Niger declared three days of mourning."))
    edited = dataclasses.replace(seed, infobox=tuple(infobox), sections=tuple(sections))

    diff = diff_articles(seed, edited)

    assert [(row.key, row.status) for row in diff.infobox] == [
        ("Conflict", "unchanged"),
        ("Place", "unchanged"),
        ("Date", "unchanged"),
        ("Partof", "removed"),
        ("Result", "unchanged"),
        ("Combatant1", "added"),
        ("Combatant2", "unchanged"),
        ("Casualties1", "unchanged"),
        ("Casualties2", "unchanged"),
    ]
    removed_key = diff.infobox[3]
    assert (removed_key.old, removed_key.new) == ("Jihadist insurgency in Niger", None)
    assert [(section.heading, section.status) for section in diff.sections] == [
        ("Background", "removed"),
        ("Attack", "unchanged"),
        ("Aftermath", "unchanged"),
        ("Reactions", "added"),
        ("See also", "unchanged"),
    ]
    removed = section_diff(diff, "Background").text.paragraphs
    assert [row.status for row in removed] == ["removed", "removed"]
    assert [row.old for row in removed] == paragraphs_of(seed, "Background")
    added = section_diff(diff, "Reactions").text.paragraphs
    assert [(row.status, row.new) for row in added] == [
        ("added", "Niger declared three days of mourning.")
    ]
    summary = summarise(diff)
    assert (summary.infobox_added, summary.infobox_removed) == (1, 1)
    assert (summary.sections_added, summary.sections_removed) == (1, 1)
    assert (summary.paragraphs_added, summary.paragraphs_removed) == (1, 2)
    assert diff.size_change == len(textformat.write(edited)) - len(textformat.write(seed))


def test_changed_value_of_a_key_that_also_moved_is_shown_at_its_new_place():
    old = ArticleContent(title="T", infobox=(InfoboxEntry("A", "1"), InfoboxEntry("B", "2")))
    new = ArticleContent(title="T", infobox=(InfoboxEntry("B", "3"), InfoboxEntry("A", "1")))

    rows = diff_articles(old, new).infobox

    assert [(row.key, row.status) for row in rows] == [("B", "changed"), ("A", "unchanged")]


def test_new_article_is_all_added(seed):
    diff = diff_articles(None, seed)

    assert diff.has_changes
    assert (diff.title.old, diff.title.new) == (None, "2017 Ayorou attack")
    assert {row.status for row in diff.infobox} == {"added"}
    assert [row.key for row in diff.infobox] == [entry.key for entry in seed.infobox]
    assert {section.status for section in diff.sections} == {"added"}
    assert set(statuses(diff)) == {"added"}
    assert statuses(diff)["added"] == 7  # the lead, 2 + 1 + 2 + 1 in the sections
    assert diff.size_change == len(SEED_PATH.read_text(encoding="utf-8")) == size_change(None, seed)


def test_title_change_is_a_word_diff(seed):
    renamed = dataclasses.replace(seed, title="2017 Ayorou raid")

    diff = diff_articles(seed, renamed)

    assert (diff.title.old, diff.title.new) == ("2017 Ayorou attack", "2017 Ayorou raid")
    assert tagged(new_html(diff.title), "ins") == ["raid"]
    assert diff.size_change == len("raid") - len("attack")


# --- escaping ------------------------------------------------------------

@pytest.mark.parametrize("payload", HOSTILE_TEXTS)
def test_hostile_input_is_escaped_everywhere(seed, payload):
    edited = with_infobox_value(seed, "Result", f"ISGS victory {payload}")
    edited = with_infobox_value(edited, "Place", payload)
    edited = dataclasses.replace(edited, title=f"2017 {payload}", lead=seed.lead + f" {payload}")
    edited = with_body(edited, "Attack", seed.section("Attack").body + f"\n\n{payload} added")
    edited = dataclasses.replace(
        edited, infobox=edited.infobox + (InfoboxEntry("Notes", payload),)
    )

    for diff in (diff_articles(seed, edited), diff_articles(edited, seed), diff_articles(None, edited)):
        fields = [diff.title] if diff.title else []
        fields += list(diff.infobox) + list(all_rows(diff))
        for item in fields:
            for side in ("old", "new"):
                html = {"old": old_html, "new": new_html}[side](item)
                assert type(html).__name__ == "SafeString"
                assert_only_diff_markup(html, getattr(item, side) or "")
                assert "<script" not in html and "<img" not in html


@pytest.mark.parametrize("payload", HOSTILE_TEXTS)
def test_render_word_ops_escapes_every_op_kind(payload):
    ops = (
        WordOp("equal", payload, payload),
        WordOp("replace", payload, payload + "!"),
        WordOp("delete", payload, ""),
        WordOp("insert", "", payload),
    )

    old_side, new_side = render_word_ops(ops, "old"), render_word_ops(ops, "new")

    assert_only_diff_markup(old_side, payload * 3)
    assert_only_diff_markup(new_side, payload * 2 + "!" + payload)
    assert tagged(old_side, "del") == [escape(payload)] * 2
    assert tagged(new_side, "ins") == [escape(payload + "!"), escape(payload)]


def test_render_word_ops_rejects_an_unknown_side():
    with pytest.raises(ValueError):
        render_word_ops((), "left")


# --- word ops ------------------------------------------------------------


def test_single_word_change_is_a_single_replace():
    assert word_ops("13 killed", "14 killed") == (
        WordOp("replace", "13", "14"),
        WordOp("equal", " killed", " killed"),
    )


def test_edits_separated_by_a_space_read_as_one():
    ops = word_ops("three vehicles captured", "two trucks captured")

    assert ops[0] == WordOp("replace", "three vehicles", "two trucks")


def test_tokens_keep_punctuation_and_whitespace():
    text = "Tillabéri Region, Niger.\n- Tongo  Tongo"

    assert tokenize(text) == [
        "Tillabéri", " ", "Region", ",", " ", "Niger", ".", "\n", "-", " ", "Tongo", "  ", "Tongo"
    ]
    assert "".join(tokenize(text)) == text


def joined(ops, side):
    return "".join(op.old_text if side == "old" else op.new_text for op in ops)


def assert_well_formed(ops, old, new):
    assert joined(ops, "old") == old
    assert joined(ops, "new") == new
    for op in ops:
        assert op.op in {"equal", "insert", "delete", "replace"}
        if op.op == "equal":
            assert op.old_text == op.new_text
        if op.op == "insert":
            assert op.old_text == "" and op.new_text
        if op.op == "delete":
            assert op.new_text == "" and op.old_text
        if op.op == "replace":
            assert op.old_text and op.new_text


_prose = st.text(
    alphabet=st.sampled_from(list("abc XYZ13,.;-'\"<>&é\n\t")) | st.characters(), max_size=80
)


@settings(max_examples=300, deadline=None)
@given(old=_prose, new=_prose)
def test_word_ops_give_back_both_texts(old, new):
    assert_well_formed(word_ops(old, new), old, new)


_mutations = st.sampled_from(["replace", "insert", "delete", "swap", "punctuate"])


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_word_ops_over_mutations_of_the_seed(seed, data):
    paragraph = data.draw(st.sampled_from(list(split_paragraphs(textformat.write(seed)))))
    tokens = tokenize(paragraph)
    for mutation in data.draw(st.lists(_mutations, min_size=1, max_size=4)):
        position = data.draw(st.integers(0, max(len(tokens) - 1, 0)))
        word = data.draw(st.sampled_from(["fourteen", "<b>", "Niger", " ", ","]))
        if mutation == "replace" and tokens:
            tokens[position] = word
        elif mutation == "insert":
            tokens.insert(position, word)
        elif mutation == "delete" and tokens:
            del tokens[position]
        elif mutation == "swap" and len(tokens) > 1:
            tokens[position], tokens[position - 1] = tokens[position - 1], tokens[position]
        elif mutation == "punctuate":
            tokens.append(".")
    mutated = "".join(tokens)

    ops = word_ops(paragraph, mutated)

    assert_well_formed(ops, paragraph, mutated)
    if mutated == paragraph:
        assert {op.op for op in ops} <= {"equal"}


# --- every paragraph accounted for -----------------------------------------

_words = st.sampled_from(["fort", "river", "dawn", "Niger", "13", "killed", "<i>", "and"])
_paragraph = st.lists(_words, min_size=1, max_size=8).map(" ".join)
_body = st.lists(_paragraph, max_size=4)
_sections = st.dictionaries(st.sampled_from(["Background", "Attack", "Aftermath", "lead "]), _body)


def _article(lead: list[str], sections: dict[str, list[str]]) -> ArticleContent:
    return ArticleContent(
        title="T",
        lead="\n\n".join(lead),
        sections=tuple(SectionContent(h, "\n\n".join(body)) for h, body in sections.items()),
    )


@settings(max_examples=200, deadline=None)
@given(old_lead=_body, old_sections=_sections, new_lead=_body, new_sections=_sections)
def test_every_paragraph_appears_once_on_each_side(old_lead, old_sections, new_lead, new_sections):
    old, new = _article(old_lead, old_sections), _article(new_lead, new_sections)

    diff = diff_articles(old, new)

    # Each place shows its new paragraphs in order...
    assert [row.new for row in diff.lead.paragraphs if row.new is not None] == new_lead
    for section in diff.sections:
        shown = [row.new for row in section.text.paragraphs if row.new is not None]
        assert shown == new_sections.get(section.heading, [])
    # ...and every old paragraph turns up exactly once, wherever it went.
    old_shown = [row.old for row in all_rows(diff) if row.old is not None]
    all_old = old_lead + [p for body in old_sections.values() for p in body]
    assert Counter(old_shown) == Counter(all_old)
    for row in all_rows(diff):
        if row.status == "changed" or (row.status == "moved" and row.old != row.new):
            assert_well_formed(row.ops, row.old, row.new)
    assert diff.has_changes == (old != new)
    assert diff.size_change == len(textformat.write(new)) - len(textformat.write(old))

"""The three-way merge of article contents (encyclopedia.merge), unit by unit.

Examples on the seed article for each unit kind, then properties over
generated articles and edits: a side left as the base yields the other
side; edits of different units commute; a conflict shows both sides' text.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent
from encyclopedia.diff.prose import split_paragraphs
from encyclopedia.merge import Conflict, ResolutionError, merge, resolve


# Helpers that edit a copy of an ArticleContent -----------------------------------------------------


def with_value(content: ArticleContent, key: str, value: str | None) -> ArticleContent:
    rows = [InfoboxEntry(entry.key, value if entry.key == key else entry.value) for entry in content.infobox]
    return replace(content, infobox=tuple(row for row in rows if row.value is not None))


def with_row_after(content: ArticleContent, after: str, key: str, value: str) -> ArticleContent:
    rows = list(content.infobox)
    index = [entry.key for entry in rows].index(after) + 1
    return replace(content, infobox=tuple(rows[:index] + [InfoboxEntry(key, value)] + rows[index:]))


def with_section(content: ArticleContent, name: str, **changes) -> ArticleContent:
    return replace(
        content,
        sections=tuple(
            replace(section, **changes) if section.heading == name else section for section in content.sections
        ),
    )


def with_paragraph(content: ArticleContent, heading: str, index: int, text: str | None) -> ArticleContent:
    paragraphs = list(split_paragraphs(content.section(heading).body))
    if text is None:
        del paragraphs[index]
    else:
        paragraphs[index] = text
    return with_section(content, heading, body="\n\n".join(paragraphs))


def without_section(content: ArticleContent, heading: str) -> ArticleContent:
    return replace(content, sections=tuple(section for section in content.sections if section.heading != heading))


def with_section_after(content: ArticleContent, after: str, section: SectionContent) -> ArticleContent:
    sections = list(content.sections)
    index = [existing.heading for existing in sections].index(after) + 1
    return replace(content, sections=tuple(sections[:index] + [section] + sections[index:]))


def headings(content: ArticleContent) -> list[str]:
    return [section.heading for section in content.sections]


def keys(content: ArticleContent) -> list[str]:
    return [entry.key for entry in content.infobox]


def paragraphs_of(content: ArticleContent, heading: str) -> tuple[str, ...]:
    return split_paragraphs(content.section(heading).body)


# The title ------------------------------------------------------------------------------------------


def test_a_title_changed_on_one_side_is_taken(seed_content):
    ours = replace(seed_content, title="2017 Ayorou attack (Niger)")
    theirs = with_value(seed_content, "Date", "21 October 2017")
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert result.content.title == "2017 Ayorou attack (Niger)"
    assert result.content.infobox_value("Date") == "21 October 2017"


def test_titles_changed_differently_conflict_and_resolve_as_typed(seed_content):
    ours = replace(seed_content, title="Ayorou attack")
    theirs = replace(seed_content, title="Attack on Ayorou")
    result = merge(seed_content, ours, theirs)
    assert result.content is None
    assert result.conflicts == (Conflict("title", "Title", "2017 Ayorou attack", "Ayorou attack", "Attack on Ayorou"),)
    assert resolve(seed_content, ours, theirs, {"title": " October 2017 attack on Ayorou "}).title == (
        "October 2017 attack on Ayorou"
    )


def test_the_same_change_on_both_sides_is_no_conflict(seed_content):
    ours = replace(with_value(seed_content, "Casualties1", "13 killed"), title="Ayorou attack")
    theirs = replace(with_value(seed_content, "Casualties1", "13 killed"), title="Ayorou attack")
    assert merge(seed_content, ours, theirs).content == ours


# The infobox ----------------------------------------------------------------------------------------


def test_infobox_keys_changed_on_different_sides_both_land(seed_content):
    ours = with_value(seed_content, "Casualties1", "13 killed, 5 wounded")
    theirs = with_value(seed_content, "Casualties2", "at least 3 killed")
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert result.content.infobox_value("Casualties1") == "13 killed, 5 wounded"
    assert result.content.infobox_value("Casualties2") == "at least 3 killed"
    assert keys(result.content) == keys(seed_content)


def test_one_infobox_key_changed_differently_conflicts_under_its_human_label(seed_content):
    ours = with_value(seed_content, "Casualties1", "13 killed, 5 wounded")
    theirs = with_value(seed_content, "Casualties1", "14 killed, 5 wounded")
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert conflict == Conflict(
        "infobox/Casualties1",
        "Infobox: Casualties 1",
        "13 killed, 5 injured, 3 vehicles captured",
        "13 killed, 5 wounded",
        "14 killed, 5 wounded",
    )
    merged = resolve(seed_content, ours, theirs, {"infobox/Casualties1": "13 or 14 killed, 5 wounded"})
    assert merged.infobox_value("Casualties1") == "13 or 14 killed, 5 wounded"


def test_a_key_removed_on_one_side_and_changed_on_the_other_conflicts(seed_content):
    ours = with_value(seed_content, "Partof", None)
    theirs = with_value(seed_content, "Partof", "Islamist insurgency in the Sahel")
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert (conflict.label, conflict.ours, conflict.theirs) == (
        "Infobox: Part of", None, "Islamist insurgency in the Sahel",
    )
    removed = resolve(seed_content, ours, theirs, {"infobox/Partof": None})
    assert removed.infobox_value("Partof") is None
    # A row kept by the editor stands where the published version has it.
    kept = resolve(seed_content, ours, theirs, {"infobox/Partof": "Islamist insurgency in the Sahel"})
    assert keys(kept) == keys(seed_content)


def test_rows_added_at_one_place_on_both_sides_keep_the_published_first(seed_content):
    ours = with_row_after(seed_content, "Combatant2", "Strength2", "50")
    theirs = with_row_after(seed_content, "Combatant2", "Combatant1", "Niger")
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert keys(result.content)[5:8] == ["Combatant2", "Combatant1", "Strength2"]


def test_a_row_moved_on_one_side_keeps_the_value_changed_on_the_other(seed_content):
    rows = list(seed_content.infobox)
    ours = replace(seed_content, infobox=tuple([rows[0], rows[3], *rows[1:3], *rows[4:]]))  # "Part of" second
    theirs = with_value(seed_content, "Partof", "Insurgency in the Maghreb")
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert keys(result.content) == [
        "Conflict", "Partof", "Place", "Date", "Result", "Combatant2", "Casualties1", "Casualties2",
    ]
    assert result.content.infobox_value("Partof") == "Insurgency in the Maghreb"


def test_a_row_moved_differently_on_both_sides_stays_where_it_is_published(seed_content):
    rows = list(seed_content.infobox)
    ours = replace(seed_content, infobox=tuple([rows[3], *rows[:3], *rows[4:]]))
    theirs = replace(seed_content, infobox=tuple([*rows[:3], *rows[4:], rows[3]]))
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert keys(result.content) == keys(theirs)


# The lead -------------------------------------------------------------------------------------------


def test_the_lead_changed_differently_conflicts_as_one_unit(seed_content):
    ours = replace(seed_content, lead=seed_content.lead.replace("killing 13", "killing thirteen"))
    theirs = replace(seed_content, lead=seed_content.lead.replace("weeks", "two weeks"))
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert (conflict.unit, conflict.label) == ("lead/0-1", "Lead")
    assert (conflict.base, conflict.ours, conflict.theirs) == (seed_content.lead, ours.lead, theirs.lead)
    typed = "A new lead.\n\nIn two paragraphs."
    assert resolve(seed_content, ours, theirs, {"lead/0-1": typed}).lead == typed


def test_a_paragraph_added_to_the_lead_joins_an_edit_of_its_first(seed_content):
    ours = replace(seed_content, lead=seed_content.lead + "\n\nA second paragraph.")
    theirs = replace(seed_content, lead=seed_content.lead.replace("weeks", "two weeks"))
    assert merge(seed_content, ours, theirs).content.lead == theirs.lead + "\n\nA second paragraph."


# Section bodies, paragraph by paragraph ---------------------------------------------------------------


def test_adjacent_paragraphs_changed_on_different_sides_merge(seed_content):
    # diff3 (and the merge3 package) takes these for one conflict: no unchanged line parts them.
    first, second = paragraphs_of(seed_content, "Background")
    ours = with_paragraph(seed_content, "Background", 0, first.replace("four kilometers", "4 km"))
    theirs = with_paragraph(seed_content, "Background", 1, second.replace("were killed", "were killed (4 and 4)"))
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert paragraphs_of(result.content, "Background") == (
        paragraphs_of(ours, "Background")[0], paragraphs_of(theirs, "Background")[1],
    )


def test_a_rewritten_paragraph_is_told_from_a_removed_neighbour_by_likeness(seed_content):
    # The proposal rewrites the first paragraph and drops the second; the published version
    # added one between them. Paired by likeness, the rewrite stays before the addition.
    first = paragraphs_of(seed_content, "Aftermath")[0]
    rewritten = first.replace("Thirteen gendarmes were killed", "Thirteen gendarmes died")
    ours = with_section(seed_content, "Aftermath", body=rewritten)
    added = "Niger declared three days of national mourning."
    second = paragraphs_of(seed_content, "Aftermath")[1]
    theirs = with_section(seed_content, "Aftermath", body="\n\n".join([first, added, second]))
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert paragraphs_of(result.content, "Aftermath") == (rewritten, added)


def test_one_paragraph_changed_differently_conflicts_alone(seed_content):
    first, second = paragraphs_of(seed_content, "Aftermath")
    ours = with_paragraph(seed_content, "Aftermath", 1, second.replace("strongly condemned", "condemned"))
    ours = with_paragraph(ours, "Aftermath", 0, first.replace("Thirteen", "13"))
    theirs = with_paragraph(seed_content, "Aftermath", 1, second.replace("U.S. embassy", "US embassy"))
    result = merge(seed_content, ours, theirs)
    [conflict] = result.conflicts
    assert conflict.unit == "section/Aftermath/body/1-2"
    assert conflict.label == "Section: Aftermath, paragraph 2"
    assert (conflict.base, conflict.ours, conflict.theirs) == (
        second, paragraphs_of(ours, "Aftermath")[1], paragraphs_of(theirs, "Aftermath")[1],
    )
    merged = resolve(seed_content, ours, theirs, {conflict.unit: "Both embassies condemned it."})
    assert paragraphs_of(merged, "Aftermath") == (paragraphs_of(ours, "Aftermath")[0], "Both embassies condemned it.")


def test_a_paragraph_removed_on_one_side_and_changed_on_the_other_conflicts(seed_content):
    second = paragraphs_of(seed_content, "Background")[1]
    ours = with_paragraph(seed_content, "Background", 1, None)
    theirs = with_paragraph(seed_content, "Background", 1, second + " Four Americans died.")
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert (conflict.label, conflict.ours, conflict.theirs) == (
        "Section: Background, paragraph 2", "", paragraphs_of(theirs, "Background")[1],
    )
    # Resolved with nothing, the stretch is gone.
    assert paragraphs_of(resolve(seed_content, ours, theirs, {conflict.unit: ""}), "Background") == (
        paragraphs_of(seed_content, "Background")[0],
    )


def test_items_added_to_a_list_on_both_sides_are_all_kept_the_published_first(seed_content):
    ours = with_section(seed_content, "See also", body="- Tongo Tongo ambush\n- Inates attack")
    theirs = with_section(seed_content, "See also", body="- Tongo Tongo ambush\n- Tillabéri Region\n- Inates attack")
    result = merge(seed_content, ours, theirs)
    assert result.content.section("See also").list_items == ("Tongo Tongo ambush", "Tillabéri Region", "Inates attack")


def test_one_list_item_changed_differently_conflicts_as_the_whole_list(seed_content):
    ours = with_section(seed_content, "See also", body="- Tongo Tongo ambush (2017)")
    theirs = with_section(seed_content, "See also", body="- Ambush of Tongo Tongo")
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert (conflict.label, conflict.ours, conflict.theirs) == (
        "Section: See also, paragraph 1", "- Tongo Tongo ambush (2017)", "- Ambush of Tongo Tongo",
    )


# Sections: presence, headings, renames, places ---------------------------------------------------------


def test_a_section_renamed_on_one_side_takes_the_body_edited_on_the_other(seed_content):
    first = paragraphs_of(seed_content, "Aftermath")[0]
    ours = with_section(seed_content, "Aftermath", heading="Consequences")
    theirs = with_paragraph(seed_content, "Aftermath", 0, first.replace("Thirteen", "13"))
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert headings(result.content) == ["Background", "Attack", "Consequences", "See also"]
    assert result.content.section("Consequences").body == theirs.section("Aftermath").body


def test_a_section_renamed_and_edited_is_still_known_by_most_of_its_body(seed_content):
    first, second = paragraphs_of(seed_content, "Aftermath")
    ours = with_paragraph(seed_content, "Aftermath", 0, first.replace("Thirteen", "13"))
    ours = with_section(ours, "Aftermath", heading="Consequences")
    theirs = with_paragraph(seed_content, "Aftermath", 1, second.replace("U.S.", "US"))
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert paragraphs_of(result.content, "Consequences") == (
        paragraphs_of(ours, "Consequences")[0], paragraphs_of(theirs, "Aftermath")[1],
    )


def test_a_paragraph_conflict_in_a_renamed_section_keeps_its_unit_and_names_both_headings(seed_content):
    second = paragraphs_of(seed_content, "Aftermath")[1]
    ours = with_paragraph(seed_content, "Aftermath", 1, second.replace("strongly condemned", "condemned"))
    ours = with_section(ours, "Aftermath", heading="Reactions / aftermath")
    theirs = with_paragraph(seed_content, "Aftermath", 1, second.replace("U.S. embassy", "US embassy"))
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert (conflict.unit, conflict.label) == (
        "section/Aftermath/body/1-2", "Section: Aftermath (now Reactions / aftermath), paragraph 2",
    )
    # A '/' in a heading is quoted in a unit, which '/' divides.
    theirs = with_section(seed_content, "Aftermath", heading="Aftermath / reactions")
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert conflict.unit == "section/Aftermath/heading"
    renamed = with_section(seed_content, "Aftermath", heading="Toll / reactions")
    ours = with_section(renamed, "Toll / reactions", body="A new body.")
    theirs = with_section(renamed, "Toll / reactions", body="Another body.")
    [conflict] = merge(renamed, ours, theirs).conflicts
    assert conflict.unit == "section/Toll %2F reactions/body/0-2"


def test_a_section_renamed_differently_on_both_sides_conflicts_on_its_heading(seed_content):
    ours = with_section(seed_content, "Aftermath", heading="Consequences")
    theirs = with_section(seed_content, "Aftermath", heading="Reactions")
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert conflict == Conflict(
        "section/Aftermath/heading", "Section: Aftermath, heading", "Aftermath", "Consequences", "Reactions"
    )
    merged = resolve(seed_content, ours, theirs, {conflict.unit: "Aftermath and reactions"})
    assert headings(merged)[2] == "Aftermath and reactions"
    assert merged.sections[2].body == seed_content.sections[2].body


def test_a_section_removed_on_one_side_and_changed_on_the_other_conflicts_whole(seed_content):
    ours = with_section(seed_content, "See also", body="- Tongo Tongo ambush\n- Inates attack")
    theirs = without_section(seed_content, "See also")
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert conflict == Conflict(
        "section/See also",
        "Section: See also",
        "== See also ==\n- Tongo Tongo ambush",
        "== See also ==\n- Tongo Tongo ambush\n- Inates attack",
        None,
    )
    assert headings(resolve(seed_content, ours, theirs, {conflict.unit: None})) == ["Background", "Attack", "Aftermath"]
    kept = resolve(seed_content, ours, theirs, {conflict.unit: "== Related ==\n- Inates attack"})
    assert kept.sections[-1] == replace(ours.sections[-1], heading="Related", body="- Inates attack")
    with pytest.raises(ResolutionError) as refused:
        resolve(seed_content, ours, theirs, {conflict.unit: "== Attack ==\n- Inates attack"})
    assert refused.value.units == ("section/See also",)


def test_a_heading_given_to_two_sections_conflicts_on_the_proposals(seed_content):
    ours = with_section(seed_content, "Aftermath", heading="Reactions")
    theirs = with_section_after(seed_content, "Aftermath", SectionContent("Reactions", "Mali condemned the attack."))
    [conflict] = merge(seed_content, ours, theirs).conflicts
    assert (conflict.unit, conflict.base, conflict.ours, conflict.theirs) == (
        "section/Aftermath/heading", "Aftermath", "Reactions", "Aftermath",
    )
    assert "another section is headed 'Reactions'" in conflict.label
    merged = resolve(seed_content, ours, theirs, {conflict.unit: "Casualties"})
    assert headings(merged) == ["Background", "Attack", "Casualties", "Reactions", "See also"]
    with pytest.raises(ResolutionError) as refused:
        resolve(seed_content, ours, theirs, {conflict.unit: "Reactions"})
    assert refused.value.units == ("section/Aftermath/heading",)


def test_sections_added_on_both_sides_stand_in_the_published_order_then_the_proposals(seed_content):
    ours = with_section_after(seed_content, "Attack", SectionContent("Investigation", "An inquiry opened."))
    theirs = with_section_after(seed_content, "Attack", SectionContent("Victims", "The gendarmes were named."))
    theirs = without_section(theirs, "Background")
    result = merge(seed_content, ours, theirs)
    assert result.clean
    assert headings(result.content) == ["Attack", "Victims", "Investigation", "Aftermath", "See also"]


def test_a_section_moved_on_one_side_is_moved_in_the_merge(seed_content):
    sections = seed_content.sections
    ours = replace(seed_content, sections=(sections[1], sections[0], *sections[2:]))
    theirs = with_paragraph(seed_content, "Background", 1, "Four Americans and four Nigeriens died at Tongo Tongo.")
    result = merge(seed_content, ours, theirs)
    assert headings(result.content) == ["Attack", "Background", "Aftermath", "See also"]
    assert result.content.section("Background") == theirs.section("Background")


# Resolutions -----------------------------------------------------------------------------------------


def test_a_resolution_must_settle_every_conflict_and_name_no_other_unit(seed_content):
    ours = with_value(replace(seed_content, title="Ayorou attack"), "Date", "21 October 2017")
    theirs = with_value(replace(seed_content, title="Attack on Ayorou"), "Date", "21–22 October 2017")
    ours = with_section(replace(ours, lead="A rewritten lead."), "Background", heading="Context")
    theirs = with_section(replace(theirs, lead="Another lead."), "Background", heading="Prelude")
    # In the order the article reads.
    assert [conflict.unit for conflict in merge(seed_content, ours, theirs).conflicts] == [
        "title", "infobox/Date", "lead/0-1", "section/Background/heading",
    ]
    ours, theirs = replace(ours, lead=seed_content.lead, sections=seed_content.sections), replace(
        theirs, lead=seed_content.lead, sections=seed_content.sections
    )
    with pytest.raises(ResolutionError) as missing:
        resolve(seed_content, ours, theirs, {"title": "Ayorou attack"})
    assert missing.value.units == ("infobox/Date",)
    with pytest.raises(ResolutionError) as unknown:
        resolve(seed_content, ours, theirs, {"title": "Ayorou", "infobox/Date": "21 October 2017", "lead/0-1": "x"})
    assert unknown.value.units == ("lead/0-1",)
    for title in ("  ", "Ayorou\nattack"):
        with pytest.raises(ResolutionError) as refused:
            resolve(seed_content, ours, theirs, {"title": title, "infobox/Date": "21 October 2017"})
        assert refused.value.units == ("title",)


@pytest.mark.django_db
def test_a_merge_reads_nothing_from_the_database(seed_content, django_assert_num_queries):
    ours = with_section(seed_content, "See also", body="- Tongo Tongo ambush\n- Inates attack")
    theirs = with_value(seed_content, "Casualties1", "13 killed")
    with django_assert_num_queries(0):
        assert merge(seed_content, ours, theirs).clean


# Properties over generated articles and edits ----------------------------------------------------------

KEYS = ["Conflict", "Place", "Date", "Partof", "Result", "Combatant1", "Combatant2", "Casualties1", "Casualties2"]
HEADINGS = ["Background", "Attack", "Aftermath", "Reactions", "See also"]
WORDS = ["militants", "attacked", "the", "post", "gendarmes", "killed", "Ayorou", "13", "five", "Niger"]


@dataclass
class Draft:
    """A mutable article: what the generated edits change."""

    title: str
    infobox: list[list[str]]
    lead: list[str]
    sections: list[tuple[str, list[str]]]
    counter: list[int] = field(default_factory=lambda: [0])

    def content(self) -> ArticleContent:
        return ArticleContent(
            title=self.title,
            lead="\n\n".join(self.lead),
            infobox=tuple(InfoboxEntry(key, value) for key, value in self.infobox),
            sections=tuple(SectionContent(heading, "\n\n".join(body)) for heading, body in self.sections),
        )

    def fresh(self, prefix: str) -> str:
        # Texts written by the edits are unique, so that no edit makes a paragraph the base already has.
        self.counter[0] += 1
        return f"{prefix} {self.counter[0]}"


@st.composite
def paragraphs(draw, tag: str, size: int) -> list[str]:
    words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
    return [f"{text} ({tag}.{number})" for number, text in enumerate(draw(st.lists(words, max_size=size)))]


@st.composite
def drafts(draw) -> Draft:
    keys = draw(st.permutations(KEYS))[: draw(st.integers(0, len(KEYS)))]
    headings = draw(st.permutations(HEADINGS))[: draw(st.integers(0, len(HEADINGS)))]
    return Draft(
        title=draw(st.sampled_from(["Ayorou attack", "2017 Ayorou attack"])),
        infobox=[[key, draw(st.sampled_from(WORDS)) + f" ({key})"] for key in keys],
        lead=draw(paragraphs("lead", 2)),
        sections=[(heading, draw(paragraphs(heading, 3))) for heading in headings],
    )


# One edit: its kind, and two numbers that pick where (taken modulo what there is).
edit_lists = st.lists(
    st.tuples(
        st.sampled_from([
            "title", "value", "remove key", "add key", "move key", "edit lead", "remove lead", "add lead",
            "rename", "remove section", "add section", "move section", "edit body", "remove body", "add body",
        ]),
        st.integers(0, 40),
        st.integers(0, 40),
        st.booleans(),
    ),
    max_size=6,
)


def edited(base: Draft, edits, side: str) -> ArticleContent:
    """base after the edits; `shared` edits write texts both sides may write alike."""
    draft = copy.deepcopy(base)
    for kind, where, to, shared in edits:
        def text(prefix: str) -> str:
            return f"{prefix} shared {where % 3}" if shared else draft.fresh(f"{prefix} by {side}")

        rows, lead, sections = draft.infobox, draft.lead, draft.sections
        if kind == "title":
            draft.title = text("Title")
        elif kind == "add key":
            rows.insert(to % (len(rows) + 1), [text("New").replace(" ", "_"), text("value")])
            if len({row[0] for row in rows}) < len(rows):
                del rows[to % len(rows)]
        elif rows and kind in ("value", "remove key", "move key"):
            index = where % len(rows)
            if kind == "value":
                rows[index][1] = text("value")
            elif kind == "remove key":
                del rows[index]
            else:
                rows.insert(to % len(rows), rows.pop(index))
        elif kind == "add lead":
            lead.insert(to % (len(lead) + 1), text("Lead paragraph"))
        elif lead and kind in ("edit lead", "remove lead"):
            if kind == "edit lead":
                lead[where % len(lead)] = text("Lead paragraph")
            else:
                del lead[where % len(lead)]
        elif kind == "add section":
            heading = text("Section")
            if heading not in [existing for existing, _ in sections]:
                sections.insert(to % (len(sections) + 1), (heading, [text("Body")]))
        elif sections and kind in ("rename", "remove section", "move section"):
            index = where % len(sections)
            if kind == "rename":
                heading = text("Renamed")
                if heading not in [existing for existing, _ in sections]:
                    sections[index] = (heading, sections[index][1])
            elif kind == "remove section":
                del sections[index]
            else:
                sections.insert(to % len(sections), sections.pop(index))
        elif sections and kind in ("edit body", "remove body", "add body"):
            body = sections[where % len(sections)][1]
            if kind == "add body":
                body.insert(to % (len(body) + 1), text("Paragraph"))
            elif body and kind == "edit body":
                body[to % len(body)] = text("Paragraph")
            elif body:
                del body[to % len(body)]
    return draft.content()


@st.composite
def article_and_edits(draw) -> tuple[ArticleContent, ArticleContent, ArticleContent]:
    base = draw(drafts())
    return base.content(), edited(base, draw(edit_lists), "a"), edited(base, draw(edit_lists), "b")


def assembled(items: list, point_owners: list, changes: list, insert) -> dict[str, list]:
    """Each side's version of a list: its items as changed by their owner, and insertions at owned places.

    changes[i] is (owner, the item as its owner leaves it, None if removed);
    point_owners[p] owns the place before items[p] (the last, after all).
    A side inserts nowhere next to an item it removes: that removal and
    insertion would be one edit of one stretch, a change of the item.
    """
    versions: dict[str, list] = {"a": [], "b": []}
    for position in range(len(items) + 1):
        owner = point_owners[position]
        beside = [changes[index] for index in (position - 1, position) if 0 <= index < len(items)]
        if owner and not any(change == (owner, None) for change in beside):
            versions[owner].append(insert(owner))
        if position == len(items):
            break
        changer, changed = changes[position]
        for side, version in versions.items():
            item = changed if changer == side else items[position]
            if item is not None:
                version.append(item)
    return versions


@st.composite
def article_and_disjoint_edits(draw) -> tuple[ArticleContent, ArticleContent, ArticleContent]:
    """A base and two versions that change different units of it (each unit is drawn an owner).

    A place between rows, paragraphs or sections is a unit of its own: an
    insertion there does not overlap a change of either neighbour.
    """
    base = draw(drafts())
    versions = {side: copy.deepcopy(base) for side in "ab"}

    def new_text(side: str, prefix: str) -> str:
        return versions[side].fresh(f"{prefix} by {side}")

    def owners(count: int, allowed=(None, "a", "b")) -> list:
        return [draw(st.sampled_from(allowed)) for _ in range(count)]

    def changes(items: list, change, allowed=(None, "a", "b")) -> list:
        return [
            (owner, change(owner, item) if owner else item) for owner, item in zip(owners(len(items), allowed), items)
        ]

    def change_row(side, row):
        return None if draw(st.booleans()) else [row[0], new_text(side, "value")]

    def change_paragraph(side, paragraph):
        # A rewritten paragraph is like the one it rewrites, as an edit is.
        return None if draw(st.booleans()) else f"{paragraph} {new_text(side, 'edit').replace(' ', '_')}"

    def new_row(side):
        return [new_text(side, "New").replace(" ", "_"), "x"]

    rows = assembled(base.infobox, owners(len(base.infobox) + 1), changes(base.infobox, change_row), new_row)
    lead = assembled(
        base.lead, owners(len(base.lead) + 1), changes(base.lead, change_paragraph), lambda side: new_text(side, "Lead")
    )
    title_owner = draw(st.sampled_from([None, "a", "b"]))

    # A section's own unit (its heading, or its presence) is drawn first: a section removed by
    # one side has no body edits, one renamed has body edits by the other side only (the
    # renamed section is known by its body).
    section_changes, bodies = [], []
    for heading, body in base.sections:
        owner = draw(st.sampled_from([None, "a", "b"]))
        if owner and (draw(st.booleans()) or not body):
            section_changes.append((owner, None))
            bodies.append({"a": body, "b": body})
            continue
        renamed = new_text(owner, f"{heading} renamed") if owner else heading
        allowed = (None, "a", "b") if owner is None else (None, "ab".replace(owner, ""))
        bodies.append(
            assembled(
                body, owners(len(body) + 1, allowed), changes(body, change_paragraph, allowed),
                lambda side: new_text(side, "Paragraph"),
            )
        )
        section_changes.append((owner, renamed))
    numbered = list(range(len(base.sections)))
    placed = assembled(
        numbered,
        owners(len(numbered) + 1),
        [(owner, None if changed is None else index) for index, (owner, changed) in zip(numbered, section_changes)],
        lambda side: ("new", new_text(side, "Section"), [new_text(side, "Body")]),
    )

    contents = []
    for side in "ab":
        version = versions[side]
        sections = []
        for item in placed[side]:
            if isinstance(item, tuple):
                sections.append((item[1], item[2]))
            else:
                owner, renamed = section_changes[item]
                sections.append((renamed if owner == side else base.sections[item][0], bodies[item][side]))
        version.title = f"Title by {side}" if title_owner == side else base.title
        version.infobox, version.lead, version.sections = rows[side], lead[side], sections
        contents.append(version.content())
    return base.content(), contents[0], contents[1]


PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(article_and_edits())
def test_a_proposal_onto_an_unchanged_base_is_the_proposal(versions):
    base, ours, _ = versions
    assert merge(base, ours, base).content == ours


@PROPERTY_SETTINGS
@given(article_and_edits())
def test_a_proposal_left_as_the_base_gives_the_published_version(versions):
    base, _, theirs = versions
    assert merge(base, base, theirs).content == theirs


@PROPERTY_SETTINGS
@given(article_and_edits())
def test_the_same_version_on_both_sides_is_that_version(versions):
    base, ours, _ = versions
    assert merge(base, ours, ours).content == ours


@PROPERTY_SETTINGS
@given(article_and_disjoint_edits())
def test_edits_of_different_units_merge_cleanly_and_commute(versions):
    base, a, b = versions
    one_way, other_way = merge(base, a, b), merge(base, b, a)
    assert one_way.clean, one_way.conflicts
    assert one_way.content == other_way.content


def texts_of(content: ArticleContent) -> set[tuple[str, str]]:
    """The pieces of text an editor writes: the title, each row, each heading, each paragraph."""
    texts = {("title", content.title)}
    texts |= {("row", f"{entry.key}: {entry.value}") for entry in content.infobox}
    texts |= {("heading", section.heading) for section in content.sections}
    bodies = [content.lead] + [section.body for section in content.sections]
    texts |= {("paragraph", paragraph) for body in bodies for paragraph in split_paragraphs(body)}
    return texts


@PROPERTY_SETTINGS
@given(article_and_edits())
def test_what_either_side_wrote_is_merged_or_shown_in_a_conflict(versions):
    base, ours, theirs = versions
    result = merge(base, ours, theirs)
    for conflict in result.conflicts:
        assert conflict.ours != conflict.theirs
    # Settle every conflict for the published side; a heading the published side does not have
    # (the proposal's, given to another section there too) is typed anew.
    resolution = {
        conflict.unit: (
            f"{conflict.ours} (kept)"
            if conflict.theirs is None and conflict.unit.endswith("/heading")
            else conflict.theirs
        )
        for conflict in result.conflicts
    }
    merged = texts_of(resolve(base, ours, theirs, resolution)) if result.conflicts else texts_of(result.content)
    for side, version in (("ours", ours), ("theirs", theirs)):
        shown = [getattr(conflict, side) or "" for conflict in result.conflicts]
        for kind, text in texts_of(version) - texts_of(base):
            visible = text.partition(": ")[2] if kind == "row" else text
            assert (kind, text) in merged or any(visible in conflict for conflict in shown), (side, kind, text)

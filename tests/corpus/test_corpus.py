"""The labelled corpus as tests: every edit is judged as the checks judge it.

A bad edit must get an ERROR the edit introduced, from one of the rules its
`expect` names; a clean edit must get none. The corpus as a whole must be
big and varied enough to mean something, and the rules must meet the goal
of issue 9 on it: at least 97 % of bad edits caught, at most 3 % of clean
ones alarmed. A case marked `known_miss` is a strict xfail: it fails the run
when the rules start getting it right, so the mark is removed.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.corpus import (
    CORPUS_DIR,
    KINDS,
    LABELS,
    CorpusError,
    crash_of,
    describe,
    findings_of,
    gating_errors,
    judged_right,
    load_articles,
    load_corpus,
)

CASES = load_corpus()
ARTICLES = load_articles()
# Written blind, after the rules were tuned on CASES, to see how they do on
# text they were not fitted to (see heldout/README.md). Its cases are tests
# like the others; its known misses are marked, and the benchmark reports
# its figures apart.
HELDOUT = load_corpus(CORPUS_DIR / "heldout") + load_corpus(CORPUS_DIR / "heldout2")

CAUGHT_AT_LEAST = 0.97
FALSE_ALARMS_AT_MOST = 0.03


def _param(case):
    marks = [pytest.mark.xfail(strict=True, reason=case.known_miss)] if case.known_miss else []
    return pytest.param(case, id=case.id, marks=marks)


def _report(case, findings) -> str:
    return (
        f"{case.label} edit {case.id} of {case.article} ({', '.join(case.kinds)}); "
        f"summary {case.summary!r}\n  note: {case.note}\nfindings:\n{describe(findings)}"
    )


@pytest.mark.parametrize("case", [_param(case) for case in CASES + HELDOUT])
def test_case(case):
    findings = findings_of(case)
    errors = gating_errors(findings)
    if case.bad:
        assert errors, "not caught: no ERROR introduced by the edit\n" + _report(case, findings)
        assert any(finding.rule_id in case.expect for finding in errors), (
            f"caught, but not by the expected rules {', '.join(case.expect)}\n" + _report(case, findings)
        )
    else:
        assert not errors, "false alarm: an ERROR on a clean edit\n" + _report(case, findings)


@pytest.mark.parametrize("stem", sorted(ARTICLES))
def test_article_parses_and_has_edits(stem):
    # The loader already refuses an article that does not parse; this names each one in the run.
    article = ARTICLES[stem]
    assert article.content.title and article.content.infobox
    assert any(case.article == stem for case in CASES)


def test_corpus_is_big_and_varied():
    assert len(ARTICLES) >= 20, f"{len(ARTICLES)} articles; the corpus needs at least 20"
    assert len(CASES) >= 150, f"{len(CASES)} edits; the corpus needs at least 150"
    assert {case.label for case in CASES} == set(LABELS)
    unused = [kind for kind in KINDS if not any(kind in case.kinds for case in CASES)]
    assert not unused, f"kinds no edit uses: {', '.join(unused)}"


def test_the_held_out_slice_is_apart_and_varied():
    assert not {case.id for case in HELDOUT} & {case.id for case in CASES}
    assert len({case.id for case in HELDOUT}) == len(HELDOUT), "an id is used in both held-out slices"
    assert len(HELDOUT) >= 100 and {case.label for case in HELDOUT} == set(LABELS)


def test_the_rules_meet_the_goal():
    bad = [case for case in CASES if case.bad]
    clean = [case for case in CASES if not case.bad]
    # A crash counts as a misread: a bad case not caught, a clean case alarmed.
    missed = [case for case in bad if not judged_right(case)]
    alarmed = [case for case in clean if not judged_right(case)]
    caught = 1 - len(missed) / len(bad)
    false_alarms = len(alarmed) / len(clean)
    summary = (
        f"caught {len(bad) - len(missed)} of {len(bad)} bad edits ({caught:.1%}), "
        f"false alarms on {len(alarmed)} of {len(clean)} clean edits ({false_alarms:.1%})\n"
        f"missed: {', '.join(case.id for case in missed) or '-'}\n"
        f"alarmed: {', '.join(case.id for case in alarmed) or '-'}\n"
        f"crashed: {', '.join(case.id for case in CASES if crash_of(case)) or '-'}"
    )
    assert caught >= CAUGHT_AT_LEAST and false_alarms <= FALSE_ALARMS_AT_MOST, summary


# --- the loader refuses what is malformed, naming the file and the edit ---

_ARTICLE = textwrap.dedent(
    """\
    = 2031 Kelmora attack =

    Infobox
    - Conflict: 2031 Kelmora attack
    - Place: Kelmora, Niger
    - Date: March 3, 2031
    - Result: Militant victory
    - Casualties1: 9 killed

    On March 3, 2031, nine gendarmes were killed in Kelmora.
    """
)
_GOOD_EDIT = textwrap.dedent(
    """\
    [[edit]]
    id = "kelmora-copyedit"
    label = "clean"
    kinds = ["copyedit"]
    expect = []
    summary = "wording"
    replace = [["were killed in", "died in"]]
    note = "Same figure."
    """
)


def _corpus(tmp_path, edits: str, article: str = _ARTICLE):
    (tmp_path / "articles").mkdir()
    (tmp_path / "edits").mkdir()
    (tmp_path / "articles" / "01_kelmora.txt").write_text(article, encoding="utf-8")
    (tmp_path / "edits" / "01_kelmora.toml").write_text(edits, encoding="utf-8")
    return tmp_path


def test_a_well_formed_corpus_loads(tmp_path):
    (case,) = load_corpus(_corpus(tmp_path, _GOOD_EDIT))
    assert (case.id, case.label, case.kinds, case.expect) == ("kelmora-copyedit", "clean", ("copyedit",), ())
    assert "nine gendarmes died in Kelmora" in case.proposal.lead
    assert case.base is not None and "were killed" in case.base.lead
    assert case.known_miss is None


@pytest.mark.parametrize(
    "change, problem",
    [
        (('label = "clean"', 'label = "fine"'), "label 'fine'"),
        (('note = "Same figure."', 'note = "Same figure."\nseverity = "high"'), "unknown keys ['severity']"),
        (('kinds = ["copyedit"]', 'kinds = ["copy-edit"]'), "unknown kind 'copy-edit'"),
        (
            ('label = "clean"', 'label = "bad"'),
            "a bad edit must name in expect",
        ),
        (('expect = []', 'expect = ["casualties.infobox_prose"]'), "a clean edit must have an empty expect"),
        (
            ('label = "clean"\nkinds = ["copyedit"]\nexpect = []', 'label = "bad"\nkinds = ["copyedit"]\nexpect = ["casualties.prose"]'),
            "unknown rule id 'casualties.prose'",
        ),
        (('"were killed in", "died in"', '"Kelmora", "Kelmoura"'), "occurs 4 times"),
        (('"were killed in", "died in"', '"were slain in", "died in"'), "occurs 0 times"),
        (('"were killed in", "died in"', '"- Place: Kelmora, Niger", "- Place"'), "does not parse"),
        (('note = "Same figure."', 'note = ""'), "the note must say"),
        (('note = "Same figure."', 'note = "Same figure."\nknown_miss = 1'), "known_miss must say"),
    ],
)
def test_the_loader_names_the_file_and_the_edit(tmp_path, change, problem):
    old, new = change
    assert old in _GOOD_EDIT
    root = _corpus(tmp_path, _GOOD_EDIT.replace(old, new))
    with pytest.raises(CorpusError) as error:
        load_corpus(root)
    message = str(error.value)
    assert "01_kelmora.toml" in message and "'kelmora-copyedit'" in message, message
    assert problem in message, message


def test_a_duplicate_id_is_refused(tmp_path):
    root = _corpus(tmp_path, _GOOD_EDIT + "\n" + _GOOD_EDIT.replace('"wording"', '"words"'))
    with pytest.raises(CorpusError, match=r"01_kelmora\.toml: edit 'kelmora-copyedit': the id is already used"):
        load_corpus(root)


def test_invalid_toml_names_the_file(tmp_path):
    root = _corpus(tmp_path, _GOOD_EDIT.replace('id = "kelmora-copyedit"', 'id = "kelmora-copyedit'))
    with pytest.raises(CorpusError, match=r"01_kelmora\.toml: not valid TOML"):
        load_corpus(root)


def test_an_article_that_does_not_parse_is_named(tmp_path):
    root = _corpus(tmp_path, _GOOD_EDIT, article=_ARTICLE.replace("- Place: Kelmora, Niger", "Place Kelmora"))
    with pytest.raises(CorpusError, match=r"01_kelmora\.txt: the article does not parse"):
        load_corpus(root)


def test_an_edit_without_an_id_is_named_by_its_number(tmp_path):
    root = _corpus(tmp_path, _GOOD_EDIT.replace('id = "kelmora-copyedit"\n', ""))
    with pytest.raises(CorpusError, match=r"01_kelmora\.toml: edit number 1 \(no id\): missing keys \['id'\]"):
        load_corpus(root)

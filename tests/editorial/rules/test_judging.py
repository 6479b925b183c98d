"""Findings are judged against the edit: what the published revision already
had is inherited and does not gate; what the proposal adds or makes worse does."""

from editorial.rules import gating, get_rule, judge, judge_all
from editorial.rules.base import CheckContext, Severity
from editorial.rules.base import Rule

from .conftest import TODAY

PROSE = "casualties.infobox_prose"


def _judged(rule_id, content, base):
    return judge(get_rule(rule_id), CheckContext(content=content, base=base, summary="", today=TODAY))


def test_a_comma_fix_in_an_inconsistent_article_inherits_its_findings(edit):
    inconsistent = edit(("13 killed, 5", "14 killed, 5"))
    comma_fix = edit(("13 killed, 5", "14 killed, 5"), ("Nigerien planes surveilled", "Nigerien planes, then, surveilled"))
    findings = _judged(PROSE, comma_fix, inconsistent)
    assert findings, "the inconsistency is still there and must be shown"
    assert all(finding.inherited for finding in findings)
    assert gating(findings) == []


def test_the_edit_that_introduces_a_disagreement_owns_it(edit, seed):
    findings = _judged(PROSE, edit(("13 killed, 5", "14 killed, 5")), seed)
    assert findings and not any(finding.inherited for finding in findings)


def test_repeating_an_old_mistake_in_a_new_sentence_is_new(edit):
    base = edit(("13 killed, 5", "14 killed, 5"))
    worse = edit(
        ("13 killed, 5", "14 killed, 5"),
        ("offered condolences to the families of the victims.", "offered condolences to the families of the 13 gendarmes killed."),
    )
    findings = _judged(PROSE, worse, base)
    assert len(findings) == len(_judged(PROSE, base, None)) + 1
    assert len(gating(findings)) == 1


def test_a_new_article_owns_all_its_findings(edit):
    findings = judge_all(CheckContext(content=edit(("13 killed, 5", "14 killed, 5")), base=None, summary="", today=TODAY))
    assert findings and gating(findings) == findings


class _Escalating(Rule):
    """Warns about a short lead, and errs when it is shorter still."""

    id = "test.escalating"
    version = 1
    description = "test"

    def check(self, context):
        words = len(context.content.lead.split())
        if words >= 100:
            return []
        severity = Severity.WARNING if words >= 20 else Severity.ERROR
        return [self.finding(severity, "lead", "The lead is short.", fingerprint="short lead")]


def test_a_finding_made_more_severe_is_new(edit, seed):
    shorter = edit((seed.lead, "The 2017 Ayorou attack occurred on 21 October 2017 in the village of Ayorou in southwestern Niger, killing 13 gendarmes."))
    shortest = edit((seed.lead, "An attack."))
    rule = _Escalating()
    same = judge(rule, CheckContext(content=shorter, base=shorter, summary="", today=TODAY))
    assert [f.inherited for f in same] == [True]
    worse = judge(rule, CheckContext(content=shortest, base=shorter, summary="", today=TODAY))
    assert [(f.severity, f.inherited) for f in worse] == [(Severity.ERROR, False)]
    milder = judge(rule, CheckContext(content=shorter, base=shortest, summary="", today=TODAY))
    assert [(f.severity, f.inherited) for f in milder] == [(Severity.WARNING, True)]


def test_every_rule_reads_one_shared_split_of_each_text(edit, seed, monkeypatch):
    """The rules share one parse: a block the proposal and its base both hold is split into sentences once."""
    from editorial.rules.text.memo import clear_caches
    from editorial.rules.text.prose import prose_blocks
    from editorial.rules.text.sentences import Sentence, split_sentences

    proposal = edit(("13 killed, 5", "14 killed, 5"))
    texts = {block.text for content in (proposal, seed) for block in prose_blocks(content)}
    once_each = sum(len(split_sentences(text)) for text in texts)
    made = []
    real_init = Sentence.__init__

    def counting_init(self, *args, **kwargs):
        made.append(1)
        real_init(self, *args, **kwargs)

    # Counted where every split makes its sentences, whichever name a rule imported it by.
    monkeypatch.setattr(Sentence, "__init__", counting_init)
    clear_caches()
    judge_all(CheckContext(content=proposal, base=seed, summary="", today=TODAY))
    assert 0 < len(made) <= once_each, f"{len(made)} sentences made for {once_each} in the texts"

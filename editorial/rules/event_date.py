"""dates.event_date_agreement: the infobox Date and the prose agree on the days
of the event.

An article also dates other things: earlier attacks, the claim, the
reactions, the pursuit. Only these statements are taken to date *this*
event, and only in the lead and in the section that narrates the event
(its heading is the event noun: "Attack", "The ambush", "Raids", "Events"):

1. In the lead, in a sentence whose subject is the article's (it names the
   title or the infobox Conflict, with or without its year, or opens with
   "The attack" / "It"), a date that an occurrence verb introduces
   ("occurred on", "took place on the night of"); and the first date of
   the lead's first sentence, introduced by on/of/in/from/between, when
   that sentence names the subject or tells the attack ("The Aghazragh
   raids were a series of attacks ... between May 30 and June 2, 2021",
   "Jihadists attacked the base on 19 August 2019"). Every such date counts.
2. In the lead when it has none of those, the first sentence that opens
   with a date and tells the event: "On March 3, 2019, nine gendarmes were
   killed when ...", "On the night of 2 to 3 March, militants attacked ...".
3. In the narrative section, one date: the first introduced by on/of/in in
   a sentence with an attack verb or opening a sentence that tells the
   event ("On 3 March, nine gendarmes were killed"), and the one in the
   section's first sentence, when its year is the event's. The first sets
   the scene or the second tells the pursuit; either agreeing is enough.
   Later dates in the narrative are the story moving on.

Sentences that set the event beside another ("weeks after a similar
attack", "had attacked Ayorou on May 11", "a second attack"), claim
sentences, and (for 2 and 3) sentences about what followed (reprisals, the
pursuit, funerals, the investigation, a statement, the toll) are never
read. A date without a year takes it from a date listed after it ("on 30
September and 1 October 2020"), else from the last date with a year before
it in the same block, else from the event (text.dates.YearReader).

A prose day agrees when it falls within the Date's days; a month, when it
overlaps them; a range of days written in prose, when it holds them ("the
night of 20 to 21 October" beside a Date of 21 October) or falls within them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from encyclopedia.content import ArticleContent
from encyclopedia.dates import DateSpan

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .text.dates import DateMention, YearReader, find_dates, format_span, infobox_event_span
from .text.events import EVENT_NOUNS, is_claim_sentence, mentions_other_event
from .text.prose import ProseBlock, prose_blocks, quote_evidence
from .text.sentences import Sentence, sentences_of

_OCCURRED = re.compile(
    r"(?i)\b(?:occurred|took\s+place|happened|began|started|unfolded|"
    r"was\s+(?:carried\s+out|launched|committed|perpetrated))"
    r"(?:\s+[\w'-]+){0,5}?\s+(?:on|of|in)\s+(?:the\s+)?$"
)
_PLURAL_NOUNS = "raids|ambushes|assaults|bombings|massacres|battles|sieges|shootings|offensives|incidents|killings"
_SUBJECT_PRONOUN = re.compile(rf"(?i)^(?:the\s+(?:{EVENT_NOUNS}|{_PLURAL_NOUNS})\b|it\b|they\b)")
_INTRODUCED = re.compile(r"(?i)\b(?:on|of|in)\s+(?:the\s+)?$")
# In the lead's first sentence, which says what the article is about ("The
# Aghazragh raids were a series of attacks ... between May 30 and June 2,
# 2021"), a date introduced so is the event's.
_DEFINED_ON = re.compile(r"(?i)\b(?:on|of|in|from|between|during)\s+(?:the\s+)?$")
# The pluperfect and words that place a sentence before the event.
_PAST = re.compile(
    r"(?i)\bhad\s+(?:(?:not|already|previously|earlier|also|been)\s+)?\w+(?:ed|en|wn|t)\b|"
    r"\b(?:previous(?:ly)?|earlier|prior|last|former)\b"
)
# A date that belongs to something else named in the sentence.
_ANOTHER_THINGS_DAY = re.compile(
    r"(?i)\b(?:established|founded|built|created|set\s+up|opened|formed|installed|deployed|elected|"
    r"appointed|signed|since|until|before|after)\s+(?:in|on)?\s*(?:the\s+)?$"
)
_YEAR_PREFIX = re.compile(r"^\d{4}\s+")
# Claims the claim rule reads beside text.events.is_claim_sentence:
# "claimed both attacks", "claimed the killings in its newsletter".
# And a group speaking of its own fighters' deed, which claims it as surely:
# "JNIM said its fighters had killed dozens of soldiers", "said it was
# behind the attack". Not "its men" or "its soldiers": an army says that.
_CLAIMED = re.compile(
    r"(?i)\bclaim(?:ed|s|ing)?\s+(?:(?:the|both|all|these|those|its|this|that|two|three|twin)\s+){1,3}"
    rf"(?:{EVENT_NOUNS}|{_PLURAL_NOUNS}|killings?(?!\s+of)|murders?(?!\s+of)|abductions?)\b"
    r"|\b(?:said|says|announced|stated|declared|boasted)\s+(?:that\s+)?(?:its|their)\s+"
    r"(?:fighters|mujahideen|mujahidin|combatants|militants)\s+had\s+(?:\w+\s+)?"
    r"(?:killed|attacked|ambushed|stormed|raided|struck|carried\s+out|overrun|overran)\b"
    r"|\b(?:said|says|announced|stated|declared)\s+(?:that\s+)?it\s+(?:was|had\s+been)\s+"
    r"(?:behind|responsible\s+for)\b"
)
_ATTACK_VERB = re.compile(
    r"(?i)\b(?:attacked|ambushed|raided|stormed|struck|assaulted|bombed|besieged|opened\s+fire|"
    r"overran|launched)\b"
)
# What may stand before a date that opens a sentence: "On", "At dawn on",
# "In the early hours of", "Around 5:30 a.m. local time on".
_OPENING_WORDS = frozenset(
    "on in at of the early late during around about shortly just before after between night morning afternoon "
    "evening dawn daybreak dusk midday noon midnight hours small wee first light local time a.m. p.m. "
    "am pm gmt utc".split()
)
_OPENING_TOKEN = re.compile(r"[^\s,]+")
_CLOCK = re.compile(r"^\d{1,2}(?:[:.h]\d{2})?$")
# A clause that tells the event: its verbs, its noun, its dead and wounded.
_TELLS_EVENT = re.compile(
    r"(?i)\b(?:attack(?:ed|ing)?|ambush(?:ed|ing)?|raid(?:ed|ing)?|stormed|struck|assaulted|bomb(?:ed|ing)|"
    r"besieged|opened\s+fire|overran|massacred?|kill(?:ed|ing)|shot\s+dead|gunned\s+down|executed|"
    r"slaughtered|wounded|injured|died|dead|lost\s+their\s+lives|abducted|kidnapped|detonated|exploded|"
    rf"blew\s+up|looted|torched|set\s+fire|casualties|{EVENT_NOUNS})\b"
)
# A sentence about what came of the event, or about another one, though it
# opens with a date and speaks of killing: reprisals, the pursuit, funerals,
# the investigation, the toll, "a second attack", "the next day".
_ANOTHER_MATTER = re.compile(
    r"(?i)\b(?:reprisals?|retaliat\w*|revenge|avenge\w*|in\s+response|"
    r"counter[- ]?(?:attack|offensive|operation)\w*|pursu\w*|"
    r"chased?|manhunt|hunted|tracked\s+down|air\s*strikes?|"
    r"funerals?|buried|burials?|mourning|memorial|commemorat\w*|anniversary|investigat\w*|inquiry|probe|"
    r"arrest(?:ed|s)?|detained|trial|sentenced|condemn\w*|visit(?:ed|s)?|toll|again|claim\w*|responsibility|"
    rf"(?:second|third|fourth|new|fresh|further|follow-up|retaliatory)\s+(?:\w+\s+)?(?:{EVENT_NOUNS})|"
    r"same\s+(?:place|village|town|area|spot|location|road|site|post|camp|base)|"
    rf"(?:after|following|since|in\s+the\s+wake\s+of)\s+the\s+(?:\w+\s+){{0,2}}?(?:{EVENT_NOUNS}|{_PLURAL_NOUNS})|"
    r"(?:next|following|previous)\s+(?:day|morning|night|evening|afternoon|week)|"
    r"(?:a|one)\s+(?:day|week|month|year)\s+(?:later|after|before|earlier)|"
    r"(?:flown|repatriated|evacuated|airlifted|transferred|taken)\s+to)\b"
)
# The army's answer: "launched a sweep", "conducted an operation".
_LAUNCHED = re.compile(
    r"(?i)\b(?:launched|began|conducted|carried\s+out|mounted)\s+(?:\w+\s+){0,2}?(?:operations?|sweeps?|offensive)\b"
)
# An operation named as a noun may be the army's answer, or what the
# victims were doing when the narrative opens ("returning from a search
# operation" on the event's day).
_OPERATION = re.compile(
    r"(?i)\b(?:(?:military|security|clean-?up|mop-?up|search|sweep(?:ing)?)\s+operations?|sweeps?)\b"
)
# Who attacks: a narrative's opening sentence that names them sets the event.
_ATTACKERS = re.compile(
    r"(?i)\b(?:gunmen|militants|jihadists|attackers|assailants|fighters|insurgents|terrorists|bandits|"
    r"armed\s+men|suicide\s+bombers?)\b"
)


def _another_matter(sentence: str, *, opening: bool = False) -> bool:
    """Whether a dated sentence tells what followed the event, or another
    one, rather than the event (see _ANOTHER_MATTER)."""
    return bool(
        _ANOTHER_MATTER.search(sentence)
        or _LAUNCHED.search(sentence)
        or (not opening and _OPERATION.search(sentence))
    )


def _tells_attack(sentence: str) -> bool:
    return bool(_ATTACK_VERB.search(sentence) or _TELLS_EVENT.search(sentence) or _ATTACKERS.search(sentence))


# A clause whose verb is someone reporting: "On 4 March, the army said ...".
_REPORTED = re.compile(
    r"(?i)^[\s,]*(?:[\w'’-]+\s+){0,6}?(?:said|says|stated|announced|reported|confirmed|declared|told|"
    r"revealed|published|released|acknowledged|admitted|denied|put|gave|raised|revised|updated|lowered|"
    r"described|recounted|recalled|testified|quoted|cited|estimated|wrote|added)\b"
)
_NARRATIVE_HEADINGS = frozenset(EVENT_NOUNS.split("|")) | frozenset(_PLURAL_NOUNS.split("|")) | {
    "events",
    "event",
    "course of events",
    "timeline",
}
_EVENT_NOUN = re.compile(rf"(?i)\b({EVENT_NOUNS})\b")


@dataclass(frozen=True)
class EventStatement:
    """A date the prose gives for the event, with where it is written."""

    block: ProseBlock
    sentence: Sentence  # offsets within the block
    mention: DateMention  # offsets within the sentence
    span: DateSpan  # the days it means, its year read from its context


def is_narrative_heading(heading: str) -> bool:
    """Whether a section with this heading tells the event itself."""
    normal = re.sub(r"^the\s+", "", heading.strip().lower())
    return normal in _NARRATIVE_HEADINGS


def event_noun(content: ArticleContent) -> str:
    """How messages name the event: the noun of the title or the Conflict
    ("attack" for "2017 Ayorou attack"), else "event"."""
    for name in (content.title, content.infobox_value("Conflict") or ""):
        nouns = _EVENT_NOUN.findall(name)
        if nouns:
            return nouns[-1].lower()
    return "event"


def tells_another_time(sentence: str) -> bool:
    """Whether the sentence tells of another event or an earlier time
    ("had died in a helicopter collision in November 2019"), so its dates
    give no year to the year-less dates after it."""
    return mentions_other_event(sentence) or _PAST.search(sentence) is not None


def reports_claim(sentence: str) -> bool:
    """Whether the sentence reports a claim of responsibility, in the words
    text.events reads or in a few more ("claimed both attacks")."""
    return is_claim_sentence(sentence) or _CLAIMED.search(sentence) is not None


def _names_subject(sentence: str, content: ArticleContent) -> bool:
    lowered = sentence.lower()
    names = {content.title, content.infobox_value("Conflict") or ""}
    # "The Aghazragh raids" names "2021 Aghazragh raids"
    names |= {_YEAR_PREFIX.sub("", name) for name in names}
    return any(name and name.lower() in lowered for name in names) or bool(
        _SUBJECT_PRONOUN.match(sentence)
    )


def _opens_lead(sentence: str, content: ArticleContent) -> bool:
    """Whether the lead's first sentence says what the article is about:
    it names the subject ("The Aghazragh raids were ...") or tells the
    attack ("Jihadists attacked the camp of Koutougou on 19 August 2019")."""
    tells = _ATTACK_VERB.search(sentence) or _TELLS_EVENT.search(sentence)
    return (bool(tells) or _names_subject(sentence, content)) and not _another_matter(sentence)


def _opens_sentence(sentence: str, mention: DateMention) -> bool:
    """Whether the date opens the sentence: nothing before it, or a few words
    of time of day ending in "on" or "of"."""
    words = _OPENING_TOKEN.findall(sentence[: mention.start].lower())
    if not words:
        return True
    return (
        len(words) <= 8
        and words[-1] in ("on", "of", "between")
        and all(word in _OPENING_WORDS or _CLOCK.match(word) for word in words)
    )


def _tells_event(sentence: str, mention: DateMention) -> bool:
    """Whether the clause after an opening date tells the event itself."""
    rest = sentence[mention.end :]
    return bool(_TELLS_EVENT.search(rest)) and not _REPORTED.match(rest)


def _dated_sentences(
    block: ProseBlock, event: DateSpan, *, every: bool = False
) -> list[tuple[int, Sentence, list[tuple[DateMention, DateSpan]] | None]]:
    """(index, sentence, [(date, its days)]) for the block's dated sentences
    that may be about the event (not those setting it beside another, not
    claims). With `every`, all sentences: [] for one without a date, None
    for one set aside. Every date is read for the year context, kept or not."""
    years = YearReader(event)
    dated: list[tuple[int, Sentence, list[tuple[DateMention, DateSpan]] | None]] = []
    for index, sentence in enumerate(sentences_of(block.text)):
        mentions = find_dates(sentence.text, one_sentence=True)
        if not mentions and not every:
            continue
        anchors = not tells_another_time(sentence.text)
        spans = [years.read(mention, anchors=anchors) for mention in mentions]
        if mentions_other_event(sentence.text) or reports_claim(sentence.text):
            if every:
                dated.append((index, sentence, None))
            continue
        pairs = [(mention, span) for mention, span in zip(mentions, spans) if span is not None]
        if pairs or every:
            dated.append((index, sentence, pairs))
    return dated


def _lead_statements(content: ArticleContent, block: ProseBlock, event: DateSpan) -> list[EventStatement]:
    dated = _dated_sentences(block, event)
    occurred: list[EventStatement] = []
    for index, sentence, pairs in dated:
        # In the lead's first sentence only the first date: a later one may
        # be what the attack answered.
        defined = index == 0 and _opens_lead(sentence.text, content)
        for mention, span in pairs:
            prefix = sentence.text[: mention.start]
            if _ANOTHER_THINGS_DAY.search(prefix):
                continue  # "a base established in March 2018"
            if (_names_subject(sentence.text, content) and _OCCURRED.search(prefix)) or (
                defined and _DEFINED_ON.search(prefix)
            ):
                occurred.append(EventStatement(block, sentence, mention, span))
            defined = False
    if occurred:
        return occurred
    for _, sentence, pairs in dated:
        mention, span = pairs[0]
        if (
            mention.day is not None
            and _opens_sentence(sentence.text, mention)
            and _tells_event(sentence.text, mention)
            and not _another_matter(sentence.text)
        ):
            return [EventStatement(block, sentence, mention, span)]
    return []


def _narrative_statements(block: ProseBlock, event: DateSpan) -> list[EventStatement]:
    # The section's first sentence may set the scene ("On the morning of 3
    # August, a convoy left Fada"): its day is the attack's when the next
    # sentences tell the attack with no other date between. A later
    # sentence that tells an attack may tell the pursuit. When the opening
    # and the first telling sentence disagree, either agreeing is enough.
    opening: EventStatement | None = None
    scene: EventStatement | None = None
    telling: EventStatement | None = None
    told = False  # an undated sentence has told the attack: later dates are what followed
    for index, sentence, pairs in _dated_sentences(block, event, every=True):
        if pairs is None:  # another event, another time: the scene's day ends
            scene = None
            continue
        if not pairs:
            if _tells_attack(sentence.text):
                told = True
                opening = opening or scene
            continue
        scene = None
        if _another_matter(sentence.text, opening=index == 0):
            continue
        for mention, span in pairs:
            opens = _opens_sentence(sentence.text, mention)
            if not (_INTRODUCED.search(sentence.text[: mention.start]) or opens):
                continue
            if opens and _REPORTED.match(sentence.text[mention.end :]):
                break  # "On 4 March, the army said ...": the day of a report
            if span.last.year < event.first.year or span.first.year > event.last.year:
                continue  # a date of another year is another event
            statement = EventStatement(block, sentence, mention, span)
            if index == 0:
                if _tells_attack(sentence.text):
                    opening = statement
                else:
                    scene = statement
            if telling is None and not told and not _another_matter(sentence.text) and (
                _ATTACK_VERB.search(sentence.text)
                or (
                    mention.day is not None
                    and _opens_sentence(sentence.text, mention)
                    and _tells_event(sentence.text, mention)
                )
            ):
                telling = statement
            break
        if telling is not None:
            break
    found = [statement for statement in (opening, telling) if statement is not None]
    agreeing = [statement for statement in found if _agrees(statement.span, statement.mention, event)]
    return (agreeing or found)[:1]


def event_statements(content: ArticleContent, event: DateSpan | datetime.date) -> list[EventStatement]:
    """The dates in the prose that refer to the event (see the module doc)."""
    if isinstance(event, datetime.date):
        event = DateSpan(event, event)
    statements: list[EventStatement] = []
    for block in prose_blocks(content):
        if block.heading is None:
            statements += _lead_statements(content, block, event)
        elif is_narrative_heading(block.heading):
            statements += _narrative_statements(block, event)
    return statements


def _agrees(span: DateSpan, mention: DateMention, event: DateSpan) -> bool:
    # A day falls within the event's days; a month overlaps them. A range
    # holds them ("the night of 20 to 21 October" beside a Date of 21
    # October) or falls within them.
    if mention.day is None:
        return event.overlaps(span.first, span.last)
    return (event.first <= span.first and span.last <= event.last) or (
        span.first <= event.first and event.last <= span.last
    )


def _written(statement: EventStatement) -> str:
    """The date as the prose writes it, with the reading of a year-less one."""
    mention = statement.mention
    if mention.writes_year:
        return mention.text
    return f"{mention.text} (read as {format_span(statement.span)})"


class EventDateAgreement(Rule):
    id = "dates.event_date_agreement"
    version = 2
    description = "The infobox Date agrees with the dates the prose gives for the event."

    def check(self, context: CheckContext) -> list[Finding]:
        event = infobox_event_span(context.content)
        if event is None:
            return []  # no date to compare with: structure.infobox reports it
        value = context.content.infobox_value("Date")
        # When the edit changed the infobox Date, the finding is about that
        # field; otherwise it is about the prose that says something else.
        date_changed = context.base is not None and context.base.infobox_value("Date") != value
        noun = event_noun(context.content)
        gives = "gives the date as" if event.single else "gives the dates as"
        findings: list[Finding] = []
        for statement in event_statements(context.content, event):
            if _agrees(statement.span, statement.mention, event):
                continue
            block, sentence, mention = statement.block, statement.sentence, statement.mention
            verb = "places the" if mention.day is None else "dates the"
            findings.append(
                self.finding(
                    Severity.ERROR,
                    infobox_target("Date") if date_changed else block.target,
                    f"The infobox {gives} {value}; {block.where} {verb} {noun} "
                    f"{'in ' if mention.day is None else ''}{_written(statement)}.",
                    # The same disagreement stays the same finding whatever
                    # else the edit changes; a moved Date or a new prose date
                    # makes a new one.
                    fingerprint=f"Date|{event.iso()}|{statement.span.iso()}",
                    field="Date",
                    infobox=value,
                    **quote_evidence(block, sentence, mention.start, mention.end),
                )
            )
        return findings

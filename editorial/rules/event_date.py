"""dates.event_date_agreement: the infobox Date and the prose agree on the day
of the event.

An article also dates other things: earlier attacks, the claim, the
reactions. Only two kinds of statement are taken to date *this* event:

1. In the lead, a date that an occurrence verb introduces ("occurred on",
   "took place on", "began in the early hours of") in a sentence whose
   subject is the article's: it names the title or the infobox Conflict, or
   opens with "The attack" / "It".
2. In the section that narrates the event (its heading is the event noun:
   "Attack", "The ambush", "Events", "Timeline"), the one date the
   narrative gives for the attack: the first date introduced by on/of/in
   in a sentence with an attack verb ("At dawn on October 21, militants
   ... attacked"), or else such a date in the section's first sentence,
   when its year is the event's or is left out. Later dates in the
   narrative are the story moving on (the pursuit, a counter-attack two
   days later), not the event's day.

Sentences that set the event beside another ("weeks after a similar
attack", "had attacked Ayorou on May 11") and claim sentences are never
read. A date without a year takes the event's year.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from encyclopedia.content import ArticleContent

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .text.dates import DateMention, find_dates, infobox_event_date
from .text.events import EVENT_NOUNS, is_claim_sentence, mentions_other_event
from .text.prose import ProseBlock, prose_blocks
from .text.sentences import split_sentences

_OCCURRED = re.compile(
    r"(?i)\b(?:occurred|took\s+place|happened|began|started|unfolded|"
    r"was\s+(?:carried\s+out|launched|committed|perpetrated))"
    r"(?:\s+[\w'-]+){0,5}?\s+(?:on|of|in)\s+(?:the\s+)?$"
)
_SUBJECT_PRONOUN = re.compile(rf"(?i)^(?:the\s+(?:{EVENT_NOUNS})\b|it\b)")
_INTRODUCED = re.compile(r"(?i)\b(?:on|of|in)\s+(?:the\s+)?$")
_ATTACK_VERB = re.compile(
    r"(?i)\b(?:attacked|ambushed|raided|stormed|struck|assaulted|bombed|besieged|opened\s+fire|"
    r"overran|launched)\b"
)
_NARRATIVE_HEADINGS = frozenset(EVENT_NOUNS.split("|")) | {
    "events",
    "event",
    "course of events",
    "timeline",
}


@dataclass(frozen=True)
class EventStatement:
    block: ProseBlock
    mention: DateMention


def is_narrative_heading(heading: str) -> bool:
    """Whether a section with this heading tells the event itself."""
    normal = re.sub(r"^the\s+", "", heading.strip().lower())
    return normal in _NARRATIVE_HEADINGS


def _names_subject(sentence: str, content: ArticleContent) -> bool:
    lowered = sentence.lower()
    names = [content.title, content.infobox_value("Conflict") or ""]
    return any(name and name.lower() in lowered for name in names) or bool(
        _SUBJECT_PRONOUN.match(sentence)
    )


def event_statements(content: ArticleContent, event: datetime.date) -> list[EventStatement]:
    """The dates in the prose that refer to the event (see the module doc)."""
    statements: list[EventStatement] = []
    for block in prose_blocks(content):
        if block.heading is None:
            statements += [
                EventStatement(block, mention)
                for _, mention in _event_sentence_dates(block)
                if _OCCURRED.search(mention.sentence[: mention.start])
                and _names_subject(mention.sentence, content)
            ]
        elif is_narrative_heading(block.heading):
            candidates = [
                (index, mention)
                for index, mention in _event_sentence_dates(block)
                if _INTRODUCED.search(mention.sentence[: mention.start]) and mention.year in (None, event.year)
            ]
            attack = [mention for _, mention in candidates if _ATTACK_VERB.search(mention.sentence)]
            opening = [mention for index, mention in candidates if index == 0]
            statements += [EventStatement(block, mention) for mention in (attack or opening)[:1]]
    return statements


def _event_sentence_dates(block: ProseBlock) -> list[tuple[int, DateMention]]:
    """(sentence index, date) for the dates of the block's sentences that may
    be about the event: not those setting it beside another, not claims.
    The dates' offsets are within their sentence."""
    dates: list[tuple[int, DateMention]] = []
    for index, sentence in enumerate(split_sentences(block.text)):
        if mentions_other_event(sentence.text) or is_claim_sentence(sentence.text):
            continue
        dates += [(index, mention) for mention in find_dates(sentence.text)]
    return dates


class EventDateAgreement(Rule):
    id = "dates.event_date_agreement"
    version = 1
    description = "The infobox Date agrees with the dates the prose gives for the event."

    def check(self, context: CheckContext) -> list[Finding]:
        event = infobox_event_date(context.content)
        if event is None:
            return []  # no date to compare with: structure.infobox reports it
        value = context.content.infobox_value("Date")
        # When the edit changed the infobox Date, the finding is about that
        # field; otherwise it is about the prose that says something else.
        date_changed = context.base is not None and context.base.infobox_value("Date") != value
        findings: list[Finding] = []
        for statement in event_statements(context.content, event):
            mention = statement.mention
            if mention.agrees_with(event):
                continue
            findings.append(
                self.finding(
                    Severity.ERROR,
                    infobox_target("Date") if date_changed else statement.block.target,
                    f"The infobox Date is {value}, but {statement.block.where} dates the event "
                    f"{mention.text}: \u201c{mention.sentence}\u201d",
                    infobox=value,
                    prose=mention.text,
                    sentence=mention.sentence,
                    where=statement.block.target,
                )
            )
        return findings

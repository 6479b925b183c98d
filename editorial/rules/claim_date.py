"""dates.claim_before_event: a claim of responsibility comes after the event
it claims begins, and not after today.

Claims are read from prose sentences that report one ("claimed
responsibility", "took responsibility") and from infobox fields whose key
mentions a claim. In a claim sentence every date is the claim's date except
one that names the event itself: "the 21 October attack", "the attack of
21 October 2017".

A claim date without a year takes it as every date of a block does
(text.dates.YearReader): from the last date with a year before it in the
same block, else from the event, the reading after it preferred, so that
"January 12" after an October event is the next January; but "October 1"
after an attack on 21 October 2017 is 1 October 2017, before it.

A claim made while a multi-day event is still going on is no error; one
before its first day is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from encyclopedia.dates import MONTH, DateSpan, parse_date_span

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .event_date import event_noun, reports_claim, tells_another_time
from .text.dates import DateMention, YearReader, find_dates, format_date, format_span, infobox_event_span
from .text.events import EVENT_NOUNS
from .text.prose import prose_blocks, quote_evidence
from .text.sentences import sentences_of

_NAMES_EVENT_AFTER = re.compile(rf"(?i)^\s*(?:{EVENT_NOUNS})\b")
# "the attack of 21 October 2017"; "the attack on <date>" is left as the
# claim's date: it reads both ways, and a claim dated on the event day is
# no error.
_NAMES_EVENT_BEFORE = re.compile(rf"(?i)\b(?:{EVENT_NOUNS})\s+of\s+$")
# "the 21 October attack" names this event, as "the May attack" may name another.
_NAMED_BY_DAY = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)\s+(?i:(?:{EVENT_NOUNS})\b)"
)
# A claim of another event: "had claimed", "a similar attack", "the May
# attack". Not any pluperfect: a claim says what its authors "had killed".
_OTHER_CLAIM = re.compile(
    r"(?i:\bhad\s+(?:\w+\s+)?claimed\b)|"
    rf"(?i:\b(?:similar|previous|earlier|prior|another|separate|last)\s+(?:\w+\s+){{0,2}}?(?:{EVENT_NOUNS})\b)|"
    # month names keep their capital: "militants may attack again" names no month
    rf"\b{MONTH}\s+(?i:(?:{EVENT_NOUNS})\b)"
)
# What every claim sentence holds (see event_date.reports_claim): a block
# without any of these words has no claim.
_CLAIM_WORD = re.compile(r"(?i)\b(?:claim|responsib|said|says|announced|stated|declared|boasted)")
_EARLIER = re.compile(r"(?i)\b(?:background|context|prelude|history|previous|earlier|prior|past)\b")


@dataclass(frozen=True)
class _Claim:
    target: str
    where: str  # "the Aftermath section", "the infobox's Claimed field"
    written: str  # the date as written, with the reading of a year-less one
    span: DateSpan  # the days it can mean (a month without a day spans it)
    evidence: dict  # the quoted sentence, or the field and its value


def _written(mention: DateMention, span: DateSpan) -> str:
    if mention.writes_year:
        return mention.text
    return f"{mention.text} (read as {format_span(span)})"


def _names_event(sentence: str, mention: DateMention) -> bool:
    return bool(
        _NAMES_EVENT_AFTER.match(sentence[mention.end :]) or _NAMES_EVENT_BEFORE.search(sentence[: mention.start])
    )


def _claims(context: CheckContext, event: DateSpan | None) -> list[_Claim]:
    claims: list[_Claim] = []
    for block in prose_blocks(context.content):
        if block.heading is not None and _EARLIER.search(block.heading):
            continue  # a claim told in the background is an earlier event's
        if not _CLAIM_WORD.search(block.text):
            continue  # no claim here: the block's year context is not needed
        years = YearReader(event)
        for sentence in sentences_of(block.text):
            mentions = find_dates(sentence.text, one_sentence=True)
            if not mentions:
                continue
            # Every date is read, claim or not, for the year of those after it.
            anchors = not tells_another_time(sentence.text)
            spans = [years.read(mention, anchors=anchors) for mention in mentions]
            if not reports_claim(sentence.text) or _OTHER_CLAIM.search(_NAMED_BY_DAY.sub("", sentence.text)):
                continue  # not a claim, or another event's ("which had claimed the May attack")
            for mention, span in zip(mentions, spans):
                if span is None or _names_event(sentence.text, mention):
                    continue
                claims.append(
                    _Claim(
                        block.target,
                        block.where,
                        _written(mention, span),
                        span,
                        quote_evidence(block, sentence, mention.start, mention.end),
                    )
                )
    for entry in context.content.infobox:
        if "claim" not in entry.key.lower():
            continue
        where = f"the infobox's {entry.key} field"
        evidence = {"field": entry.key, "infobox": entry.value}
        mentions = find_dates(entry.value)
        if mentions:
            years = YearReader(event)
            for mention in mentions:
                if (span := years.read(mention)) is not None:
                    claims.append(_Claim(infobox_target(entry.key), where, _written(mention, span), span, evidence))
        elif (span := parse_date_span(entry.value)) is not None:
            claims.append(_Claim(infobox_target(entry.key), where, entry.value, span, evidence))
    return claims


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


class ClaimBeforeEvent(Rule):
    id = "dates.claim_before_event"
    version = 2
    description = "A claim of responsibility is not dated before the event begins, nor after today."

    def check(self, context: CheckContext) -> list[Finding]:
        event = infobox_event_span(context.content)
        noun = event_noun(context.content)
        findings: list[Finding] = []
        for claim in _claims(context, event):
            if event is not None and claim.span.last < event.first:
                findings.append(
                    self.finding(
                        Severity.ERROR,
                        claim.target,
                        f"{_capitalised(claim.where)} dates the claim of responsibility {claim.written}, "
                        f"before the {noun} itself ({format_span(event)}).",
                        fingerprint=f"Claim|before|{event.iso()}|{claim.span.iso()}",
                        **claim.evidence,
                    )
                )
            if claim.span.first > context.today:
                findings.append(
                    self.finding(
                        Severity.ERROR,
                        claim.target,
                        f"{_capitalised(claim.where)} dates the claim of responsibility {claim.written}, "
                        f"which is after today ({format_date(context.today)}).",
                        fingerprint=f"Claim|future|{claim.span.iso()}",
                        today=context.today.isoformat(),
                        **claim.evidence,
                    )
                )
        return findings

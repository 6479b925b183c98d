"""dates.claim_before_event: a claim of responsibility comes after the event
it claims, and not after today.

Claims are read from prose sentences that report one ("claimed
responsibility", "took responsibility") and from infobox fields whose key
mentions a claim. In a claim sentence every date is the claim's date except
one that names the event itself: "the 21 October attack", "the attack of
21 October 2017".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from encyclopedia.dates import parse_date_value

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .text.dates import DateMention, find_dates, format_date, infobox_event_date
from .text.events import EVENT_NOUNS, is_claim_sentence
from .text.prose import prose_blocks
from .text.sentences import split_sentences

_NAMES_EVENT_AFTER = re.compile(rf"(?i)^\s*(?:{EVENT_NOUNS})\b")
# "the attack of 21 October 2017"; "the attack on <date>" is left as the
# claim's date: it reads both ways, and a claim dated on the event day is
# no error.
_NAMES_EVENT_BEFORE = re.compile(rf"(?i)\b(?:{EVENT_NOUNS})\s+of\s+$")


@dataclass(frozen=True)
class _Claim:
    target: str
    where: str  # "the Aftermath section", "the infobox field Claimed"
    text: str  # the date as written
    first_day: datetime.date  # the earliest day the text can mean
    last_day: datetime.date  # the latest (a month without a day spans it)
    context: dict  # the sentence or the field value, for the evidence


def _span(mention: DateMention, event: datetime.date | None) -> tuple[datetime.date, datetime.date] | None:
    """The days a claim date can mean.

    A date without a year is read as the first such day on or after the
    event: a writer leaves the year out when it is the obvious one, and a
    claim cannot come first, so a year-less date is never reported as early.
    """
    if mention.year is None:
        if event is None or mention.day is None:
            return None
        for year in (event.year, event.year + 1):
            day = mention.resolve(year)
            if day is not None and day >= event:
                return day, day
        return None
    if mention.day is None:
        first = datetime.date(mention.year, mention.month, 1)
        following = datetime.date(mention.year + mention.month // 12, mention.month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    day = mention.resolve(mention.year)
    return (day, day) if day else None


def _claims(context: CheckContext, event: datetime.date | None) -> list[_Claim]:
    claims: list[_Claim] = []
    for block in prose_blocks(context.content):
        for sentence in split_sentences(block.text):
            if not is_claim_sentence(sentence.text):
                continue
            for mention in find_dates(sentence.text):
                if _NAMES_EVENT_AFTER.match(sentence.text[mention.end :]) or _NAMES_EVENT_BEFORE.search(
                    sentence.text[: mention.start]
                ):
                    continue
                span = _span(mention, event)
                if span:
                    claims.append(
                        _Claim(block.target, block.where, mention.text, *span, {"sentence": sentence.text})
                    )
    for entry in context.content.infobox:
        if "claim" not in entry.key.lower():
            continue
        where = f"the infobox field {entry.key}"
        mentions = find_dates(entry.value)
        if mentions:
            for mention in mentions:
                span = _span(mention, event)
                if span:
                    claims.append(
                        _Claim(infobox_target(entry.key), where, mention.text, *span, {"field": entry.value})
                    )
        elif (day := parse_date_value(entry.value)) is not None:
            claims.append(_Claim(infobox_target(entry.key), where, entry.value, day, day, {"field": entry.value}))
    return claims


class ClaimBeforeEvent(Rule):
    id = "dates.claim_before_event"
    version = 1
    description = "A claim of responsibility is not dated before the event, nor after today."

    def check(self, context: CheckContext) -> list[Finding]:
        event = infobox_event_date(context.content)
        event_value = context.content.infobox_value("Date")
        findings: list[Finding] = []
        for claim in _claims(context, event):
            if event is not None and claim.last_day < event:
                findings.append(
                    self.finding(
                        Severity.ERROR,
                        claim.target,
                        f"{claim.where[0].upper()}{claim.where[1:]} dates the claim of responsibility "
                        f"{claim.text}, before the event itself (infobox Date: {event_value}).",
                        claim=claim.text,
                        infobox=event_value,
                        **claim.context,
                    )
                )
            if claim.first_day > context.today:
                findings.append(
                    self.finding(
                        Severity.ERROR,
                        claim.target,
                        f"{claim.where[0].upper()}{claim.where[1:]} dates the claim of responsibility "
                        f"{claim.text}, which is after today ({format_date(context.today)}).",
                        claim=claim.text,
                        today=context.today.isoformat(),
                        **claim.context,
                    )
                )
        return findings

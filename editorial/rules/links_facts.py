"""links.facts_agree: what an article says of a linked event agrees with that
event's own article, as published.

A sentence speaks of a linked article when it names its event ("an ISGS
ambush in Tongo Tongo", "the Tongo Tongo ambush"; see `prose_mentions`), or,
when the article names exactly one linked event, when it sets "a similar
attack" (or a previous, earlier, another one) beside its own: "just weeks
after a similar attack in the area killed four American and four Nigerien
troops" is a statement about the Tongo Tongo ambush when that is the one
linked event.

What is compared, as the other rules compare it:
- dates: a date of the sentence must overlap the linked infobox's Date; a
  month without a day ("In early October 2017") spans its month, a date
  without a year takes the linked event's;
- the killed: each count of the killed in the sentence must overlap the
  linked infobox's killed of its party ("four American" and the United
  States' figure), or, with no party, a side's total, the whole total or
  one figure; "about 50" allows its 20 %.
A day or a bounded count that fits the article's own event, in a sentence
that names the linked one, is taken as the article's own and not compared:
a sentence may tell both events. A month ("In early October 2017") or a
count after "a similar attack" is always the linked event's.

Findings are warnings: two articles disagree, and the rule cannot tell
which one is wrong. The rule reads `context.linked` (the published content
of the articles the proposal mentions, filled by the checks); with none it
finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.text import slugify

from encyclopedia.content import ArticleContent
from encyclopedia.dates import DateSpan

from .base import CheckContext, Finding, Rule, Severity
from .text.dates import find_dates, format_span, infobox_event_span
from .text.events import EVENT_NOUNS
from .text.figures import KIND_WORDS, Figure, parse_figures
from .text.groups import party_of
from .text.numbers import NumberMention, Quantity, find_numbers
from .text.prose import ProseBlock, prose_blocks, quote_evidence
from .text.sentences import Sentence, sentences_of

SEE_ALSO = "see also"
MENTION = "mention"

_LEADING_YEAR = re.compile(r"^\d{4}\s+")
_TRAILING_NOUN = re.compile(rf"(?i)^(?P<name>.+?)\s+(?:{EVENT_NOUNS})$")
# A capitalised name of one or more words, joined by "-" or spaces: "Tongo Tongo", "Inates", "Koutougou".
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,4}"
# "the Tongo Tongo ambush", "the 2017 Ayorou attack": the name before the noun.
_NAME_BEFORE_NOUN = re.compile(rf"(?:\b\d{{4}}\s+)?(?P<name>{_NAME})\s+(?i:{EVENT_NOUNS})\b")
# "an ISGS ambush in Tongo Tongo", "the attack on the village of Inates": the name after it.
_NAME_AFTER_NOUN = re.compile(
    rf"(?i:\b(?:{EVENT_NOUNS})\s+(?:in|at|on|near|of)\s+(?:the\s+(?:village|town|city|camp|base)\s+of\s+)?)"
    rf"(?P<name>{_NAME})"
)
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An)\s+")
# Capitalised words before an event noun that name a time or a side, not an event: "the May attack".
_NOT_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "this that its their his her".split()
)
_SEE_ALSO_HEADING = re.compile(r"(?i)^\s*see\s+also\s*$")


def event_place(title: str) -> str | None:
    """The place an event article's title names ("Tongo Tongo" for "Tongo Tongo ambush"), else None."""
    match = _TRAILING_NOUN.match(_LEADING_YEAR.sub("", title.strip()))
    return match.group("name") if match else None


def names_of(title: str) -> set[str]:
    """The names by which other articles may refer to the article with this title."""
    names = {f"title:{slugify(title)}"}
    if (place := event_place(title)) and slugify(place):
        names.add(f"event:{slugify(place)}")
    return names


@dataclass(frozen=True)
class Mention:
    """A sentence of the prose that names an article (by its event)."""

    name: str  # "event:tongo-tongo"
    block: ProseBlock
    sentence: Sentence
    start: int  # the name's offsets within the sentence
    end: int


def prose_mentions(content: ArticleContent) -> list[Mention]:
    """Every sentence of the prose that names an event, with the name."""
    found = []
    for block in prose_blocks(content):
        if block.heading is not None and _SEE_ALSO_HEADING.match(block.heading):
            continue
        for sentence in sentences_of(block.text):
            seen = set()
            for pattern in (_NAME_BEFORE_NOUN, _NAME_AFTER_NOUN):
                for match in pattern.finditer(sentence.text):
                    words = _LEADING_ARTICLE.sub("", match.group("name"))
                    name = f"event:{slugify(words)}"
                    if name != "event:" and words.lower() not in _NOT_NAMES and name not in seen:
                        seen.add(name)
                        found.append(Mention(name, block, sentence, match.start("name"), match.end("name")))
    return found


def see_also_titles(content: ArticleContent) -> list[str]:
    return [
        item
        for section in content.sections
        if _SEE_ALSO_HEADING.match(section.heading)
        for item in section.list_items
        if item
    ]


def mentioned_names(content: ArticleContent) -> dict[str, str]:
    """The names this content refers to, each with how ({name: "see also" | "mention"}); not its own."""
    own = names_of(content.title)
    names = {mention.name: MENTION for mention in prose_mentions(content)}
    for title in see_also_titles(content):
        for name in names_of(title):
            names[name] = SEE_ALSO
    return {name: kind for name, kind in names.items() if name not in own}


def mentions_of(content: ArticleContent, linked: Mapping[str, ArticleContent] | Iterable[str]) -> list[tuple[str, Mention]]:
    """The prose mentions of the linked articles, each with the linked title it names."""
    by_name = {name: title for title in linked for name in names_of(title)}
    return [(by_name[mention.name], mention) for mention in prose_mentions(content) if mention.name in by_name]


# "a similar attack", "the previous ambush": an event set beside the article's own.
_SIMILAR_EVENT = re.compile(
    rf"(?i)\b(?:similar|previous|earlier|prior|another|separate)\s+(?:[\w-]+\s+){{0,2}}?(?:{EVENT_NOUNS})\b"
)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class _Statement:
    title: str  # the linked article's
    block: ProseBlock
    sentence: Sentence
    start: int  # where in the sentence what is compared begins
    name_start: int
    name_end: int


def _statements(content: ArticleContent, linked: Mapping[str, ArticleContent]) -> list[_Statement]:
    statements = []
    named = set()
    for title, mention in mentions_of(content, linked):
        named.add(title)
        statements.append(_Statement(title, mention.block, mention.sentence, 0, mention.start, mention.end))
    see_also = {name for title in see_also_titles(content) for name in names_of(title)}
    events = {title for title in linked if names_of(title) & see_also or title in named}
    events = {title for title in events if infobox_event_span(linked[title]) is not None}
    if len(events) == 1:
        (title,) = events
        told = {(statement.block.target, statement.sentence.start) for statement in statements}
        for block in prose_blocks(content):
            if block.heading is not None and _SEE_ALSO_HEADING.match(block.heading):
                continue
            for sentence in sentences_of(block.text):
                match = _SIMILAR_EVENT.search(sentence.text)
                if match and (block.target, sentence.start) not in told:
                    statements.append(_Statement(title, block, sentence, match.start(), match.start(), match.end()))
    return statements


def _killed_counts(text: str, start: int) -> list[tuple[NumberMention, str | None]]:
    """The counts of the killed from `start` on, each with its party when the words after it name one."""
    words = [(match.start(), match.group().lower()) for match in _WORD.finditer(text)]
    dates = [(mention.start, mention.end) for mention in find_dates(text, one_sentence=True)]
    counts = []
    for number in find_numbers(text):
        if number.start < start or any(first <= number.start < last for first, last in dates):
            continue
        # The kind of the nearest word that names one: "killed four", "four were killed", "killing 13".
        kinds = [
            (abs(at - number.start), "killed" if word == "killing" else KIND_WORDS[word])
            for at, word in words
            if word in KIND_WORDS or word == "killing"
        ]
        if not kinds or min(kinds)[1] != "killed":
            continue
        after = " ".join(word for at, word in words if at >= number.end)[:40]
        counts.append((number, party_of(" ".join(after.split()[:2]))))
    return counts


def _sum(quantities: Iterable[Quantity]) -> Quantity | None:
    total = None
    for quantity in quantities:
        total = quantity if total is None else total + quantity
    return total


def _killed_figures(content: ArticleContent) -> dict[str, list[Figure]]:
    """The killed of each casualties field of the infobox: {key: figures}."""
    figures = {}
    for entry in content.infobox:
        if entry.key.lower().startswith("casualties"):
            killed = [figure for figure in parse_figures(entry.value) if figure.kind == "killed" and figure.counts_people]
            if killed:
                figures[entry.key] = killed
    return figures


def _readings(figures: dict[str, list[Figure]], party: str | None) -> list[tuple[Quantity, str]]:
    """What a count may be compared with, each with how a message names it."""
    every = [figure for field in figures.values() for figure in field]
    if party is not None:
        own = [figure for figure in every if figure.party == party]
        if own:
            return [(_sum(figure.quantity for figure in own), "; ".join(figure.described for figure in own))]
    readings = [(_sum(figure.quantity for figure in field), f"{key}: {'; '.join(f.described for f in field)}") for key, field in figures.items()]
    readings.append((_sum(figure.quantity for figure in every), "all sides"))
    readings += [(figure.quantity, figure.described) for figure in every]
    return readings


class LinkedFactsAgree(Rule):
    id = "links.facts_agree"
    version = 1
    description = "Dates and killed counts said of a linked event agree with that event's published infobox."

    def check(self, context: CheckContext) -> list[Finding]:
        linked = context.linked or {}
        if not linked:
            return []
        own_span = infobox_event_span(context.content)
        own_killed = _killed_figures(context.content)
        findings: list[Finding] = []
        for statement in _statements(context.content, linked):
            other = linked[statement.title]
            findings += self._dates(statement, other, own_span)
            findings += self._counts(statement, other, own_killed)
        return findings

    def _dates(self, statement: _Statement, other: ArticleContent, own_span: DateSpan | None) -> list[Finding]:
        event = infobox_event_span(other)
        if event is None:
            return []
        findings = []
        text = statement.sentence.text
        for mention in find_dates(text, one_sentence=True):
            if mention.end <= statement.start:
                continue
            span = mention.span(event.first.year)
            if span is None or event.overlaps(span.first, span.last):
                continue
            if mention.day is not None and own_span is not None and own_span.overlaps(span.first, span.last):
                continue  # the article's own event's day, told beside the linked one
            findings.append(
                self.finding(
                    Severity.WARNING,
                    statement.block.target,
                    f"{_capitalised(statement.block.where)} dates the {statement.title} to {mention.text}, "
                    f"but that article's infobox gives {format_span(event)}.",
                    fingerprint=f"Linked|{slugify(statement.title)}|date|{span.iso()}",
                    linked=statement.title,
                    **quote_evidence(statement.block, statement.sentence, mention.start, mention.end),
                )
            )
        return findings

    def _counts(self, statement: _Statement, other: ArticleContent, own_killed: dict) -> list[Finding]:
        figures = _killed_figures(other)
        if not figures:
            return []
        findings = []
        text = statement.sentence.text
        for number, party in _killed_counts(text, statement.start):
            readings = _readings(figures, party)
            if any(number.quantity.overlaps(quantity) for quantity, _ in readings):
                continue
            if statement.start == 0 and any(
                quantity.high is not None and number.quantity.overlaps(quantity)
                for quantity, _ in _readings(own_killed, party)
            ):
                continue  # the article's own toll, told in a sentence that also names the linked event
            whose = f" ({party.title() if party.islower() else party})" if party else ""
            findings.append(
                self.finding(
                    Severity.WARNING,
                    statement.block.target,
                    f"{_capitalised(statement.block.where)} counts {number.text} killed{whose} in the "
                    f"{statement.title}, but that article's infobox gives {readings[0][1]}.",
                    fingerprint=f"Linked|{slugify(statement.title)}|killed|{party or ''}|{number.quantity}",
                    linked=statement.title,
                    **quote_evidence(statement.block, statement.sentence, number.start, number.end),
                )
            )
        return findings


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]

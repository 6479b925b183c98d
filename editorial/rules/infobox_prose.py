"""casualties.infobox_prose: the killed and wounded in the casualties fields
agree with the counts the prose gives for this event.

How a count in the prose is read (editorial/rules/text/ does the reading):

- Only what is told of this event: the lead and every section but those of
  context (Background, Previous attacks, ...). The counts from the clause
  that names another event or no single event's are left out (an earlier
  attack, a reprisal the next day, "the deadliest since ... when 20 were
  killed", "so far this year"; see `events.other_event_toll_from`), and so
  are the counts of a sentence with a date the event's Date does not hold
  or a year other than the event's. A year-less date takes the year of the
  last date with a year before it in the block, or the event's. A later
  date that says when the count was given ("On 16 April the spokesman
  said ...") does not make another event, nor does a pluperfect of
  reported speech. With an unreadable Date the lead's first date stands in.
- Who is counted is the noun after the number ("Thirteen gendarmes", "three
  French soldiers", "five MSA fighters" by the combatant's name or acronym);
  "others" takes the group counted before it when there was one; a bare
  number that is the subject of its verb ("at least three were left
  behind") takes the group last named before it. Nouns fall in three groups
  (security forces, armed groups, civilians); "people", a bare count after
  the verb ("killing 13") and a toll without a noun ("the toll rose to 32")
  are anyone, compared with the victims' figures (the security forces',
  the civilians', their sum) and with everyone's sum. Counts of things,
  distances and times are left out.
- What is counted is a kill or wound word after the count ("were killed",
  "and were killed", "neutralised") or before it ("killing 13", "a death
  toll of 32"); counts joined by "and" share the verb, and a list after a
  colon takes the verb of the count before it.
- A part is a lower bound: "two of the gendarmes", "including two
  officers", "17 bodies" (bodies found), "at the market alone", the parts
  of a total after a colon, and a day of an event of several days, whose
  days may together not exceed the field.
- A count the prose itself revises is not compared: one marked as first
  ("initially reported 14 dead", "a preliminary toll of 14"), one that a
  revision in the same sentence or block replaces ("... later raised to
  32", "the next day the army gave a toll of 26"), and an earlier revision
  that a later one replaces anywhere.
- A count stated as a claim ("the group claimed to have killed 40") is
  compared only with a figure the field gives for the claim's source; a
  count attributed to a source ("according to the army") is compared with
  that source's figure when the field names the source. Two sources' counts
  in one sentence agree when one of them does, if the field names none.

Which field holds which group follows the infobox: a Combatant naming an
armed group makes that side the armed group's and the other side (1 or 2)
the security forces'; Casualties3 holds the civilians, as in the
military-conflict infobox; a figure that names its group ("2 civilians
killed") counts for that group whatever its field. When the combatants do
not tell the sides apart, only the civilians are compared.

A count agrees with a field when it can be true together with any
plausible reading of the field: one of its figures of that kind (for the
count's party, or the figure naming its noun, if the field says), their
sum for one source, or the range the sources span. Counts joined in one
sentence ("eleven soldiers and two civilians were wounded") also agree
when their sum does, unless the others have a figure of their own.
Approximate counts are intervals ("about 50" is 40..60, "over fifty" is
51 or more, "dozens" is 24..199) and agree when the interval holds the
field's count. Only killed and wounded are compared, and only where both
the prose and the field give them.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

from encyclopedia.content import ArticleContent
from encyclopedia.dates import parse_date_span
from encyclopedia.infobox import NUMBERED_KEY, FieldKind, kind_of

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .text.attribution import CLAIM, Attribution, attribution_at, attributions
from .text.dates import DateMention, find_dates
from .text.events import is_claim_sentence, other_event_toll_from, revises_toll
from .text.figures import KIND_WORDS, MATERIEL, Figure, parse_figures, singular
from .text.groups import (
    ARMED_GROUP,
    ARMED_GROUP_NAME,
    CIVILIANS,
    FORCES,
    GROUP_NOUN,
    GROUP_OF,
    party_of,
)
from .text.memo import memoized
from .text.numbers import NumberMention, Quantity, find_numbers, may_hold_numbers
from .text.prose import PARAGRAPH_BREAK, ProseBlock, prose_blocks, quote_evidence
from .text.sentences import Sentence, sentences_of

__all__ = ["ARMED_GROUP", "CIVILIANS", "FORCES", "PEOPLE", "InfoboxProseCasualties", "prose_counts", "side_fields"]

PEOPLE = "people"  # a count of anyone: "killing 15 people", "killing 13"
_STATE_NAME = re.compile(
    r"(?i)\b(?:armed\s+forces|army|gendarmerie|police|military|government|national\s+guard|"
    r"ministry|air\s+force|navy)\b"
)
_CONTEXT_HEADING = re.compile(
    r"(?i)\b(?:background|prelude|context|history|previous|prior|earlier|past|related|similar|"
    r"subsequent|later|other|see\s+also|references|notes|further\s+reading|external\s+links|sources|"
    r"reprisals?|retaliation|legacy)\b"
)
_KIND_AFTER = {
    **KIND_WORDS,
    "perished": "killed",
    "slain": "killed",
    "lives": "killed",
    "bodies": "killed",
    "succumbed": "killed",
    "neutralised": "killed",
    "neutralized": "killed",
}
_KIND_BEFORE = re.compile(
    r"(?i)(?:\b(?P<verb>killing|killed|kills|kill|wounding|wounded|injuring|injured|hurting)"
    r"(?:\s+(?!and\b|or\b|but\b|while\b)[\w'-]+)?"
    r"|\b(?P<toll>(?:death\s+)?toll|lives\s+of|deaths\s+of|bodies\s+of)\b[^.;]{0,40}?"
    r"\b(?:of|at|to|as|was|is|stood|stands|reached|hit|totall?ed)"
    r"(?:\s+(?:the|a)\s+(?:official|final|new|revised|total))?)\s+$"
)
_BODIES = re.compile(r"(?i)\b(?:bodies|corpses)\b")
_CLAUSE_END = re.compile(
    r"[;:()]|,\s+(?:and|but|while|whereas|when|after|before|according|as|who|which)\b|\s(?:and|but|while)\s"
)
_TOGETHER_WITH = re.compile(r"(?i)\b(?:together|along)\s+with\s+(?:the\s+|some\s+|about\s+|another\s+)?$")
_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]*$")
_NAME_AFTER = re.compile(r"[A-Z]")


def _clause_end(window: str) -> int | None:
    """Where the clause of a count ends in the words after it; "and" between
    two names ("soldiers from Cameroon and Chad lost their lives") joins the
    names, not two clauses."""
    for found in _CLAUSE_END.finditer(window):
        joins_names = (
            found.group().strip() == "and"
            and _NAME_BEFORE.search(window, 0, found.start())
            and _NAME_AFTER.match(window, found.end())
        )
        if not joins_names:
            return found.start()
    return None


_JOIN = re.compile(
    r"(?i)^(?:\s+[\w'’-]+){0,3}?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+|\s+plus\s+|\s+along\s+with\s+)$"
)
_INITIAL = re.compile(
    r"(?i)\b(?:initial(?:ly)?|at\s+first|originally|first\s+(?:reports?|reported|said|announced|put|gave|counted|"
    r"toll|figures?|count|claimed|statement|reports?)|preliminary|provisional|early\s+(?:reports?|toll|figures?)|an\s+early\s+toll)\b"
)
_REVISED_TO = re.compile(
    r"(?i)\b(?:rose|risen|rising|raised|revised(?:\s+(?:up|down)wards?)?|climbed|increased|jumped|grew|"
    r"updated|corrected|lowered|reduced|fell|dropped|brought|bringing|went\s+up|later\s+put|now\s+stands?|"
    r"final(?:\s+(?:death\s+)?toll)?)\b[^.;]{0,30}?\b(?:to|at|of|as)\s+$"
)
_YEAR_BEFORE = re.compile(r"(?i)\b(?:in|since|of|by|until|the|during|throughout|from|early|late|mid|between|and)\s*-?\s*$")
_TOKEN = re.compile(r"[A-Za-zÀ-ÿ][\w'’.-]*|[,;:!?()]|\.")
_NOT_PEOPLE = frozenset(
    "kilometers kilometres km kms miles mile metres meters hours hour minutes minute days day weeks week months "
    "month years year old percent times time rounds round villages village towns town attacks attack ambushes "
    "raids people's men's a.m. p.m. am pm o'clock vehicles cars rifles guns rockets shells mortars bullets cattle "
    "goats sheep camels head tonnes tons kg litres liters dollars euros francs cfa mm battalion battalions "
    "companies company units unit squads platoons sections posts bases camps checkpoints homes houses huts "
    "shops buildings schools churches mosques mines roads bridges occasions places locations positions "
    "hostages prisoners".split()
)
_PEOPLE_WORDS = frozenset(
    "people persons individuals victims casualties dead bodies corpses lives men adults".split()
)
_BARE_FOLLOWERS = frozenset(
    "were was had have has are is died dead killed wounded injured hurt more who among remain remained "
    "perished lost survived".split()
)
_SKIP_WORDS = frozenset("the their its them those these whom of other others more another additional".split())
_STOP_WORDS = frozenset(
    "in at on from by with to near and or but as for after before during when while that which who "
    "inside outside into".split()
)
_VERBISH = _BARE_FOLLOWERS | _STOP_WORDS | frozenset(_KIND_AFTER) | frozenset(
    "killing wounding injuring leaving left being been said reported".split()
)
_COMPARED_KINDS = ("killed", "wounded")
# Nouns of trades and callings ("fishermen", "herdsmen") count civilians.
_CIVILIAN_ENDINGS = ("fishermen", "herdsmen", "tradesmen", "craftsmen", "fisherman", "herdsman")
_BODY_WORDS = frozenset({"bodies", "corpses"})
_BODIES_OF = re.compile(r"(?i)\s+of\s+((?:[\w'-]+\s*){1,3})")
_GAVE_TOLL = re.compile(
    r"(?i)\b(?:gave|gives|put|puts|set|announced|released|published|issued|reported)\s+(?:a|the|an|its|their)\s+"
    r"(?:[\w-]+\s+)?(?:death\s+)?toll\s+(?:of|at|as)\s+$"
)
# "eight were later found dead": the bodies found are part of the dead
_FOUND = re.compile(r"(?i)\b(?:found|recovered|discovered|retrieved)\b")
_AND_WERE = re.compile(
    r"(?i)\s+and\s+(?:(?:were|was|had\s+been)\s+(?:later\s+|also\s+|all\s+)?(killed|wounded|injured|slain|dead)"
    r"|(?:later\s+)?(died|perished))\b"
)
# "A mine killed three soldiers; the others were killed in the fighting":
# the three are a part
_THE_OTHERS = re.compile(r"(?i)\bthe\s+(?:others|rest|remaining|other\s+(?!side|hand)\w+)\b")
# "At Intazayene alone, about 60 people were killed": one place's part of the toll
_ALONE = re.compile(r"(?i)\balone\b")
_PART_BEFORE = re.compile(r"(?i)\b(?:including|incl\.|among\s+(?:them|whom|those)|of\s+(?:whom|them|which))\s+$")
_ASIDE = re.compile(r"(?i)^(?:\s+[\w'’-]+){0,3}\s*,\s*(?:including|among\s+(?:them|whom))\s+$")
_BARE_TO = re.compile(r"(?i)\bto\s+$")
_AND_NEXT = re.compile(r"(?i)^\s*(?:[\w-]+\s*){0,3}?(?:,\s*(?:and\s+)?|\band\s+)$")
# Words of combatants' names that are no name of theirs in prose.
_GENERIC_NAMES = frozenset(
    "islamic state province army armed forces force national guard group front movement republic police "
    "defense defence homeland volunteers the and for of".split()
)
_CASUALTIES_KEYS = ("Casualties1", "Casualties2", "Casualties3")


@dataclass(frozen=True)
class ProseCount:
    block: ProseBlock
    sentence_at: Sentence  # the sentence, with its offsets in the block
    group: str  # FORCES, ARMED_GROUP, CIVILIANS or PEOPLE
    kind: str
    mention: NumberMention
    phrase_end: int  # where the count's noun ends in the sentence ("Thirteen gendarmes")
    party: str | None = None
    attribution: Attribution | None = None
    joined: tuple[Quantity, ...] = ()  # the counts of one kind joined with it, itself included
    joined_span: tuple[int, int] | None = None
    joined_groups: tuple[str, ...] = ()  # their groups
    joined_nouns: tuple[str | None, ...] = ()  # their nouns
    superseded: bool = False
    revision: bool = False  # the count a revision gives ("raised to 32")
    partial: bool = False
    noun: str | None = None  # "gendarmes"
    day: int | None = None  # the day (ordinal) of an event of several days the count is told of
    names: tuple[str, ...] = ()  # names before the noun: "MSA" in "five MSA fighters"

    @property
    def sentence(self) -> str:
        return self.sentence_at.text

    @property
    def phrase(self) -> str:
        """The count with its noun, as written: "Thirteen gendarmes"."""
        start, end = self.joined_span or (self.mention.start, self.phrase_end)
        return self.sentence[start:end]


def side_fields(content: ArticleContent) -> dict[str, str]:
    """Which casualties field holds which group, from the Combatant fields."""
    armed, forces = set(), set()
    for side in ("1", "2"):
        combatant = content.infobox_value(f"Combatant{side}") or ""
        if ARMED_GROUP_NAME.search(combatant):
            armed.add(side)
        elif _STATE_NAME.search(combatant) or party_of(combatant):
            forces.add(side)
    if len(armed) == 1 and not forces & armed:
        (armed_side,) = armed
    elif len(forces) == 1 and not armed:
        armed_side = "2" if forces == {"1"} else "1"
    else:
        armed_side = None
    fields = {CIVILIANS: "Casualties3"}
    if armed_side:
        fields[ARMED_GROUP] = f"Casualties{armed_side}"
        fields[FORCES] = f"Casualties{'1' if armed_side == '2' else '2'}"
    return fields


# --- reading the prose ------------------------------------------------------------------

# What is read from a sentence alone is kept for the sentences met again: the
# rule runs on the proposal and then on its base, which share most of their
# sentences, and an article is checked again at each preview.
_CACHED = 8192
_numbers = memoized(_CACHED)(lambda text: tuple(find_numbers(text)))
_dates = memoized(_CACHED)(lambda text: tuple(find_dates(text)))
_attributions = memoized(_CACHED)(attributions)
_other_event_from = memoized(_CACHED)(other_event_toll_from)
_revises_toll = memoized(_CACHED)(revises_toll)
_is_claim = memoized(_CACHED)(is_claim_sentence)



def _event_span(content: ArticleContent) -> tuple[datetime.date, datetime.date] | None:
    """The event's days: the infobox Date's, or when it cannot be read (the
    structure rule says so) the first full date of the lead, so that the
    other events' dated counts are still told apart."""
    value = content.infobox_value("Date")
    span = parse_date_span(value) if value else None
    if span:
        return span.first, span.last
    for mention in _dates(content.lead):
        if mention.year is not None and mention.day is not None:
            return _mention_days(mention, mention.year)
    return None


def _mention_days(mention: DateMention, year: int) -> tuple[datetime.date, datetime.date] | None:
    """The days a date in prose means, its missing year taken as `year`."""
    year = mention.year or year
    try:
        if mention.day is None:
            first = datetime.date(year, mention.month, 1)
            following = datetime.date(year + mention.month // 12, mention.month % 12 + 1, 1)
            return first, following - datetime.timedelta(days=1)
        last = datetime.date(year, mention.month, mention.day)
        from_day = getattr(mention, "from_day", None)
        if from_day is None:
            return last, last
        first = datetime.date(
            getattr(mention, "from_year", None) or year, getattr(mention, "from_month", None) or mention.month, from_day
        )
    except ValueError:
        return None
    return (first, last) if first <= last else (last, last)


_MONTH_WORDS = frozenset(name.lower() for names in date_parser.parserinfo.MONTHS for name in names)
_LOWER_WORD = re.compile(r"[a-z]+")
_LETTERS = re.compile(r"[A-Za-z]+")
_TOLL = re.compile(r"(?i)\btoll\b")
_CLAUSE_PUNCTUATION = re.compile(r"[,;]")
_FOUR_DIGITS = re.compile(r"\d{4}")
_ON = re.compile(r"(?i)\bon\s+(?:the\s+)?$")
_REPORTED_AS = re.compile(
    r"(?i)\b(?:said|says|stated|announced|reported|confirmed|told|gave|put|published|released|issued|declared|"
    r"raised|revised|updated|counted|estimated)\b"
)
_COMMA = re.compile(r"\s*,")
_FOLLOWING_DAY = re.compile(
    r"(?i)^(?:on\s+|by\s+)?(?:the\s+)?(?:following|next)\s+(?:day|morning|night|evening)\b|^the\s+day\s+after\b"
)


@memoized(_CACHED)
def _sentence_dates(
    block_text: str,
    sentence: Sentence,
    event: tuple[datetime.date, datetime.date] | None,
    numbers: tuple[NumberMention, ...],
) -> tuple[tuple[tuple[int, int], ...], bool, int | None]:
    """The spans of the dates in the sentence; whether one of them is a day
    the event does not hold, so that the sentence tells another event; and
    the day (its ordinal) when it is one day of an event of several, so
    that its counts are part of the toll ("On May 31 ... killing 23 people").

    A year-less date takes the year of the last date with a year before it
    in the block, or the event's. A later date that says when the count was
    given ("On 16 April the army said that 61 soldiers had been killed")
    does not date the deaths: the reporting verb comes between the date and
    the first count.
    """
    text = sentence.text
    if _MONTH_WORDS.isdisjoint(_LOWER_WORD.findall(text.lower())):
        return (), False, None  # no month, no date: most sentences
    mentions = _dates(text)
    spans = tuple((mention.start, mention.end) for mention in mentions)
    if event is None:
        return spans, False, None
    counts = [number.start for number in numbers if not any(start <= number.start < end for start, end in spans)]
    year = None
    other = False
    part: int | None = None
    for mention in mentions:
        if mention.year is None and year is None:
            earlier = [found.year for found in _dates(block_text) if found.year and found.start < sentence.start]
            year = earlier[-1] if earlier else event[0].year
        days = _mention_days(mention, mention.year or year or event[0].year)
        if mention.year is not None:
            year = mention.year
        if days is None:
            continue
        if days[0] <= event[1] and event[0] <= days[1]:
            # one day of an event of several: what it counts is part of the toll
            if event[0] < event[1] and (days[0] > event[0] or days[1] < event[1]) and part is None:
                part = days[0].toordinal()
            continue
        first_count = next((start for start in counts if start > mention.end), None)
        verb = _REPORTED_AS.search(text, mention.end, first_count) if first_count is not None else None
        # the verb says when: "On 16 April the army spokesman said", "On
        # August 28, the President said"; not "On 19 May, the army began a
        # sweep ...; the ministry said"
        between = text[mention.end : verb.start()].lstrip(" ,") if verb else ""
        reported = (
            days[0] == days[1] > event[1]
            and _ON.search(text, max(0, mention.start - 8), mention.start) is not None
            and verb is not None
            and not _CLAUSE_PUNCTUATION.search(between)
            and len(between.split()) <= 8
        )
        other = other or not reported
    return spans, other, part


@dataclass
class _Reading:
    """One count being read, before it becomes a ProseCount."""

    mention: NumberMention
    window: str  # the text after the count, to the clause end
    gap: str  # the text up to the next count
    before: str  # the text since the previous count (or the sentence start)
    group: str | None = None  # None: not people, or unknown
    people: bool = True
    bare: bool = False
    others: bool = False
    partial: bool = False
    party: str | None = None
    noun: str | None = None
    names: tuple[str, ...] = ()  # capitalised words before the noun ("MSA" in "five MSA fighters")
    noun_end: int = 0
    kind: str | None = None
    kind_before: bool = False
    revision: bool = False


def _read_noun(reading: _Reading, sentence: str, first_word_only: bool = False) -> None:
    """Who the count counts, from the words after it (see the module doc)."""
    mention = reading.mention
    reading.noun_end = mention.end
    unknown = 0
    only_skipped = True  # no word read yet but "of the", "others", a party ...
    names: list[str] = []
    tokens = _TOKEN.finditer(sentence, mention.end, mention.end + 80)
    for index, token in enumerate(tokens):
        raw = token.group()
        word = raw.lower().rstrip(".")
        if first_word_only and index > 0:
            break
        if not word or not word[0].isalpha():
            reading.bare = only_skipped  # "killing 13.", "three, ..."
            return
        group = GROUP_OF.get(word) or (CIVILIANS if word.endswith(_CIVILIAN_ENDINGS) else None)
        if group or word in _PEOPLE_WORDS:
            reading.group = group or PEOPLE
            reading.noun, reading.names = word, tuple(names)
            if word not in _KIND_AFTER:  # "17 dead" is no noun to quote
                reading.noun_end = token.start() + len(raw.rstrip("."))
            if word in _BODY_WORDS:
                _read_bodies(reading, sentence, token.end())
            return
        if word in _NOT_PEOPLE or singular(word) in MATERIEL:
            reading.people = False
            return
        if word == "of" and only_skipped and not reading.partial:
            reading.partial = True
            continue
        if word in ("others", "other", "more", "another", "additional"):
            reading.others = True
            continue
        if word in _SKIP_WORDS:
            continue
        if party := party_of(raw):
            reading.party = party
            continue
        if word in _VERBISH:
            reading.bare = only_skipped
            reading.people = only_skipped
            return
        only_skipped = False
        if raw[:1].isupper():
            names.append(raw.rstrip("."))
        unknown += 1  # an adjective before the noun ("unarmed civilians"), or a noun of no group
        if unknown > 2:
            break
    reading.bare = only_skipped
    reading.people = only_skipped


def _read_bodies(reading: _Reading, sentence: str, after: int) -> None:
    """A count of bodies is a count of dead, at least: the bodies found are
    not always all the dead. "17 bodies of fighters" counts the fighters."""
    reading.partial = True
    reading.kind = "killed"
    if whose := _BODIES_OF.match(sentence, after):
        groups = [GROUP_OF[word.lower()] for word in _LETTERS.findall(whose.group(1)) if word.lower() in GROUP_OF]
        reading.group = groups[0] if groups else reading.group


def _read_kind(reading: _Reading, sentence: str) -> None:
    """What the count counts (killed, wounded, ...), after it or before it."""
    if reading.kind:
        return
    window = reading.window
    if reading.bare and window.lstrip().startswith(","):
        window = ""  # "The assailants, numbering around 100, killed ...": the verb is not the count's
    for word in _LETTERS.findall(window)[:8]:
        lowered = word.lower()
        if lowered in _KIND_AFTER:
            reading.kind = _KIND_AFTER[lowered]
            return
    if window and (joined := _AND_WERE.match(reading.gap, len(window))):
        # "Two guards tried to intervene and were killed": the same subject
        reading.kind = _KIND_AFTER[(joined.group(1) or joined.group(2)).lower()]
        return
    before = _KIND_BEFORE.search(sentence, max(0, reading.mention.start - 60), reading.mention.start)
    if before:
        reading.kind_before = True
        verb = (before.group("verb") or "").lower()
        reading.kind = "wounded" if verb.startswith(("wound", "injur", "hurt")) else "killed"
        return
    if _BODIES.search(sentence):
        reading.kind = "killed"


@memoized(_CACHED)
def _sentence_counts(
    block: ProseBlock, sentence: Sentence, mentions: tuple[NumberMention, ...]
) -> tuple[ProseCount, ...]:
    """The counts of killed and wounded a sentence gives (kept for the
    sentences met again, see _CACHED)."""
    text = sentence.text
    readings: list[_Reading] = []
    previous_end = 0
    for index, mention in enumerate(mentions):
        gap_end = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        gap = text[mention.end : gap_end]
        window = gap
        if clause_end := _clause_end(window):
            window = window[: clause_end]
        reading = _Reading(mention, window, gap, text[previous_end : mention.start])
        reading.revision = _follows_revision(reading, readings, text)
        # after "raised to", "a toll of": the noun, if any, is the next word
        _read_noun(reading, text, first_word_only=reading.revision or _is_toll(text, mention))
        if _PART_BEFORE.search(reading.before) or _FOUND.search(reading.window) or _ALONE.search(
            text, max(0, mention.start - 40), min(len(text), mention.end + 40)
        ) or _THE_OTHERS.search(text, mention.end) or (
            # "15 soldiers died: 13 in the attack and two later": parts of the 15
            reading.bare and readings and ":" in text[: mention.start]
        ):
            reading.partial = True  # "including two officers", "of whom three"
        _read_kind(reading, text)
        readings.append(reading)
        previous_end = mention.end
    # "13 soldiers, including two officers, were killed": the verb after the
    # aside is the first count's too
    for index in range(len(readings) - 2, -1, -1):
        if readings[index].kind is None and _ASIDE.match(readings[index].gap):
            readings[index].kind = readings[index + 1].kind
    # "Twelve of its members died, together with 21 villagers": the count
    # the first one's verb is told of "together with" shares that verb
    for index in range(1, len(readings)):
        if readings[index].kind is None and _TOGETHER_WITH.search(readings[index].before):
            readings[index].kind = readings[index - 1].kind
    chains = _chains(readings)
    clauses: list | None = None  # read only for a sentence with a count to compare
    counts: list[ProseCount] = []
    groups_seen: list[str] = []
    previous: _Reading | None = None
    for chain in chains:
        kinds = [readings[index].kind for index in chain]
        chain_kind = kinds[-1] or next((kind for kind in kinds if kind), None)
        first = readings[chain[0]]
        if chain_kind is None and previous is not None and ":" in first.before:
            chain_kind = previous.kind  # "thirteen were wounded: eleven soldiers and two civilians"
        members: list[tuple[_Reading, str]] = []
        for index in chain:
            reading = readings[index]
            reading.kind = reading.kind or chain_kind
            group = _group(reading, text, groups_seen)
            previous = reading
            if group is None:
                continue
            groups_seen.append(group)
            if reading.kind in _COMPARED_KINDS:
                members.append((reading, group))
        if not members:
            continue
        if clauses is None:
            clauses = _attributions(text)
        for reading, group in members:
            same_kind = [(other, other_group) for other, other_group in members if other.kind == reading.kind]
            joined = tuple(other.mention.quantity for other, _ in same_kind)
            span = (same_kind[0][0].mention.start, same_kind[-1][0].noun_end) if len(same_kind) > 1 else None
            mention = _at_least(reading.mention) if reading.partial else reading.mention
            counts.append(
                ProseCount(
                    block,
                    sentence,
                    group,
                    reading.kind,
                    mention,
                    reading.noun_end,
                    party=reading.party,
                    attribution=attribution_at(clauses, mention.start),
                    joined=joined if len(joined) > 1 else (),
                    joined_groups=tuple(other_group for _, other_group in same_kind) if len(joined) > 1 else (),
                    joined_nouns=tuple(other.noun for other, _ in same_kind) if len(joined) > 1 else (),
                    joined_span=span,
                    partial=reading.partial,
                    revision=reading.revision,
                    superseded=_initial(reading, text),
                    noun=reading.noun,
                    names=reading.names,
                )
            )
    # "Nineteen people, including 13 soldiers, ...", "The toll was 13: 11
    # soldiers and two civilians": the groups' counts say more than the
    # count of anyone, which may hold people the infobox does not count
    grouped = {(count.kind, count.attribution) for count in counts if count.group != PEOPLE}
    counts = [
        _replace(count, superseded=True) if count.group == PEOPLE and (count.kind, count.attribution) in grouped else count
        for count in counts
    ]
    return tuple(_supersede_within(counts))


def _chains(readings: list[_Reading]) -> list[list[int]]:
    """The counts joined by "and" or a comma, which share their verb:
    "Thirteen gendarmes and one civilian were killed"."""
    chains: list[list[int]] = [[0]] if readings else []
    for index in range(1, len(readings)):
        previous = readings[index - 1]
        if (
            previous.people
            and readings[index].people
            and not readings[index].bare  # "13 soldiers, 29 were wounded": a new clause
            and _JOIN.match(previous.gap)
            and not any(word.lower() in _VERBISH - {"and", "as", "well"} for word in _LETTERS.findall(previous.gap))
        ):
            chains[-1].append(index)
        else:
            chains.append([index])
    return chains


def _group(reading: _Reading, text: str, groups_seen: list[str]) -> str | None:
    """The group a count is of, when its noun does not say (see the module doc)."""
    group = reading.group
    toll = _is_toll(text, reading.mention) or reading.revision
    if group == PEOPLE and reading.kind == "killed" and toll and reading.noun in _KIND_AFTER:
        group = None  # "the toll was raised to 17 dead": read below as a toll
    if group is not None or not reading.people:
        return group
    named = list(GROUP_NOUN.finditer(text, 0, reading.mention.start))
    named_group = GROUP_OF[named[-1].group().lower()] if named else None
    if reading.others:
        # "five others": of the group counted before, if only one was
        distinct = set(groups_seen)
        return distinct.pop() if len(distinct) == 1 and PEOPLE not in distinct else PEOPLE
    if toll:
        # "the toll rose to 32": of anyone, unless its own clause names them
        # ("the toll among the soldiers rose to 32"); "after soldiers and
        # fishermen searched the reed beds, the count was raised to 36" does not
        clause_start = max(text.rfind(mark, 0, reading.mention.start) for mark in ",;:") + 1
        in_clause = list(GROUP_NOUN.finditer(text, clause_start, reading.mention.start))
        return GROUP_OF[in_clause[-1].group().lower()] if in_clause else PEOPLE
    if reading.kind_before and not reading.partial:
        return PEOPLE  # "killing 13": the victims, not the killers named before
    return named_group


def _at_least(mention: NumberMention) -> NumberMention:
    """The count as a lower bound: "two of the gendarmes" is part of a count."""
    quantity = mention.quantity
    return NumberMention(
        Quantity(quantity.low, None, quantity.approximate, quantity.nominal), mention.text, mention.start, mention.end
    )


def _is_toll(text: str, mention: NumberMention) -> bool:
    return bool(_TOLL.search(text, max(0, mention.start - 60), mention.start))


def _follows_revision(reading: _Reading, earlier: list[_Reading], text: str) -> bool:
    """Whether the count is one a revision gives: "a toll later raised to
    32", "... 39 dead and 56 wounded", "and on 7 October to 41", "the next
    day the army gave a toll of 26"."""
    before = reading.before.rsplit(";", 1)[-1]
    if _INITIAL.search(before):
        return False  # "gave a first toll of 20"
    if _REVISED_TO.search(before[-60:]) or (_GAVE_TOLL.search(before[-60:]) and revises_toll(text)):
        return True
    if any(other.revision for other in earlier):
        if _BARE_TO.search(before):
            return True  # "... and on 7 October to 41 killed"
        return earlier[-1].revision and bool(_AND_NEXT.match(before))
    return False


def _initial(reading: _Reading, text: str) -> bool:
    """Whether the count is a first one the prose goes on to revise:
    "initially reported 14 dead", "a preliminary toll of 14"."""
    if reading.revision:
        return False
    before = text[: reading.mention.start].rsplit(";", 1)[-1]  # the clause: "first ... 25 killed and four wounded"
    after = _CLAUSE_PUNCTUATION.split(text[reading.mention.end : reading.mention.end + 40], 1)[0]
    return bool(_INITIAL.search(before) or _INITIAL.search(after))


def _supersede_within(counts: list[ProseCount]) -> list[ProseCount]:
    """A revision replaces the counts of its kind given before it in the
    sentence; so does a part of a revised count told after it: in "raised
    it to 39 killed and 19 wounded, and on 7 October to 41 killed after two
    of the wounded died", neither the 39 nor the 19 stands."""
    marked = list(counts)
    for index, count in enumerate(marked):
        after_revision = any(other.revision for other in marked[:index])
        if not (count.revision or (count.partial and after_revision)):
            continue
        for earlier in range(index):
            other = marked[earlier]
            same_group = count.group == PEOPLE or other.group in (count.group, PEOPLE)
            if other.kind == count.kind and same_group and (count.revision or other.revision):
                marked[earlier] = _replace(other, superseded=True)
    return marked


def _replace(count: ProseCount, **changes) -> ProseCount:
    return ProseCount(**{**{name: getattr(count, name) for name in ProseCount.__dataclass_fields__}, **changes})


def _combatant_names(content: ArticleContent) -> dict[str, str]:
    """The names and acronyms of each side's combatant, to the group its
    casualties field holds: "MSA" (the Movement for the Salvation of Azawad)."""
    groups = {key: group for group, key in side_fields(content).items()}
    names: dict[str, str] = {}
    for side in ("1", "2"):
        group = groups.get(f"Casualties{side}")
        combatant = content.infobox_value(f"Combatant{side}") or ""
        if group is None or not combatant:
            continue
        for part in re.split(r"[;,()]", combatant):
            capitals = [word for word in re.findall(r"[A-Z][\w'’-]*", part)]
            if len(capitals) > 1:
                names["".join(word[0] for word in capitals)] = group
            for word in capitals:
                if (word.isupper() and len(word) > 1) or (len(word) > 3 and word.lower() not in _GENERIC_NAMES):
                    names[word] = group
    return names


def prose_counts(content: ArticleContent) -> list[ProseCount]:
    """The counts of killed and wounded people the prose gives for the event,
    the counts it revises included (marked `superseded`)."""
    event = _event_span(content)
    event_years = set(range(event[0].year, event[1].year + 1)) if event else set()
    combatants = _combatant_names(content)
    counts: list[ProseCount] = []
    for block in prose_blocks(content):
        if block.heading is not None and _CONTEXT_HEADING.search(block.heading):
            continue
        if not may_hold_numbers(block.text):
            continue
        block_counts: list[ProseCount] = []
        # In an event of several days, a paragraph that opens on one day
        # tells that day until it names another ("On 14 March, gunmen rode
        # into Kadjirou. They killed 33 people."), and "the following day"
        # moves it on by one: those counts are parts of the toll too.
        several_days = event is not None and event[0] < event[1]
        told_day: tuple[int, int] | None = None  # (paragraph, day ordinal)
        breaks = [found.end() for found in PARAGRAPH_BREAK.finditer(block.text)] if several_days else []
        for sentence in sentences_of(block.text):
            paragraph = bisect.bisect_right(breaks, sentence.start)
            if several_days and told_day and _FOLLOWING_DAY.match(sentence.text):
                told_day = (paragraph, told_day[1] + 1)  # from the day told last, in this paragraph or before
            elif told_day and told_day[0] != paragraph:
                told_day = (-1, told_day[1])  # a new paragraph tells no day, unless it says which
            mentions = _numbers(sentence.text)
            if not mentions:
                if several_days and (told_day is None or told_day[0] != paragraph) and _MONTH_WORDS & set(_LOWER_WORD.findall(sentence.text.lower())):
                    _, _, opened_on = _sentence_dates(block.text, sentence, event, ())
                    if opened_on is not None:
                        told_day = (paragraph, opened_on)
                continue
            text = sentence.text
            date_spans, other_day, one_day = _sentence_dates(block.text, sentence, event, mentions)
            if several_days:
                if one_day is not None:
                    told_day = (paragraph, one_day)
                elif not date_spans and told_day is not None and told_day[0] == paragraph:
                    one_day = told_day[1]
            if other_day and not _revises_toll(text):
                continue  # a day the event does not hold: another event's counts
            kept = []
            other_year = False
            for mention in mentions:
                if any(start <= mention.start < end for start, end in date_spans):
                    continue
                if _FOUR_DIGITS.fullmatch(mention.text) and 1900 <= mention.quantity.low <= 2100 and (
                    _YEAR_BEFORE.search(text, max(0, mention.start - 12), mention.start)
                    or _COMMA.match(text, mention.end)
                ):
                    other_year = other_year or bool(event_years and mention.quantity.low not in event_years)
                    continue  # a year
                kept.append(mention)
            other_from = _other_event_from(text)
            if other_from is not None:
                kept = [mention for mention in kept if mention.end <= other_from]
            if not kept or other_year:
                continue
            found = list(_sentence_counts(block, sentence, tuple(kept)))
            claim = _is_claim(text)
            for index, count in enumerate(found):
                if one_day is not None and not count.revision:
                    count = _replace(count, mention=_at_least(count.mention), partial=True, day=one_day)
                if count.names and (side := next((combatants[name] for name in count.names if name in combatants), None)):
                    count = _replace(count, group=side)  # "five MSA fighters": the MSA's side
                if claim and count.attribution is None:
                    count = _replace(count, attribution=Attribution("the claim", frozenset({CLAIM}), True))
                found[index] = count
            block_counts += found
        # A revision replaces the counts of its kind told before it in the
        # block, and the tolls given before it in the blocks before (the
        # history of the toll, not what the lead states as the toll).
        for index, count in enumerate(block_counts):
            if not count.revision or count.superseded:
                continue
            for earlier in range(index):
                other = block_counts[earlier]
                if other.kind == count.kind and (count.group == PEOPLE or other.group in (count.group, PEOPLE)):
                    block_counts[earlier] = _replace(other, superseded=True)
            for earlier, other in enumerate(counts):
                # The lead states the toll as it stands; a section telling
                # how the toll grew does not make the lead's figure history.
                if other.block.heading is None:
                    continue
                if other.revision and other.kind == count.kind and (
                    count.group == PEOPLE or other.group in (count.group, PEOPLE)
                ):
                    counts[earlier] = _replace(other, superseded=True)
        counts += block_counts
    return counts


# --- comparing with the infobox ---------------------------------------------------------


def _sum(quantities: list[Quantity]) -> Quantity:
    total = quantities[0]
    for quantity in quantities[1:]:
        total = total + quantity
    return total


def _readings(figures: list[Figure]) -> list[Quantity]:
    """The plausible readings of a field's figures of one kind: each figure,
    the sum for each source, and the range the sources span."""
    readings = [figure.quantity for figure in figures]
    readings += [part for figure in figures for part in figure.parts]
    by_source: dict[str | None, list[Quantity]] = {}
    for figure in figures:
        by_source.setdefault(figure.pairing_key[3], []).append(figure.quantity)
    totals = [_sum(quantities) for quantities in by_source.values()]
    readings += [total for total, quantities in zip(totals, by_source.values()) if len(quantities) > 1]
    if len(totals) > 1:
        span = totals[0]
        for total in totals[1:]:
            span = span.span(total)
        readings.append(span)
    return readings


def _alternative(count: ProseCount) -> tuple[str, int, str, str, str]:
    """What tells the sources' counts of one sentence apart: (where, which
    sentence, what kind, of whom, whose count)."""
    source = count.attribution.source.lower() if count.attribution else ""
    return count.block.target, count.sentence_at.start, count.kind, count.group, source


def _stems(text: str) -> set[str]:
    return {word.lower().rstrip("s") for word in _LETTERS.findall(text)}


def _casualty_figures(content: ArticleContent) -> dict[str, list[Figure]]:
    """The figures of people in each casualties field."""
    return {
        entry.key: [figure for figure in _figures(entry.value) if figure.counts_people]
        for entry in content.infobox
        if kind_of(entry.key) is FieldKind.CASUALTIES
    }


_figures = memoized(256)(lambda value: tuple(parse_figures(value)))


def _sum_compared(count: ProseCount, fields: dict[str, str], figures: dict[str, list[Figure]]) -> bool:
    """Whether counts joined with this one are also compared as their sum:
    "eleven soldiers and two civilians were wounded" against 13 wounded, as
    a field may count them together, unless the others have a figure of
    their own."""
    return bool(count.joined) and not any(
        _has_own_figure(group, noun, count, fields, figures)
        for group, noun in zip(count.joined_groups, count.joined_nouns)
        if (group, noun) != (count.group, count.noun)
    )


def _has_own_figure(
    group: str, noun: str | None, count: ProseCount, fields: dict[str, str], figures: dict[str, list[Figure]]
) -> bool:
    """Whether the infobox counts apart the killed (or wounded) of another
    count joined with this one: their group's own field ("two civilians"
    and Casualties3), or a figure naming them ("2 rangers killed")."""
    kind = count.kind
    if noun is not None and any(
        figure.kind == kind and noun.rstrip("s") in _stems(figure.text)
        for field_figures in figures.values()
        for figure in field_figures
    ):
        return True
    if group in (PEOPLE, count.group):
        return False
    own = figures.get(fields.get(group, ""), [])
    return any(figure.kind == kind and figure.group in (None, group) for figure in own) or any(
        figure.kind == kind and figure.group == group for field_figures in figures.values() for figure in field_figures
    )


@dataclass(frozen=True)
class _Comparison:
    key: str  # the field the finding is about (the first compared)
    figures: list[tuple[str, Figure]]  # (field, figure) compared
    readings: list[Quantity]


def _label(key: str) -> str:
    """A key as the page labels it ("Casualties 3"); encyclopedia.page does the
    same but reads the database, which the rules never do."""
    match = NUMBERED_KEY.match(key)
    return f"{match['stem']} {match['side']}" if match else key


_WHOSE = {FORCES: "the security forces", ARMED_GROUP: "the attackers", CIVILIANS: "the civilians"}


class InfoboxProseCasualties(Rule):
    id = "casualties.infobox_prose"
    version = 2
    description = "The killed and wounded in the casualties fields agree with the counts in the prose."

    def check(self, context: CheckContext) -> list[Finding]:
        content = context.content
        fields = side_fields(content)
        figures = _casualty_figures(content)
        findings: list[Finding] = []
        counts = prose_counts(content)
        disagreeing: list[tuple[ProseCount, _Comparison]] = []
        agreeing: set[tuple[str, int, str, str, str]] = set()  # _alternative() of the agreeing counts
        for count in counts:
            if count.superseded:
                continue
            comparison = self._comparison(count, fields, figures)
            if comparison is None:
                continue
            if self._agrees(count, comparison, fields, figures):
                agreeing.add(_alternative(count))
            else:
                disagreeing.append((count, comparison))
        for count, comparison in disagreeing:
            # "Officials put the toll at 30, but local sources spoke of more
            # than 50": where the field gives no sources, one of the
            # sources' counts agreeing is enough
            where, sentence, kind, group, source = _alternative(count)
            if source and any(
                other[:3] == (where, sentence, kind) and (group == other[3] or PEOPLE in (group, other[3]))
                and other[4] != source
                for other in agreeing
            ) and not any(figure.source for _, figure in comparison.figures):
                continue
            findings.append(self._finding(context, count, comparison, fields, figures))
        findings += self._days_beyond_the_toll(context, fields, figures, counts)
        return findings

    def _days_beyond_the_toll(
        self,
        context: CheckContext,
        fields: dict[str, str],
        figures: dict[str, list[Figure]],
        counts: list[ProseCount],
    ) -> list[Finding]:
        """The counts told day by day of an event of several days ("On May 30
        ... killed 19 men. On May 31 ... killing 23 people") add up to no
        more than the field's toll: each is a part, their sum too."""
        findings = []
        for kind in _COMPARED_KINDS:
            by_day: dict[int, ProseCount] = {}
            for count in counts:
                if count.day is not None and count.kind == kind and not count.superseded and count.group != ARMED_GROUP:
                    if count.day not in by_day or count.mention.quantity.low > by_day[count.day].mention.quantity.low:
                        by_day[count.day] = count
            if len(by_day) < 2:
                continue
            parts = [by_day[day] for day in sorted(by_day)]
            total = sum(part.mention.quantity.low for part in parts)
            groups = {part.group for part in parts}
            group = groups.pop() if len(groups) == 1 else PEOPLE
            whole = _replace(parts[-1], group=group, mention=NumberMention(Quantity(total, None), "", 0, 0))
            comparison = self._comparison(whole, fields, figures, everyone=False)
            if comparison is None or any(reading.high is None or reading.high >= total for reading in comparison.readings):
                continue
            last = parts[-1]
            days = " + ".join(part.mention.text for part in parts)
            field_value = "; ".join(figure.described for _, figure in comparison.figures)
            message = (
                f"The infobox gives {self._described(fields, comparison)}; the days the prose tells add up "
                f"to more: {days} {kind}, {total} in all."
            )
            findings.append(
                self.finding(
                    Severity.ERROR,
                    last.block.target,
                    message,
                    fingerprint=f"{comparison.key}|days|{kind}|{','.join(str(f.quantity) for _, f in comparison.figures)}|{total}",
                    **quote_evidence(last.block, last.sentence_at, last.mention.start, last.mention.end),
                    field=comparison.key,
                    infobox=field_value,
                    kind=kind,
                    prose=days,
                )
            )
        return findings

    @staticmethod
    def _agrees(
        count: ProseCount, comparison: _Comparison, fields: dict[str, str], figures: dict[str, list[Figure]]
    ) -> bool:
        tried = [count.mention.quantity]
        if _sum_compared(count, fields, figures):
            tried.append(_sum(list(count.joined)))
        return any(quantity.overlaps(reading) for quantity in tried for reading in comparison.readings)

    @staticmethod
    def _comparison(
        count: ProseCount, fields: dict[str, str], figures: dict[str, list[Figure]], everyone: bool = True
    ) -> _Comparison | None:
        """The figures of the count's kind it is compared with, and their
        readings; None when there is nothing to compare. A count of anyone
        is also read as everyone's, the attackers too, unless `everyone` is
        false."""
        group_of_key = {key: group for group, key in fields.items()}
        candidates: list[tuple[str, Figure]] = []
        for key, field_figures in figures.items():
            for figure in field_figures:
                if figure.kind != count.kind:
                    continue
                group = figure.group or group_of_key.get(key)
                if count.group == PEOPLE or group == count.group:
                    candidates.append((key, figure))
        if not candidates:
            return None
        attribution = count.attribution
        if attribution is not None:
            matching = [(key, figure) for key, figure in candidates if attribution.matches(figure.source_keys)]
            if matching:
                candidates = matching
            elif attribution.claim:
                return None  # a claim the field does not give: not the field's figure
        if count.party is not None:
            of_party = [(key, figure) for key, figure in candidates if figure.party == count.party]
            if of_party:
                candidates = of_party
        if count.noun is not None and count.group != PEOPLE:
            # "two police officers killed; 4 vigilantes killed": the officers
            # are compared with the officers' figure
            stem = count.noun.rstrip("s")
            named = [(key, figure) for key, figure in candidates if stem in _stems(figure.text)]
            others_named = all(figure.group for key, figure in candidates if (key, figure) not in named)
            if named and len(named) < len(candidates) and others_named:
                candidates = named
        if count.group != PEOPLE:
            return _Comparison(candidates[0][0], candidates, _readings([figure for _, figure in candidates]))
        # Anyone ("killing 13", "the toll rose to 32") is most often the
        # victims: the security forces and the civilians, one side or both;
        # or everyone, the attackers too.
        victims = [(key, figure) for key, figure in candidates if (figure.group or group_of_key.get(key)) != ARMED_GROUP]
        compared = victims or candidates
        readings: list[Quantity] = []
        totals: list[Quantity] = []
        for key in dict.fromkeys(key for key, _ in candidates):
            of_key = [figure for other, figure in candidates if other == key]
            key_readings = _readings(of_key)
            if any(other == key for other, _ in compared):
                readings += key_readings
            totals.append(key_readings[-1] if len(of_key) > 1 else of_key[0].quantity)
        victim_keys = list(dict.fromkeys(key for key, _ in victims))
        if len(victim_keys) > 1:
            victim_totals = [
                _sum([figure.quantity for other, figure in victims if other == key]) for key in victim_keys
            ]
            readings.append(_sum(victim_totals))
        if len(totals) > 1 and everyone:
            readings.append(_sum(totals))
        return _Comparison(compared[0][0], compared, readings)

    @staticmethod
    def _described(fields: dict[str, str], comparison: _Comparison) -> str:
        """The compared figures with whose they are: "14 killed for the
        security forces", "3 wounded for the security forces and 56 wounded
        for the civilians"."""
        group_of_key = {field_key: group for group, field_key in fields.items()}
        by_whose: dict[str, list[str]] = {}
        for field_key, figure in comparison.figures:
            whose = _WHOSE.get(figure.group or group_of_key.get(field_key) or "", f"the {_label(field_key)} field")
            by_whose.setdefault(whose, []).append(figure.described)
        return " and ".join(
            f"{', '.join(described)} for {whose}" if whose in _WHOSE.values() else f"{', '.join(described)} in {whose}"
            for whose, described in by_whose.items()
        )

    def _finding(
        self,
        context: CheckContext,
        count: ProseCount,
        comparison: _Comparison,
        fields: dict[str, str],
        figures: dict[str, list[Figure]],
    ) -> Finding:
        key = comparison.key
        field_value = self._described(fields, comparison)
        verb = "was" if count.mention.quantity.high == 1 and not count.joined else "were"
        said = f"{count.phrase} {verb} {count.kind}"
        if _sum_compared(count, fields, figures):
            said += f" ({_sum(list(count.joined))} together)"
        if count.attribution is not None and any(figure.source for _, figure in comparison.figures):
            # the source matters only where the field gives sources
            said += f", according to {count.attribution.source}"
        message = f"The infobox gives {field_value}; {count.block.where} says {said}."
        message = message[0].upper() + message[1:]
        # When the edit changed the field, the finding is about the field;
        # otherwise about the prose that says something else.
        changed = [
            field_key
            for field_key in dict.fromkeys(field_key for field_key, _ in comparison.figures)
            if context.base is not None and context.base.infobox_value(field_key) != context.content.infobox_value(field_key)
        ]
        fingerprint = "|".join(
            (
                key,
                count.group,
                count.kind,
                ",".join(str(figure.quantity) for _, figure in comparison.figures),
                str(count.mention.quantity),
            )
        )
        return self.finding(
            Severity.ERROR,
            infobox_target(changed[0]) if changed else count.block.target,
            message,
            fingerprint=fingerprint,
            **quote_evidence(count.block, count.sentence_at, count.mention.start, count.mention.end),
            field=changed[0] if changed else key,
            infobox="; ".join(figure.described for _, figure in comparison.figures),
            kind=count.kind,
            prose=count.mention.text,
        )

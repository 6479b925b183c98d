"""casualties.infobox_prose: the killed and wounded in the casualties fields
agree with the counts the prose gives.

How a count in the prose is read:

- Only sentences about this event: the lead and every section but those
  of context (Background, History, ...); sentences that set the event
  beside another ("weeks after a similar attack", "two days later") and
  claim sentences are skipped, and so are years and dates.
- Who is counted is the noun after the number ("Thirteen gendarmes",
  "three of the militants"), "others" takes the group of the count before
  it ("five others"), and a bare number ("at least three were left behind")
  takes the group last named before it in the sentence. Nouns fall in
  three groups: security forces, armed groups, civilians. Counts of things
  ("three vehicles") and of distances are left out.
- What is counted is a kill or wound word just after the count ("were
  killed"), or just before it ("killing 13"); a bare count in a sentence
  about bodies ("carrying bodies ..., at least three were left behind") is
  of the dead; counts joined by "and" share the verb after the last one
  ("Thirteen gendarmes and one civilian were killed").

Which field holds which group follows the infobox: a Combatant naming an
armed group ("Islamic State ...", "... militants") makes that side the
armed group's and the other side (1 or 2) the security forces'; Casualties3
holds the civilians, as in the military-conflict infobox. When the
combatants do not tell the sides apart, nothing is compared.

Only killed and wounded are compared, only where both the prose and the
field give the count, and approximate counts ("about 50") not at all: a
count the prose does not give is not an error. "3+" and "at least three"
are open-ended and agree with any count from three up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from encyclopedia.content import ArticleContent

from .base import CheckContext, Finding, Rule, Severity, infobox_target
from .text.dates import find_dates
from .text.events import is_claim_sentence, mentions_other_event
from .text.figures import KIND_WORDS, MATERIEL, parse_figures, singular
from .text.numbers import NumberMention, Quantity, find_numbers
from .text.prose import ProseBlock, prose_blocks
from .text.sentences import split_sentences

FORCES, ARMED_GROUP, CIVILIANS = "security forces", "armed group", "civilians"
_GROUP_NOUNS = {
    FORCES: "gendarme gendarmes soldier soldiers troop troops police policeman policemen officer "
    "officers paratrooper paratroopers serviceman servicemen guard guards personnel marine marines "
    "commando commandos peacekeeper peacekeepers",
    ARMED_GROUP: "militant militants jihadist jihadists insurgent insurgents gunman gunmen attacker "
    "attackers fighter fighters rebel rebels terrorist terrorists assailant assailants islamist "
    "islamists bandit bandits extremist extremists",
    CIVILIANS: "civilian civilians villager villagers resident residents",
}
_GROUP_OF = {noun: group for group, nouns in _GROUP_NOUNS.items() for noun in nouns.split()}
_GROUP_NOUN = re.compile(r"(?i)\b(?:" + "|".join(sorted(_GROUP_OF, key=len, reverse=True)) + r")\b")
# A Combatant value naming an armed group rather than a state's forces.
_ARMED_GROUP_NAME = re.compile(
    r"(?i)\b(?:islamic\s+state|isis|isil|isgs|iswap|daesh|al[- ]qa'?[ei]da|aqim|jnim|jihad\w*|"
    r"boko\s+haram|al[- ]shabaa?b|taliban|ansar\w*|jama'?at\w*|katiba|mujahide?en|militants?|"
    r"insurgents?|rebels?|jihadists?|fighters?)\b"
)
_STATE_NAME = re.compile(
    r"(?i)\b(?:armed\s+forces|army|gendarmerie|police|military|government|national\s+guard|"
    r"ministry|air\s+force|navy)\b"
)
_CONTEXT_HEADINGS = frozenset(
    "background|prelude|context|history|previous attacks|see also|references|notes|"
    "further reading|external links".split("|")
)
_KIND_AFTER = {**KIND_WORDS, "died": "killed", "perished": "killed", "slain": "killed"}
_KIND_BEFORE = re.compile(r"(?i)\b(killing|killed|wounding|wounded|injuring|injured)\s+(?:\w+\s+)?$")
_BODIES = re.compile(r"(?i)\b(?:bodies|corpses)\b")
_CLAUSE_END = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|when|after|before|according)\b")
_JOINED = re.compile(r"(?i)(?:\band|,)\s*$")
_PARTITIVE = re.compile(r"(?i)^\s+of\s+(?:the|their|its|whom)\b")
_YEAR_BEFORE = re.compile(r"(?i)\b(?:in|since|of|by|until|the)\s+$")
_UNITS = frozenset("kilometers kilometres km miles metres meters hours minutes days weeks years percent".split())
_COMPARED_KINDS = ("killed", "wounded")


@dataclass(frozen=True)
class ProseCount:
    block: ProseBlock
    group: str
    kind: str
    mention: NumberMention
    sentence: str


def side_fields(content: ArticleContent) -> dict[str, str]:
    """Which casualties field holds which group, from the Combatant fields."""
    armed, forces = set(), set()
    for side in ("1", "2"):
        combatant = content.infobox_value(f"Combatant{side}") or ""
        if _ARMED_GROUP_NAME.search(combatant):
            armed.add(side)
        elif _STATE_NAME.search(combatant):
            forces.add(side)
    if len(armed) == 1 and not forces & armed:
        (armed_side,) = armed
    elif len(forces) == 1 and not armed:
        armed_side = "2" if forces == {"1"} else "1"
    else:
        armed_side = None
    fields = {CIVILIANS: "Casualties3"}
    if armed_side and not (forces and armed_side in forces):
        fields[ARMED_GROUP] = f"Casualties{armed_side}"
        fields[FORCES] = f"Casualties{'1' if armed_side == '2' else '2'}"
    return fields


def _counted_group(sentence: str, mention: NumberMention, window: str, previous: str | None) -> str | None:
    """The group a count is of, or None when it counts something else."""
    for word in re.findall(r"[A-Za-z]+", window)[:4]:
        lowered = word.lower()
        if lowered in _GROUP_OF:
            return _GROUP_OF[lowered]
        if singular(lowered) in MATERIEL or lowered in _UNITS:
            return None
        if lowered in ("others", "other", "more"):
            return previous
        if lowered in _KIND_AFTER or lowered in ("were", "was", "had", "have", "are"):
            break  # the count is the subject of a verb: "three were left behind"
    named_before = list(_GROUP_NOUN.finditer(sentence[: mention.start]))
    return _GROUP_OF[named_before[-1].group().lower()] if named_before else None


def _counted_kind(sentence: str, mention: NumberMention, window: str) -> str | None:
    for word in re.findall(r"[A-Za-z]+", window)[:6]:
        if word.lower() in _KIND_AFTER:
            return _KIND_AFTER[word.lower()]
    if before := _KIND_BEFORE.search(sentence[: mention.start]):
        return _KIND_AFTER.get(before.group(1).lower()) or (
            "killed" if before.group(1).lower() == "killing" else "wounded"
        )
    return "killed" if _BODIES.search(sentence) else None


def prose_counts(content: ArticleContent) -> list[ProseCount]:
    """The counts of killed and wounded people the prose gives for the event."""
    counts: list[ProseCount] = []
    for block in prose_blocks(content):
        if block.heading is not None and block.heading.strip().lower() in _CONTEXT_HEADINGS:
            continue
        for sentence in split_sentences(block.text):
            text = sentence.text
            if mentions_other_event(text) or is_claim_sentence(text):
                continue
            dates = find_dates(text)
            mentions = [
                mention
                for mention in find_numbers(text)
                if not any(date.start <= mention.start < date.end for date in dates)
                and not (
                    1800 <= mention.quantity.low <= 2100
                    and _YEAR_BEFORE.search(text[: mention.start])
                )
            ]
            windows = []
            for index, mention in enumerate(mentions):
                window_end = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
                window = text[mention.end : window_end]
                if clause_end := _CLAUSE_END.search(window):
                    window = window[: clause_end.start()]
                windows.append(window)
            kinds = [_counted_kind(text, mention, window) for mention, window in zip(mentions, windows)]
            # "Thirteen gendarmes and one civilian were killed": the verb
            # after the last of the joined counts applies to all of them.
            for index in range(len(mentions) - 2, -1, -1):
                if kinds[index] is None and _JOINED.search(windows[index]):
                    kinds[index] = kinds[index + 1]
            previous_group = None
            for mention, window, kind in zip(mentions, windows, kinds):
                group = _counted_group(text, mention, window, previous_group)
                if group is None:
                    continue
                previous_group = group
                if kind not in _COMPARED_KINDS:
                    continue
                if _PARTITIVE.match(window):
                    # "two of the gendarmes were wounded" is part of a count
                    mention = NumberMention(
                        Quantity(mention.quantity.low, None, mention.quantity.approximate),
                        mention.text,
                        mention.start,
                        mention.end,
                    )
                counts.append(ProseCount(block, group, kind, mention, text))
    return counts


class InfoboxProseCasualties(Rule):
    id = "casualties.infobox_prose"
    version = 1
    description = "The killed and wounded in the casualties fields agree with the counts in the prose."

    def check(self, context: CheckContext) -> list[Finding]:
        content = context.content
        fields = side_fields(content)
        findings: list[Finding] = []
        for count in prose_counts(content):
            key = fields.get(count.group)
            value = content.infobox_value(key) if key else None
            if value is None or count.mention.quantity.approximate:
                continue
            figure = next(
                (
                    figure
                    for figure in parse_figures(value)
                    if figure.counts_people and figure.kind == count.kind
                ),
                None,
            )
            if figure is None or figure.quantity.approximate or figure.quantity.overlaps(count.mention.quantity):
                continue
            # When the edit changed the field, the finding is about the
            # field; otherwise about the prose that says something else.
            field_changed = context.base is not None and context.base.infobox_value(key) != value
            findings.append(
                self.finding(
                    Severity.ERROR,
                    infobox_target(key) if field_changed else count.block.target,
                    f"The infobox field {key} gives {figure.text!r} for the {count.group}, but "
                    f"{count.block.where} gives {count.mention.text} {count.kind}: \u201c{count.sentence}\u201d",
                    field=key,
                    infobox=figure.text,
                    prose=count.mention.text,
                    kind=count.kind,
                    sentence=count.sentence,
                    where=count.block.target,
                )
            )
        return findings

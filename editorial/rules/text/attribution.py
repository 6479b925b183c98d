"""Who says a count: the source a field note or a sentence names ("per the
army", "according to local sources", "the group claimed ...") and whether
the count is a claim, so that a claimant's count is compared only with the
figure the infobox gives for that source.

Sources are matched by what they are rather than by their words: "per the
army" and "the Malian defence ministry said" are both official; "per the
claimants" and "JNIM claimed" are both the claim; a party named in both
("per Burkina Faso", "the Burkinabe army") also matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .groups import ARMED_GROUP, ARMED_GROUP_NAME, GROUP_OF, party_of

OFFICIAL, CLAIM, LOCAL, INDEPENDENT, MEDIA = "official", "claim", "local", "independent", "media"
_CATEGORY_WORDS = {
    OFFICIAL: "army armies military armed forces government ministry minister official officials authorities "
    "authority spokesman spokesperson spokeswoman gendarmerie police defence defense staff presidency "
    "junta fama state governor prefect communique communiqué security",
    CLAIM: "claim claims claimed claimant claimants propaganda amaq naba jnim isgs iswap islamic daesh "
    "boko qaeda aqim jihadist jihadists militants insurgents rebels group",
    LOCAL: "local locals resident residents villager villagers witness witnesses eyewitness eyewitnesses "
    "survivor survivors community elders mayor hospital medical doctors relatives hospitals",
    INDEPENDENT: "un nations minusma hrw rights amnesty acled ngo ngos msf icrc cross monitors",
    MEDIA: "reuters afp ap press media journalists newspaper rfi bbc report reports",
}
_CATEGORY_OF = {word: category for category, words in _CATEGORY_WORDS.items() for word in words.split()}
_PRECEDENCE = (CLAIM, LOCAL, INDEPENDENT, MEDIA, OFFICIAL)
_SOURCE_WORD = re.compile(r"[a-zà-ÿ'.]+")
_STOP = frozenset("the a an of to per according by and its their his her from on in said".split())


@dataclass(frozen=True)
class Attribution:
    """The source a count is given by: "the army", "the claimants"."""

    source: str
    keys: frozenset[str]
    claim: bool  # the count is a claim (of the attackers, or "claimed")

    def matches(self, other_keys: frozenset[str]) -> bool:
        return bool(self.keys & other_keys)


def source_keys(name: str) -> frozenset[str]:
    """What a source is, as keys two sources are matched by: its category
    ("official", "claim", "local", ...), its party ("party:mali"), or else
    its own words."""
    words = [word for word in _SOURCE_WORD.findall(name.lower()) if word not in _STOP]
    categories = {_CATEGORY_OF[word.strip(".'")] for word in words if word.strip(".'") in _CATEGORY_OF}
    if ARMED_GROUP_NAME.search(name):
        categories.add(CLAIM)
    # the most telling category only: "local officials" are local sources
    keys = {next(category for category in _PRECEDENCE if category in categories)} if categories else set()
    if party := party_of(name):
        keys.add(f"party:{party}")
    if not keys:
        keys = {f"word:{word}" for word in words}
    return frozenset(keys)


_ACCORDING = re.compile(
    r"(?i)\b(?:according\s+to|per(?!\s+(?:cent|year|day|month|week|capita)\b)|citing|quoting|"
    r"(?:claimed|reported|announced|given|confirmed|published|estimated)\s+by)\s+([^,;:.()\n]{1,80})"
)
_SAYS = re.compile(
    r"(?i)(?:^|[,;]\s*|\b(?:and|while|whereas|but)\s+)([^;:\n]{1,120}?)\s+"
    r"(?:also\s+|later\s+|initially\s+|then\s+|first\s+)?"
    r"(?:said|says|reported|reports|stated|states|announced|announces|told|claimed|claims|claiming|"
    r"estimated|estimates|confirmed|confirms|counted|put\s+the|gave|gives|boasted|asserted|maintained|"
    r"insisted|acknowledged|admitted|spoke\s+of|speak\s+of|put)\b(?!\s+(?:the\s+)?lives)"
)
_CLAIM_WORD = re.compile(
    r"(?i)\bclaim(?:ed|s|ing)?\b(?!\s+(?:the\s+lives|(?:\w+\s+)?lives))|\bpropaganda\b|\bboast(?:ed|s)?\b"
)
_INTRODUCTION = re.compile(r"(?i)^(?:on|in|by|after|at|later|then|during|following)\b")
_DETERMINER = re.compile(r"(?i)\b(?:the|its|their|his|her)\s")
_PASSIVE = re.compile(r"(?i)\b(?:were|was|are|is|been|be|being)\s*$")
_ARTICLE = re.compile(r"(?i)(?:the|a|an)\s")
_CLAUSE = re.compile(r";|,\s+(?:while|whereas|but|although|though)\b|\s+(?:while|whereas)\s+")


def _without_introduction(subject: str) -> str:
    """The speaker without the phrase that opens the sentence: "On 19 March
    the defence ministry" is the defence ministry, "In a statement released
    on 11 August, JNIM" is JNIM."""
    if not _INTRODUCTION.match(subject):
        return subject
    if "," in subject:
        return subject.rsplit(",", 1)[1].strip() or subject
    determiners = list(_DETERMINER.finditer(subject))
    return subject[determiners[-1].start() :] if determiners else subject


def _attribution(clause: str) -> Attribution | None:
    match = _ACCORDING.search(clause) or _SAYS.search(clause)
    claim = bool(_CLAIM_WORD.search(clause))
    if match is None:
        return Attribution("a claim", frozenset({CLAIM}), True) if claim else None
    if _PASSIVE.search(match.group(1)):
        return Attribution("a claim", frozenset({CLAIM}), True) if claim else None  # "were reported missing"
    source = _without_introduction(match.group(1).strip())
    source = " ".join(source.split()[:6])
    keys = source_keys(source)
    words = source.lower().split()
    source = source[0].lower() + source[1:] if _ARTICLE.match(source) else source
    by_attackers = CLAIM in keys or any(GROUP_OF.get(word) == ARMED_GROUP for word in words)
    if claim or by_attackers:
        keys = keys | {CLAIM}
    return Attribution(source, keys, claim or by_attackers)


def attributions(sentence: str) -> list[tuple[int, Attribution | None]]:
    """The attribution of each clause of the sentence, as (clause start,
    attribution); a clause that names no source takes the sentence's first
    one ("According to the army, 28 soldiers were killed and 5 wounded")."""
    starts = [0] + [match.end() for match in _CLAUSE.finditer(sentence)]
    ends = starts[1:] + [len(sentence)]
    found = [_attribution(sentence[start:end]) for start, end in zip(starts, ends)]
    first = next((item for item in found if item is not None), None)
    return [(start, item or first) for start, item in zip(starts, found)]


def attribution_at(clauses: list[tuple[int, Attribution | None]], offset: int) -> Attribution | None:
    """The attribution of the clause that holds `offset`."""
    current = None
    for start, attribution in clauses:
        if start > offset:
            break
        current = attribution
    return current

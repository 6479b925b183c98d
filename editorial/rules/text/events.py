"""Which sentences speak of another event, or report a claim of responsibility,
so that their dates and counts are not taken for this event's."""

from __future__ import annotations

import re

from dateutil import parser as date_parser

from encyclopedia.dates import MONTH

EVENT_NOUNS = (
    "attack|attacks|ambush|raid|assault|bombing|massacre|battle|siege|shooting|offensive|"
    "incident|clash|clashes|kidnapping|operation"
)
_OTHER_EVENT = re.compile(
    # "a similar attack", "the previous ambush", "another raid"
    rf"(?i:\b(?:similar|previous|earlier|prior|another|separate|last|subsequent|later)\s+"
    rf"(?:\w+\s+){{0,2}}?(?:{EVENT_NOUNS})\b)"
    # "weeks after", "two days before": the event is placed against another one
    r"|(?i:\b(?:weeks|days|months|years|hours)\s+(?:after|before|earlier|later|prior\s+to)\b)"
    # the pluperfect tells of what had happened before the event
    r"|(?i:\bhad\s+(?:\w+\s+)?(?:attacked|ambushed|raided|struck|stormed|killed|been)\b)"
    # "the May attack": an event named by its month
    rf"|\b{MONTH}\s+(?i:(?:{EVENT_NOUNS})\b)"
)
_CLAIM = re.compile(
    rf"(?i)\bclaim(?:ed|s|ing)?\s+(?:the\s+)?(?:responsibility|credit|(?:{EVENT_NOUNS})\b)"
    r"|\b(?:took|takes|accepted|accepts)\s+responsibility\b"
)

# What tells that a sentence's counts are another event's or no single
# event's (see reports_other_event_toll).
_ANOTHER_EVENT = re.compile(
    rf"(?i:\b(?:similar|previous|earlier|prior|another|separate|last|subsequent|later|second|new|fresh)\s+"
    rf"(?:[\w-]+\s+){{0,2}}?(?:{EVENT_NOUNS})\b)"
)
# "the May attack": an event named by its month
_MONTH_EVENT = re.compile(rf"\b{MONTH}\s+(?i:(?:{EVENT_NOUNS})\b)")
# "since the 2019 Inates attack", "than the Boulkessi raid": an event named beside this one
_NAMED_EVENT = re.compile(
    rf"(?i:\b(?:since|than|like|unlike|as\s+in|following|preceding|after|before)\s+the)\s+"
    rf"(?:\d{{4}}\s+|[A-Z][\w'’-]+\s+){{1,3}}(?i:(?:{EVENT_NOUNS})\b)"
)
_PLUPERFECT = re.compile(r"(?i)\bhad\s+(?:\w+\s+)?(?:attacked|ambushed|raided|struck|stormed|killed|been)\b")
_OTHER_ACTION = re.compile(
    r"(?i)\b(?:reprisals?|retaliat\w*|revenge|counter[- ]?(?:attacks?|offensives?|operations?|strikes?|raids?)|"
    r"pursuit|pursu(?:ed|ing)|manhunt|mopping[- ]up|clean[- ]?up\s+operations?|clearing\s+operations?|"
    r"follow[- ]up\s+operations?|in\s+response|intercept(?:ed|ing|ion)|intersected|chas(?:ed|ing)|fleeing)\b"
)
_TIME_SHIFT = re.compile(
    r"(?i)\b(?:the\s+(?:next|following)\s+(?:day|morning|night|evening|week|month|year)"
    r"|the\s+day\s+(?:after|before)"
    r"|(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few|\d+)\s+)?"
    r"(?:hours?|days?|weeks?|months?|years?)\s+(?:after|before|earlier|later|prior)"
    r"|(?:later|earlier)\s+(?:that|the\s+same)\s+(?:day|night|week|month|year)"
    r"|(?:last|previous|next|the\s+following)\s+(?:year|month|week))\b"
)
_DEADLIEST_SINCE = re.compile(
    r"(?i)\b(?:deadliest|worst|bloodiest|heaviest|largest|biggest|most\s+deadly|highest\s+toll)\b[^.;]*?"
    r"\b(?:since|after|surpass\w*|exceed\w*|than)\b"
)
_CAMPAIGN_TOTAL = re.compile(
    r"(?i)\b(?:(?:that|this|the\s+same|the\s+previous|last|per|each|a)\s+year\b"
    r"|so\s+far|to\s+date|since\s+(?:the\s+(?:start|beginning|outbreak)|\d{4}|its)"
    r"|throughout\s+(?:the\s+)?(?:year|country|region|sahel|insurgency|conflict|\d{4})"
    r"|across\s+(?:the\s+)?(?:country|region|sahel|north|centre|center)|nationwide"
    r"|in\s+the\s+(?:first|second|past|last)\s+(?:\w+\s+)?(?:months?|years?|weeks?|half|quarter)"
    r"|over\s+the\s+(?:past|last|course)|in\s+\d{4}\s+alone|annual(?:ly)?|cumulative"
    r"|in\s+(?:recent|the\s+following)\s+(?:months|years|weeks)"
    r"|by\s+the\s+end\s+of"
    r"|(?:that|the\s+same|the\s+following|the\s+ensuing|the\s+subsequent)\s+(?:operation|offensive|campaign|sweep))\b"
)
_CLAUSE_BREAK = re.compile(r"[;:]\s*|,\s+|\s+[—–]\s+|\s+\(")
# A toll that rises or is corrected: still this event's, even when told "two days later".
TOLL_REVISION = re.compile(
    r"(?i)\b(?:(?:death\s+)?toll|number\s+of\s+(?:dead|deaths|victims|wounded))\b[^.;]{0,40}?"
    r"\b(?:rose|risen|rising|raised|revised|climbed|increased|jumped|grew|went\s+up|updated|corrected|lowered|"
    r"reduced|fell|dropped|brought|bringing|put|stood|reached)\b"
    r"|\b(?:raised|revised|updated|corrected)\s+(?:\w+\s+){0,3}?to\b"
    r"|\bbringing\s+the\s+(?:\w+\s+){0,2}?toll\b"
    # "brought the civilian toll to 74", "took the number of dead to 40"
    r"|\b(?:brought|took|pushed|raised|lifted)\s+the\s+(?:\w+\s+){0,2}?(?:toll|number\s+of\s+\w+)\s+to\b"
    # a toll given again, later: "the next day the army gave a toll of 26"
    r"|\b(?:gave|gives|put|puts|set|announced|released|published|issued)\s+(?:a|the|an|its|their)\s+"
    r"(?:(?:new|revised|updated|final|higher|lower|fresh|definitive|official)\s+)?(?:death\s+)?toll\b"
)

_WORDS = re.compile(r"[a-z]+")
_EVENT_WORDS = frozenset(EVENT_NOUNS.split("|"))
_OTHER_WORDS = frozenset("similar previous earlier prior another separate last subsequent later second new fresh".split())
_MONTH_WORDS = frozenset(name.lower() for names in date_parser.parserinfo.MONTHS for name in names)
_TIME_WORDS = frozenset("hour hours day days week weeks month months year years morning night evening".split())
# The words without which a pattern cannot match (a Pattern is slow to
# hash, so these are pairs, not a dict).
# Killing told as the deed of an operation: the army's own action, after
# or apart from the event ("the army said it had killed 17 militants in an
# operation near Diabaly"). From the verb, so the count after it goes too.
_KILLED_IN_OPERATION = re.compile(
    r"(?i)\b(?:killed|killing|kills|neutrali[sz]ed|neutrali[sz]ing|eliminated)\b[^.;]{0,60}?"
    r"\bin\s+(?:an?|the|its|their|a\s+joint)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:operations?|sweeps?|air\s*strikes?|airstrikes?|strikes?|offensive)\b"
)
_ALWAYS = (
    (_KILLED_IN_OPERATION, frozenset("operation operations sweep sweeps airstrike airstrikes strike strikes offensive".split())),
    (_OTHER_ACTION, frozenset(
        "reprisal reprisals retaliation retaliated retaliatory retaliate retaliating revenge counter counterattack "
        "counterattacks counteroffensive counteroffensives counteroperation counteroperations counterstrike "
        "counterstrikes counterraid counterraids pursuit pursued pursuing manhunt mopping clean cleanup clearing "
        "follow response intercepted intercepting interception intersected chased chasing fleeing".split()
    )),
    (_DEADLIEST_SINCE, frozenset("deadliest worst bloodiest heaviest largest biggest deadly highest".split())),
    (_CAMPAIGN_TOTAL, frozenset(
        "year far date since throughout across nationwide first second past last over alone annual annually "
        "cumulative recent following end that same ensuing subsequent".split()
    )),
    (_ANOTHER_EVENT, _OTHER_WORDS),
    (_MONTH_EVENT, _MONTH_WORDS),
    (_NAMED_EVENT, frozenset("since than like unlike as following preceding after before".split())),
)
_UNLESS_REVISION = (
    (_TIME_SHIFT, _TIME_WORDS),
    (_PLUPERFECT, frozenset({"had"})),
    (_OTHER_EVENT, _OTHER_WORDS | _TIME_WORDS | _MONTH_WORDS | {"had"}),
)
_REVISION_WORDS = frozenset("toll number raised revised updated corrected bringing brought".split())  # "toll" for all tolls given


def revises_toll(sentence: str, words: set[str] | None = None) -> bool:
    """Whether the sentence revises the toll ("the toll later rose to 32")."""
    if words is None:
        words = set(_WORDS.findall(sentence.lower()))
    return not words.isdisjoint(_REVISION_WORDS) and bool(TOLL_REVISION.search(sentence))


def mentions_other_event(sentence: str) -> bool:
    """Whether the sentence places another event beside this one, so its
    dates and counts may be that event's ("Occurring just weeks after a
    similar attack ... killed four American and four Nigerien troops")."""
    return bool(_OTHER_EVENT.search(sentence))


def other_event_toll_from(sentence: str) -> int | None:
    """Where in the sentence counts begin that may be another event's or no
    single event's, so they are not this event's toll; None when none do.

    What tells it:

    - another event set beside this one ("weeks after a similar attack",
      "the previous ambush", "had attacked", "the deadliest since the 2019
      Inates attack, when 71 soldiers were killed");
    - an action after the event ("in a reprisal operation the next day",
      "in pursuit", "in response") or at another time ("two days later",
      "the following week");
    - a total of a campaign or a year ("300 soldiers were killed across the
      region", "so far this year").

    The counts from the start of the clause that says so are left out, and
    those before it kept: in "Seventeen soldiers were killed, making it the
    deadliest attack that year" the seventeen are this event's. A sentence
    that revises the toll ("two days later, the toll rose to 32") is this
    event's, whenever it is told, unless it names another event.
    """
    # Each pattern is tried only when the sentence has a word it needs: most
    # sentences have none, and the patterns are slow to try everywhere.
    words = set(_WORDS.findall(sentence.lower()))
    found = [
        match.start() for pattern, needs in _ALWAYS if not words.isdisjoint(needs) and (match := pattern.search(sentence))
    ]
    if not revises_toll(sentence, words):
        found += [
            match.start()
            for pattern, needs in _UNLESS_REVISION
            if not words.isdisjoint(needs) and (match := pattern.search(sentence)) and not _reported(sentence, match)
        ]
    if not found:
        return None
    marker = min(found)
    clause_starts = [0] + [match.end() for match in _CLAUSE_BREAK.finditer(sentence, 0, marker)]
    return clause_starts[-1]


_REPORTING = re.compile(
    r"(?i)\b(?:said|says|stated|announced|reported|confirmed|told|declared|added|explained|estimated|"
    r"according\s+to)\b"
)


def _reported(sentence: str, match: re.Match) -> bool:
    """Whether a pluperfect is reported speech ("the army said that 61
    soldiers had been killed"), which tells this event, not an earlier one."""
    if not match.group().lower().startswith("had"):
        return False
    reporting = _REPORTING.search(sentence, 0, match.start())
    return reporting is not None


def reports_other_event_toll(sentence: str) -> bool:
    """Whether all the counts of the sentence may be another event's (see
    `other_event_toll_from`)."""
    return other_event_toll_from(sentence) == 0


def is_claim_sentence(sentence: str) -> bool:
    """Whether the sentence reports a claim of responsibility."""
    return bool(_CLAIM.search(sentence))

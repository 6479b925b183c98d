"""Which sentences speak of another event, or report a claim of responsibility,
so that their dates and counts are not taken for this event's."""

from __future__ import annotations

import re

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


def mentions_other_event(sentence: str) -> bool:
    """Whether the sentence places another event beside this one, so its
    dates and counts may be that event's ("Occurring just weeks after a
    similar attack ... killed four American and four Nigerien troops")."""
    return bool(_OTHER_EVENT.search(sentence))


def is_claim_sentence(sentence: str) -> bool:
    """Whether the sentence reports a claim of responsibility."""
    return bool(_CLAIM.search(sentence))

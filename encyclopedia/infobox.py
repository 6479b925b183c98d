"""The infobox schema: how a key is written and which kind of value each known key holds.

Keys follow the military-conflict infobox of the seed (Combatant1,
Casualties2, ...). Unknown keys are kept as written with the kind
"unknown" so nothing an author typed is lost; the structure check warns
about them.
"""

import re
from enum import StrEnum


class FieldKind(StrEnum):
    TEXT = "text"
    PLACE = "place"
    DATE = "date"
    COMBATANT = "combatant"
    COMMANDER = "commander"
    UNITS = "units"
    STRENGTH = "strength"
    CASUALTIES = "casualties"
    UNKNOWN = "unknown"


# How a key is written. The text format and the admin's form both refuse
# anything else, so every edit can be exported; \Z, not $, so that a key
# cannot end in a newline (both strip keys first, so no input depended on $).
INFOBOX_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_ ]*\Z")


_FIXED_KEYS = {
    "Conflict": FieldKind.TEXT,
    "Partof": FieldKind.TEXT,
    "Image": FieldKind.TEXT,
    "Caption": FieldKind.TEXT,
    "Place": FieldKind.PLACE,
    "Coordinates": FieldKind.PLACE,
    "Date": FieldKind.DATE,
    "Result": FieldKind.TEXT,
    "Status": FieldKind.TEXT,
    "Territory": FieldKind.TEXT,
    "Notes": FieldKind.TEXT,
    "Casualties3": FieldKind.CASUALTIES,
}

# One per belligerent side: Combatant1, Combatant2, Strength1, ...
_NUMBERED_KEYS = {
    "Combatant": FieldKind.COMBATANT,
    "Commander": FieldKind.COMMANDER,
    "Units": FieldKind.UNITS,
    "Strength": FieldKind.STRENGTH,
    "Casualties": FieldKind.CASUALTIES,
}
# A key of one side: a stem and one digit ("Combatant1"). A page labels any
# such key ("Casualties 9"), but the schema knows sides 1 to SIDES only, as
# the military-conflict infobox has them (Casualties3 holds the civilians).
# It keeps the $ both former copies had, so no key changes kind or label.
NUMBERED_KEY = re.compile(r"^(?P<stem>[A-Za-z]+?)(?P<side>[1-9])$")
SIDES = 3

REQUIRED_KEYS = ("Conflict", "Place", "Date", "Result")


def kind_of(key: str) -> FieldKind:
    if key in _FIXED_KEYS:
        return _FIXED_KEYS[key]
    match = NUMBERED_KEY.match(key)
    if match and match["stem"] in _NUMBERED_KEYS and int(match["side"]) <= SIDES:
        return _NUMBERED_KEYS[match["stem"]]
    return FieldKind.UNKNOWN


def known_keys() -> tuple[str, ...]:
    """Every key the schema gives a kind, in the schema's order: what an editor is offered."""
    numbered = tuple(f"{stem}{side}" for stem in _NUMBERED_KEYS for side in range(1, SIDES + 1))
    return tuple(dict.fromkeys((*_FIXED_KEYS, *numbered)))

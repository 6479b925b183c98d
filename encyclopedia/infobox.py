"""The infobox schema: which kind of value each known key holds.

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
_NUMBERED_KEY = re.compile(r"^(?P<stem>[A-Za-z]+?)(?P<side>[1-3])$")

REQUIRED_KEYS = ("Conflict", "Place", "Date", "Result")


def kind_of(key: str) -> FieldKind:
    if key in _FIXED_KEYS:
        return _FIXED_KEYS[key]
    match = _NUMBERED_KEY.match(key)
    if match and match["stem"] in _NUMBERED_KEYS:
        return _NUMBERED_KEYS[match["stem"]]
    return FieldKind.UNKNOWN


def is_known_key(key: str) -> bool:
    return kind_of(key) is not FieldKind.UNKNOWN

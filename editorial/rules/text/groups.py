"""Who is counted: the three groups casualty counts fall in (security
forces, armed groups, civilians) and the parties (states, forces) named
beside a count, as prose and infobox values write them."""

from __future__ import annotations

import re

FORCES, ARMED_GROUP, CIVILIANS = "security forces", "armed group", "civilians"

_GROUP_NOUNS = {
    FORCES: "gendarme gendarmes soldier soldiers troop troops police policeman policemen officer "
    "officers paratrooper paratroopers serviceman servicemen guard guards personnel marine marines "
    "commando commandos peacekeeper peacekeepers legionnaire legionnaires airman airmen sailor sailors "
    "ranger rangers volunteer volunteers vdp militiaman militiamen recruit recruits vigilante vigilantes "
    "dozo dozos auxiliary auxiliaries escort escorts",
    ARMED_GROUP: "militant militants jihadist jihadists insurgent insurgents gunman gunmen attacker "
    "attackers fighter fighters rebel rebels terrorist terrorists assailant assailants islamist "
    "islamists bandit bandits extremist extremists raider raiders combatant combatants",
    CIVILIANS: "civilian civilians villager villagers resident residents inhabitant inhabitants passenger passengers "
    "worshipper worshippers worshipers farmer farmers herder herders trader traders student students "
    "pupil pupils teacher teachers miner miners woman women child children fishermen fisherman herdsmen "
    "herdsman shepherd shepherds driver drivers worker workers pilgrim pilgrims merchant merchants "
    "mourners guests customers shoppers",
}
GROUP_OF: dict[str, str] = {noun: group for group, nouns in _GROUP_NOUNS.items() for noun in nouns.split()}
GROUP_NOUN = re.compile(r"(?i)\b(?:" + "|".join(sorted(GROUP_OF, key=len, reverse=True)) + r")\b")
# A name of an armed group rather than of a state's forces ("Islamic State
# in the Greater Sahara", "JNIM", "militants").
ARMED_GROUP_NAME = re.compile(
    r"(?i)\b(?:islamic\s+state|isis|isil|isgs|iswap|daesh|al[- ]qa'?[ei]da|aqim|jnim|jihad\w*|"
    r"boko\s+haram|al[- ]shabaa?b|taliban|ansar\w*|jama'?at\w*|katiba|mujahide?en|militants?|"
    r"insurgents?|rebels?|jihadists?|fighters?|bandits?|gunmen|terrorists?)\b"
)

# Parties, by the names and adjectives prose and notes use for them.
_PARTIES = {
    "france": "france french barkhane serval sabre",
    "mali": "mali malian malians fama",
    "niger": "niger nigerien nigeriens",
    "nigeria": "nigeria nigerian nigerians",
    "burkina faso": "burkina faso burkinabe burkinabè burkinabé burkinabes",
    "chad": "chad chadian chadians",
    "united states": "united states us u.s. usa american americans",
    "mauritania": "mauritania mauritanian",
    "benin": "benin beninese",
    "togo": "togo togolese",
    "cameroon": "cameroon cameroonian cameroonians",
    "senegal": "senegal senegalese",
    "ghana": "ghana ghanaian",
    "ivory coast": "ivory coast ivorian ivorians",
    "algeria": "algeria algerian algerians",
    "libya": "libya libyan libyans",
    "russia": "russia russian russians wagner",
    "united kingdom": "united kingdom uk british",
    "germany": "germany german germans",
    "united nations": "united nations un minusma",
}
_PARTY_OF = {}
for _party, _names in _PARTIES.items():
    # multi-word names first ("burkina faso", "united states")
    for _name in (_party, *_names.split()):
        _PARTY_OF[_name] = _party
PARTY_NAME = re.compile(
    r"(?i)(?<![\w.])(?:" + "|".join(re.escape(name) for name in sorted(_PARTY_OF, key=len, reverse=True)) + r")(?![\w])"
)


def group_of(word: str) -> str | None:
    """The group a noun names ("gendarmes": security forces), or None."""
    return GROUP_OF.get(word.lower())


def party_of(text: str) -> str | None:
    """The party a name or an adjective stands for ("Malian": mali), the
    first one named in `text`, or None."""
    for match in PARTY_NAME.finditer(text):
        if match.group() != "us":  # the pronoun, not the U.S.
            return _PARTY_OF[match.group().lower()]
    return None

"""Small articles that mention the seed (2017 Ayorou attack) and each other, for the links tests.

The seed's Background and lead speak of the Tongo Tongo ambush; the ambush's
"See also" names the Inates ambush, whose prose names the 2017 Ayorou
attack: a cycle of three. `tongo_tongo(...)` writes the ambush's infobox
with other facts, to make it disagree with the seed.
"""

from __future__ import annotations

from encyclopedia.content import ArticleContent
from encyclopedia.textformat import parse


def tongo_tongo(date: str = "4 October 2017", us_killed: int = 4, niger_killed: int = 4, see_also: str = "") -> ArticleContent:
    see_also_section = f"\n== See also ==\n\n- {see_also}\n" if see_also else ""
    return parse(
        f"""= Tongo Tongo ambush =

Infobox
- Conflict: Tongo Tongo ambush
- Place: Tongo Tongo, Tillabéri Region, Niger
- Date: {date}
- Result: Ambush by the militants
- Combatant2: Islamic State in the Greater Sahara
- Casualties1: {us_killed} killed, 2 wounded (United States); {niger_killed} killed, 8 wounded (Niger)
- Casualties2: 21 killed

The Tongo Tongo ambush took place near the village of Tongo Tongo in the Tillabéri Region of Niger, when militants of the Islamic State in the Greater Sahara ambushed a joint patrol of American and Nigerien soldiers.

== Aftermath ==
The patrol withdrew to Ouallam.
{see_also_section}"""
    )


def inates_ambush(date: str = "6 December 2017") -> ArticleContent:
    """Names the 2017 Ayorou attack in its prose, with the seed's own date: it agrees with the seed."""
    return parse(
        f"""= Inates ambush =

Infobox
- Conflict: Inates ambush
- Place: Inates, Tillabéri Region, Niger
- Date: {date}
- Result: Ambush by the militants
- Casualties1: 2 killed

The Inates ambush took place near Inates, where militants fleeing the 2017 Ayorou attack of 21 October 2017 had been intercepted.

== See also ==

- 2017 Ayorou attack
"""
    )

"""Who is counted: groups by their nouns, parties by their names."""

import pytest

from editorial.rules.text.groups import ARMED_GROUP, CIVILIANS, FORCES, group_of, party_of


@pytest.mark.parametrize(
    "word, group",
    [("gendarmes", FORCES), ("Vigilantes", FORCES), ("jihadists", ARMED_GROUP), ("villagers", CIVILIANS), ("fishermen", CIVILIANS), ("vehicles", None)],
)
def test_group_of(word, group):
    assert group_of(word) == group


@pytest.mark.parametrize(
    "text, party",
    [
        ("three French soldiers", "france"),
        ("Malian Armed Forces", "mali"),
        ("the Burkinabè army", "burkina faso"),
        ("per Burkina Faso", "burkina faso"),
        ("Nigerien troops", "niger"),
        ("Nigerian troops", "nigeria"),
        ("the U.S. embassy", "united states"),
        ("they told us", None),
    ],
)
def test_party_of(text, party):
    assert party_of(text) == party

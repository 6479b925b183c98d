"""The article text format: byte-for-byte round trip and clear refusals."""

import hashlib

import pytest

from encyclopedia.textformat import ArticleFormatError, parse, parse_bytes, write
from tests.support.environment import SEED_PATH

# The SHA-256 of the shared seed (the project's given input, outside the repository), taken with
# `sha256sum 2017_Ayorou_attack.txt` beside it; `sha256sum -c` there checks that file against it.
SHARED_SEED_DIGEST = SEED_PATH.with_name(SEED_PATH.name + ".sha256")


def test_the_fixture_is_the_shared_seed(seed_bytes):
    digest, name = SHARED_SEED_DIGEST.read_text(encoding="ascii").split()
    assert name == SEED_PATH.name
    assert hashlib.sha256(seed_bytes).hexdigest() == digest


def test_seed_round_trips_byte_for_byte(seed_bytes):
    content = parse_bytes(seed_bytes)
    assert write(content).encode("utf-8") == seed_bytes


def test_seed_is_parsed_into_its_parts(seed_content):
    assert seed_content.title == "2017 Ayorou attack"
    assert seed_content.slug == "2017-ayorou-attack"
    assert [entry.key for entry in seed_content.infobox] == [
        "Conflict", "Place", "Date", "Partof", "Result", "Combatant2", "Casualties1", "Casualties2",
    ]
    assert seed_content.infobox_value("Casualties1") == "13 killed, 5 injured, 3 vehicles captured"
    assert [section.heading for section in seed_content.sections] == [
        "Background", "Attack", "Aftermath", "See also",
    ]
    assert "Tillabéri" in seed_content.section("Background").body
    assert seed_content.section("See also").list_items == ("Tongo Tongo ambush",)
    assert seed_content.lead.startswith("The 2017 Ayorou attack occurred on 21 October 2017")


def test_unknown_infobox_keys_are_kept():
    content = parse("= A =\n\nInfobox\n- Mascot: a goat\n- Date: 1 May 2001\n\nLead.\n")
    assert content.infobox_value("Mascot") == "a goat"
    assert write(content) == "= A =\n\nInfobox\n- Mascot: a goat\n- Date: 1 May 2001\n\nLead.\n"


def test_crlf_and_byte_order_mark_are_accepted():
    content = parse_bytes(b"\xef\xbb\xbf= A =\r\n\r\nLead.\r\n\r\n== One ==\r\nBody.\r\n")
    assert (content.title, content.lead, content.sections[0].body) == ("A", "Lead.", "Body.")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "title"),
        ("Just a lead.\n", 1, "title"),
        ("== Not a title ==\n", 1, "title"),
        ("= A =\n\nInfobox\n- Date 21 October 2017\n", 4, "'- Key: value'"),
        ("= A =\n\nInfobox\n- Place: X\nDate: 2017\n", 5, "'- Key: value'"),
        ("= A =\n\nInfobox\n- : nothing\n", 4, "'- Key: value'"),
        ("= A =\n\nInfobox\n- Place:\n", 4, "has no value"),
        ("= A =\n\nInfobox\n- Place: X\n- Place: Y\n", 5, "appears twice (first on line 4)"),
        ("= A =\n\nLead.\n\n==  ==\nBody\n", 5, "heading has no text"),
        ("= A =\n\nLead.\n\n== B ==\nx\n\n== B ==\ny\n", 8, "appears twice"),
        ("= A =\n\nLead.\n\n=== Sub ===\nx\n", 5, "only '== Section ==' headings"),
    ],
)
def test_malformed_text_is_refused_with_its_line(text, line, words):
    with pytest.raises(ArticleFormatError) as refusal:
        parse(text, source="bad.txt")
    assert refusal.value.line == line
    assert words in refusal.value.message
    assert str(refusal.value).startswith(f"bad.txt, line {line}: ")


def test_text_that_is_not_utf8_is_refused_with_its_line():
    data = "= A =\n\nInfobox\n- Place: Tillabéri\n".encode("latin-1")
    with pytest.raises(ArticleFormatError) as refusal:
        parse_bytes(data, source="latin1.txt")
    assert refusal.value.line == 4
    assert "not valid UTF-8" in str(refusal.value)

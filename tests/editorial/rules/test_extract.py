import datetime

import pytest

from editorial.rules.extract import (
    Quantity,
    find_dates,
    find_numbers,
    format_date,
    infobox_event_date,
    is_claim_sentence,
    mentions_other_event,
    parse_date_value,
    parse_figures,
    parse_number,
    parse_quantity,
    prose_blocks,
    split_sentences,
)


# --- sentences -----------------------------------------------------------


def test_sentences_keep_offsets_and_do_not_split_initials():
    text = "In a statement released by the U.S. embassy, the US condemned it. Gen. Tchiani spoke.\nA list"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "In a statement released by the U.S. embassy, the US condemned it.",
        "Gen. Tchiani spoke.",
        "A list",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_prose_blocks_name_their_targets(seed):
    blocks = prose_blocks(seed)
    assert [b.target for b in blocks] == [
        "lead",
        "section:Background",
        "section:Attack",
        "section:Aftermath",
        "section:See also",
    ]
    assert blocks[0].where == "the lead"
    assert blocks[2].where == "the Attack section"


# --- dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, found, day, month, year",
    [
        ("occurred on 21 October 2017 when", "21 October 2017", 21, 10, 2017),
        ("claimed responsibility on January 12, 2018.", "January 12, 2018", 12, 1, 2018),
        ("At dawn on October 21, militants", "October 21", 21, 10, None),
        ("on the 21st of October the", "21st of October", 21, 10, None),
        ("In early October 2017, Nigerien", "October 2017", None, 10, 2017),
        ("on 5 Sept. 2017 the", "5 Sept. 2017", 5, 9, 2017),
    ],
)
def test_find_dates_reads_both_orders_with_and_without_year(text, found, day, month, year):
    (mention,) = find_dates(text)
    assert (mention.text, mention.day, mention.month, mention.year) == (found, day, month, year)
    assert text[mention.start : mention.end].rstrip(", ") == found


def test_find_dates_gives_the_sentence_and_ignores_lowercase_months():
    text = "Militants may attack again. Jihadists had attacked Ayorou on May 11, 2017, with weapons."
    (mention,) = find_dates(text)
    assert mention.text == "May 11, 2017"
    assert mention.sentence == "Jihadists had attacked Ayorou on May 11, 2017, with weapons."


def test_a_year_less_date_takes_the_given_year_and_impossible_dates_resolve_to_none():
    (october,) = find_dates("on October 21")
    assert october.resolve(2017) == datetime.date(2017, 10, 21)
    assert october.agrees_with(datetime.date(2017, 10, 21))
    assert not october.agrees_with(datetime.date(2017, 10, 22))
    (impossible,) = find_dates("on 30 February 2017")
    assert impossible.resolve(2017) is None
    (month_only,) = find_dates("in October 2017")
    assert month_only.agrees_with(datetime.date(2017, 10, 21))
    assert not month_only.agrees_with(datetime.date(2017, 11, 21))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("October 21, 2017", datetime.date(2017, 10, 21)),
        ("21 October 2017", datetime.date(2017, 10, 21)),
        ("2017-10-21", datetime.date(2017, 10, 21)),
        ("October 2017", None),  # no day
        ("October 21", None),  # no year
        ("10/21/2017", None),  # numeric forms other than ISO are ambiguous
        ("soon", None),
        ("2017-02-30", None),
    ],
)
def test_parse_date_value_wants_one_full_date(value, expected):
    assert parse_date_value(value) == expected


def test_event_date_comes_from_the_infobox(seed):
    assert infobox_event_date(seed) == datetime.date(2017, 10, 21)
    assert format_date(datetime.date(2017, 10, 21)) == "21 October 2017"


# --- numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [("13", 13), ("1,200", 1200), ("Thirteen", 13), ("five", 5), ("twenty-five", 25), ("several", None), ("", None)],
)
def test_parse_number_reads_digits_and_words(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, quantity",
    [
        ("four to five vehicles", Quantity(4, 5)),
        ("4–5 killed", Quantity(4, 5)),
        ("3+ killed", Quantity(3, None)),
        ("at least three were left behind", Quantity(3, None)),
        ("more than ten died", Quantity(11, None)),
        ("about 50 militants", Quantity(50, 50, approximate=True)),
        ("Thirteen gendarmes", Quantity(13, 13)),
    ],
)
def test_parse_quantity_reads_ranges_and_qualifiers(text, quantity):
    assert parse_quantity(text) == quantity


def test_find_numbers_gives_spans_in_prose():
    text = "Thirteen gendarmes were killed and five others were wounded, twenty-five kilometers away."
    mentions = find_numbers(text)
    assert [(m.text, m.quantity.low) for m in mentions] == [("Thirteen", 13), ("five", 5), ("twenty-five", 25)]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_quantities_overlap_when_both_can_be_true():
    assert Quantity(3, None).overlaps(Quantity.exact(3))
    assert Quantity(3, None).overlaps(Quantity.exact(7))
    assert not Quantity(3, None).overlaps(Quantity.exact(2))
    assert not Quantity.exact(13).overlaps(Quantity.exact(14))
    assert Quantity(4, 5).overlaps(Quantity.exact(5))
    assert str(Quantity(3, None)) == "3+"
    assert str(Quantity(4, 5)) == "4–5"


# --- casualty figures ----------------------------------------------------


def test_parse_figures_of_the_seed_fields():
    figures = parse_figures("13 killed, 5 injured, 3 vehicles captured")
    assert [(f.label, f.kind, f.materiel, f.quantity) for f in figures] == [
        ("killed", "killed", None, Quantity.exact(13)),
        ("wounded", "wounded", None, Quantity.exact(5)),
        ("vehicle captured", "captured", "vehicle", Quantity.exact(3)),
    ]
    figures = parse_figures("3+ killed, 1 vehicle destroyed")
    assert [(f.label, f.quantity, f.counts_people) for f in figures] == [
        ("killed", Quantity(3, None), True),
        ("vehicle destroyed", Quantity.exact(1), False),
    ]


def test_parse_figures_normalises_words_and_skips_notes():
    figures = parse_figures("Thirteen dead (incl. 2 officers); about 50 militants")
    assert [(f.label, f.quantity) for f in figures] == [
        ("killed", Quantity.exact(13)),
        ("militants", Quantity(50, 50, approximate=True)),
    ]
    assert parse_figures("Unknown") == []


# --- which sentences speak of another event ------------------------------


@pytest.mark.parametrize(
    "sentence, other",
    [
        ("Occurring just weeks after a similar attack in the area killed four American troops.", True),
        ("Jihadists had attacked Ayorou on May 11, 2017, with the jihadists seizing weapons.", True),
        ("No casualties were reported in the May attack.", True),
        ("At dawn on October 21, militants attacked the gendarmes in Ayorou.", False),
        ("Thirteen gendarmes were killed and five others were wounded.", False),
    ],
)
def test_mentions_other_event(sentence, other):
    assert mentions_other_event(sentence) is other


def test_is_claim_sentence():
    assert is_claim_sentence("The Islamic State claimed responsibility for the attack on January 12, 2018.")
    assert is_claim_sentence("ISGS took responsibility a week later.")
    assert not is_claim_sentence("The attack claimed the lives of 13 gendarmes.")

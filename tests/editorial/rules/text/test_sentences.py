"""split_sentences: where a sentence ends, and its offsets."""

from editorial.rules.text.sentences import split_sentences


def test_sentences_keep_offsets_and_do_not_split_initials():
    text = "In a statement released by the U.S. embassy, the US condemned it. Gen. Tchiani spoke.\nA list"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "In a statement released by the U.S. embassy, the US condemned it.",
        "Gen. Tchiani spoke.",
        "A list",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_a_count_after_an_abbreviation_stays_in_its_sentence():
    text = "They killed c. 40 soldiers. Some 13 soldiers (incl. 2 officers) died. Then they left."
    assert [s.text for s in split_sentences(text)] == [
        "They killed c. 40 soldiers.",
        "Some 13 soldiers (incl. 2 officers) died.",
        "Then they left.",
    ]

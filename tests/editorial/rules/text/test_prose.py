"""prose_blocks: the lead and the section bodies, with their targets."""

from editorial.rules.text.prose import prose_blocks


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

"""Article pairs that stress the diff, shared by its tests and benchmarks/diff_cost.py.

All are deterministic (seeded), about `size` characters on each side, and
built from the seed article's words so that common words repeat as in
real prose:

* `one_paragraph_changed`: a long article and the same with one sentence
  added to one paragraph (the everyday edit);
* `unrelated`: two articles with the same headings and unrelated text;
* `shuffled`: the same paragraphs, shuffled across the whole article;
* `every_fourth_word`: one paragraph of `size` characters, and the same
  with every fourth word changed;
* `renamed_headings`: unrelated texts with every other heading changed, so
  that each such pair of sections is weighed as a possible rename.
"""

from __future__ import annotations

import dataclasses
import random
import re

from encyclopedia import textformat
from encyclopedia.content import ArticleContent, SectionContent
from tests.support.environment import SEED_PATH

SIZE = 100_000


def _vocabulary() -> tuple[list[str], list[float]]:
    words = re.findall(r"\w+", SEED_PATH.read_text(encoding="utf-8"))
    distinct = sorted(set(words))
    # Made-up words widen the vocabulary, so that a long text has words of
    # its own as well as "the" and "of"; weights fall off as in prose.
    distinct += [f"{a}{b}{c}" for a in "bdfklmnprst" for b in "aeiou" for c in ("n", "r", "s", "tal", "ma")]
    weights = [1 / (rank + 1) for rank in range(len(distinct))]
    return distinct, weights


def _sentence(rng: random.Random, vocabulary, weights, length: int) -> str:
    words = rng.choices(vocabulary, weights, k=length)
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, vocabulary, weights, size: int) -> str:
    sentences, length = [], 0
    while length < size:
        sentence = _sentence(rng, vocabulary, weights, rng.randint(8, 24))
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)


def random_article(seed: int, size: int = SIZE, *, paragraph_size: int = 600, sections: int = 20) -> ArticleContent:
    """About `size` characters of made-up prose: a lead and `sections` sections of paragraphs."""
    rng = random.Random(seed)
    vocabulary, weights = _vocabulary()
    per_section = max(1, -(-size // ((sections + 1) * paragraph_size)))
    bodies = [
        "\n\n".join(_paragraph(rng, vocabulary, weights, paragraph_size) for _ in range(per_section))
        for _ in range(sections + 1)
    ]
    return ArticleContent(
        title="Benchmark attack",
        lead=bodies[0],
        sections=tuple(SectionContent(f"Part {number}", body) for number, body in enumerate(bodies[1:], 1)),
    )


def paragraphs(article: ArticleContent) -> list[str]:
    from encyclopedia.diff.prose import split_paragraphs

    found = list(split_paragraphs(article.lead))
    for section in article.sections:
        found += split_paragraphs(section.body)
    return found


def one_paragraph_changed(size: int = SIZE) -> tuple[ArticleContent, ArticleContent]:
    old = random_article(1, size)
    section = old.sections[len(old.sections) // 2]
    body = section.body.split("\n\n")
    body[len(body) // 2] += " A resident said the shooting could be heard from the next village."
    new_section = dataclasses.replace(section, body="\n\n".join(body))
    new = dataclasses.replace(
        old, sections=tuple(new_section if s is section else s for s in old.sections)
    )
    return old, new


def unrelated(size: int = SIZE) -> tuple[ArticleContent, ArticleContent]:
    return random_article(2, size), random_article(3, size)


def shuffled(size: int = SIZE) -> tuple[ArticleContent, ArticleContent]:
    """The same paragraphs in a random order, across the lead and the sections."""
    old = random_article(4, size)
    texts = paragraphs(old)
    random.Random(5).shuffle(texts)
    counts = [len(old.lead.split("\n\n"))] + [len(s.body.split("\n\n")) for s in old.sections]
    parts, start = [], 0
    for count in counts:
        parts.append("\n\n".join(texts[start : start + count]))
        start += count
    new = ArticleContent(
        title=old.title,
        lead=parts[0],
        sections=tuple(dataclasses.replace(s, body=body) for s, body in zip(old.sections, parts[1:])),
    )
    return old, new


def every_fourth_word(size: int = SIZE) -> tuple[ArticleContent, ArticleContent]:
    """One paragraph of `size` characters, and the same with every fourth word replaced."""
    rng = random.Random(6)
    vocabulary, weights = _vocabulary()
    text = _paragraph(rng, vocabulary, weights, size)
    words = text.split(" ")
    for index in range(3, len(words), 4):
        words[index] = "changed" + words[index]
    return ArticleContent(title="T", lead=text), ArticleContent(title="T", lead=" ".join(words))


def renamed_headings(size: int = SIZE) -> tuple[ArticleContent, ArticleContent]:
    """Two articles with unrelated text, every other heading changed: each such section is weighed as a rename."""
    old, new = random_article(13, size), random_article(14, size)
    sections = tuple(
        dataclasses.replace(section, heading=f"{section.heading} renamed") if number % 2 else section
        for number, section in enumerate(new.sections)
    )
    return old, dataclasses.replace(new, sections=sections)


ADVERSARIAL = {
    "unrelated texts": unrelated,
    "shuffled paragraphs": shuffled,
    "every 4th word changed": every_fourth_word,
    "unrelated, headings renamed": renamed_headings,
}


def written(article: ArticleContent) -> str:
    return textformat.write(article)

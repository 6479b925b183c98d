"""The labelled corpus: loads the articles and their labelled edits, strictly.

Layout (see the corpus format brief): `articles/NN_slug.txt` is a published
article in the text format; `edits/NN_slug.toml` holds its labelled edits as
`[[edit]]` tables. `load_corpus()` applies each edit to its article and
returns one `Case` per edit. Anything malformed (an unknown key, a bad label,
an unknown rule id or kind, a duplicate id, a `replace` whose old text does
not occur exactly once, an article that does not parse) raises
`CorpusError`, naming the file and the edit, so a typo can never quietly
turn a case into one that tests nothing.

`judge_case(case)` runs every rule on a case as the checks would, and
`outcome(case)` says whether a bad case was caught or a clean one alarmed.
The test module and `benchmarks/check_accuracy.py` share them.
"""

from __future__ import annotations

import datetime
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from encyclopedia.content import ArticleContent
from encyclopedia.textformat import ArticleFormatError, parse

CORPUS_DIR = Path(__file__).resolve().parent
# The rules never read the clock; the corpus's claims are judged as of this day.
TODAY = datetime.date(2026, 6, 1)

LABELS = ("bad", "clean")
KINDS = (
    "casualty-mismatch",
    "multi-party",
    "multi-source",
    "sum",
    "revised-toll",
    "other-event-toll",
    "other-event-date",
    "approximate",
    "date-moved",
    "date-sentence-start",
    "yearless-date",
    "date-range",
    "claim-date",
    "claim-future",
    "inherited",
    "new-article",
    "structure",
    "unsourced-change",
    "sourced-change",
    "copyedit",
    "attribution",
    "trap",
)
RULE_IDS = (
    "structure.infobox",
    "dates.event_date_agreement",
    "dates.claim_before_event",
    "casualties.change",
    "casualties.infobox_prose",
)
_REQUIRED_KEYS = ("id", "label", "kinds", "expect", "summary", "replace", "note")
_OPTIONAL_KEYS = ("new_article", "known_miss")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_STEM = re.compile(r"^\d{2}_[a-z0-9_]+$")


class CorpusError(ValueError):
    """A corpus file that is not in the corpus format; names the file and the edit."""


@dataclass(frozen=True, eq=False)  # compared by identity: cheap to hash for the cache below
class Case:
    id: str
    article: str  # the stem shared by the article and its edits file
    label: str  # "bad" or "clean"
    kinds: tuple[str, ...]
    expect: tuple[str, ...]  # for a bad case, the rules that should give it an ERROR
    summary: str
    base: ArticleContent | None  # None: checked as a new article
    proposal: ArticleContent
    note: str
    known_miss: str | None  # why the rules are known to get it wrong, or None
    base_text: str
    proposal_text: str

    @property
    def bad(self) -> bool:
        return self.label == "bad"


@dataclass(frozen=True)
class Article:
    stem: str
    path: Path
    text: str
    content: ArticleContent


def load_articles(root: Path = CORPUS_DIR) -> dict[str, Article]:
    """The corpus's articles by stem, each parsed (or CorpusError naming the file)."""
    articles = {}
    for path in sorted((root / "articles").glob("*.txt")):
        if not _STEM.match(path.stem):
            raise CorpusError(f"{path}: an article file is named NN_slug.txt (lower case, digits, '_')")
        text = path.read_text(encoding="utf-8")
        try:
            content = parse(text, source=str(path))
        except ArticleFormatError as error:
            raise CorpusError(f"{path}: the article does not parse: {error}") from None
        articles[path.stem] = Article(path.stem, path, text, content)
    return articles


def load_corpus(root: Path = CORPUS_DIR) -> list[Case]:
    """Every labelled edit of the corpus under `root`, validated, in file order."""
    root = Path(root)
    articles = load_articles(root)
    edit_files = sorted((root / "edits").glob("*.toml"))
    stems = {path.stem for path in edit_files}
    for stem, article in articles.items():
        if stem not in stems:
            raise CorpusError(f"{article.path}: the article has no edits file edits/{stem}.toml")
    cases: list[Case] = []
    seen: dict[str, Path] = {}
    for path in edit_files:
        article = articles.get(path.stem)
        if article is None:
            raise CorpusError(f"{path}: no article articles/{path.stem}.txt for this edits file")
        for case in _load_edits(path, article):
            if case.id in seen:
                raise CorpusError(f"{path}: edit {case.id!r}: the id is already used in {seen[case.id]}")
            seen[case.id] = path
            cases.append(case)
    return cases


def _load_edits(path: Path, article: Article) -> list[Case]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CorpusError(f"{path}: not valid TOML: {error}") from None
    unknown = set(data) - {"edit"}
    if unknown:
        raise CorpusError(f"{path}: unknown top-level keys {sorted(unknown)}; write each edit as [[edit]]")
    edits = data.get("edit", [])
    if not isinstance(edits, list) or not edits:
        raise CorpusError(f"{path}: no edits; write each edit as an [[edit]] table")
    return [_case(path, article, number, edit) for number, edit in enumerate(edits, start=1)]


def _case(path: Path, article: Article, number: int, edit: dict) -> Case:
    edit_id = edit.get("id")
    name = f"edit {edit_id!r}" if isinstance(edit_id, str) else f"edit number {number} (no id)"

    def fail(problem: str) -> CorpusError:
        return CorpusError(f"{path}: {name}: {problem}")

    unknown = set(edit) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS)
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}; the keys are {', '.join(_REQUIRED_KEYS + _OPTIONAL_KEYS)}")
    missing = [key for key in _REQUIRED_KEYS if key not in edit]
    if missing:
        raise fail(f"missing keys {missing}")
    if not isinstance(edit_id, str) or not _ID.match(edit_id):
        raise fail("the id must be kebab-case (lower-case letters, digits and '-')")
    label = edit["label"]
    if label not in LABELS:
        raise fail(f"label {label!r} is not one of {', '.join(LABELS)}")
    kinds = edit["kinds"]
    if not isinstance(kinds, list) or not kinds or not all(isinstance(kind, str) for kind in kinds):
        raise fail("kinds must be a non-empty list of strings")
    for kind in kinds:
        if kind not in KINDS:
            raise fail(f"unknown kind {kind!r}; the kinds are {', '.join(KINDS)}")
    expect = edit["expect"]
    if not isinstance(expect, list) or not all(isinstance(rule, str) for rule in expect):
        raise fail("expect must be a list of rule ids")
    for rule_id in expect:
        if rule_id not in RULE_IDS:
            raise fail(f"unknown rule id {rule_id!r} in expect; the rules are {', '.join(RULE_IDS)}")
    if label == "bad" and not expect:
        raise fail("a bad edit must name in expect the rules that should flag it")
    if label == "clean" and expect:
        raise fail("a clean edit must have an empty expect")
    for key in ("summary", "note"):
        if not isinstance(edit[key], str):
            raise fail(f"{key} must be a string")
    if not edit["note"].strip():
        raise fail("the note must say why the edit is bad, or why it is fine")
    new_article = edit.get("new_article", False)
    if not isinstance(new_article, bool):
        raise fail("new_article must be true or false")
    known_miss = edit.get("known_miss")
    if known_miss is not None and (not isinstance(known_miss, str) or not known_miss.strip()):
        raise fail("known_miss must say why the rules get this case wrong")

    replace = edit["replace"]
    if not isinstance(replace, list):
        raise fail("replace must be a list of [old, new] pairs")
    text = article.text
    for index, pair in enumerate(replace, start=1):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)):
            raise fail(f"replace pair {index} must be [old, new], two strings")
        old, new = pair
        if not old:
            raise fail(f"replace pair {index} has an empty old text")
        if old == new:
            raise fail(f"replace pair {index} replaces {old!r} by itself")
        occurrences = text.count(old)
        if occurrences != 1:
            raise fail(
                f"replace pair {index}: the old text {_short(old)} occurs {occurrences} times "
                "in the article (after the pairs before it); it must occur exactly once"
            )
        text = text.replace(old, new)
    if text == article.text and not new_article:
        raise fail("the edit changes nothing; give replace pairs (or new_article = true)")
    try:
        proposal = parse(text, source=f"{path} ({edit_id})")
    except ArticleFormatError as error:
        raise fail(f"the edited article does not parse: {error}") from None
    return Case(
        id=edit_id,
        article=article.stem,
        label=label,
        kinds=tuple(kinds),
        expect=tuple(expect),
        summary=edit["summary"],
        base=None if new_article else article.content,
        proposal=proposal,
        note=edit["note"],
        known_miss=known_miss,
        base_text=article.text,
        proposal_text=text,
    )


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:60] + "…")


# --- judging, shared by the test and the benchmark (needs Django's settings) ---


def judge_case(case: Case) -> list:
    """Every rule's findings on the case's proposal, judged against its base."""
    from editorial.rules import CheckContext, judge_all

    context = CheckContext(content=case.proposal, base=case.base, summary=case.summary, today=TODAY)
    return judge_all(context)


@functools.cache
def _cached_findings(case: Case) -> tuple:
    return tuple(judge_case(case))


def findings_of(case: Case) -> tuple:
    """judge_case, computed once per case in a process (cases are immutable)."""
    return _cached_findings(case)


def gating_errors(findings) -> list:
    """The findings that make an alarm: ERRORs the edit introduced."""
    from editorial.rules import Severity

    return [finding for finding in findings if finding.severity == Severity.ERROR and not finding.inherited]


def outcome(case: Case) -> bool:
    """True when the rules give the case a gating ERROR: caught if bad, a false alarm if clean."""
    return bool(gating_errors(findings_of(case)))


def crash_of(case: Case) -> str | None:
    """None when the rules run on the case, else the exception in one line.

    The totals and the benchmark count a crash as a misread case (neither
    caught nor alarmed, so it counts against both goals) instead of
    stopping at the first one; the case's own test still fails with the traceback.
    """
    try:
        findings_of(case)
    except Exception as error:  # noqa: BLE001 - any bug in a rule
        return f"{type(error).__name__}: {error}"
    return None


def judged_right(case: Case) -> bool:
    """Whether the rules give the case its label: a bad one caught, a clean one left alone."""
    if crash_of(case) is not None:
        return False
    return outcome(case) == case.bad


def describe(findings) -> str:
    """The findings one a line, for a failure message: rule, severity, inherited, message, quote."""
    if not findings:
        return "  (no findings)"
    lines = []
    for finding in findings:
        flag = " (inherited)" if finding.inherited else ""
        lines.append(f"  - {finding.rule_id} {finding.severity.upper()}{flag}: {finding.message}")
        quote = finding.evidence.get("quote") or finding.evidence.get("sentence")
        if quote:
            lines.append(f"      quote: {quote}")
        elif "infobox" in finding.evidence:
            lines.append(f"      infobox {finding.evidence.get('field', '')}: {finding.evidence['infobox']}")
    return "\n".join(lines)

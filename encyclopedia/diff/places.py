"""A diff laid out by place: the lead and each section that changed, with only their changed rows.

Both pages that show a diff (the public one and the review page) lay it
out with `diff_places`; the review page also keeps whole any place a
finding concerns, so the reviewer sees what the finding is about.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from .values import LEAD, ArticleDiff, ParagraphChange, TextDiff


@dataclass(frozen=True)
class DiffPlace:
    name: str  # "Lead" or the heading
    target: str  # "lead" or "section:<Heading>", as findings name what they concern
    status: str  # unchanged / changed / added / removed
    rows: tuple[ParagraphChange, ...]
    moved_out: tuple[ParagraphChange, ...]
    hidden_unchanged: int  # unchanged paragraphs left out of `rows`
    coarse: bool = False  # some paragraph here is shown whole, not word by word
    old_name: str | None = None  # the heading a "renamed" section had
    moved_after: str | None = None  # see SectionDiff.moved_after


def diff_places(diff: ArticleDiff, *, shown_whole: Collection[str] = ()) -> list[DiffPlace]:
    """The places that changed, and those whose target is in `shown_whole` (with every row)."""
    places = []
    lead_status = "changed" if diff.lead.has_changes else "unchanged"
    if _changed(lead_status, diff.lead) or LEAD in shown_whole:
        places.append(_place("Lead", LEAD, lead_status, diff.lead, whole=LEAD in shown_whole))
    for section in diff.sections:
        target = f"section:{section.heading}"
        if _changed(section.status, section.text) or target in shown_whole:
            place = _place(section.heading, target, section.status, section.text, whole=target in shown_whole)
            places.append(replace(place, old_name=section.old_heading, moved_after=section.moved_after))
    return places


def _changed(status: str, text: TextDiff) -> bool:
    # Unchanged rows only, when none of these holds: the rows of an
    # untouched place are not made to find that out.
    return status != "unchanged" or text.has_changes or bool(text.moved_out)


def _place(name: str, target: str, status: str, text: TextDiff, *, whole: bool) -> DiffPlace:
    rows = tuple(row for row in text.paragraphs if whole or row.status != "unchanged")
    return DiffPlace(
        name=name,
        target=target,
        status=status,
        rows=rows,
        moved_out=text.moved_out,
        hidden_unchanged=len(text.paragraphs) - len(rows),
        coarse=text.coarse,
    )

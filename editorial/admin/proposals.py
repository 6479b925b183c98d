"""The review page as its author reads it: where the proposal stands, and what they can do next.

The review page is the proposal's own page. Besides the reviewers' decision,
it tells the author in a sentence or two where their proposal stands (waiting
for the checks, waiting for a reviewer, approved, rejected and why, withdrawn)
and offers "Edit again", which opens the article's edit form filled from this
proposal (`?from_revision=<id>`). `standing` and `edit_again` are plain values
computed from the row already read; the only query here is `article_of`, which
replaces the page's one lookup of the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from encyclopedia.models import Article

from ..aggregate.statuses import CheckStatus, RevisionStatus
from ..models import Revision
from .review_layout import ChecksView

MINE_PARAMETER = "mine"
FROM_REVISION_PARAMETER = "from_revision"


def my_proposals_url(site_name: str = "admin") -> str:
    """The review queue narrowed to the signed-in user's own revisions, in every status."""
    return reverse(f"{site_name}:editorial_revision_changelist") + f"?{MINE_PARAMETER}=1"


@dataclass(frozen=True)
class ArticleRow:
    """The article the revision belongs to, as far as the page needs it; pk None before its first approval."""

    pk: int | None
    slug: str
    published_id: int | None


def article_of(revision: Revision) -> ArticleRow:
    """One query: the article's admin id, current slug and published revision (a new article has none)."""
    row = Article.objects.filter(stream=revision.stream).values_list("pk", "slug", "current_revision_id").first()
    if row is None:
        return ArticleRow(pk=None, slug=revision.slug, published_id=None)
    return ArticleRow(*row)


@dataclass(frozen=True)
class Standing:
    """Where the proposal stands, in words for whoever reads the page (the author is "you")."""

    state: str  # "checking", "pending", "approved", "rejected", "withdrawn": the header's class
    headline: str
    details: tuple[str, ...]
    checks_running: bool = False


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _verdict_words(checks: ChecksView, *, yours: bool) -> str:
    if checks.status == CheckStatus.PASSED:
        return "The consistency checks found nothing wrong with this edit."
    if checks.status == CheckStatus.WARNINGS:
        return f"The consistency checks found {_plural(checks.warning_count, 'warning')}, listed below; a reviewer weighs them."
    if checks.status == CheckStatus.FAILED:
        then = " You can withdraw it and edit again." if yours else ""
        warnings = f" and {_plural(checks.warning_count, 'warning')}" if checks.warning_count else ""
        return (
            f"The consistency checks found {_plural(checks.error_count, 'error')}{warnings}, "
            "shown below next to what they concern: "
            f"a reviewer can approve it only by overriding them with a reason.{then}"
        )
    if checks.status == CheckStatus.ERROR:
        return "A consistency check could not finish (an error in a rule); a reviewer will look at the edit without it."
    return ""


def standing(revision: Revision, checks: ChecksView, *, viewer_id: int | None, published_id: int | None) -> Standing:
    """The page's header: the status, what the checks say (or that they still run), and what happens next."""
    yours = viewer_id is not None and viewer_id == revision.author_id
    subject = "Your proposal" if yours else "This proposal"

    if revision.status == RevisionStatus.PENDING:
        details = []
        stale = revision.base_revision_id != published_id
        if stale:
            now = f"revision {published_id}" if published_id else "another revision"
            details.append(
                f"It was written against revision {revision.base_revision_id}, and {now} has been published since: "
                "it cannot be approved as it is. "
                + (
                    "Stet merges the two by itself when they changed different places; where both changed the same "
                    "place, choose what to keep on the merge page."
                    if yours
                    else "Its author can carry it onto the published revision (a merge)."
                )
            )
        if checks.pending:  # which rules are still out is in the facts below; the header says it plainly
            details.insert(0, "The consistency checks are still running; their findings appear here when they finish.")
            return Standing("checking", f"{subject} is waiting for its checks", tuple(details), checks_running=True)
        details.insert(0, _verdict_words(checks, yours=yours))
        if not stale:
            details.append("It waits for a reviewer; you will see the decision here." if yours else "It waits for a reviewer.")
        return Standing("pending", f"{subject} is pending review", tuple(detail for detail in details if detail))

    # Who decided, when and why is said by the decision beside the headline.
    if revision.status == RevisionStatus.APPROVED:
        if published_id == revision.id:
            details = ("It is the published version of the article.",)
        elif published_id is not None:
            details = (f"Revision {published_id} has been published since.",)
        else:
            details = ()
        return Standing("approved", f"{subject} was approved", details)

    if revision.status == RevisionStatus.WITHDRAWN and revision.decision_reason.startswith("Rebased by"):
        return Standing("withdrawn", f"{subject} was rebased", ("It goes on as the revision named below.",))

    if revision.status == RevisionStatus.REJECTED:
        details = ("Edit again starts a new proposal from this one, with what you wrote.",) if yours else ()
        return Standing("rejected", f"{subject} was rejected", details)

    return Standing("withdrawn", f"{subject} was withdrawn", ())


@dataclass(frozen=True)
class EditAgain:
    """The "Edit again" link, or why there is none."""

    url: str = ""
    note: str = ""
    label: str = "Edit again"


def edit_again(revision: Revision, article: ArticleRow, *, viewer_id: int | None, site_name: str = "admin") -> EditAgain | None:
    """For the author: the edit form filled from this proposal. None for anyone else.

    An approved revision that is the published one is simply edited; a new
    article has no Article row (nothing is published yet), so there is no
    form to open: the page says so instead of offering a dead link.
    """
    if viewer_id is None or viewer_id != revision.author_id:
        return None
    if article.pk is None:
        return EditAgain(
            note="This proposal is a new article, which has no page in the admin until a revision of it is "
            "approved, so it cannot be edited again from here."
        )
    change = reverse(f"{site_name}:encyclopedia_article_change", args=[article.pk])
    if revision.status == RevisionStatus.APPROVED and article.published_id == revision.id:
        return EditAgain(url=change, label="Edit the article", note="This revision is the published version.")
    return EditAgain(url=f"{change}?{FROM_REVISION_PARAMETER}={revision.id}")
